//! `/notiser` ("Notiser"): a guardian's notices of a child's unexcused absence, told the same
//! day (skollagen 7 kap. 17 §), and of leave decisions, and the channels they come by besides the app: e-mail to the
//! address in the school's register, and push to the phones and computers where the guardian
//! allowed it (this browser's subscription is made and ended here).

use skolportal_shared::api::{
    Notice, NoticeChannels, NoticeChannelsUpdate, NoticeKind, PushUnsubscribe,
};
use skolportal_shared::lang::time_range;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{badge, error_alert, loading, status_message};
use crate::dom::{self, PushProblem};
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;

const CHANNELS_STATUS: &str = "notices-channels-status";
const PUSH_STATUS: &str = "notices-push-status";

#[function_component]
pub fn NoticesPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("notices.title"));
    let list = use_state(|| None::<Result<Vec<Notice>, ClientError>>);
    let channels = use_state(|| None::<Result<NoticeChannels, ClientError>>);
    let reload = use_state(|| 0u32);
    {
        let (list, channels) = (list.clone(), channels.clone());
        use_effect_with(*reload, move |_| {
            spawn_local(async move {
                list.set(Some(api::notices().await.map(|l| l.notices)));
                channels.set(Some(api::notice_channels().await));
            });
        });
    }
    let on_read = {
        let reload = reload.clone();
        Callback::from(move |id| {
            let reload = reload.clone();
            spawn_local(async move {
                let _ = api::mark_notice_read(id).await;
                reload.set(*reload + 1);
            });
        })
    };
    let notices = match &*list {
        None => loading(&i18n),
        Some(Err(err)) => error_alert(&i18n, "notices-error", Some(err), None),
        Some(Ok(notices)) if notices.is_empty() => {
            html! { <p class="empty-state">{ i18n.t("notices.empty") }</p> }
        }
        Some(Ok(notices)) => html! {
            <ul class="card-list notices">
                { for notices.iter().map(|n| notice_html(&i18n, n, &on_read)) }
            </ul>
        },
    };
    let settings = match &*channels {
        None => Html::default(),
        Some(Err(err)) => error_alert(&i18n, "notices-channels-error", Some(err), None),
        Some(Ok(loaded)) => html! {
            <ChannelsForm channels={loaded.clone()} on_changed={
                let reload = reload.clone();
                Callback::from(move |()| reload.set(*reload + 1))
            } />
        },
    };
    html! {
        <>
            <h1>{ i18n.t("notices.title") }</h1>
            <p class="lead">{ i18n.t("notices.intro") }</p>
            <section class="section" aria-labelledby="notices-list-heading">
                <h2 id="notices-list-heading">{ i18n.t("notices.list_title") }</h2>
                { notices }
            </section>
            <section class="section" aria-labelledby="notices-channels-heading">
                <h2 id="notices-channels-heading">{ i18n.t("notices.channels_title") }</h2>
                <p>{ i18n.t("notices.channels_intro") }</p>
                { settings }
            </section>
        </>
    }
}

fn notice_html(i18n: &I18n, notice: &Notice, on_read: &Callback<uuid::Uuid>) -> Html {
    let id = notice.id;
    let date = i18n.weekday_date(notice.date);
    let days = match notice.until.filter(|until| *until != notice.date) {
        Some(until) => format!("{date} – {}", i18n.weekday_date(until)),
        None => date.clone(),
    };
    let key = match notice.kind {
        NoticeKind::UnexcusedAbsence => "notices.unexcused",
        NoticeKind::LeaveGranted => "notices.leave_granted",
        NoticeKind::LeaveRefused => "notices.leave_refused",
        NoticeKind::ConsentReminder => "notices.consent_reminder",
        NoticeKind::TalkReminder => "notices.talk_reminder",
    };
    let title = i18n.tf(
        key,
        &[
            ("name", &notice.child_given_name),
            ("date", &date),
            ("days", &days),
        ],
    );
    let onclick = {
        let on_read = on_read.clone();
        Callback::from(move |_: MouseEvent| on_read.emit(id))
    };
    html! {
        <li class={classes!("card", "notice", (!notice.read).then_some("notice--unread"))} key={id.to_string()}>
            <h3 class="card__title">
                if !notice.read {
                    { badge("status-badge--awaiting", i18n.t("notices.new")) }{ " " }
                }
                { title.clone() }
            </h3>
            <ul class="notice__lessons">
                { for notice.lessons.iter().map(|l| html! {
                    <li>{ format!("{} {}", i18n.t(&format!("timetable.activity.{}", l.activity.code())), time_range(&l.starts_at, &l.ends_at)) }</li>
                }) }
            </ul>
            if notice.emailed {
                <p class="hint">{ i18n.t("notices.emailed") }</p>
            }
            if !notice.read {
                <div class="actions">
                    <button type="button" class="button button--secondary" aria-label={format!("{}: {title}", i18n.t("notices.mark_read"))} {onclick}>
                        { i18n.t("notices.mark_read") }
                    </button>
                </div>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct ChannelsProps {
    channels: NoticeChannels,
    on_changed: Callback<()>,
}

/// What this browser's push subscription is, as far as the page knows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ThisDevice {
    Unknown,
    Subscribed,
    NotSubscribed,
    Problem(PushProblem),
}

#[function_component]
fn ChannelsForm(props: &ChannelsProps) -> Html {
    let i18n = use_i18n();
    let by_email = use_state(|| props.channels.by_email);
    let by_push = use_state(|| props.channels.by_push);
    let language = use_state(|| props.channels.language.clone());
    let saved = use_state(|| None::<Result<(), ClientError>>);
    let device = use_state(|| ThisDevice::Unknown);
    let push_said = use_state(|| None::<String>);
    {
        let device = device.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                device.set(if dom::push_endpoint().await.is_some() {
                    ThisDevice::Subscribed
                } else {
                    ThisDevice::NotSubscribed
                });
            });
        });
    }
    let onsubmit = {
        let (by_email, by_push, language, saved) = (
            by_email.clone(),
            by_push.clone(),
            language.clone(),
            saved.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = NoticeChannelsUpdate {
                by_email: *by_email,
                by_push: *by_push,
                language: Some((*language).clone()),
            };
            let saved = saved.clone();
            spawn_local(async move {
                saved.set(Some(api::choose_notice_channels(&body).await.map(|_| ())));
            });
        })
    };
    let toggle_push = {
        let (device, push_said, key, on_changed) = (
            device.clone(),
            push_said.clone(),
            props.channels.push_public_key.clone(),
            props.on_changed.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (device, push_said, key, on_changed, i18n) = (
                device.clone(),
                push_said.clone(),
                key.clone(),
                on_changed.clone(),
                i18n,
            );
            let subscribed = *device == ThisDevice::Subscribed;
            spawn_local(async move {
                if subscribed {
                    if let Some(endpoint) = dom::push_unsubscribe().await {
                        let _ = api::unsubscribe_push(&PushUnsubscribe { endpoint }).await;
                    }
                    device.set(ThisDevice::NotSubscribed);
                    push_said.set(Some(i18n.t("notices.push_disabled").to_owned()));
                } else {
                    match dom::push_subscribe(&key).await {
                        Ok(subscription) => match api::subscribe_push(&subscription).await {
                            Ok(()) => {
                                device.set(ThisDevice::Subscribed);
                                push_said.set(Some(i18n.t("notices.push_enabled").to_owned()));
                            }
                            Err(err) => {
                                push_said.set(Some(crate::components::error_text(&i18n, &err)));
                            }
                        },
                        Err(problem) => device.set(ThisDevice::Problem(problem)),
                    }
                }
                on_changed.emit(());
            });
        })
    };
    let email_id = "notices-by-email";
    let push_id = "notices-by-push";
    let address = props.channels.email_address.clone();
    let device_text = match *device {
        ThisDevice::Problem(PushProblem::Unsupported) => Some(i18n.t("notices.push_unsupported")),
        ThisDevice::Problem(PushProblem::Denied) => Some(i18n.t("notices.push_denied")),
        ThisDevice::Problem(PushProblem::Failed) => Some(i18n.t("error.invalid_push_subscription")),
        ThisDevice::Subscribed => Some(i18n.t("notices.push_enabled")),
        ThisDevice::NotSubscribed => Some(i18n.t("notices.push_disabled")),
        ThisDevice::Unknown => None,
    };
    html! {
        <>
            <form class="form" novalidate=true {onsubmit}>
                <fieldset class="field checkbox-group">
                    <legend class="field__label">{ i18n.t("extract.notice_channels") }</legend>
                    <div class="checkbox">
                        <input class="checkbox__input" type="checkbox" id={email_id}
                            checked={*by_email} disabled={address.is_none()}
                            aria-describedby={address.is_none().then_some("notices-no-email")}
                            onchange={let by_email = by_email.clone(); Callback::from(move |_: Event| by_email.set(!*by_email))} />
                        <label class="checkbox__label" for={email_id}>
                            { i18n.tf("notices.by_email", &[("address", address.as_deref().unwrap_or("–"))]) }
                        </label>
                    </div>
                    if address.is_none() {
                        <p id="notices-no-email" class="hint">{ i18n.t("notices.no_email") }</p>
                    }
                    <div class="checkbox">
                        <input class="checkbox__input" type="checkbox" id={push_id}
                            checked={*by_push}
                            onchange={let by_push = by_push.clone(); Callback::from(move |_: Event| by_push.set(!*by_push))} />
                        <label class="checkbox__label" for={push_id}>{ i18n.t("notices.by_push") }</label>
                    </div>
                </fieldset>
                if props.channels.languages.len() > 1 {
                    <div class="field">
                        <label class="field__label" for="notices-language">{ i18n.t("notices.language") }</label>
                        <select class="field__input" id="notices-language"
                            onchange={let language = language.clone(); Callback::from(move |e: Event| {
                                language.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value());
                            })}>
                            { for props.channels.languages.iter().filter_map(|code| crate::i18n::Lang::from_code(code)).map(|lang| html! {
                                <option value={lang.code()} lang={lang.code()} selected={*language == lang.code()}>
                                    { crate::components::language_switch::native_name(lang) }
                                </option>
                            }) }
                        </select>
                    </div>
                }
                <div class="actions">
                    <button type="submit" id="notices-save" class="button button--primary">{ i18n.t("notices.save") }</button>
                </div>
                if let Some(Err(err)) = &*saved {
                    { error_alert(&i18n, "notices-save-error", Some(err), None) }
                }
                { status_message(CHANNELS_STATUS, matches!(&*saved, Some(Ok(()))).then(|| i18n.t("notices.saved"))) }
            </form>
            <h3>{ i18n.t("notices.this_device") }</h3>
            <p>{ i18n.tf("notices.push_devices", &[("count", &props.channels.push_devices.to_string())]) }</p>
            if let Some(text) = device_text {
                <p class="hint">{ text }</p>
            }
            if !matches!(*device, ThisDevice::Problem(PushProblem::Unsupported) | ThisDevice::Unknown) {
                <div class="actions">
                    <button type="button" id="notices-push-toggle" class="button button--secondary" onclick={toggle_push}>
                        { i18n.t(if *device == ThisDevice::Subscribed { "notices.push_disable" } else { "notices.push_enable" }) }
                    </button>
                </div>
            }
            { status_message(PUSH_STATUS, (*push_said).as_deref()) }
        </>
    }
}
