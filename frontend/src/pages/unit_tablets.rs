//! The entrance tablets of the preschools a staff member works at, on their account page beside
//! the PIN: each paired tablet with "Koppla bort", asked once more before it goes, so that a
//! tablet that went missing stops working without waiting for the administrator.

use skolportal_shared::api::{KioskDevice, UnitRef};
use uuid::Uuid;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{error_alert, loading, status_message};
use crate::hooks::use_i18n;

const CONFIRM_ID: &str = "tablets-confirm";

#[derive(Properties, PartialEq)]
pub struct UnitTabletsProps {
    /// The preschools the staff member has a duty at.
    pub units: Vec<UnitRef>,
}

/// "Incheckningsplattor": one list per unit, from `GET /api/units/{id}/kiosk-devices`.
#[function_component]
pub fn UnitTablets(props: &UnitTabletsProps) -> Html {
    let i18n = use_i18n();
    // Unit id, and its tablets once read.
    let lists = use_state(Vec::<(Uuid, Result<Vec<KioskDevice>, ClientError>)>::new);
    let generation = use_state(|| 0u32);
    // The tablet whose "Koppla bort" was pressed, waiting for the answer to the question.
    let asking = use_state(|| None::<(Uuid, KioskDevice)>);
    let unpaired = use_state(|| None::<String>);
    let failed = use_state(|| None::<ClientError>);
    {
        let lists = lists.clone();
        let units: Vec<Uuid> = props.units.iter().map(|u| u.id).collect();
        use_effect_with((*generation, units), move |(_, units)| {
            let units = units.clone();
            spawn_local(async move {
                let mut read = Vec::with_capacity(units.len());
                for unit in units {
                    read.push((unit, api::unit_kiosk_devices(unit).await));
                }
                lists.set(read);
            });
        });
    }
    let confirm = {
        let (asking, generation, unpaired, failed) = (
            asking.clone(),
            generation.clone(),
            unpaired.clone(),
            failed.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some((unit, device)) = (*asking).clone() else {
                return;
            };
            let (asking, generation, unpaired, failed) = (
                asking.clone(),
                generation.clone(),
                unpaired.clone(),
                failed.clone(),
            );
            spawn_local(async move {
                match api::unit_kiosk_unpair(unit, device.id).await {
                    Ok(()) => {
                        failed.set(None);
                        unpaired.set(Some(device.name));
                        generation.set(*generation + 1);
                    }
                    Err(err) => failed.set(Some(err)),
                }
                asking.set(None);
            });
        })
    };
    {
        // The question replaces the pressed button, so focus goes to its answer, not the page.
        let asked = asking.as_ref().map(|(_, d)| d.id);
        use_effect_with(asked, |asked| {
            if asked.is_some() {
                crate::dom::focus(CONFIRM_ID);
            }
        });
    }
    let cancel = {
        let asking = asking.clone();
        Callback::from(move |_: MouseEvent| asking.set(None))
    };

    let unit_html = |unit: &UnitRef| {
        let heading_id = format!("tablets-{}", unit.id);
        let list = match lists.iter().find(|(id, _)| *id == unit.id) {
            None => loading(&i18n),
            Some((_, Err(err))) => error_alert(&i18n, "tablets-list-error", Some(err), None),
            Some((_, Ok(devices))) if devices.is_empty() => {
                html! { <p class="empty-state">{ i18n.t("tablets.none") }</p> }
            }
            Some((_, Ok(devices))) => html! {
                <ul class="item-list" aria-labelledby={heading_id.clone()}>
                    { for devices.iter().map(|d| {
                        let ask = {
                            let (asking, unpaired) = (asking.clone(), unpaired.clone());
                            let chosen = (unit.id, d.clone());
                            Callback::from(move |_: MouseEvent| {
                                unpaired.set(None);
                                asking.set(Some(chosen.clone()));
                            })
                        };
                        let is_asked = asking.as_ref().is_some_and(|(_, a)| a.id == d.id);
                        html! {
                            <li class="item-list__item" key={d.id.to_string()}>
                                <span class="item-list__name">{ d.name.clone() }</span>
                                <span class="item-list__detail">{ i18n.tf("tablets.paired", &[("time", &i18n.date_time(d.paired_at))]) }</span>
                                if is_asked {
                                    <p class="confirm" id="tablets-question">
                                        { i18n.tf("tablets.question", &[("name", &d.name)]) }
                                    </p>
                                }
                                <div class="confirm__actions">
                                    if is_asked {
                                        <button type="button" id={CONFIRM_ID} class="button button--primary" aria-describedby="tablets-question" onclick={confirm.clone()}>
                                            { i18n.t("tablets.confirm") }
                                        </button>
                                        <button type="button" class="button button--secondary" onclick={cancel.clone()}>
                                            { i18n.t("tablets.cancel") }
                                        </button>
                                    } else {
                                        <button type="button" class="button button--secondary" onclick={ask}
                                            aria-label={i18n.tf("tablets.unpair_named", &[("name", &d.name)])}>
                                            { i18n.t("tablets.unpair") }
                                        </button>
                                    }
                                </div>
                            </li>
                        }
                    }) }
                </ul>
            },
        };
        html! {
            <>
                <h3 id={heading_id}>{ unit.name.clone() }</h3>
                { list }
            </>
        }
    };

    let unpaired_text = unpaired
        .as_ref()
        .map(|name| i18n.tf("tablets.unpaired", &[("name", name)]));
    html! {
        <section class="section" aria-labelledby="tablets-heading">
            <h2 id="tablets-heading">{ i18n.t("tablets.heading") }</h2>
            <p>{ i18n.t("tablets.intro") }</p>
            { error_alert(&i18n, "tablets-error", failed.as_ref(), None) }
            { status_message("tablets-status", unpaired_text.as_deref()) }
            { for props.units.iter().map(unit_html) }
        </section>
    }
}
