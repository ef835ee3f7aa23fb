use skolportal_shared::api::UnitKind;
use yew::prelude::*;

use crate::components::Loading;
use crate::hooks::{use_i18n, use_me, use_title, MeState};

/// `/staff`: greeting and the units where the person works.
#[function_component]
pub fn StaffPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("staff.title"));
    let MeState::Ready(me) = use_me() else {
        return html! { <Loading /> };
    };
    html! {
        <div class="page">
            <h1>{ i18n.tf("staff.greeting", &[("name", &me.given_name)]) }</h1>
            <section class="section" aria-labelledby="units-heading">
                <h2 id="units-heading">{ i18n.t("staff.units_heading") }</h2>
                if me.units.is_empty() {
                    <p class="empty-state">{ i18n.t("staff.no_units") }</p>
                } else {
                    <ul class="unit-list">
                        { for me.units.iter().map(|unit| html! {
                            <li class="unit-list__item" key={unit.id.to_string()}>
                                <span class="unit-list__name">{ unit.name.clone() }</span>
                                <span class="unit-list__kind">
                                    { match unit.kind {
                                        UnitKind::School => i18n.t("unit.school"),
                                        UnitKind::Preschool => i18n.t("unit.preschool"),
                                        UnitKind::Fritidshem => i18n.t("unit.fritidshem"),
                                        UnitKind::FamilyDaycare => i18n.t("unit.family_daycare"),
                                    } }
                                </span>
                            </li>
                        }) }
                    </ul>
                }
            </section>
        </div>
    }
}
