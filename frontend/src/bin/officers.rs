//! The officers' app (handläggare), served under `/handlaggare`; built by Trunk from
//! `frontend/apps/handlaggare.html`.

fn main() {
    skolportal_frontend::start::<skolportal_frontend::app::Officers>();
}
