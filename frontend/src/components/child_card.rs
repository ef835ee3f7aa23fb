use chrono::NaiveDate;
use skolportal_shared::api::{Address, ChildCard, PupilCard, Relation};
use uuid::Uuid;
use yew::prelude::*;

use crate::components::{address_lines, fact};
use crate::i18n::I18n;

/// One child on "Mina barn": name as heading, then the pupil-card facts and the relation. (This
/// and [`pupil_card`] are functions, not components: every component costs the wasm its own
/// generic code.)
pub fn child_card(i18n: &I18n, child: &ChildCard) -> Html {
    let relation = fact(
        i18n.t("child.relation"),
        html! { { relation_text(i18n, child.relation) } },
    );
    let fields = CardFields {
        id: child.id,
        given_name: &child.given_name,
        family_name: &child.family_name,
        birth_date: child.birth_date,
        class_name: child.class_name.as_deref(),
        school_year: child.school_year,
        units: &child.units,
        address: child.address.as_ref(),
        phone: child.phone.as_deref(),
        school_email: child.school_email.as_deref(),
    };
    card(i18n, "child", &fields, relation)
}

/// A pupil card as staff see it on `/personal/elev/:id`: the same facts as a child card, and for staff
/// with a connection the guardians with their phone and e-mail.
pub fn pupil_card(i18n: &I18n, pupil: &PupilCard) -> Html {
    let fields = CardFields {
        id: pupil.id,
        given_name: &pupil.given_name,
        family_name: &pupil.family_name,
        birth_date: pupil.birth_date,
        class_name: pupil.class_name.as_deref(),
        school_year: pupil.school_year,
        units: &pupil.units,
        address: pupil.address.as_ref(),
        phone: pupil.phone.as_deref(),
        school_email: pupil.school_email.as_deref(),
    };
    let guardians = (!pupil.guardians.is_empty()).then(|| {
        fact(
            i18n.t("pupil.guardians"),
            html! { <ul class="plain-list guardian-list">
                { for pupil.guardians.iter().map(|adult| html! {
                    <li class="guardian">
                        <span class="line guardian__name">
                            { format!("{} {} ({})", adult.given_name, adult.family_name, relation_text(i18n, adult.relation)) }
                        </span>
                        if let Some(phone) = &adult.phone {
                            <span class="line">{ i18n.t("child.phone") }{ ": " }
                                <a href={format!("tel:{}", phone.replace(' ', ""))}>{ phone.clone() }</a></span>
                        }
                        if let Some(email) = &adult.email {
                            <span class="line">{ i18n.t("pupil.email") }{ ": " }
                                <a class="break" href={format!("mailto:{email}")}>{ email.clone() }</a></span>
                        }
                    </li>
                }) }
            </ul> },
        )
    });
    card(i18n, "pupil", &fields, guardians.unwrap_or_default())
}

/// What a child card and a pupil card have in common.
struct CardFields<'a> {
    id: Uuid,
    given_name: &'a str,
    family_name: &'a str,
    birth_date: NaiveDate,
    class_name: Option<&'a str>,
    school_year: Option<i32>,
    units: &'a [String],
    address: Option<&'a Address>,
    phone: Option<&'a str>,
    school_email: Option<&'a str>,
}

/// The card: the name as an `h2`, then the facts, then `extra` rows.
fn card(i18n: &I18n, id_prefix: &str, fields: &CardFields, extra: Html) -> Html {
    let heading_id = format!("{id_prefix}-{}", fields.id);
    let name = format!("{} {}", fields.given_name, fields.family_name);
    html! {
        <article class="card" aria-labelledby={heading_id.clone()}>
            <h2 class="card__title" id={heading_id}>{ name }</h2>
            <dl class="facts">
                { fact(i18n.t("child.birth_date"), html! { { i18n.date(fields.birth_date) } }) }
                if let Some(class_name) = fields.class_name {
                    { fact(i18n.t("child.class"), html! { { class_name.to_owned() } }) }
                }
                if let Some(year) = fields.school_year {
                    { fact(i18n.t("child.school_year"), html! { { school_year_text(i18n, year) } }) }
                }
                if !fields.units.is_empty() {
                    { fact(i18n.t("child.units"), html! { <ul class="plain-list">
                            { for fields.units.iter().map(|unit| html! { <li>{ unit.clone() }</li> }) }
                        </ul> }) }
                }
                { fact(i18n.t("child.address"), html! { { match fields.address {
                        Some(address) => address_lines(address),
                        None => html! { <>{ i18n.t("common.not_registered") }</> },
                    } } }) }
                if let Some(phone) = fields.phone {
                    { fact(i18n.t("child.phone"), html! { <a href={format!("tel:{}", phone.replace(' ', ""))}>{ phone.to_owned() }</a> }) }
                }
                if let Some(email) = fields.school_email {
                    { fact(i18n.t("child.school_email"), html! { <a class="break" href={format!("mailto:{email}")}>{ email.to_owned() }</a> }) }
                }
                { extra }
            </dl>
        </article>
    }
}

/// "Vårdnadshavare" or "Annan ansvarig vuxen".
pub fn relation_text(i18n: &I18n, relation: Relation) -> &'static str {
    i18n.t(relation.text_key())
}

/// "Förskoleklass" for year 0, otherwise the number (the row is labelled "Årskurs").
pub fn school_year_text(i18n: &I18n, year: i32) -> String {
    if year == 0 {
        i18n.t("child.preschool_class").to_owned()
    } else {
        year.to_string()
    }
}
