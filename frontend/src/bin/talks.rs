//! The development talks' app, for every audience: the talk material and the development plan
//! (`/samtal/{pupil}`, `/samtal/{pupil}/plan`), booking a talk and the mentor's talk times, and
//! grades (`/betyg/{pupil}`); built by Trunk from `frontend/apps/samtal.html`.

fn main() {
    skolportal_frontend::start::<skolportal_frontend::app::Talks>();
}
