//! The staff's app (teachers, mentors, preschool staff), served under `/personal`; built by
//! Trunk from `frontend/apps/personal.html`.

fn main() {
    skolportal_frontend::start::<skolportal_frontend::app::Staff>();
}
