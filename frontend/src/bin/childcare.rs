//! The childcare e-services' app (guardians' schedules, pick-up persons, applications, offers,
//! income statements, terminations), served under `/barnomsorg`; built by Trunk from
//! `frontend/apps/barnomsorg.html`.

fn main() {
    skolportal_frontend::start::<skolportal_frontend::app::ChildcareServices>();
}
