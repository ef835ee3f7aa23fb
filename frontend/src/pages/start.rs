use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{error_alert, landing_route, loading};
use crate::hooks::{use_i18n, use_session, use_title, SessionAction};

enum State {
    Loading,
    /// Logged in but no role this portal serves.
    NoRole,
    Failed(ClientError),
}

/// `/`: asks the server who is logged in and sends them on: to login, to the password change, or
/// to their role's start page.
#[function_component]
pub fn Start() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("start.title"));
    let session = use_session();
    let state = use_state(|| State::Loading);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                match api::me().await {
                    Ok(me) => {
                        let landing = landing_route(&me);
                        if let Some(session) = session {
                            session.dispatch(SessionAction::set(me));
                        }
                        match landing {
                            Some(route) => api::go_to_replacing(&route),
                            _ => state.set(State::NoRole),
                        }
                    }
                    // The request has already sent the browser to the login page.
                    Err(err) if err.is_unauthenticated() => {}
                    Err(err) => state.set(State::Failed(err)),
                }
            });
        });
    }
    match &*state {
        State::Loading => loading(&i18n),
        State::NoRole => html! {
            <div class="page">
                <h1>{ i18n.t("start.title") }</h1>
                <p>{ i18n.t("start.no_role") }</p>
            </div>
        },
        State::Failed(error) => html! {
            <div class="page">
                <h1>{ i18n.t("start.title") }</h1>
                { error_alert(&i18n, "start-error", Some(error), None) }
            </div>
        },
    }
}
