//! The staff's app (teachers, mentors, preschool staff), served under `/personal`; built by
//! Trunk from `frontend/apps/personal.html`.

fn main() {
    yew::Renderer::<skolportal_frontend::App<skolportal_frontend::app::Staff>>::new().render();
}
