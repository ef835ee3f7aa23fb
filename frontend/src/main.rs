//! Entry point of the wasm binary that Trunk builds; everything lives in the library.

fn main() {
    yew::Renderer::<skolportal_frontend::App>::new().render();
}
