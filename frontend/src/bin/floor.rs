//! The floor: the smallest Yew app we would ship, one function component with a heading and a
//! paragraph. `cargo xtask bench lighthouse` builds it (from `frontend/apps/floor.html`, with the
//! real apps' Trunk settings) and serves it from a second backend, so that the real login page
//! and a guardian's first page are measured against what Yew itself costs on the same machine,
//! in the same run. Never part of `dist/`.
//!
//! Its two texts are fixed, not catalogue keys: it is a measuring fixture, never shown to users.

use yew::prelude::*;

#[function_component]
fn Floor() -> Html {
    html! {
        <main>
            <h1>{ "Skolportalen" }</h1>
            <p>{ "Den minsta Yew-appen, som mått på vad ramverket själv kostar." }</p>
        </main>
    }
}

fn main() {
    yew::Renderer::<Floor>::new().render();
}
