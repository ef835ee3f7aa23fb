//! The municipality administrator's app (the municipality's and its units' settings, their
//! history, the website's widgets), served under `/administration`; built by Trunk from
//! `frontend/apps/administration.html`.

fn main() {
    skolportal_frontend::start::<skolportal_frontend::app::Administration>();
}
