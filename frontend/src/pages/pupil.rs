use skolportal_shared::api::PupilCard;
use uuid::Uuid;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError, ErrorCode};
use crate::app::Route;
use crate::components::{back_link, error_alert, loading, pupil_card, Access};
use crate::hooks::{use_i18n, use_me, use_title, MeState};

enum State {
    Loading,
    Loaded(Box<PupilCard>),
    /// 404 (or 403): no such pupil, or no connection to them; the server does not say which.
    NotFound,
    Failed(ClientError),
}

#[derive(Properties, PartialEq)]
pub struct PupilPageProps {
    pub id: Uuid,
}

/// `/personal/elev/:id`: one pupil card, for staff from "Mina elever". The server writes the read to the
/// access log, and the page says so.
#[function_component]
pub fn PupilPage(props: &PupilPageProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("pupil_page.title"));
    let me = use_me();
    let state = use_state(|| State::Loading);
    {
        let state = state.clone();
        use_effect_with(props.id, move |id| {
            let id = *id;
            state.set(State::Loading);
            spawn_local(async move {
                match api::pupil(id).await {
                    Ok(card) => state.set(State::Loaded(Box::new(card))),
                    Err(err)
                        if matches!(
                            err.code(),
                            Some(ErrorCode::NotFound | ErrorCode::Forbidden)
                        ) =>
                    {
                        state.set(State::NotFound)
                    }
                    Err(err) => state.set(State::Failed(err)),
                }
            });
        });
    }
    let is_staff = matches!(&me, MeState::Ready(me) if Access::Staff.allows(&me.roles));
    let body = match &*state {
        State::Loading => loading(&i18n),
        State::Failed(error) if error.is_unauthenticated() => loading(&i18n),
        State::Failed(error) => error_alert(&i18n, "pupil-error", Some(error), None),
        State::NotFound => html! {
            <p id="pupil-not-found" class="alert alert--error" role="alert">
                { i18n.t("pupil_page.not_found") }
            </p>
        },
        State::Loaded(card) => html! {
            <>
                <p class="hint logged-note">{ i18n.t("pupil_page.logged") }</p>
                { pupil_card(&i18n, card) }
                <crate::pages::attendance_stats::AttendanceTerm pupil={props.id} />
            </>
        },
    };
    html! {
        <div class="page page--narrow pupil-page">
            if is_staff {
                { back_link(Route::Staff, i18n.t("pupil_page.back")) }
            }
            <h1>{ i18n.t("pupil_page.title") }</h1>
            { body }
        </div>
    }
}
