//! Hooks and the contexts behind them: language, session (who is logged in), municipality, title,
//! the household's fee basis (children with a childcare place), and page models (a page's state
//! changed by messages).

mod use_fee_basis;
mod use_i18n;
mod use_model;
mod use_municipality;
mod use_session;
mod use_title;

/// What the app root provides: the language, the session and the municipality, as one context
/// (one provider rather than three, as every context type costs the wasm its own generic code).
/// Read it through [`use_i18n`], [`use_lang_switch`], [`use_session`] and [`use_municipality`].
#[derive(Clone, PartialEq)]
pub struct AppContext {
    pub lang: LangContext,
    pub session: SessionContext,
    pub municipality: MunicipalityContext,
}

pub use use_fee_basis::{use_fee_basis, FeeBasisState};
pub(crate) use use_i18n::fetch_catalog;
pub use use_i18n::{use_i18n, use_lang_switch, LangContext};
pub use use_model::{use_go_to, use_model, Model, ModelHandle};
pub use use_municipality::{use_municipality, MunicipalityContext};
pub use use_session::{use_me, use_session, MeState, Session, SessionAction, SessionContext};
pub use use_title::use_title;
