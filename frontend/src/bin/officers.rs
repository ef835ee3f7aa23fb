//! The officers' app (handläggare), served under `/handlaggare`; built by Trunk from
//! `frontend/apps/handlaggare.html`.

fn main() {
    yew::Renderer::<skolportal_frontend::App<skolportal_frontend::app::Officers>>::new().render();
}
