//! Skolportal's web apps: the library behind one app per audience (families, staff, officers,
//! everyone's own account; the binaries in `src/main.rs` and `src/bin/`), written with Yew and
//! built by Trunk (`cargo xtask spa`).
//!
//! - [`app`]: the `Route` address book, each app's `switch`, and the page shell.
//! - [`pages`]: one component per route; [`components`]: the pieces they share.
//! - [`api`]: the single request function every server call goes through, and `ClientError`.
//! - [`hooks`]: language, session, municipality and title hooks with their one app context, the
//!   household's fee basis, and page models (`use_model`: a page's state changed by messages).
//! - [`i18n`]: the texts in six languages (`i18n/*.json`); no page writes text of its own.
//! - [`dom`]: the few direct browser touches (title, `<html lang>`, theme colours, storage).
//!
//! The wire types come from `skolportal_shared`; the password rules shown while typing are the
//! server's own (`skolportal_shared::password::check`).

pub mod api;
pub mod app;
pub mod components;
pub mod dom;
pub mod hooks;
pub mod i18n;
pub mod json;
pub mod pages;

pub use app::App;

/// Mounts app `S` into its own element (`#app`), so that what the server wrote into the body
/// (`<noscript>`) stays where it is.
pub fn start<S: app::AppSwitch>() {
    match dom::app_root() {
        Some(root) => yew::Renderer::<App<S>>::with_root(root).render(),
        None => yew::Renderer::<App<S>>::new().render(),
    };
}
