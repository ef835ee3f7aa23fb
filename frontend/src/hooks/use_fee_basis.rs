use std::rc::Rc;

use skolportal_shared::api::FeeBasis;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};

/// `GET /api/childcare/fee-basis` as a page sees it while it loads.
pub enum FeeBasisState {
    Loading,
    Ready(Rc<FeeBasis>),
    Failed(ClientError),
}

/// The fee settings and the household's children with a childcare place (their names and kind
/// of care), loaded once when the page mounts. Shared by the income statement (fee preview), the
/// Barnomsorg page (the children's schedules) and the schedule and pick-up pages (the child's
/// name and siblings).
#[hook]
pub fn use_fee_basis() -> UseStateHandle<FeeBasisState> {
    let state = use_state(|| FeeBasisState::Loading);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                match api::fee_basis().await {
                    Ok(basis) => state.set(FeeBasisState::Ready(Rc::new(basis))),
                    Err(err) => state.set(FeeBasisState::Failed(err)),
                }
            });
        });
    }
    state
}
