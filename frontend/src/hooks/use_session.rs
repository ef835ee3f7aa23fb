use std::rc::Rc;

use skolportal_shared::api::Me;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::hooks::AppContext;

/// Who is logged in, as far as this tab knows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Session {
    pub me: Option<Rc<Me>>,
    /// Counts step-ups: the shell keys the page by it, so that a page refused for want of a
    /// stronger login shows again, and loads its data again, once the session is raised.
    pub generation: u32,
}

pub enum SessionAction {
    /// Logged in, or the server sent a fresh `Me`.
    Set(Rc<Me>),
    /// The same session, raised to a stronger login (`Me` says how strong).
    SteppedUp(Rc<Me>),
    /// Logged out or the session expired.
    Clear,
}

impl SessionAction {
    pub fn set(me: Me) -> Self {
        SessionAction::Set(Rc::new(me))
    }
}

impl Reducible for Session {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        match action {
            SessionAction::Set(me) => Rc::new(Session {
                me: Some(me),
                generation: self.generation,
            }),
            SessionAction::SteppedUp(me) => Rc::new(Session {
                me: Some(me),
                generation: self.generation.wrapping_add(1),
            }),
            SessionAction::Clear => Rc::new(Session::default()),
        }
    }
}

pub type SessionContext = UseReducerHandle<Session>;

#[hook]
pub fn use_session() -> Option<SessionContext> {
    use_context::<AppContext>().map(|c| c.session)
}

/// The logged-in person, loading it with `GET /api/me` when this tab does not know it yet.
pub enum MeState {
    Loading,
    Ready(Rc<Me>),
    /// A 401 lands here too, after the request has already sent the browser to the login page.
    Failed(ClientError),
}

#[hook]
pub fn use_me() -> MeState {
    let session = use_session();
    let error = use_state(|| None::<ClientError>);
    let known = session.as_ref().and_then(|session| session.me.clone());
    {
        let error = error.clone();
        use_effect_with(known.is_none(), move |missing| {
            if let (true, Some(session)) = (*missing, session) {
                spawn_local(async move {
                    match api::me().await {
                        Ok(me) => session.dispatch(SessionAction::set(me)),
                        Err(err) => error.set(Some(err)),
                    }
                });
            }
        });
    }
    match (known, (*error).clone()) {
        (Some(me), _) => MeState::Ready(me),
        (None, Some(err)) => MeState::Failed(err),
        (None, None) => MeState::Loading,
    }
}
