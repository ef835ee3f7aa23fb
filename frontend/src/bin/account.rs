//! Everyone's own account (register extract, one-time codes, password), served at `/uppgifter`,
//! `/engangskod` and `/password`; built by Trunk from `frontend/apps/konto.html`.

fn main() {
    yew::Renderer::<skolportal_frontend::App<skolportal_frontend::app::Account>>::new().render();
}
