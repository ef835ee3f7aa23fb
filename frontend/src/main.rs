//! The families' app (guardians, other responsible adults and pupils; login and one's own
//! account), built by Trunk from the root `index.html`. Everything lives in the library.

fn main() {
    skolportal_frontend::start::<skolportal_frontend::app::Families>();
}
