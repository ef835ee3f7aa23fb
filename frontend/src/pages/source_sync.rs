//! The officer's page on the SS 12000 sync: the latest runs with what each changed, what it
//! kept out, what stopped it and why; "Synkronisera nu"; and the confirmation of a stopped
//! sync, which says what it would end before the officer agrees.

use skolportal_shared::api::{
    RelationKind, SourceSyncOverview, SourceSyncRun, SyncOutcome, SyncScope, SyncTrigger,
    SyncedKind,
};
use uuid::Uuid;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::app::Route;
use crate::components::{
    back_link, cell, data_table, error_alert, loading, status_message, time_html,
};
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;

fn kind_text(i18n: &I18n, kind: SyncedKind) -> &'static str {
    i18n.t(match kind {
        SyncedKind::Units => "sync.kind.units",
        SyncedKind::Groups => "sync.kind.groups",
        SyncedKind::Persons => "sync.kind.persons",
        SyncedKind::Guardianships => "sync.kind.guardianships",
        SyncedKind::Memberships => "sync.kind.memberships",
        SyncedKind::Enrolments => "sync.kind.enrolments",
        SyncedKind::Placements => "sync.kind.placements",
        SyncedKind::Duties => "sync.kind.duties",
        SyncedKind::Grades => "sync.kind.grades",
        SyncedKind::LessonChanges => "sync.kind.lesson_changes",
    })
}

fn relation_text(i18n: &I18n, kind: RelationKind) -> &'static str {
    i18n.t(match kind {
        RelationKind::Guardianships => "sync.relation.guardianships",
        RelationKind::Memberships => "sync.relation.memberships",
        RelationKind::Enrolments => "sync.relation.enrolments",
        RelationKind::Placements => "sync.relation.placements",
        RelationKind::Duties => "sync.relation.duties",
    })
}

fn scope_text(i18n: &I18n, scope: SyncScope) -> &'static str {
    i18n.t(match scope {
        SyncScope::Full => "sync.scope.full",
        SyncScope::Incremental => "sync.scope.incremental",
    })
}

fn trigger_text(i18n: &I18n, trigger: SyncTrigger) -> &'static str {
    i18n.t(match trigger {
        SyncTrigger::Schedule => "sync.trigger.schedule",
        SyncTrigger::Officer => "sync.trigger.officer",
        SyncTrigger::Confirmation => "sync.trigger.confirmation",
    })
}

fn outcome_html(i18n: &I18n, outcome: SyncOutcome) -> Html {
    // The documents' badges: done, waiting for someone, and did not happen.
    let (key, modifier) = match outcome {
        SyncOutcome::Completed => ("sync.outcome.completed", "status-badge--signed"),
        SyncOutcome::Refused => ("sync.outcome.refused", "status-badge--awaiting"),
        SyncOutcome::Failed => ("sync.outcome.failed", "status-badge--lapsed"),
    };
    html! { <span class={classes!("status-badge", modifier)}>{ i18n.t(key) }</span> }
}

fn refusal_text(i18n: &I18n, key: &str, run: &SourceSyncRun) -> Option<String> {
    let refusal = run.refusal.as_ref()?;
    Some(i18n.tf(
        key,
        &[
            ("removed", &refusal.removed.to_string()),
            ("existing", &refusal.existing.to_string()),
            ("kind", relation_text(i18n, refusal.kind)),
        ],
    ))
}

/// What a run did, in sentences: the counts per kind, the persons kept out or removed, or why
/// it stopped.
fn changes_html(i18n: &I18n, run: &SourceSyncRun) -> Html {
    let mut lines: Vec<String> = Vec::new();
    match run.outcome {
        SyncOutcome::Completed => {
            for c in &run.counts {
                lines.push(i18n.tf(
                    "sync.counts",
                    &[
                        ("kind", kind_text(i18n, c.kind)),
                        ("added", &c.added.to_string()),
                        ("changed", &c.changed.to_string()),
                        ("removed", &c.removed.to_string()),
                    ],
                ));
            }
            for (count, key) in [
                (run.forgotten, "sync.forgotten"),
                (run.refused_protected, "sync.protected"),
                (run.refused_invalid, "sync.invalid"),
                (run.grades_left_out, "sync.grades_left_out"),
                (run.lessons_not_placed, "sync.lessons_not_placed"),
            ] {
                if count > 0 {
                    lines.push(i18n.tf(key, &[("count", &count.to_string())]));
                }
            }
            if run.counts.is_empty() && run.forgotten == 0 {
                lines.insert(0, i18n.t("sync.no_changes").to_owned());
            }
        }
        SyncOutcome::Refused => lines.extend(refusal_text(i18n, "sync.refused_short", run)),
        SyncOutcome::Failed => lines.push(i18n.t("sync.failed_text").to_owned()),
    }
    html! {
        <>
            <ul class="sync-changes">
                { for lines.into_iter().map(|l| html! { <li>{ l }</li> }) }
            </ul>
            if let Some(error) = &run.error {
                <details class="sync-error">
                    <summary>{ i18n.t("sync.technical") }</summary>
                    <p><code>{ error.clone() }</code></p>
                </details>
            }
        </>
    }
}

fn runs_table(i18n: &I18n, runs: &[SourceSyncRun]) -> Html {
    let headers = [
        i18n.t("sync.col_started"),
        i18n.t("sync.col_scope"),
        i18n.t("sync.col_trigger"),
        i18n.t("sync.col_outcome"),
        i18n.t("sync.col_changes"),
    ];
    let rows = html! {
        { for runs.iter().map(|run| html! {
            <tr class="data-table__row" role="row" key={run.id.to_string()}>
                { cell(headers[0], time_html(i18n, run.started_at)) }
                { cell(headers[1], html! { { scope_text(i18n, run.scope) } }) }
                { cell(headers[2], html! { { trigger_text(i18n, run.trigger) } }) }
                { cell(headers[3], outcome_html(i18n, run.outcome)) }
                { cell(headers[4], changes_html(i18n, run)) }
            </tr>
        }) }
    };
    data_table("sync-runs", "sync-runs", &headers, rows)
}

enum Load {
    Loading,
    Loaded(SourceSyncOverview),
    Failed(ClientError),
}

#[function_component]
pub fn SourceSyncPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("sync.title"));
    let state = use_state(|| Load::Loading);
    let asked = use_state(|| false);
    let error = use_state(|| None::<ClientError>);
    let busy = use_state(|| false);
    let generation = use_state(|| 0u32);
    {
        let state = state.clone();
        use_effect_with(*generation, move |_| {
            spawn_local(async move {
                state.set(match api::source_sync().await {
                    Ok(view) => Load::Loaded(view),
                    Err(err) => Load::Failed(err),
                });
            });
        });
    }
    let refresh = {
        let generation = generation.clone();
        Callback::from(move |_: MouseEvent| generation.set(*generation + 1))
    };
    // Starting and confirming both order a sync and then show the list as it stands.
    let order = {
        let (asked, error, busy, generation) = (
            asked.clone(),
            error.clone(),
            busy.clone(),
            generation.clone(),
        );
        Callback::from(move |confirms: Option<Uuid>| {
            if *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            asked.set(false);
            let (asked, error, busy, generation) = (
                asked.clone(),
                error.clone(),
                busy.clone(),
                generation.clone(),
            );
            spawn_local(async move {
                let result = match confirms {
                    Some(id) => api::confirm_source_sync(id).await,
                    None => api::start_source_sync().await,
                };
                match result {
                    Ok(()) => asked.set(true),
                    Err(err) => error.set(Some(err)),
                }
                busy.set(false);
                generation.set(*generation + 1);
            });
        })
    };

    let body = match &*state {
        Load::Loading => loading(&i18n),
        Load::Failed(err) if err.is_unauthenticated() => loading(&i18n),
        Load::Failed(err) => error_alert(&i18n, "sync-load-error", Some(err), None),
        Load::Loaded(view) if !view.configured => html! {
            <p class="empty-state">{ i18n.t("sync.not_configured") }</p>
        },
        Load::Loaded(view) => {
            let refused = view.runs.first().filter(|r| r.confirmable);
            let start = {
                let order = order.clone();
                Callback::from(move |_: MouseEvent| order.emit(None))
            };
            html! {
                <>
                    if let Some(run) = refused {
                        <section class="card sync-refused" aria-labelledby="sync-refused-title">
                            <h2 class="card__title" id="sync-refused-title">{ i18n.t("sync.refused_title") }</h2>
                            <p>{ refusal_text(&i18n, "sync.refused_text", run).unwrap_or_default() }</p>
                            <button type="button" class="button button--primary" aria-busy={busy.then_some("true")}
                                onclick={{
                                    let (order, id) = (order.clone(), run.id);
                                    Callback::from(move |_: MouseEvent| order.emit(Some(id)))
                                }}>
                                { i18n.t("sync.confirm") }
                            </button>
                        </section>
                    }
                    <div class="actions sync-actions">
                        <button type="button" class="button button--primary" onclick={start}
                            disabled={view.pending} aria-busy={busy.then_some("true")}>
                            { i18n.t("sync.start") }
                        </button>
                        <button type="button" class="button button--secondary" onclick={refresh.clone()}>
                            { i18n.t("sync.refresh") }
                        </button>
                    </div>
                    if view.pending && !*asked {
                        <p class="hint">{ i18n.t("sync.pending") }</p>
                    }
                    <h2 id="sync-runs">{ i18n.t("sync.runs_title") }</h2>
                    if view.runs.is_empty() {
                        <p class="empty-state">{ i18n.t("sync.none") }</p>
                    } else {
                        { runs_table(&i18n, &view.runs) }
                    }
                </>
            }
        }
    };
    html! {
        <div class="page page--wide officer sync">
            { back_link(Route::Officer, i18n.t("officer.back")) }
            <h1>{ i18n.t("sync.title") }</h1>
            <p class="lead">{ i18n.t("sync.intro") }</p>
            { status_message("sync-status", asked.then(|| i18n.t("sync.requested"))) }
            { error_alert(&i18n, "sync-error", error.as_ref(), None) }
            { body }
        </div>
    }
}
