use skolportal_shared::api::{ChildCard, Relation};
use yew::prelude::*;

use crate::components::{address_lines, Fact};
use crate::hooks::use_i18n;
use crate::i18n::I18n;

#[derive(Properties, PartialEq)]
pub struct ChildCardProps {
    pub child: ChildCard,
}

/// One child on "Mina barn": name as heading, then the pupil-card facts.
#[function_component]
pub fn ChildCardView(props: &ChildCardProps) -> Html {
    let i18n = use_i18n();
    let child = &props.child;
    let heading_id = format!("child-{}", child.id);
    let name = format!("{} {}", child.given_name, child.family_name);
    html! {
        <article class="card" aria-labelledby={heading_id.clone()}>
            <h2 class="card__title" id={heading_id}>{ name }</h2>
            <dl class="facts">
                <Fact label={i18n.t("child.birth_date").to_owned()}>
                    { child.birth_date.to_string() }
                </Fact>
                if let Some(class_name) = &child.class_name {
                    <Fact label={i18n.t("child.class").to_owned()}>{ class_name.clone() }</Fact>
                }
                if let Some(year) = child.school_year {
                    <Fact label={i18n.t("child.school_year").to_owned()}>
                        { school_year_text(&i18n, year) }
                    </Fact>
                }
                if !child.units.is_empty() {
                    <Fact label={i18n.t("child.units").to_owned()}>
                        <ul class="plain-list">
                            { for child.units.iter().map(|unit| html! { <li>{ unit.clone() }</li> }) }
                        </ul>
                    </Fact>
                }
                <Fact label={i18n.t("child.address").to_owned()}>
                    { match &child.address {
                        Some(address) => address_lines(address),
                        None => html! { <>{ i18n.t("common.not_registered") }</> },
                    } }
                </Fact>
                if let Some(phone) = &child.phone {
                    <Fact label={i18n.t("child.phone").to_owned()}>
                        <a href={format!("tel:{}", phone.replace(' ', ""))}>{ phone.clone() }</a>
                    </Fact>
                }
                if let Some(email) = &child.school_email {
                    <Fact label={i18n.t("child.school_email").to_owned()}>
                        <a class="break" href={format!("mailto:{email}")}>{ email.clone() }</a>
                    </Fact>
                }
                <Fact label={i18n.t("child.relation").to_owned()}>
                    { match child.relation {
                        Relation::Guardian => i18n.t("relation.guardian"),
                        Relation::OtherResponsibleAdult => i18n.t("relation.other_responsible_adult"),
                    } }
                </Fact>
            </dl>
        </article>
    }
}

/// "Förskoleklass" for year 0, otherwise the number (the row is labelled "Årskurs").
pub fn school_year_text(i18n: &I18n, year: i32) -> String {
    if year == 0 {
        i18n.t("child.preschool_class").to_owned()
    } else {
        year.to_string()
    }
}
