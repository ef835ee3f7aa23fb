//! The check-in tablet at a preschool's entrance, served under `/kiosk`; built by Trunk from
//! `frontend/apps/kiosk.html`.

fn main() {
    skolportal_frontend::start::<skolportal_frontend::app::Kiosk>();
}
