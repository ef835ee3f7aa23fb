use skolportal_shared::api::Address;
use yew::prelude::*;

/// One label–value row of a `<dl class="facts">`. A function rather than a component (it is used
/// in many places, and every component costs the wasm its own generic code).
pub fn fact(label: &str, value: Html) -> Html {
    html! {
        <div class="facts__row">
            <dt class="facts__label">{ label }</dt>
            <dd class="facts__value">{ value }</dd>
        </div>
    }
}

/// A whole `<dl class="facts">` of plain-text values, one row per `(label, value)`: one loop in
/// the wasm instead of markup per row, for the cards of applications, offers and places.
pub fn facts_list(rows: &[(&str, String)]) -> Html {
    html! {
        <dl class="facts">
            { for rows.iter().map(|(label, value)| fact(label, html! { { value.clone() } })) }
        </dl>
    }
}

/// A postal address on two lines: street, then postal code and city. Each line is isolated
/// (`<bdi>`): in an Arabic page "199 78 Solvik" would otherwise read "Solvik 78 199".
pub fn address_lines(address: &Address) -> Html {
    html! {
        <>
            <span class="line"><bdi>{ address.street.clone() }</bdi></span>
            <span class="line"><bdi>{ format!("{} {}", address.postal_code, address.city) }</bdi></span>
        </>
    }
}
