use skolportal_shared::api::Address;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FactProps {
    pub label: AttrValue,
    pub children: Html,
}

/// One label–value row of a `<dl class="facts">`.
#[function_component]
pub fn Fact(props: &FactProps) -> Html {
    html! {
        <div class="facts__row">
            <dt class="facts__label">{ props.label.clone() }</dt>
            <dd class="facts__value">{ props.children.clone() }</dd>
        </div>
    }
}

/// A postal address on two lines: street, then postal code and city.
pub fn address_lines(address: &Address) -> Html {
    html! {
        <>
            <span class="line">{ address.street.clone() }</span>
            <span class="line">{ format!("{} {}", address.postal_code, address.city) }</span>
        </>
    }
}
