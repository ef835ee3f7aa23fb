//! `/samtal/{pupil}` ("Samtalsunderlag"): the material for the term's development talk. The
//! pupil, each guardian, each of the pupil's teachers and the mentor write their own part and
//! publish it when ready; the form asks about knowledge and learning, with no place for the
//! person's health or other sensitive matters. While the talk consent is not in force the page
//! says why it is closed and how it opens. One page for all four, in the account app.

use skolportal_shared::api::{
    ConsentState, TalkAnswers, TalkMaterial, TalkPart, TalkPartInput, TalkPartStatus,
};
use skolportal_shared::talks::{check, TalkError, MAX_ANSWER};
use uuid::Uuid;
use web_sys::HtmlTextAreaElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{badge, error_alert, loading, status_message};
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;

const STATUS_ID: &str = "talk-status";
const ERROR_ID: &str = "talk-error";

/// The form's questions: the field, its catalogue key and its value in the answers.
const QUESTIONS: [&str; 4] = ["going_well", "to_develop", "support", "questions"];

fn answer<'a>(answers: &'a TalkAnswers, question: &str) -> &'a str {
    match question {
        "going_well" => &answers.going_well,
        "to_develop" => &answers.to_develop,
        "support" => &answers.support,
        _ => &answers.questions,
    }
}

fn set_answer(answers: &mut TalkAnswers, question: &str, value: String) {
    match question {
        "going_well" => answers.going_well = value,
        "to_develop" => answers.to_develop = value,
        "support" => answers.support = value,
        _ => answers.questions = value,
    }
}

#[derive(Properties, PartialEq)]
pub struct TalkMaterialProps {
    pub pupil: Uuid,
}

#[function_component]
pub fn TalkMaterialPage(props: &TalkMaterialProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("talks.title"));
    let loaded = use_state(|| None::<Result<TalkMaterial, ClientError>>);
    {
        let loaded = loaded.clone();
        use_effect_with(props.pupil, move |pupil| {
            let pupil = *pupil;
            spawn_local(async move { loaded.set(Some(api::talk_material(pupil).await)) });
        });
    }
    let on_saved = {
        let loaded = loaded.clone();
        Callback::from(move |now: TalkMaterial| loaded.set(Some(Ok(now))))
    };
    let body = match &*loaded {
        None => return html! { <><h1>{ i18n.t("talks.title") }</h1>{ loading(&i18n) }</> },
        Some(Err(err)) => {
            return html! {
                <>
                    <h1>{ i18n.t("talks.title") }</h1>
                    { error_alert(&i18n, "talk-load-error", Some(err), None) }
                </>
            }
        }
        Some(Ok(material)) => material,
    };
    let heading = i18n.tf("talks.heading", &[("name", &body.pupil_given_name)]);
    let term = format!(
        "{} – {}",
        i18n.date(body.term_starts_on),
        i18n.date(body.term_ends_on)
    );
    let content = if body.consent != ConsentState::InForce {
        closed(&i18n, body)
    } else {
        let mine = body.parts.iter().find(|p| p.own).cloned();
        let others: Vec<&TalkPart> = body.parts.iter().filter(|p| !p.own).collect();
        html! {
            <>
                if body.can_write {
                    <OwnPart pupil={body.pupil_id} mine={mine} on_saved={on_saved} />
                }
                <section class="section" aria-labelledby="talk-parts-heading">
                    <h2 id="talk-parts-heading">{ i18n.t("talks.published_heading") }</h2>
                    if others.is_empty() {
                        <p class="empty-state">{ i18n.t("talks.none_published") }</p>
                    } else {
                        <ul class="card-list talk-parts">
                            { for others.iter().map(|p| part_html(&i18n, p)) }
                        </ul>
                    }
                </section>
            </>
        }
    };
    html! {
        <>
            <h1>{ heading }</h1>
            <p class="lead">{ i18n.tf("talks.term", &[("term", &term)]) }</p>
            <p class="talk-links">
                <a href={format!("/samtal/{}/plan", body.pupil_id)}>{ i18n.t("iup.title") }</a>
                if body.can_consent {
                    { " · " }
                    <a href={format!("/samtal/{}/boka", body.pupil_id)}>{ i18n.t("talk_booking.title") }</a>
                }
            </p>
            { status_message(STATUS_ID, None) }
            { content }
        </>
    }
}

/// Why the material is closed, and how it opens.
fn closed(i18n: &I18n, material: &TalkMaterial) -> Html {
    html! {
        <section class="section talk-closed" aria-labelledby="talk-closed-heading">
            <h2 id="talk-closed-heading">{ i18n.t("talks.closed_heading") }</h2>
            <p>{ i18n.t(&format!("talks.closed.{}", material.consent.code())) }</p>
            if material.can_consent {
                <p><a class="button button--primary" href="/samtycken">{ i18n.t("talks.to_consents") }</a></p>
            } else {
                <p>{ i18n.t("talks.closed_ask") }</p>
            }
        </section>
    }
}

fn part_html(i18n: &I18n, part: &TalkPart) -> Html {
    let name = format!("{} {}", part.given_name, part.family_name);
    html! {
        <li class="card talk-part">
            <h3 class="card__title">{ name }</h3>
            <p class="talk-part__role">{ i18n.t(&format!("talks.role.{}", part.role.code())) }</p>
            <dl class="talk-part__answers">
                { for QUESTIONS.iter().filter(|q| !answer(&part.answers, q).is_empty()).map(|q| html! {
                    <>
                        <dt>{ i18n.t(&format!("talks.q.{q}")) }</dt>
                        <dd class="talk-part__text">{ answer(&part.answers, q).to_owned() }</dd>
                    </>
                }) }
            </dl>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct OwnPartProps {
    pupil: Uuid,
    mine: Option<TalkPart>,
    on_saved: Callback<TalkMaterial>,
}

/// The asker's own part: the four questions, kept as a draft or published.
#[function_component]
fn OwnPart(props: &OwnPartProps) -> Html {
    let i18n = use_i18n();
    let answers = use_state(|| {
        props
            .mine
            .as_ref()
            .map(|m| m.answers.clone())
            .unwrap_or_default()
    });
    let problem = use_state(|| None::<TalkError>);
    let failed = use_state(|| None::<ClientError>);
    let told = use_state(|| None::<&'static str>);
    let status = props.mine.as_ref().map(|m| m.status);
    let send = |publish: bool| {
        let (answers, problem, failed, told, on_saved, pupil) = (
            answers.clone(),
            problem.clone(),
            failed.clone(),
            told.clone(),
            props.on_saved.clone(),
            props.pupil,
        );
        Callback::from(move |_: MouseEvent| {
            if let Err(err) = check(&answers, publish) {
                problem.set(Some(err));
                return;
            }
            problem.set(None);
            let input = TalkPartInput {
                answers: (*answers).clone(),
                publish,
            };
            let (failed, told, on_saved) = (failed.clone(), told.clone(), on_saved.clone());
            spawn_local(async move {
                match api::save_talk_part(pupil, &input).await {
                    Ok(now) => {
                        failed.set(None);
                        told.set(Some(if publish {
                            "talks.published_told"
                        } else {
                            "talks.draft_told"
                        }));
                        on_saved.emit(now);
                    }
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    let problem_text = problem.map(|p| match p {
        TalkError::TooLong => i18n.t("error.talk_answer_too_long"),
        TalkError::Empty => i18n.t("error.talk_part_empty"),
    });
    html! {
        <section class="section talk-own" aria-labelledby="talk-own-heading">
            <h2 id="talk-own-heading">{ i18n.t("talks.own_heading") }</h2>
            <p>
                { match status {
                    Some(TalkPartStatus::Published) => badge("status-badge--signed", i18n.t("talks.status.published")),
                    Some(TalkPartStatus::Draft) => badge("status-badge--awaiting", i18n.t("talks.status.draft")),
                    None => badge("status-badge--draft", i18n.t("talks.status.none")),
                } }
            </p>
            <p class="hint" id="talk-guidance">{ i18n.t("talks.guidance") }</p>
            { status_message("talk-own-status", told.map(|k| i18n.t(k))) }
            if let Some(text) = problem_text {
                { error_alert(&i18n, ERROR_ID, None, Some(text)) }
            }
            if let Some(err) = &*failed {
                { error_alert(&i18n, "talk-save-error", Some(err), None) }
            }
            { for QUESTIONS.iter().map(|q| {
                let id = format!("talk-{q}");
                let value = answer(&answers, q).to_owned();
                let hint_id = format!("{id}-hint");
                let oninput = {
                    let answers = answers.clone();
                    let q = *q;
                    Callback::from(move |e: InputEvent| {
                        let mut next = (*answers).clone();
                        set_answer(&mut next, q, e.target_unchecked_into::<HtmlTextAreaElement>().value());
                        answers.set(next);
                    })
                };
                html! {
                    <div class="field">
                        <label class="field__label" for={id.clone()}>{ i18n.t(&format!("talks.q.{q}")) }</label>
                        <p class="field__hint" id={hint_id.clone()}>{ i18n.t(&format!("talks.hint.{q}")) }</p>
                        <textarea class="field__input field__input--area" id={id.clone()} name={id} rows="4"
                            maxlength={MAX_ANSWER.to_string()} value={value} {oninput}
                            aria-describedby={format!("{hint_id} talk-guidance")} />
                    </div>
                }
            }) }
            <div class="consent__actions">
                <button type="button" id="talk-save-draft" class="button button--secondary" onclick={send(false)}>
                    { i18n.t("talks.save_draft") }
                </button>
                <button type="button" id="talk-publish" class="button button--primary" onclick={send(true)}>
                    { i18n.t("talks.publish") }
                </button>
            </div>
        </section>
    }
}
