//! The families' app (guardians, other responsible adults and pupils; login and one's own
//! account), built by Trunk from the root `index.html`. Everything lives in the library.

fn main() {
    yew::Renderer::<skolportal_frontend::App<skolportal_frontend::app::Families>>::new().render();
}
