//! Everyone's own account (register extract, one-time codes, password), served at `/uppgifter`,
//! `/engangskod` and `/password`; built by Trunk from `frontend/apps/konto.html`.

fn main() {
    skolportal_frontend::start::<skolportal_frontend::app::Account>();
}
