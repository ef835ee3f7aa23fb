//! `/administration/gallring`: retention for the municipality administrator. How long each kind
//! of record is kept (her setting), what a run today would remove and first export to the
//! archive (the dry run), starting today's run after a confirmation, every run's report with
//! its archive package, and confirming a package's delivery with the checksum on the city
//! archive's receipt. Counts only: the page never names the people whose records go.

use skolportal_shared::api::{
    ArchiveDelivery, RetentionKind, RetentionPlan, RetentionRunReport, RetentionRuns,
};
use skolportal_shared::retention::{receipt_checksum, RetentionPeriods};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::app::Route;
use crate::components::{
    back_link, cell, data_table, error_alert, loading, status_message, time_html, TextField,
};
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;
use crate::pages::settings::number;

const STATUS_ID: &str = "retention-status";

fn kind_text(i18n: &I18n, kind: RetentionKind) -> &'static str {
    i18n.t(match kind {
        RetentionKind::Grades => "retention.kind.grades",
        RetentionKind::TalkMaterial => "retention.kind.talk_material",
        RetentionKind::Attendance => "retention.kind.attendance",
        RetentionKind::AbsenceReports => "retention.kind.absence_reports",
        RetentionKind::Presence => "retention.kind.presence",
        RetentionKind::ChildcareDocuments => "retention.kind.childcare_documents",
        RetentionKind::Schedules => "retention.kind.schedules",
        RetentionKind::PickupPersons => "retention.kind.pickup_persons",
        RetentionKind::Accounts => "retention.kind.accounts",
        RetentionKind::AccessLog => "retention.kind.access_log",
    })
}

/// Everything the page shows, loaded together and again after a change.
#[derive(Clone, PartialEq)]
struct View {
    periods: RetentionPeriods,
    plan: RetentionPlan,
    runs: RetentionRuns,
}

async fn load() -> Result<View, ClientError> {
    let settings = api::admin_settings().await?;
    Ok(View {
        periods: settings.retention,
        plan: api::retention_plan().await?,
        runs: api::retention_runs().await?,
    })
}

#[function_component]
pub fn RetentionPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("retention.title"));
    let state = use_state(|| None::<Result<View, ClientError>>);
    let generation = use_state(|| 0u32);
    let told = use_state(|| None::<String>);
    {
        let state = state.clone();
        use_effect_with(*generation, move |_| {
            spawn_local(async move { state.set(Some(load().await)) });
        });
    }
    let reload = {
        let (generation, told) = (generation.clone(), told.clone());
        Callback::from(move |message: String| {
            told.set(Some(message));
            generation.set(*generation + 1);
        })
    };
    let body = match &*state {
        None => loading(&i18n),
        Some(Err(err)) if err.is_unauthenticated() => loading(&i18n),
        Some(Err(err)) => error_alert(&i18n, "retention-load-error", Some(err), None),
        Some(Ok(view)) => html! {
            <>
                <PeriodsForm periods={view.periods} on_saved={reload.clone()} />
                <DryRun plan={view.plan.clone()} on_started={reload.clone()} />
                { runs_section(&i18n, &view.runs.runs) }
                { deliveries_section(&i18n, &view.runs.runs, &reload) }
            </>
        },
    };
    let told_text = (*told).clone();
    html! {
        <div class="page page--wide officer retention">
            { back_link(Route::Administration, i18n.t("retention.back")) }
            <h1>{ i18n.t("retention.title") }</h1>
            <p class="lead">{ i18n.t("retention.intro") }</p>
            { status_message(STATUS_ID, told_text.as_deref()) }
            { body }
        </div>
    }
}

/// Each period's field: its key, its bounds (as `shared::retention` checks them).
const PERIOD_FIELDS: [(&str, u32, u32); 5] = [
    ("retention.absence_months", 12, 120),
    ("retention.talk_material_months", 0, 120),
    ("retention.grading_months", 12, 120),
    ("retention.inactive_grace_days", 0, 365),
    ("retention.access_log_months", 6, 120),
];

fn period_texts(p: &RetentionPeriods) -> [String; 5] {
    [
        p.absence_months,
        p.talk_material_months,
        p.grading_months,
        p.inactive_grace_days,
        p.access_log_months,
    ]
    .map(|v| v.to_string())
}

/// The periods as typed, or the index of the first that is not a number in its range.
fn periods_of(texts: &[String; 5]) -> Result<RetentionPeriods, usize> {
    let mut values = [0u32; 5];
    for (i, (text, (_, low, high))) in texts.iter().zip(PERIOD_FIELDS).enumerate() {
        values[i] = number(text, low, high).ok_or(i)?;
    }
    Ok(RetentionPeriods {
        absence_months: values[0],
        talk_material_months: values[1],
        grading_months: values[2],
        inactive_grace_days: values[3],
        access_log_months: values[4],
    })
}

#[derive(Properties, PartialEq)]
struct PeriodsProps {
    periods: RetentionPeriods,
    on_saved: Callback<String>,
}

#[function_component]
fn PeriodsForm(props: &PeriodsProps) -> Html {
    let i18n = use_i18n();
    let texts = use_state(|| period_texts(&props.periods));
    let invalid = use_state(|| None::<usize>);
    let busy = use_state(|| false);
    let failed = use_state(|| None::<ClientError>);
    let onsubmit = {
        let (texts, invalid, busy, failed, on_saved) = (
            texts.clone(),
            invalid.clone(),
            busy.clone(),
            failed.clone(),
            props.on_saved.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let periods = match periods_of(&texts) {
                Ok(periods) => periods,
                Err(field) => {
                    invalid.set(Some(field));
                    return;
                }
            };
            invalid.set(None);
            failed.set(None);
            busy.set(true);
            let (busy, failed, on_saved) = (busy.clone(), failed.clone(), on_saved.clone());
            spawn_local(async move {
                let result = api::save_retention(&periods).await;
                busy.set(false);
                match result {
                    Ok(()) => on_saved.emit(i18n.t("retention.saved").to_owned()),
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    let fields = PERIOD_FIELDS
        .iter()
        .enumerate()
        .map(|(i, (key, low, high))| {
            let oninput = {
                let texts = texts.clone();
                Callback::from(move |value: String| {
                    let mut next = (*texts).clone();
                    next[i] = value;
                    texts.set(next);
                })
            };
            let id = format!("retention-{}", key.trim_start_matches("retention."));
            let range = i18n.tf(
                "retention.range",
                &[("low", &low.to_string()), ("high", &high.to_string())],
            );
            let error = (*invalid == Some(i)).then(|| {
                i18n.tf(
                    "retention.number_error",
                    &[("low", &low.to_string()), ("high", &high.to_string())],
                )
            });
            html! {
                { TextField::new(id, i18n.t(key), texts[i].clone(), oninput, "off")
                    .input_type("number")
                    .inputmode("numeric")
                    .hint(range)
                    .error(error) }
            }
        });
    html! {
        <section class="section" aria-labelledby="retention-periods-heading">
            <h2 id="retention-periods-heading">{ i18n.t("retention.periods_heading") }</h2>
            <p>{ i18n.t("retention.periods_intro") }</p>
            <form class="form settings-form" novalidate=true {onsubmit}>
                { for fields }
                { error_alert(&i18n, "retention-periods-error", failed.as_ref(), None) }
                <button type="submit" class="button button--primary" disabled={*busy}>
                    { i18n.t("retention.save") }
                </button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DryRunProps {
    plan: RetentionPlan,
    on_started: Callback<String>,
}

/// What a run today would do, and starting it after saying what it does.
#[function_component]
fn DryRun(props: &DryRunProps) -> Html {
    let i18n = use_i18n();
    let confirming = use_state(|| false);
    let busy = use_state(|| false);
    let failed = use_state(|| None::<ClientError>);
    let plan = &props.plan;
    let headers = [
        i18n.t("retention.col_kind"),
        i18n.t("retention.col_kept_from"),
        i18n.t("retention.col_remove"),
        i18n.t("retention.col_export"),
    ];
    let rows = html! {
        { for plan.items.iter().map(|item| html! {
            <tr class="data-table__row" role="row" key={item.kind.code()}>
                { cell(headers[0], html! { { kind_text(&i18n, item.kind) } }) }
                { cell(headers[1], html! { { i18n.date(item.kept_from) } }) }
                { cell(headers[2], html! { { i18n.number(item.remove) } }) }
                { cell(headers[3], html! { { i18n.number(item.export) } }) }
            </tr>
        }) }
    };
    let start = {
        let (busy, failed, confirming, on_started) = (
            busy.clone(),
            failed.clone(),
            confirming.clone(),
            props.on_started.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            busy.set(true);
            failed.set(None);
            let (busy, failed, confirming, on_started) = (
                busy.clone(),
                failed.clone(),
                confirming.clone(),
                on_started.clone(),
            );
            spawn_local(async move {
                let result = api::start_retention().await;
                busy.set(false);
                confirming.set(false);
                match result {
                    Ok(_) => on_started.emit(i18n.t("retention.started").to_owned()),
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    let ask = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(true))
    };
    let cancel = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(false))
    };
    html! {
        <section class="section" aria-labelledby="retention-plan-heading">
            <h2 id="retention-plan-heading">{ i18n.t("retention.plan_heading") }</h2>
            <p>{ i18n.tf("retention.plan_intro", &[("day", &i18n.date(plan.today))]) }</p>
            { data_table("retention-plan-heading", "retention-plan", &headers, rows) }
            { error_alert(&i18n, "retention-start-error", failed.as_ref(), None) }
            if *confirming {
                <div class="consent__confirm" role="group" aria-labelledby="retention-confirm">
                    <p id="retention-confirm">
                        <strong>{ i18n.t("retention.confirm_title") }</strong>{ " " }
                        { i18n.t("retention.confirm_text") }
                    </p>
                    <div class="consent__actions">
                        <button type="button" id="retention-confirm-start"
                            class="button button--primary" onclick={start} disabled={*busy}>
                            { i18n.t("retention.confirm_start") }
                        </button>
                        <button type="button" class="button button--secondary" onclick={cancel}>
                            { i18n.t("common.cancel") }
                        </button>
                    </div>
                </div>
            } else {
                <button type="button" id="retention-start" class="button button--secondary"
                    onclick={ask}>{ i18n.t("retention.start") }</button>
            }
        </section>
    }
}

/// One run's counts in sentences: what went of each kind, and what of it was archived.
fn counts_html(i18n: &I18n, run: &RetentionRunReport) -> Html {
    let lines: Vec<String> = run
        .counts
        .iter()
        .filter(|c| c.removed > 0)
        .map(|c| {
            let kind = kind_text(i18n, c.kind);
            if c.exported > 0 {
                i18n.tf(
                    "retention.count_exported",
                    &[
                        ("kind", kind),
                        ("removed", &i18n.number(c.removed)),
                        ("exported", &i18n.number(c.exported)),
                    ],
                )
            } else {
                i18n.tf(
                    "retention.count",
                    &[("kind", kind), ("removed", &i18n.number(c.removed))],
                )
            }
        })
        .collect();
    if lines.is_empty() {
        return html! { { i18n.t("retention.nothing_removed") } };
    }
    html! {
        <ul class="sync-changes">
            { for lines.into_iter().map(|l| html! { <li>{ l }</li> }) }
        </ul>
    }
}

fn runs_section(i18n: &I18n, runs: &[RetentionRunReport]) -> Html {
    let headers = [
        i18n.t("retention.col_day"),
        i18n.t("retention.col_started_by"),
        i18n.t("retention.col_state"),
        i18n.t("retention.col_counts"),
        i18n.t("retention.col_archive"),
    ];
    let rows = html! {
        { for runs.iter().map(|run| {
            let (state, modifier) = match run.finished_at {
                Some(_) => ("retention.state.finished", "status-badge--signed"),
                None => ("retention.state.running", "status-badge--awaiting"),
            };
            let archive = if let Some(at) = run.archive_delivered_at {
                html! { { i18n.tf("retention.archive_delivered", &[
                    ("day", &i18n.date(at.date_naive())),
                    ("files", &i18n.number(u64::from(run.archive_files))),
                ]) } }
            } else if run.archive_sealed {
                html! {
                    <a href={format!("/api/admin/retention/runs/{}/package", run.id)} download="">
                        { i18n.t("retention.download") }
                    </a>
                }
            } else if run.archive_files > 0 {
                html! { { i18n.t("retention.archive_pending") } }
            } else {
                html! { { i18n.t("retention.archive_none") } }
            };
            html! {
                <tr class="data-table__row" role="row" key={run.id.to_string()}>
                    { cell(headers[0], html! { <>{ i18n.date(run.run_on) }<br />
                        <span class="hint">{ time_html(i18n, run.started_at) }</span></> }) }
                    { cell(headers[1], html! { { i18n.t(if run.started_by_administrator {
                        "retention.by_administrator"
                    } else {
                        "retention.by_schedule"
                    }) } }) }
                    { cell(headers[2], html! {
                        <span class={classes!("status-badge", modifier)}>{ i18n.t(state) }</span>
                    }) }
                    { cell(headers[3], counts_html(i18n, run)) }
                    { cell(headers[4], archive) }
                </tr>
            }
        }) }
    };
    html! {
        <section class="section" aria-labelledby="retention-runs-heading">
            <h2 id="retention-runs-heading">{ i18n.t("retention.runs_heading") }</h2>
            if runs.is_empty() {
                <p class="empty-state">{ i18n.t("retention.runs_none") }</p>
            } else {
                { data_table("retention-runs-heading", "retention-runs", &headers, rows) }
            }
        </section>
    }
}

/// The sealed packages not yet delivered, each with its checksum and the form that confirms the
/// archive's receipt. Nothing shows when every package is delivered.
fn deliveries_section(
    i18n: &I18n,
    runs: &[RetentionRunReport],
    on_delivered: &Callback<String>,
) -> Html {
    let waiting: Vec<&RetentionRunReport> = runs
        .iter()
        .filter(|r| r.archive_sealed && r.archive_delivered_at.is_none())
        .collect();
    if waiting.is_empty() {
        return Html::default();
    }
    html! {
        <section class="section" aria-labelledby="retention-delivery-heading">
            <h2 id="retention-delivery-heading">{ i18n.t("retention.delivery_heading") }</h2>
            <p>{ i18n.t("retention.delivery_intro") }</p>
            { for waiting.into_iter().map(|run| html! {
                <DeliveryForm key={run.id.to_string()} run={run.clone()}
                    on_delivered={on_delivered.clone()} />
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DeliveryProps {
    run: RetentionRunReport,
    on_delivered: Callback<String>,
}

/// One package's delivery: its `sip.xml` checksum to compare, and the receipt's to confirm with.
#[function_component]
fn DeliveryForm(props: &DeliveryProps) -> Html {
    let i18n = use_i18n();
    let text = use_state(String::new);
    let invalid = use_state(|| false);
    let busy = use_state(|| false);
    let failed = use_state(|| None::<ClientError>);
    let run = &props.run;
    let onsubmit = {
        let (text, invalid, busy, failed, on_delivered) = (
            text.clone(),
            invalid.clone(),
            busy.clone(),
            failed.clone(),
            props.on_delivered.clone(),
        );
        let run_id = run.id;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let Some(sip_sha256) = receipt_checksum(&text) else {
                invalid.set(true);
                return;
            };
            invalid.set(false);
            failed.set(None);
            busy.set(true);
            let (busy, failed, on_delivered) = (busy.clone(), failed.clone(), on_delivered.clone());
            spawn_local(async move {
                let body = ArchiveDelivery { sip_sha256 };
                let result = api::confirm_archive_delivery(run_id, &body).await;
                busy.set(false);
                match result {
                    Ok(_) => on_delivered.emit(i18n.t("retention.delivered").to_owned()),
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |value: String| text.set(value))
    };
    let heading_id = format!("retention-delivery-{}", run.id);
    let field_id = format!("retention-receipt-{}", run.id);
    let error = (*invalid).then(|| i18n.t("error.archive_checksum_malformed").to_owned());
    html! {
        <form class="form settings-form retention-delivery" novalidate=true
            aria-labelledby={heading_id.clone()} {onsubmit}>
            <h3 id={heading_id}>
                { i18n.tf("retention.delivery_package", &[("day", &i18n.date(run.run_on))]) }
            </h3>
            <p>
                { i18n.t("retention.delivery_checksum") }<br />
                <code class="checksum">{ run.archive_sip_sha256.clone().unwrap_or_default() }</code>
            </p>
            <p>
                <a href={format!("/api/admin/retention/runs/{}/package", run.id)} download="">
                    { i18n.t("retention.download") }
                </a>
            </p>
            { TextField::new(field_id, i18n.t("retention.delivery_field"), (*text).clone(), oninput, "off")
                .hint(i18n.t("retention.delivery_hint").to_owned())
                .error(error) }
            { error_alert(&i18n, format!("retention-delivery-error-{}", run.id), failed.as_ref(), None) }
            <button type="submit" class="button button--primary" disabled={*busy}>
                { i18n.t("retention.delivery_confirm") }
            </button>
        </form>
    }
}
