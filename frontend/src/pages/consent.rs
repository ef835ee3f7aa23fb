//! `/samtycken` ("Samtycken"): the consents the municipality asks guardians for, per child — each
//! kind's own text, whether it is in force (`shared::consent::state`, decided by the server), each
//! guardian's latest decision and the full history. A guardian with custody gives or withdraws;
//! a withdrawal is confirmed first, with what it closes and when what was stored under it is
//! deleted. A pupil sees their own.

use skolportal_shared::api::{
    ChildCard, ChildConsent, ChildConsents, ConsentChoice, ConsentDecision, ConsentState,
    PersonAction,
};
use uuid::Uuid;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{badge, error_alert, loading, status_message};
use crate::hooks::{use_i18n, use_me, use_title, MeState};
use crate::i18n::I18n;

const STATUS_ID: &str = "consent-status";

/// Whose consents the page shows: the children the asker may read them for, else the pupil.
#[derive(Clone, PartialEq)]
struct Subject {
    id: Uuid,
    name: String,
}

#[function_component]
pub fn ConsentPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("consent.title"));
    let me = use_me();
    let subjects = use_state(|| None::<Result<Vec<Subject>, ClientError>>);
    let told = use_state(|| None::<String>);
    {
        let subjects = subjects.clone();
        let me = match &me {
            MeState::Ready(me) => Some((me.person_id, me.given_name.clone())),
            _ => None,
        };
        use_effect_with(me, move |me| {
            if let Some((own_id, own_name)) = me.clone() {
                spawn_local(async move {
                    let children: Result<Vec<ChildCard>, ClientError> = api::children().await;
                    let found = children.map(|children| {
                        let mut list: Vec<Subject> = children
                            .into_iter()
                            .filter(|c| c.permitted_actions.contains(&PersonAction::ReadConsents))
                            .map(|c| Subject {
                                id: c.id,
                                name: c.given_name,
                            })
                            .collect();
                        if list.is_empty() {
                            list.push(Subject {
                                id: own_id,
                                name: own_name,
                            });
                        }
                        list
                    });
                    subjects.set(Some(found));
                });
            }
        });
    }
    let on_told = {
        let told = told.clone();
        Callback::from(move |text: String| told.set(Some(text)))
    };
    let body = match &*subjects {
        None => loading(&i18n),
        Some(Err(err)) => error_alert(&i18n, "consent-error", Some(err), None),
        Some(Ok(list)) => html! {
            { for list.iter().map(|s| html! {
                <ChildConsentsSection key={s.id.to_string()} id={s.id} name={s.name.clone()}
                    on_told={on_told.clone()} />
            }) }
        },
    };
    html! {
        <>
            <h1>{ i18n.t("consent.title") }</h1>
            <p class="lead">{ i18n.t("consent.intro") }</p>
            { status_message(STATUS_ID, told.as_deref()) }
            { body }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct SectionProps {
    id: Uuid,
    name: String,
    on_told: Callback<String>,
}

/// One child's consents.
#[function_component]
fn ChildConsentsSection(props: &SectionProps) -> Html {
    let i18n = use_i18n();
    let loaded = use_state(|| None::<Result<ChildConsents, ClientError>>);
    let failed = use_state(|| None::<ClientError>);
    {
        let loaded = loaded.clone();
        use_effect_with(props.id, move |id| {
            let id = *id;
            spawn_local(async move { loaded.set(Some(api::child_consents(id).await)) });
        });
    }
    let on_decide = {
        let (loaded, failed, told, id) = (
            loaded.clone(),
            failed.clone(),
            props.on_told.clone(),
            props.id,
        );
        Callback::from(move |(key, decision): (String, ConsentDecision)| {
            let (loaded, failed, told, i18n) = (loaded.clone(), failed.clone(), told.clone(), i18n);
            spawn_local(async move {
                match api::decide_consent(id, &key, &ConsentChoice { decision }).await {
                    Ok(now) => {
                        failed.set(None);
                        told.emit(
                            i18n.t(match decision {
                                ConsentDecision::Given => "consent.given_told",
                                ConsentDecision::Withdrawn => "consent.withdrawn_told",
                            })
                            .to_owned(),
                        );
                        loaded.set(Some(Ok(now)));
                    }
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    let heading = format!("consent-child-{}", props.id);
    // Booking the talk is a guardian's, as deciding the consents is.
    let can_book = matches!(&*loaded, Some(Ok(view)) if view.can_decide);
    let content = match &*loaded {
        None => loading(&i18n),
        Some(Err(err)) => error_alert(&i18n, "consent-child-error", Some(err), None),
        Some(Ok(view)) if view.consents.is_empty() => {
            html! { <p class="empty-state">{ i18n.t("consent.none") }</p> }
        }
        Some(Ok(view)) => html! {
            <ul class="card-list consents">
                { for view.consents.iter().map(|c| html! {
                    <ConsentCard key={c.kind.key.clone()} child={view.child_id} consent={c.clone()}
                        can_decide={view.can_decide} on_decide={on_decide.clone()} />
                }) }
            </ul>
        },
    };
    html! {
        <section class="section" aria-labelledby={heading.clone()}>
            <h2 id={heading}>{ i18n.tf("consent.child_heading", &[("name", &props.name)]) }</h2>
            <p class="consent__links">
                <a href={format!("/samtal/{}", props.id)}>{ i18n.t("talks.title") }</a>
                <a href={format!("/betyg/{}", props.id)}>{ i18n.t("grades.title") }</a>
                if can_book {
                    <a href={format!("/samtal/{}/boka", props.id)}>{ i18n.t("talk_booking.title") }</a>
                }
            </p>
            if let Some(err) = &*failed {
                { error_alert(&i18n, "consent-decide-error", Some(err), None) }
            }
            { content }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CardProps {
    child: Uuid,
    consent: ChildConsent,
    can_decide: bool,
    on_decide: Callback<(String, ConsentDecision)>,
}

fn state_badge(i18n: &I18n, state: ConsentState) -> Html {
    let modifier = match state {
        ConsentState::InForce => "status-badge--signed",
        ConsentState::Waiting => "status-badge--awaiting",
        ConsentState::Withdrawn => "status-badge--lapsed",
        ConsentState::NotGiven => "status-badge--draft",
    };
    badge(modifier, i18n.t(&format!("consent.state.{}", state.code())))
}

/// One consent: its text, state, each guardian's decision, the buttons and the history.
#[function_component]
fn ConsentCard(props: &CardProps) -> Html {
    let i18n = use_i18n();
    let confirming = use_state(|| false);
    let c = &props.consent;
    let key = c.kind.key.clone();
    let decide = |decision: ConsentDecision| {
        let (on_decide, key, confirming) =
            (props.on_decide.clone(), key.clone(), confirming.clone());
        Callback::from(move |_: MouseEvent| {
            confirming.set(false);
            on_decide.emit((key.clone(), decision));
        })
    };
    let title_id = format!("consent-{}-{}", props.child, c.kind.key);
    let grace = if c.kind.grace_days > 0 {
        i18n.tf(
            "consent.withdraw_grace",
            &[("days", &c.kind.grace_days.to_string())],
        )
    } else {
        i18n.t("consent.withdraw_now").to_owned()
    };
    let actions = if !props.can_decide {
        Html::default()
    } else if *confirming {
        html! {
            <div class="consent__confirm" role="group" aria-labelledby={format!("{title_id}-confirm")}>
                <p id={format!("{title_id}-confirm")}>
                    <strong>{ i18n.t("consent.withdraw_confirm_title") }</strong>{ " " }
                    { i18n.t("consent.withdraw_closes") }{ " " }{ grace }
                </p>
                <div class="consent__actions">
                    <button type="button" id={format!("{title_id}-confirm-withdraw")}
                        class="button button--primary" onclick={decide(ConsentDecision::Withdrawn)}>
                        { i18n.t("consent.withdraw_confirm") }
                    </button>
                    <button type="button" class="button button--secondary" onclick={{
                        let confirming = confirming.clone();
                        Callback::from(move |_: MouseEvent| confirming.set(false))
                    }}>{ i18n.t("common.cancel") }</button>
                </div>
            </div>
        }
    } else {
        let give = html! {
            <button type="button" id={format!("{title_id}-give")} class="button button--primary"
                onclick={decide(ConsentDecision::Given)}
                aria-describedby={title_id.clone()}>{ i18n.t("consent.give") }</button>
        };
        match c.mine {
            Some(ConsentDecision::Given) => html! {
                <div class="consent__actions">
                    <button type="button" id={format!("{title_id}-withdraw")}
                        class="button button--secondary" aria-describedby={title_id.clone()}
                        onclick={{
                            let confirming = confirming.clone();
                            Callback::from(move |_: MouseEvent| confirming.set(true))
                        }}>{ i18n.t("consent.withdraw") }</button>
                </div>
            },
            Some(ConsentDecision::Withdrawn) => {
                html! { <div class="consent__actions">{ give }</div> }
            }
            // Saying no before ever saying yes stores nothing under the consent: no question.
            None => html! {
                <div class="consent__actions">
                    { give }
                    <button type="button" id={format!("{title_id}-decline")}
                        class="button button--secondary" aria-describedby={title_id.clone()}
                        onclick={decide(ConsentDecision::Withdrawn)}>
                        { i18n.t("consent.decline") }
                    </button>
                </div>
            },
        }
    };
    html! {
        <li class="card consent">
            <h3 id={title_id.clone()} class="card__title">{ &c.kind.title }</h3>
            <p>{ state_badge(&i18n, c.state) }</p>
            <p>{ &c.kind.text }</p>
            <p class="hint">{ i18n.t(&format!("consent.requirement.{}", c.kind.requirement.code())) }</p>
            <ul class="plain-list consent__guardians">
                { for c.guardians.iter().map(|g| {
                    let name = format!("{} {}", g.given_name, g.family_name);
                    let text = match (g.decision, g.decided_at) {
                        (Some(d), Some(at)) => i18n.tf(
                            &format!("consent.decision.{}", d.code()),
                            &[("name", &name), ("at", &i18n.date_time(at))],
                        ),
                        _ => i18n.tf("consent.decision.none", &[("name", &name)]),
                    };
                    html! { <li>{ text }</li> }
                }) }
            </ul>
            { actions }
            if !c.history.is_empty() {
                <details class="consent__history">
                    <summary>{ i18n.t("consent.history") }</summary>
                    <ol class="plain-list">
                        { for c.history.iter().map(|e| html! {
                            <li>{ i18n.tf(
                                &format!("consent.decision.{}", e.decision.code()),
                                &[
                                    ("name", &format!("{} {}", e.given_name, e.family_name)),
                                    ("at", &i18n.date_time(e.decided_at)),
                                ],
                            ) }</li>
                        }) }
                    </ol>
                </details>
            }
        </li>
    }
}
