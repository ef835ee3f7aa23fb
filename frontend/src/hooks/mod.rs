//! Hooks and the contexts behind them: language, session (who is logged in), municipality, title.

mod use_i18n;
mod use_municipality;
mod use_session;
mod use_title;

pub use use_i18n::{use_i18n, use_lang_switch, LangContext};
pub use use_municipality::{use_municipality, MunicipalityContext};
pub use use_session::{use_me, use_session, MeState, Session, SessionAction, SessionContext};
pub use use_title::use_title;
