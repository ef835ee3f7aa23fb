//! `/kiosk`: the check-in tablet at a preschool's entrance (Tempus Nu), a landscape touch
//! screen. Unpaired, it asks for the administrator's one-time code; paired, for one of the
//! unit's staff and their PIN; signed in, it shows the children expected today by first name
//! and initial as big tiles. A tap checks a child in; a tap on a child who is in asks who
//! collects them (a guardian or a pick-up person) and checks them out.
//!
//! A tap made while the network is down is kept on the tablet (`localStorage`) with its own
//! time and id, shown as waiting, and sent when the network is back (or every ten seconds):
//! the server takes it with the time it was made, and a tap sent twice counts once. After the
//! unit's idle time without a touch, the tablet signs its staff member out.

use std::cell::Cell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use skolportal_shared::api::{
    CollectorKind, KioskCheckIn, KioskCheckOut, KioskChild, KioskDay, KioskPair, KioskSignIn,
    KioskState,
};
use uuid::Uuid;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{error_alert, loading, status_message, TextField};
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;

const OUTBOX_KEY: &str = "skolportal-kiosk-outbox";
const STATUS_ID: &str = "kiosk-status";

/// A tap not yet taken by the server.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
struct Queued {
    unit: Uuid,
    #[serde(default)]
    check_in: Option<KioskCheckIn>,
    #[serde(default)]
    check_out: Option<KioskCheckOut>,
}

impl Queued {
    fn child(&self) -> Option<Uuid> {
        self.check_in
            .as_ref()
            .map(|c| c.child_id)
            .or(self.check_out.as_ref().map(|c| c.child_id))
    }
}

fn outbox() -> Vec<Queued> {
    crate::dom::local_value(OUTBOX_KEY)
        .and_then(|text| crate::json::from_str(&text))
        .unwrap_or_default()
}

fn save_outbox(queue: &[Queued]) {
    if let Some(text) = crate::json::to_string(queue) {
        crate::dom::set_local_value(OUTBOX_KEY, &text);
    }
}

async fn send(tap: &Queued) -> Result<(), ClientError> {
    match (&tap.check_in, &tap.check_out) {
        (Some(check_in), _) => api::kiosk_check_in(tap.unit, check_in).await,
        (None, Some(check_out)) => api::kiosk_check_out(tap.unit, check_out).await,
        (None, None) => Ok(()),
    }
}

/// Sends the queued taps in the order they were made; one the network still does not take
/// stays with those after it. Returns whether anything was sent.
async fn flush() -> bool {
    let queue = outbox();
    if queue.is_empty() {
        return false;
    }
    let mut left = Vec::new();
    let mut sent = false;
    for (i, tap) in queue.iter().enumerate() {
        match send(tap).await {
            Err(ClientError::Network) => {
                left.extend(queue[i..].iter().cloned());
                break;
            }
            // Taken, or refused for good (the server's answer will not change): either way it
            // leaves the queue; the day shows what the server has.
            _ => sent = true,
        }
    }
    save_outbox(&left);
    sent
}

thread_local! {
    /// The server's clock less this device's, in milliseconds, from the last `GET /api/kiosk`.
    static CLOCK_OFFSET_MS: Cell<i64> = const { Cell::new(0) };
}

/// Now by the server's clock, as far as this tablet knows it: a tap's time.
fn tap_time() -> chrono::DateTime<chrono::Utc> {
    let now = crate::dom::now().unwrap_or_default();
    now + chrono::Duration::milliseconds(CLOCK_OFFSET_MS.with(Cell::get))
}

fn random_id() -> Uuid {
    crate::dom::random_uuid()
        .or_else(|| {
            crate::dom::now()
                .and_then(|t| t.timestamp_nanos_opt())
                .map(|n| Uuid::from_u128(n.unsigned_abs().into()))
        })
        .unwrap_or_default()
}

fn clock(at: chrono::DateTime<chrono::Utc>) -> String {
    crate::i18n::clock_time(at)
}

#[derive(Clone, PartialEq)]
enum Screen {
    Loading,
    Pair,
    SignIn(KioskState),
    Day(KioskState),
    Failed(ClientError),
}

async fn screen() -> Screen {
    let result = api::kiosk_state().await;
    if let (Ok(state), Some(device_now)) = (&result, crate::dom::now()) {
        let offset = (state.now - device_now).num_milliseconds();
        CLOCK_OFFSET_MS.with(|cell| cell.set(offset));
    }
    match result {
        Ok(state) if state.signed_in.is_some() => Screen::Day(state),
        Ok(state) => Screen::SignIn(state),
        Err(ClientError::Api(err)) if err.status == 401 => Screen::Pair,
        Err(err) => Screen::Failed(err),
    }
}

#[function_component]
pub fn KioskPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("kiosk.title"));
    let state = use_state(|| Screen::Loading);
    let generation = use_state(|| 0u32);
    {
        let state = state.clone();
        use_effect_with(*generation, move |_| {
            spawn_local(async move { state.set(screen().await) });
        });
    }
    let reload = {
        let generation = generation.clone();
        Callback::from(move |_: ()| generation.set(*generation + 1))
    };
    let body = match &*state {
        Screen::Loading => loading(&i18n),
        Screen::Failed(err) => error_alert(&i18n, "kiosk-error", Some(err), None),
        Screen::Pair => html! { <PairForm on_paired={reload.clone()} /> },
        Screen::SignIn(kiosk) => {
            html! { <SignIn kiosk={kiosk.clone()} on_signed_in={reload.clone()} /> }
        }
        Screen::Day(kiosk) => {
            html! { <Day kiosk={kiosk.clone()} on_signed_out={reload.clone()} /> }
        }
    };
    html! { <div class="kiosk">{ body }</div> }
}

#[derive(Properties, PartialEq)]
struct PairProps {
    on_paired: Callback<()>,
}

/// The first screen of a new tablet: the administrator's code and a name for the tablet.
#[function_component]
fn PairForm(props: &PairProps) -> Html {
    let i18n = use_i18n();
    let code = use_state(String::new);
    let name = use_state(|| i18n.t("kiosk.default_name").to_owned());
    let failed = use_state(|| None::<ClientError>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (code, name, failed, busy, on_paired) = (
            code.clone(),
            name.clone(),
            failed.clone(),
            busy.clone(),
            props.on_paired.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            let body = KioskPair {
                code: (*code).clone(),
                name: (*name).clone(),
            };
            let (failed, busy, on_paired) = (failed.clone(), busy.clone(), on_paired.clone());
            spawn_local(async move {
                let result = api::kiosk_pair(&body).await;
                busy.set(false);
                match result {
                    Ok(_) => on_paired.emit(()),
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    let set = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |value: String| state.set(value))
    };
    html! {
        <section class="kiosk__panel" aria-labelledby="kiosk-pair-heading">
            <h1 id="kiosk-pair-heading">{ i18n.t("kiosk.pair_title") }</h1>
            <p>{ i18n.t("kiosk.pair_intro") }</p>
            <form class="form" novalidate=true {onsubmit}>
                { TextField::new("kiosk-code", i18n.t("kiosk.code"), (*code).clone(), set(&code), "off")
                    .hint(i18n.t("kiosk.code_hint")) }
                { TextField::new("kiosk-name", i18n.t("kiosk.name"), (*name).clone(), set(&name), "off") }
                { error_alert(&i18n, "kiosk-pair-error", failed.as_ref(), None) }
                <button type="submit" class="button button--primary kiosk__button" disabled={*busy}>
                    { i18n.t("kiosk.pair") }
                </button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SignInProps {
    kiosk: KioskState,
    on_signed_in: Callback<()>,
}

/// The unit's staff as big buttons, then the chosen one's PIN.
#[function_component]
fn SignIn(props: &SignInProps) -> Html {
    let i18n = use_i18n();
    let chosen = use_state(|| None::<(Uuid, String)>);
    let pin = use_state(String::new);
    let failed = use_state(|| None::<ClientError>);
    let busy = use_state(|| false);
    let kiosk = &props.kiosk;
    let Some((person_id, label)) = (*chosen).clone() else {
        return html! {
            <section class="kiosk__panel" aria-labelledby="kiosk-sign-in-heading">
                <p class="kiosk__unit">{ kiosk.unit_name.clone() }</p>
                <h1 id="kiosk-sign-in-heading">{ i18n.t("kiosk.who") }</h1>
                <ul class="kiosk__staff" role="list">
                    { for kiosk.staff.iter().map(|s| {
                        let chosen = chosen.clone();
                        let pick = (s.person_id, s.label.clone());
                        html! {
                            <li key={s.person_id.to_string()}>
                                <button type="button" class="button button--secondary kiosk__button"
                                    id={format!("kiosk-staff-{}", s.person_id)}
                                    onclick={Callback::from(move |_: MouseEvent| chosen.set(Some(pick.clone())))}>
                                    { s.label.clone() }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            </section>
        };
    };
    let onsubmit = {
        let (pin, failed, busy, on_signed_in) = (
            pin.clone(),
            failed.clone(),
            busy.clone(),
            props.on_signed_in.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            let body = KioskSignIn {
                person_id,
                pin: (*pin).clone(),
            };
            let (pin, failed, busy, on_signed_in) = (
                pin.clone(),
                failed.clone(),
                busy.clone(),
                on_signed_in.clone(),
            );
            spawn_local(async move {
                let result = api::kiosk_sign_in(&body).await;
                busy.set(false);
                pin.set(String::new());
                match result {
                    Ok(()) => on_signed_in.emit(()),
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    let back = {
        let (chosen, failed) = (chosen.clone(), failed.clone());
        Callback::from(move |_: MouseEvent| {
            failed.set(None);
            chosen.set(None);
        })
    };
    let oninput = {
        let pin = pin.clone();
        Callback::from(move |value: String| pin.set(value))
    };
    html! {
        <section class="kiosk__panel" aria-labelledby="kiosk-pin-heading">
            <p class="kiosk__unit">{ kiosk.unit_name.clone() }</p>
            <h1 id="kiosk-pin-heading">{ i18n.tf("kiosk.pin_title", &[("name", &label)]) }</h1>
            <form class="form" novalidate=true {onsubmit}>
                { TextField::new("kiosk-pin", i18n.t("kiosk.pin"), (*pin).clone(), oninput, "off")
                    .input_type("password")
                    .inputmode("numeric") }
                { error_alert(&i18n, "kiosk-sign-in-error", failed.as_ref(), None) }
                <div class="kiosk__actions">
                    <button type="submit" class="button button--primary kiosk__button" disabled={*busy}>
                        { i18n.t("kiosk.sign_in") }
                    </button>
                    <button type="button" class="button button--secondary kiosk__button" onclick={back}>
                        { i18n.t("kiosk.back") }
                    </button>
                </div>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DayProps {
    kiosk: KioskState,
    on_signed_out: Callback<()>,
}

/// What a tile says of a child: planned times, then where the day stands.
fn child_status(i18n: &I18n, child: &KioskChild, waiting: bool) -> String {
    if waiting {
        return i18n.t("kiosk.waiting").to_owned();
    }
    match (child.checked_in_at, child.checked_out_at) {
        (Some(_), Some(out)) => match &child.collected_by {
            Some(who) => i18n.tf("kiosk.collected", &[("time", &clock(out)), ("name", who)]),
            None => i18n.tf("kiosk.left", &[("time", &clock(out))]),
        },
        (Some(came), None) => i18n.tf("kiosk.here", &[("time", &clock(came))]),
        _ => i18n.t("kiosk.not_here").to_owned(),
    }
}

/// The day: the children as tiles, check-in on a tap, check-out with who collects.
#[function_component]
fn Day(props: &DayProps) -> Html {
    let i18n = use_i18n();
    let unit = props.kiosk.unit_id;
    let day = use_state(|| None::<Result<KioskDay, ClientError>>);
    let generation = use_state(|| 0u32);
    let waiting = use_state(|| {
        outbox()
            .iter()
            .filter_map(Queued::child)
            .collect::<Vec<_>>()
    });
    let collecting = use_state(|| None::<KioskChild>);
    let told = use_state(|| None::<String>);
    let last_touch = use_mut_ref(crate::dom::now);
    // Whether a day has been shown: without a network the tablet keeps showing it (with the
    // waiting taps marked) rather than an error.
    let shown = use_mut_ref(|| false);
    {
        let (day, shown) = (day.clone(), shown.clone());
        let on_signed_out = props.on_signed_out.clone();
        use_effect_with(*generation, move |_| {
            spawn_local(async move {
                match api::kiosk_day(unit).await {
                    Err(ClientError::Api(err)) if err.status == 401 => on_signed_out.emit(()),
                    Err(ClientError::Network) if *shown.borrow() => {}
                    result => {
                        *shown.borrow_mut() = result.is_ok();
                        day.set(Some(result));
                    }
                }
            });
        });
    }
    // Queued taps go when the network is back, and every ten seconds; the idle staff member is
    // signed out. Both for as long as the day is shown.
    {
        let (generation, waiting, on_signed_out, last_touch) = (
            generation.clone(),
            waiting.clone(),
            props.on_signed_out.clone(),
            last_touch.clone(),
        );
        let idle = i64::from(props.kiosk.idle_seconds);
        use_effect_with((), move |_| {
            let alive = Rc::new(Cell::new(true));
            let running = alive.clone();
            spawn_local(async move {
                while running.get() {
                    yew::platform::time::sleep(std::time::Duration::from_secs(2)).await;
                    if !running.get() {
                        break;
                    }
                    let idle_for = match (crate::dom::now(), *last_touch.borrow()) {
                        (Some(now), Some(touched)) => (now - touched).num_seconds(),
                        _ => 0,
                    };
                    if idle_for >= idle {
                        let _ = api::kiosk_sign_out().await;
                        on_signed_out.emit(());
                        break;
                    }
                    if crate::dom::is_online() && flush().await {
                        waiting.set(outbox().iter().filter_map(Queued::child).collect());
                        generation.set(*generation + 1);
                    }
                }
            });
            move || alive.set(false)
        });
    }
    // The question takes the focus when it opens, as a dialog does.
    {
        let open = collecting.is_some();
        use_effect_with(open, move |open| {
            if *open {
                crate::dom::focus("kiosk-collect-heading");
            }
        });
    }
    let touched = {
        let last_touch = last_touch.clone();
        Callback::from(move |_: PointerEvent| *last_touch.borrow_mut() = crate::dom::now())
    };
    let keyed = {
        let last_touch = last_touch.clone();
        Callback::from(move |_: KeyboardEvent| *last_touch.borrow_mut() = crate::dom::now())
    };
    // One tap: sent at once, or kept with its time when the network is down.
    let tap = {
        let (generation, waiting, told) = (generation.clone(), waiting.clone(), told.clone());
        Callback::from(move |queued: Queued| {
            let (generation, waiting, told) = (generation.clone(), waiting.clone(), told.clone());
            spawn_local(async move {
                match send(&queued).await {
                    Ok(()) => told.set(None),
                    Err(ClientError::Network) => {
                        let mut queue = outbox();
                        queue.push(queued);
                        save_outbox(&queue);
                        told.set(Some(i18n.t("kiosk.offline_kept").to_owned()));
                    }
                    Err(err) => told.set(Some(crate::components::error_text(&i18n, &err))),
                }
                waiting.set(outbox().iter().filter_map(Queued::child).collect());
                generation.set(*generation + 1);
            });
        })
    };
    let sign_out = {
        let on_signed_out = props.on_signed_out.clone();
        Callback::from(move |_: MouseEvent| {
            let on_signed_out = on_signed_out.clone();
            spawn_local(async move {
                let _ = api::kiosk_sign_out().await;
                on_signed_out.emit(());
            });
        })
    };
    let tiles = match &*day {
        None => loading(&i18n),
        Some(Err(err)) => error_alert(&i18n, "kiosk-day-error", Some(err), None),
        Some(Ok(day)) if day.children.is_empty() => {
            html! { <p class="empty-state">{ i18n.t("kiosk.no_children") }</p> }
        }
        Some(Ok(day)) => html! {
            <ul class="kiosk__children" role="list">
                { for day.children.iter().map(|child| {
                    let is_waiting = waiting.contains(&child.child_id);
                    let here = child.checked_in_at.is_some() && child.checked_out_at.is_none();
                    let onclick = {
                        let (tap, collecting, child) = (tap.clone(), collecting.clone(), child.clone());
                        Callback::from(move |_: MouseEvent| {
                            if here {
                                collecting.set(Some(child.clone()));
                            } else {
                                tap.emit(Queued {
                                    unit,
                                    check_in: Some(KioskCheckIn {
                                        event_id: random_id(),
                                        child_id: child.child_id,
                                        at: tap_time(),
                                    }),
                                    check_out: None,
                                });
                            }
                        })
                    };
                    let planned = match (&child.planned_drop_off, &child.planned_pick_up) {
                        (Some(from), Some(to)) => i18n.tf("kiosk.planned", &[("from", from), ("to", to)]),
                        _ => i18n.t("kiosk.no_plan").to_owned(),
                    };
                    let state_class = if is_waiting {
                        "kiosk-child--waiting"
                    } else if here {
                        "kiosk-child--here"
                    } else if child.checked_out_at.is_some() {
                        "kiosk-child--left"
                    } else {
                        "kiosk-child--expected"
                    };
                    html! {
                        <li key={child.child_id.to_string()}>
                            <button type="button" id={format!("kiosk-child-{}", child.child_id)}
                                class={classes!("kiosk-child", state_class)}
                                disabled={is_waiting || child.checked_out_at.is_some()} {onclick}>
                                <span class="kiosk-child__name">{ child.label.clone() }</span>
                                <span class="kiosk-child__planned">{ planned }</span>
                                <span class="kiosk-child__state">{ child_status(&i18n, child, is_waiting) }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        },
    };
    let dialog = (*collecting).clone().map(|child| {
        let cancel = {
            let collecting = collecting.clone();
            Callback::from(move |_: MouseEvent| collecting.set(None))
        };
        html! {
            <div class="kiosk__dialog" role="dialog" aria-modal="true" aria-labelledby="kiosk-collect-heading">
                <h2 id="kiosk-collect-heading" tabindex="-1">{ i18n.tf("kiosk.who_collects", &[("name", &child.label)]) }</h2>
                <ul class="kiosk__collectors" role="list">
                    { for child.collectors.iter().map(|who| {
                        let (tap, collecting, who_id, kind) =
                            (tap.clone(), collecting.clone(), who.id, who.kind);
                        let child_id = child.child_id;
                        let onclick = Callback::from(move |_: MouseEvent| {
                            collecting.set(None);
                            tap.emit(Queued {
                                unit,
                                check_in: None,
                                check_out: Some(KioskCheckOut {
                                    event_id: random_id(),
                                    child_id,
                                    at: tap_time(),
                                    collector_kind: kind,
                                    collector_id: who_id,
                                }),
                            });
                        });
                        let role = i18n.t(match kind {
                            CollectorKind::Guardian => "kiosk.guardian",
                            CollectorKind::PickupPerson => "kiosk.pickup_person",
                        });
                        html! {
                            <li key={who.id.to_string()}>
                                <button type="button" class="button button--secondary kiosk__button"
                                    id={format!("kiosk-collector-{}", who.id)} {onclick}>
                                    { who.name.clone() }<span class="kiosk__role">{ role }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
                <button type="button" class="button button--secondary kiosk__button" id="kiosk-collect-cancel"
                    onclick={cancel}>{ i18n.t("common.cancel") }</button>
            </div>
        }
    });
    let told_text = (*told).clone();
    html! {
        <section class="kiosk__day" aria-labelledby="kiosk-day-heading" onpointerdown={touched} onkeydown={keyed}>
            <div class="kiosk__bar">
                <h1 id="kiosk-day-heading">{ props.kiosk.unit_name.clone() }</h1>
                <p class="kiosk__signed-in">{ i18n.tf("kiosk.signed_in", &[
                    ("name", props.kiosk.signed_in.as_deref().unwrap_or_default()),
                ]) }</p>
                <button type="button" class="button button--secondary kiosk__button" id="kiosk-sign-out"
                    onclick={sign_out}>{ i18n.t("kiosk.sign_out") }</button>
            </div>
            { status_message(STATUS_ID, told_text.as_deref()) }
            { tiles }
            { dialog.unwrap_or_default() }
        </section>
    }
}
