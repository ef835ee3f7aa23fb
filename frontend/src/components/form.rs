use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    /// The input's `id` and `name`; the label, hint and error ids derive from it.
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub oninput: Callback<String>,
    #[prop_or(AttrValue::Static("text"))]
    pub input_type: AttrValue,
    /// The `autocomplete` token, e.g. `username`, `current-password`, `email`.
    pub autocomplete: AttrValue,
    #[prop_or_default]
    pub inputmode: Option<AttrValue>,
    /// Help shown under the label.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// The field's own error, shown between label and input and linked to it.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// Further element ids that describe this input (a rule list, the form's error region).
    #[prop_or_default]
    pub describedby: Option<AttrValue>,
    #[prop_or_default]
    pub required: bool,
}

/// A labelled input with optional hint and error, wired with `aria-describedby` and
/// `aria-invalid`.
#[function_component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let hint_id = format!("{}-hint", props.id);
    let error_id = format!("{}-error", props.id);
    let describedby: Vec<&str> = [
        props.hint.as_ref().map(|_| hint_id.as_str()),
        props.error.as_ref().map(|_| error_id.as_str()),
        props.describedby.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let describedby = (!describedby.is_empty()).then(|| describedby.join(" "));
    let invalid = props.error.as_ref().map(|_| "true");
    let oninput = {
        let callback = props.oninput.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            callback.emit(input.value());
        })
    };
    let class = classes!("field", props.error.as_ref().map(|_| "field--error"));
    html! {
        <div {class}>
            <label class="field__label" for={props.id.clone()}>{ props.label.clone() }</label>
            if let Some(hint) = &props.hint {
                <p id={hint_id.clone()} class="field__hint">{ hint.clone() }</p>
            }
            if let Some(error) = &props.error {
                <p id={error_id.clone()} class="field__error">{ error.clone() }</p>
            }
            <input
                class="field__input"
                id={props.id.clone()}
                name={props.id.clone()}
                type={props.input_type.clone()}
                value={props.value.clone()}
                autocomplete={props.autocomplete.clone()}
                inputmode={props.inputmode.clone()}
                required={props.required}
                aria-required={props.required.then_some("true")}
                aria-invalid={invalid}
                aria-describedby={describedby}
                {oninput}
            />
        </div>
    }
}
