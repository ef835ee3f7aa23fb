use std::rc::Rc;

use skolportal_shared::api::{
    AbsenceReportStatus, AccessAction, AccessEntry, AuthMethod, ExtractAbsenceReport,
    ExtractAccount, ExtractApplication, ExtractAttendance, ExtractChild, ExtractDocument,
    ExtractFailedLogin, ExtractOffer, ExtractPerson, ExtractPickupPerson, ExtractPlacement,
    ExtractScheduleDay, ExtractSession, RegisterExtract, SessionEnd,
};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{
    address_lines, cell, data_table, document_kind_text, document_status_text, error_alert, fact,
    loading, relation_text, role_text, roles_text, school_year_text, time_html, unit_kind_text,
};
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;
use crate::pages::corrections::Corrections;

enum State {
    Loading,
    Loaded(Rc<RegisterExtract>),
    Failed(ClientError),
}

/// `/uppgifter` ("Mina uppgifter"): the register extract (registerutdrag, GDPR art. 15) — what the
/// portal stores about the person and their children, and who has read it — with a download of
/// the same extract as a JSON file.
#[function_component]
pub fn RegisterExtractPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("extract.title"));
    let state = use_state(|| State::Loading);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                match api::register_extract().await {
                    Ok(extract) => state.set(State::Loaded(Rc::new(extract))),
                    Err(err) => state.set(State::Failed(err)),
                }
            });
        });
    }
    let body = match &*state {
        State::Loading => loading(&i18n),
        State::Failed(error) if error.is_unauthenticated() => loading(&i18n),
        State::Failed(error) => error_alert(&i18n, "extract-error", Some(error), None),
        State::Loaded(extract) => extract_html(&i18n, extract),
    };
    html! {
        <div class="page extract">
            <h1>{ i18n.t("extract.title") }</h1>
            <p class="lead">{ i18n.t("extract.intro") }</p>
            { body }
        </div>
    }
}

/// How many sessions the page lists; the download has them all.
const SESSIONS_SHOWN: usize = 10;

fn extract_html(i18n: &I18n, extract: &Rc<RegisterExtract>) -> Html {
    html! {
        <>
            <p class="hint">
                { i18n.t("extract.generated_at") }{ " " }{ time_html(i18n, extract.generated_at) }
            </p>
            <p class="extract__download">
                <button type="button" id="extract-print" class="button button--secondary" onclick={Callback::from(|_| print_everything())}>
                    { i18n.t("extract.print") }
                </button>
                <a class="button button--secondary" href={api::EXTRACT_DOWNLOAD} download="">
                    { i18n.t("extract.download") }
                </a>
            </p>
            <p class="hint">{ i18n.t("extract.download_hint") }</p>

            <section class="section" aria-labelledby="extract-person-heading">
                <h2 id="extract-person-heading">{ i18n.t("extract.person_heading") }</h2>
                <div class="card">
                    <dl class="facts">
                        { person_facts(i18n, &extract.person) }
                        { fact(i18n.t("extract.roles"), html! { { roles_text(i18n, &extract.roles) } }) }
                    </dl>
                </div>
            </section>

            <section class="section" aria-labelledby="extract-account-heading">
                <h2 id="extract-account-heading">{ i18n.t("extract.account_heading") }</h2>
                { account_html(i18n, extract.account.as_ref()) }
                <h3 id="extract-sessions-heading">{ i18n.t("extract.sessions_heading") }</h3>
                { sessions_html(i18n, &extract.sessions) }
                <h3 id="extract-failed-heading">{ i18n.t("extract.failed_logins_heading") }</h3>
                { failed_logins_html(i18n, &extract.failed_logins) }
                if extract.kiosk.pin_set_at.is_some() || !extract.kiosk.sessions.is_empty() {
                    <h3 id="extract-kiosk-heading">{ i18n.t("extract.kiosk_heading") }</h3>
                    { kiosk_html(i18n, &extract.kiosk) }
                }
            </section>

            if !extract.documents.is_empty() {
                <section class="section" aria-labelledby="extract-documents-heading">
                    <h2 id="extract-documents-heading">{ i18n.t("extract.documents_heading") }</h2>
                    { documents_html(i18n, "extract-documents-heading", &extract.documents) }
                </section>
            }

            { for extract.children.iter().map(|child| child_html(i18n, child)) }

            { duties_html(i18n, &extract.duties) }

            if !extract.source_records.is_empty() {
                <section class="section" aria-labelledby="extract-source-heading">
                    <h2 id="extract-source-heading">{ i18n.t("extract.source_heading") }</h2>
                    <p>{ i18n.t("extract.source_intro") }</p>
                    { source_records_html(i18n, "extract-source-heading", &extract.source_records) }
                </section>
            }

            { notices_html(i18n, &extract.notices) }

            { timetable_html(i18n, &extract.timetable) }

            <Corrections extract={extract.clone()} />

            <section class="section" aria-labelledby="extract-own-log-heading">
                <h2 id="extract-own-log-heading">{ i18n.t("extract.own_log_heading") }</h2>
                <p>{ i18n.t("extract.own_log_intro") }</p>
                { access_log_table(i18n, "extract-own-log-heading", &extract.access_log, true) }
            </section>
        </>
    }
}

/// Name, personnummer, birth date and contact details: for the person and for each child.
fn person_facts(i18n: &I18n, person: &ExtractPerson) -> Html {
    let missing = || html! { <>{ i18n.t("common.not_registered") }</> };
    html! {
        <>
            { fact(i18n.t("extract.name"), html! { { format!("{} {}", person.given_name, person.family_name) } }) }
            { fact(i18n.t("extract.personnummer"), html! { { personnummer_text(&person.personnummer) } }) }
            { fact(i18n.t("child.birth_date"), html! { { i18n.date(person.birth_date) } }) }
            { fact(i18n.t("child.address"), html! { { person.address.as_ref().map_or_else(missing, address_lines) } }) }
            { fact(i18n.t("extract.email"), html! { { person.email.as_ref().map_or_else(missing, |email| html! {
                    <span class="break">{ email.clone() }</span>
                }) } }) }
            { fact(i18n.t("child.phone"), html! { { person.phone.as_ref().map_or_else(missing, |phone| html! { { phone.clone() } }) } }) }
            if let Some(email) = &person.school_email {
                { fact(i18n.t("child.school_email"), html! { <span class="break">{ email.clone() }</span> }) }
            }
        </>
    }
}

fn account_html(i18n: &I18n, account: Option<&ExtractAccount>) -> Html {
    let Some(account) = account else {
        return html! { <p>{ i18n.t("extract.no_account") }</p> };
    };
    let never = || html! { <>{ i18n.t("extract.never") }</> };
    html! {
        <div class="card">
            <dl class="facts">
                { fact(i18n.t("extract.username"), html! { <span class="break">{ account.username.clone() }</span> }) }
                { fact(i18n.t("extract.account_created"), html! { { time_html(i18n, account.created_at) } }) }
                { fact(i18n.t("extract.last_login"), html! { { account.last_login_at.map_or_else(never, |at| time_html(i18n, at)) } }) }
                { fact(i18n.t("extract.password_changed"), html! { { account.password_changed_at.map_or_else(never, |at| time_html(i18n, at)) } }) }
                { fact(i18n.t("extract.one_time_codes"), html! { { i18n.t(if account.one_time_codes { "common.yes" } else { "common.no" }) } }) }
                { fact(i18n.t("extract.recovery_codes"), html! { { account.unused_recovery_codes.to_string() } }) }
                { fact(i18n.t("extract.trusted_browsers"), html! {
                    if account.trusted_browsers.is_empty() {
                        { i18n.t("extract.no_trusted_browsers") }
                    } else {
                        <ul class="plain-list">
                            { for account.trusted_browsers.iter().map(|b| html! {
                                <li>{ i18n.tf("extract.trusted_browser", &[
                                    ("since", &i18n.date_time(b.created_at)),
                                    ("last", &i18n.date_time(b.last_used_at)),
                                    ("until", &i18n.date_time(b.expires_at)),
                                ]) }</li>
                            }) }
                        </ul>
                    }
                }) }
            </dl>
        </div>
    }
}

fn sessions_html(i18n: &I18n, sessions: &[ExtractSession]) -> Html {
    if sessions.is_empty() {
        return html! { <p class="empty-state">{ i18n.t("extract.no_sessions") }</p> };
    }
    let (started, seen, ended, method) = (
        i18n.t("extract.session_started"),
        i18n.t("extract.session_last_seen"),
        i18n.t("extract.session_ended"),
        i18n.t("extract.session_method"),
    );
    let hidden = sessions.len().saturating_sub(SESSIONS_SHOWN);
    let rows = html! {
        { for sessions.iter().take(SESSIONS_SHOWN).map(|session| html! {
            <tr class="data-table__row session-entry" role="row">
                { cell(started, time_html(i18n, session.created_at)) }
                { cell(seen, time_html(i18n, session.last_seen_at)) }
                { cell(ended, match (session.ended_at, session.end) {
                    (Some(at), Some(SessionEnd::TimedOut)) => html! { <>{ i18n.tf("extract.session_timed_out", &[("time", &i18n.date_time(at))]) }</> },
                    (Some(at), _) => time_html(i18n, at),
                    (None, _) => html! { <>{ i18n.t("extract.session_not_ended") }</> },
                }) }
                { cell(method, html! { { match session.auth_method {
                    AuthMethod::Password => i18n.t("extract.method_password"),
                    AuthMethod::Bankid => i18n.t("extract.method_bankid"),
                } } }) }
            </tr>
        }) }
    };
    html! {
        <>
            { data_table(
                "extract-sessions-heading",
                "sessions",
                &[started, seen, ended, method],
                rows,
            ) }
            if hidden > 0 {
                <p class="hint">{ i18n.tn("extract.sessions_more", hidden as u64, &[]) }</p>
            }
        </>
    }
}

fn failed_logins_html(i18n: &I18n, failed: &[ExtractFailedLogin]) -> Html {
    if failed.is_empty() {
        return html! { <p class="empty-state">{ i18n.t("extract.no_failed_logins") }</p> };
    }
    html! {
        <ul class="plain-list failed-logins">
            { for failed.iter().map(|f| html! {
                <li>
                    { time_html(i18n, f.attempted_at) }
                    if f.from_trusted_browser {
                        { " – " }{ i18n.t("extract.from_trusted_browser") }
                    }
                </li>
            }) }
        </ul>
    }
}

/// Documents with their status, signatures and, folded, the text that was signed.
fn documents_html(i18n: &I18n, labelledby: &str, documents: &[ExtractDocument]) -> Html {
    html! {
        <ul class="item-list extract-documents" aria-labelledby={labelledby.to_owned()}>
            { for documents.iter().map(|d| html! {
                <li class="item-list__item extract-document" key={d.id.to_string()}>
                    <span class="item-list__name">{ document_kind_text(i18n, d.kind) }</span>
                    <span class="item-list__detail">
                        { document_status_text(i18n, d.status) }{ " · " }{ time_html(i18n, d.created_at) }{ " · " }{ d.owner_name.clone() }
                    </span>
                    if let Some(income) = &d.income {
                        <span class="item-list__detail extract-income">{ match income.gross_monthly_income {
                            Some(kronor) if !income.max_fee_accepted => i18n.tf("extract.income", &[
                                ("kronor", &kronor.to_string()),
                                ("from", &i18n.date(income.valid_from)),
                            ]),
                            _ => i18n.tf("extract.income_max_fee", &[("from", &i18n.date(income.valid_from))]),
                        } }</span>
                    }
                    { for d.signatures.iter().map(|s| html! {
                        <span class="item-list__detail">{ i18n.tf("extract.signed_by", &[
                            ("name", &s.signer_name),
                            ("time", &i18n.date_time(s.signed_at)),
                        ]) }</span>
                    }) }
                    <details class="extract-document__text">
                        <summary>{ i18n.t("extract.document_text") }</summary>
                        <pre class="document-text" lang="sv" dir="ltr">{ d.text.clone() }</pre>
                    </details>
                </li>
            }) }
        </ul>
    }
}

fn applications_html(i18n: &I18n, labelledby: &str, applications: &[ExtractApplication]) -> Html {
    html! {
        <ul class="item-list" aria-labelledby={labelledby.to_owned()}>
            { for applications.iter().map(|a| html! {
                <li class="item-list__item extract-application">
                    <span class="item-list__name">{ a.units.join(", ") }</span>
                    <span class="item-list__detail">{ i18n.tf("extract.application_detail", &[
                        ("applied", &i18n.date(a.applied_on)),
                        ("start", &i18n.date(a.wished_start)),
                        ("hours", &a.hours_per_week.to_string()),
                        ("by", &a.applicant_name),
                    ]) }</span>
                    <span class="item-list__detail">{ crate::pages::childcare_apply::status_badge(i18n, a.status) }</span>
                </li>
            }) }
        </ul>
    }
}

fn offers_html(i18n: &I18n, labelledby: &str, offers: &[ExtractOffer]) -> Html {
    html! {
        <ul class="item-list" aria-labelledby={labelledby.to_owned()}>
            { for offers.iter().map(|o| html! {
                <li class="item-list__item extract-offer">
                    <span class="item-list__name">{ o.unit.clone() }</span>
                    <span class="item-list__detail">{ i18n.tf("extract.offer_detail", &[
                        ("start", &i18n.date(o.start_date)),
                        ("hours", &o.hours_per_week.to_string()),
                        ("deadline", &i18n.date_time(o.answer_deadline)),
                    ]) }</span>
                    <span class="item-list__detail">{ crate::pages::officer::offer_status(i18n, o.status) }</span>
                </li>
            }) }
        </ul>
    }
}

fn presence_html(
    i18n: &I18n,
    labelledby: &str,
    stays: &[skolportal_shared::api::ExtractPresence],
) -> Html {
    let (date, came, left) = (
        i18n.t("extract.schedule_date"),
        i18n.t("extract.presence_in"),
        i18n.t("extract.presence_out"),
    );
    let rows = html! {
        { for stays.iter().map(|s| html! {
            <tr class="data-table__row extract-presence" role="row">
                { cell(date, html! { { i18n.date(s.date) } }) }
                { cell(came, html! { { i18n.tf("extract.presence_by", &[
                    ("time", &i18n.date_time(s.checked_in_at)),
                    ("name", &s.checked_in_by),
                ]) } }) }
                { cell(left, html! { { match (s.checked_out_at, &s.collected_by) {
                    (Some(at), Some(who)) => i18n.tf("extract.presence_collected", &[
                        ("time", &i18n.date_time(at)),
                        ("name", who),
                    ]),
                    (Some(at), None) => i18n.date_time(at),
                    _ => String::new(),
                } } }) }
            </tr>
        }) }
    };
    data_table(labelledby, "presence", &[date, came, left], rows)
}

fn kiosk_html(i18n: &I18n, kiosk: &skolportal_shared::api::ExtractKiosk) -> Html {
    html! {
        <>
            <p>{ match kiosk.pin_set_at {
                Some(at) => i18n.tf("extract.kiosk_pin_set", &[("time", &i18n.date_time(at))]),
                None => i18n.t("extract.none").to_owned(),
            } }</p>
            if !kiosk.sessions.is_empty() {
                <ul class="item-list" aria-labelledby="extract-kiosk-heading">
                    { for kiosk.sessions.iter().map(|s| html! {
                        <li class="item-list__item">{ i18n.tf("extract.kiosk_session", &[
                            ("device", &s.device),
                            ("time", &i18n.date_time(s.started_at)),
                        ]) }</li>
                    }) }
                </ul>
            }
        </>
    }
}

fn schedule_html(i18n: &I18n, labelledby: &str, days: &[ExtractScheduleDay]) -> Html {
    let (date, times, by) = (
        i18n.t("extract.schedule_date"),
        i18n.t("extract.schedule_times"),
        i18n.t("extract.schedule_changed_by"),
    );
    let rows = html! {
        { for days.iter().map(|d| html! {
            <tr class="data-table__row extract-schedule-day" role="row">
                { cell(date, html! { { i18n.date(d.date) } }) }
                { cell(times, html! { { match (&d.drop_off, &d.pick_up) {
                    (Some(from), Some(to)) => format!("{from}–{to}"),
                    _ => i18n.t("extract.no_care").to_owned(),
                } } }) }
                { cell(by, html! { <>{ d.changed_by.clone() }{ ", " }{ time_html(i18n, d.changed_at) }</> }) }
            </tr>
        }) }
    };
    html! {
        <details class="extract-schedule">
            <summary>{ i18n.tn("extract.schedule_days", days.len() as u64, &[]) }</summary>
            { data_table(labelledby, "schedule-days", &[date, times, by], rows) }
        </details>
    }
}

fn absence_html(i18n: &I18n, labelledby: &str, reports: &[ExtractAbsenceReport]) -> Html {
    html! {
        <ul class="item-list" aria-labelledby={labelledby.to_owned()}>
            { for reports.iter().map(|r| {
                let days = if r.first_day == r.last_day {
                    i18n.date(r.first_day)
                } else {
                    format!("{}–{}", i18n.date(r.first_day), i18n.date(r.last_day))
                };
                let hours = match (&r.starts_at, &r.ends_at) {
                    (Some(from), Some(to)) => format!(" {from}–{to}"),
                    _ => String::new(),
                };
                html! {
                    <li class="item-list__item extract-absence">
                        <span class="item-list__name">{ format!("{days}{hours}") }</span>
                        <span class="item-list__detail">
                            { i18n.t(&format!("absence.reason.{}", r.reason.code())).to_owned() }
                            if r.status == AbsenceReportStatus::Withdrawn {
                                { ", " }{ i18n.t("absence.withdrawn") }
                            }
                        </span>
                        <span class="item-list__detail">{ i18n.tf("extract.reported_by", &[
                            ("name", &r.reported_by),
                            ("time", &i18n.date_time(r.reported_at)),
                        ]) }</span>
                    </li>
                }
            }) }
        </ul>
    }
}

/// Every saved attendance mark: the lesson, the mark, and who set it when.
fn leave_html(
    i18n: &I18n,
    labelledby: &str,
    applications: &[skolportal_shared::api::ExtractLeaveApplication],
) -> Html {
    html! {
        <ul class="item-list" aria-labelledby={labelledby.to_owned()}>
            { for applications.iter().map(|a| html! {
                <li class="item-list__item">
                    <span class="item-list__name">{ format!("{}–{}", i18n.date(a.first_day), i18n.date(a.last_day)) }</span>
                    <span class="item-list__detail">
                        { i18n.t(&format!("leave.reason.{}", a.reason.code())) }{ ", " }
                        { i18n.t(&format!("leave.status.{}", a.status.code())) }
                    </span>
                    <span class="item-list__detail">{ i18n.tf("extract.reported_by", &[
                        ("name", &a.applied_by),
                        ("time", &i18n.date_time(a.applied_at)),
                    ]) }</span>
                    if !a.agreed_by.is_empty() {
                        <span class="item-list__detail">{ format!("{}: {}", i18n.t("leave.agree"), a.agreed_by.join(", ")) }</span>
                    }
                    if let Some(name) = &a.decided_by {
                        <span class="item-list__detail">{ i18n.tf("leave.decided_by", &[("name", name)]) }</span>
                    }
                </li>
            }) }
        </ul>
    }
}

fn consents_html(
    i18n: &I18n,
    labelledby: &str,
    decisions: &[skolportal_shared::api::ExtractConsentDecision],
) -> Html {
    html! {
        <ul class="item-list" aria-labelledby={labelledby.to_owned()}>
            { for decisions.iter().map(|d| html! {
                <li class="item-list__item">
                    <span class="item-list__name">{ d.consent.clone() }</span>
                    <span class="item-list__detail">{ i18n.tf(
                        &format!("consent.decision.{}", d.decision.code()),
                        &[("name", &d.decided_by), ("at", &i18n.date_time(d.decided_at))],
                    ) }</span>
                </li>
            }) }
        </ul>
    }
}

/// The notices sent to the person, the channels chosen, and the browsers that take push.
fn notices_html(i18n: &I18n, notices: &skolportal_shared::api::ExtractNotices) -> Html {
    let channels = match (notices.by_email, notices.by_push) {
        (Some(email), Some(push)) => [
            email.then(|| i18n.t("extract.channel_email")),
            push.then(|| i18n.t("extract.channel_push")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", "),
        _ => i18n.t("extract.channels_default").to_owned(),
    };
    html! {
        <section class="section" aria-labelledby="extract-notices-heading">
            <h2 id="extract-notices-heading">{ i18n.t("extract.notices") }</h2>
            <p>{ format!("{}: {channels}", i18n.t("extract.notice_channels")) }</p>
            if let Some(lang) = notices.language.as_deref().and_then(crate::i18n::Lang::from_code) {
                <p>{ format!("{}: {}", i18n.t("notices.language"), crate::components::language_switch::native_name(lang)) }</p>
            }
            if notices.received.is_empty() {
                <p class="empty-state">{ i18n.t("extract.no_notices") }</p>
            } else {
                <ul class="item-list" aria-labelledby="extract-notices-heading">
                    { for notices.received.iter().map(|n| html! {
                        <li class="item-list__item">
                            <span class="item-list__name">{ format!("{}, {}", n.child_given_name, i18n.date(n.date)) }</span>
                            <span class="item-list__detail">{ i18n.t(&format!("extract.notice_kind.{}", n.kind.code())) }</span>
                            <span class="item-list__detail">{ i18n.date_time(n.created_at) }</span>
                        </li>
                    }) }
                </ul>
            }
            if !notices.push_devices.is_empty() {
                <h3>{ i18n.t("extract.push_devices") }</h3>
                <ul class="item-list">
                    { for notices.push_devices.iter().map(|d| html! {
                        <li class="item-list__item">
                            <span class="item-list__name">{ d.push_service.clone() }</span>
                            <span class="item-list__detail">{ i18n.date_time(d.created_at) }</span>
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}

fn attendance_html(i18n: &I18n, labelledby: &str, marks: &[ExtractAttendance]) -> Html {
    html! {
        <ul class="item-list" aria-labelledby={labelledby.to_owned()}>
            { for marks.iter().map(|m| {
                let mut mark = i18n.t(&format!("attendance.mark.{}", m.mark.code())).to_owned();
                if let Some(minutes) = m.late_minutes {
                    mark = i18n.tf("attendance.late_minutes", &[("minutes", &minutes.to_string())]);
                }
                html! {
                    <li class="item-list__item extract-attendance">
                        <span class="item-list__name">{ format!("{} · {} · {}", i18n.date(m.on_date),
                            i18n.t(&format!("timetable.activity.{}", m.activity.code())), m.group_name) }</span>
                        <span class="item-list__detail">{ mark }</span>
                        <span class="item-list__detail">{ i18n.tf("extract.marked_by", &[
                            ("name", &m.recorded_by),
                            ("time", &i18n.date_time(m.recorded_at)),
                        ]) }</span>
                    </li>
                }
            }) }
        </ul>
    }
}

fn pickup_html(i18n: &I18n, labelledby: &str, people: &[ExtractPickupPerson]) -> Html {
    html! {
        <ul class="item-list" aria-labelledby={labelledby.to_owned()}>
            { for people.iter().map(|p| html! {
                <li class="item-list__item extract-pickup">
                    <span class="item-list__name">{ p.name.clone() }</span>
                    <span class="item-list__detail">{ p.phone.clone() }</span>
                    <span class="item-list__detail">{ i18n.tf("extract.added_by", &[
                        ("name", &p.added_by),
                        ("time", &i18n.date_time(p.added_at)),
                    ]) }</span>
                </li>
            }) }
        </ul>
    }
}

/// One child: the register data, placements, groups, responsible adults and who has read them.
fn child_html(i18n: &I18n, child: &ExtractChild) -> Html {
    let id = child.id;
    let heading = format!("extract-child-{id}");
    let placements = format!("extract-child-{id}-placements");
    let groups = format!("extract-child-{id}-groups");
    let adults = format!("extract-child-{id}-adults");
    let log = format!("extract-child-{id}-log");
    let applications = format!("extract-child-{id}-applications");
    let offers = format!("extract-child-{id}-offers");
    let documents = format!("extract-child-{id}-documents");
    let schedule = format!("extract-child-{id}-schedule");
    let pickup = format!("extract-child-{id}-pickup");
    let absence = format!("extract-child-{id}-absence");
    let attendance = format!("extract-child-{id}-attendance");
    let presence = format!("extract-child-{id}-presence");
    let leave = format!("extract-child-{id}-leave");
    let consents = format!("extract-child-{id}-consents");
    let source = format!("extract-child-{id}-source");
    let section = |heading: &String, key: &'static str, empty: bool, body: Html| {
        html! {
            <>
                <h3 id={heading.clone()}>{ i18n.t(key) }</h3>
                if empty {
                    <p>{ i18n.t("extract.none") }</p>
                } else {
                    { body }
                }
            </>
        }
    };
    let name = format!("{} {}", child.person.given_name, child.person.family_name);
    html! {
        <section class="section extract-child" key={id.to_string()} aria-labelledby={heading.clone()}>
            <h2 id={heading}>{ i18n.tf("extract.child_heading", &[("name", &name)]) }</h2>
            <div class="card">
                <dl class="facts">
                    { person_facts(i18n, &child.person) }
                    { fact(i18n.t("child.relation"), html! { { relation_text(i18n, child.relation) } }) }
                </dl>
            </div>

            <h3 id={placements.clone()}>{ i18n.t("extract.placements_heading") }</h3>
            if child.placements.is_empty() {
                <p>{ i18n.t("extract.no_placements") }</p>
            } else {
                <ul class="item-list" aria-labelledby={placements}>
                    { for child.placements.iter().map(|placement| placement_html(i18n, placement)) }
                </ul>
            }

            <h3 id={groups.clone()}>{ i18n.t("extract.groups_heading") }</h3>
            if child.groups.is_empty() {
                <p>{ i18n.t("extract.no_groups") }</p>
            } else {
                <ul class="item-list" aria-labelledby={groups}>
                    { for child.groups.iter().map(|group| html! {
                        <li class="item-list__item">{ group.clone() }</li>
                    }) }
                </ul>
            }

            <h3 id={adults.clone()}>{ i18n.t("extract.adults_heading") }</h3>
            if child.responsible_adults.is_empty() {
                <p>{ i18n.t("extract.no_adults") }</p>
            } else {
                <ul class="item-list" aria-labelledby={adults}>
                    { for child.responsible_adults.iter().map(|adult| html! {
                        <li class="item-list__item">
                            <span class="item-list__name">
                                { format!("{} {}", adult.given_name, adult.family_name) }
                            </span>
                            <span class="item-list__detail">{ relation_text(i18n, adult.relation) }</span>
                        </li>
                    }) }
                </ul>
            }

            { section(&applications, "extract.applications_heading", child.applications.is_empty(),
                applications_html(i18n, &applications, &child.applications)) }
            { section(&offers, "extract.offers_heading", child.offers.is_empty(),
                offers_html(i18n, &offers, &child.offers)) }
            { section(&documents, "extract.documents_heading", child.documents.is_empty(),
                documents_html(i18n, &documents, &child.documents)) }
            { section(&schedule, "extract.schedule_heading", child.schedule.is_empty(),
                schedule_html(i18n, &schedule, &child.schedule)) }
            { section(&pickup, "extract.pickup_heading", child.pickup_persons.is_empty(),
                pickup_html(i18n, &pickup, &child.pickup_persons)) }
            { section(&absence, "extract.absence_heading", child.absence_reports.is_empty(),
                absence_html(i18n, &absence, &child.absence_reports)) }
            if !child.presence.is_empty() {
                { section(&presence, "extract.presence_heading", false,
                    presence_html(i18n, &presence, &child.presence)) }
            }
            { section(&attendance, "extract.attendance_heading", child.attendance.is_empty(),
                attendance_html(i18n, &attendance, &child.attendance)) }
            { section(&leave, "leave.title", child.leave_applications.is_empty(),
                leave_html(i18n, &leave, &child.leave_applications)) }
            { section(&consents, "consent.title", child.consents.is_empty(),
                consents_html(i18n, &consents, &child.consents)) }
            if !child.source_records.is_empty() {
                { section(&source, "extract.source_heading", false,
                    source_records_html(i18n, &source, &child.source_records)) }
            }

            <h3 id={log.clone()}>{ i18n.t("extract.child_log_heading") }</h3>
            { access_log_table(i18n, &log, &child.access_log, false) }
        </section>
    }
}

/// Prints the whole extract, folded parts (the schedule, the signed texts) unfolded: the print,
/// or its PDF, is the readable copy to keep.
fn print_everything() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(folded) = window
        .document()
        .and_then(|d| d.query_selector_all(".extract details").ok())
    {
        for i in 0..folded.length() {
            if let Some(element) = folded
                .item(i)
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            {
                let _ = element.set_attribute("open", "");
            }
        }
    }
    let _ = window.print();
}

/// "Solbackens förskola – Förskola", then the period, school year and hours.
fn placement_html(i18n: &I18n, placement: &ExtractPlacement) -> Html {
    let start = i18n.date(placement.start_date);
    let period = match placement.end_date {
        Some(end) => i18n.tf(
            "extract.period",
            &[("start", &start), ("end", &i18n.date(end))],
        ),
        None => i18n.tf("extract.period_open", &[("start", &start)]),
    };
    let mut details = vec![period];
    if let Some(year) = placement.school_year {
        details.push(if year == 0 {
            school_year_text(i18n, year)
        } else {
            i18n.tf("extract.school_year", &[("year", &year.to_string())])
        });
    }
    if let Some(hours) = placement.hours_per_week {
        details.push(i18n.tn("extract.hours_per_week", hours.unsigned_abs().into(), &[]));
    }
    html! {
        <li class="item-list__item">
            <span class="item-list__name">{ placement.unit.clone() }</span>
            <span class="item-list__detail">{ unit_kind_text(i18n, &placement.kind) }</span>
            { for details.into_iter().map(|detail| html! {
                <span class="item-list__detail">{ detail }</span>
            }) }
        </li>
    }
}

/// `199308012385` as `19930801-2385`, the way it is usually written; anything else as it came.
fn personnummer_text(personnummer: &str) -> String {
    match personnummer.split_at_checked(8) {
        Some((date, number))
            if personnummer.len() == 12 && personnummer.bytes().all(|b| b.is_ascii_digit()) =>
        {
            format!("{date}-{number}")
        }
        _ => personnummer.to_owned(),
    }
}

/// "Vem har läst uppgifterna": when, who, in which role and what, newest first as the server
/// sends it. An empty log says so in words. `labelledby` is the id of the heading that names the
/// table; `own` marks the person's own log (`own-access-log`/`own-access-log-entry`) rather than
/// a child's (`access-log`/`access-log-entry`).
/// A function, not a component: every component costs the wasm its own generic code. Only the
/// account app shows it, which alone carries the `extract.` and `action.` texts.
pub fn access_log_table(i18n: &I18n, labelledby: &str, entries: &[AccessEntry], own: bool) -> Html {
    if entries.is_empty() {
        return html! { <p class="empty-state">{ i18n.t("extract.log_empty") }</p> };
    }
    let (table_class, row_class) = if own {
        ("own-access-log", "own-access-log-entry")
    } else {
        ("access-log", "access-log-entry")
    };
    let (when, who, role, what) = (
        i18n.t("extract.log_when"),
        i18n.t("extract.log_who"),
        i18n.t("extract.log_role"),
        i18n.t("extract.log_what"),
    );
    let rows = html! {
        { for entries.iter().map(|entry| html! {
            <tr class={classes!("data-table__row", row_class)} role="row">
                { cell(when, time_html(i18n, entry.occurred_at)) }
                { cell(who, html! { { entry.actor_name.clone() } }) }
                { cell(role, html! { { roles_text(i18n, &entry.actor_roles) } }) }
                { cell(what, html! { { action_text(i18n, entry.action) } }) }
            </tr>
        }) }
    };
    data_table(labelledby, table_class, &[when, who, role, what], rows)
}

/// An access-log action in words: `action.<code>` in the catalogues (the backend's
/// `every_action_has_a_name_in_every_catalogue` holds every action to having one).
pub fn action_text(i18n: &I18n, action: AccessAction) -> &'static str {
    i18n.get(&format!("action.{}", action.code()))
        .unwrap_or(action.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(
        not(feature = "account"),
        ignore = "the access log's texts are the account app's: test with --all-features"
    )]
    fn every_access_log_action_has_its_words() {
        let sv = I18n::new(crate::i18n::Lang::Sv);
        assert_eq!(
            action_text(&sv, AccessAction::ReadPupilCard),
            "Läste elevkortet"
        );
        // Every action, not only those the page once listed.
        for action in AccessAction::ALL {
            assert_ne!(action_text(&sv, *action), action.code());
        }
    }

    #[test]
    fn personnummer_gets_its_dash() {
        assert_eq!(personnummer_text("199308012385"), "19930801-2385");
        assert_eq!(personnummer_text("19930801-2385"), "19930801-2385");
        assert_eq!(personnummer_text("åäö"), "åäö");
    }
}

/// The lessons the person teaches, the changes they recorded or stand in for, and their
/// calendar links; left out when there is none of them.
/// The person's duties as staff: where, as what, since when, and the work phone and e-mail the
/// school's staff list shows.
fn duties_html(i18n: &I18n, duties: &[skolportal_shared::api::ExtractDuty]) -> Html {
    if duties.is_empty() {
        return Html::default();
    }
    let missing = || i18n.t("common.not_registered").to_owned();
    html! {
        <section class="section" aria-labelledby="extract-duties-heading">
            <h2 id="extract-duties-heading">{ i18n.t("extract.duties_heading") }</h2>
            { for duties.iter().map(|duty| html! {
                <div class="card">
                    <dl class="facts">
                        { fact(i18n.t("extract.roles"), html! { { format!("{} · {} · {}",
                            role_text(i18n, &duty.role),
                            duty.unit_name.as_deref().unwrap_or(i18n.t("extract.duty_unit_none")),
                            i18n.tf("extract.period_open", &[("start", &i18n.date(duty.start_date))])) } }) }
                        { fact(i18n.t("extract.work_phone"), html! { { duty.work_phone.clone().unwrap_or_else(missing) } }) }
                        { fact(i18n.t("extract.work_email"), html! { { duty.work_email.clone().unwrap_or_else(missing) } }) }
                    </dl>
                </div>
            }) }
        </section>
    }
}

/// The school administration system's records as received, each folded (the print unfolds
/// them): a person asks what is stored, and this is it, word for word.
fn source_records_html(
    i18n: &I18n,
    labelledby: &str,
    records: &[skolportal_shared::api::ExtractSourceRecord],
) -> Html {
    use skolportal_shared::api::SourceRecordKind as Kind;
    let kind_text = |kind: Kind| {
        i18n.t(match kind {
            Kind::Person => "extract.source_kind_person",
            Kind::Placement => "extract.source_kind_placement",
            Kind::Duty => "extract.source_kind_duty",
            Kind::Grade => "extract.source_kind_grade",
            Kind::Organisation
            | Kind::Group
            | Kind::Activity
            | Kind::Syllabus
            | Kind::CalendarEvent => "extract.source_kind_other",
        })
    };
    html! {
        <ul class="item-list" aria-labelledby={labelledby.to_owned()}>
            { for records.iter().map(|record| html! {
                <li class="item-list__item" key={record.source_id.to_string()}>
                    <span class="item-list__name">{ kind_text(record.kind) }</span>
                    <span class="item-list__detail">{ i18n.tf("extract.source_modified", &[
                        ("time", &i18n.date_time(record.modified_at)),
                    ]) }</span>
                    <details class="extract__record">
                        <summary>{ i18n.t("extract.source_show") }</summary>
                        <pre class="extract__source" tabindex="0">{ record.content.clone() }</pre>
                    </details>
                </li>
            }) }
        </ul>
    }
}

fn timetable_html(i18n: &I18n, timetable: &skolportal_shared::api::ExtractTimetable) -> Html {
    if timetable.lessons_taught.is_empty()
        && timetable.lesson_changes.is_empty()
        && timetable.calendar_feeds.is_empty()
        && timetable.attendance.is_empty()
        && timetable.attendance_taken.is_empty()
    {
        return Html::default();
    }
    let activity = |a: skolportal_shared::api::Activity| {
        i18n.t(&format!("timetable.activity.{}", a.code()))
            .to_owned()
    };
    let weekday = |n: i32| match n {
        1 => i18n.t("weekday.monday"),
        2 => i18n.t("weekday.tuesday"),
        3 => i18n.t("weekday.wednesday"),
        4 => i18n.t("weekday.thursday"),
        _ => i18n.t("weekday.friday"),
    };
    html! {
        <section class="section extract-timetable" aria-labelledby="extract-timetable-heading">
            <h2 id="extract-timetable-heading">{ i18n.t("extract.timetable_heading") }</h2>
            if !timetable.lessons_taught.is_empty() {
                <h3>{ i18n.t("extract.lessons_taught") }</h3>
                <ul class="plain-list">
                    { for timetable.lessons_taught.iter().map(|l| html! {
                        <li>{ format!("{} {}–{} · {} · {}", weekday(l.weekday), l.starts_at, l.ends_at, activity(l.activity), l.group_name) }</li>
                    }) }
                </ul>
            }
            if !timetable.lesson_changes.is_empty() {
                <h3>{ i18n.t("extract.lesson_changes") }</h3>
                <ul class="plain-list">
                    { for timetable.lesson_changes.iter().map(|c| {
                        let mut roles = Vec::new();
                        if c.recorded { roles.push(i18n.t("extract.change_recorded")); }
                        if c.substitute { roles.push(i18n.t("extract.change_substitute")); }
                        html! {
                            <li>{ format!("{} · {} · {} ({})", i18n.date(c.on_date), activity(c.activity), c.group_name, roles.join(", ")) }</li>
                        }
                    }) }
                </ul>
            }
            if !timetable.attendance.is_empty() {
                <h3 id="extract-own-attendance">{ i18n.t("extract.attendance_heading") }</h3>
                { attendance_html(i18n, "extract-own-attendance", &timetable.attendance) }
            }
            if !timetable.attendance_taken.is_empty() {
                <h3>{ i18n.t("extract.attendance_taken") }</h3>
                <ul class="plain-list">
                    { for timetable.attendance_taken.iter().map(|t| html! {
                        <li>{ format!("{} · {} · {} ({})", i18n.date(t.on_date), activity(t.activity), t.group_name,
                            i18n.tn("extract.marks", u64::from(t.marks), &[])) }</li>
                    }) }
                </ul>
            }
            if !timetable.calendar_feeds.is_empty() {
                <h3>{ i18n.t("extract.calendar_feeds") }</h3>
                <ul class="plain-list">
                    { for timetable.calendar_feeds.iter().map(|f| html! {
                        <li>{ format!("{} · {}", f.person_name, i18n.day(f.created_at)) }</li>
                    }) }
                </ul>
            }
        </section>
    }
}
