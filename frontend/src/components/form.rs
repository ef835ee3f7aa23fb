use chrono::NaiveDate;
use skolportal_shared::wire_date::parse_date;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::html::IntoPropValue;
use yew::prelude::*;

/// A labelled input with optional hint and error, wired with `aria-describedby` and
/// `aria-invalid`: `TextField::new(…)` with the optional parts added, used as `{ field }` in
/// `html!`. A value rather than a component: every component costs the wasm its own generic code.
pub struct TextField {
    /// The input's `id` and `name`; the label, hint and error ids derive from it.
    id: AttrValue,
    label: AttrValue,
    value: AttrValue,
    oninput: Callback<String>,
    input_type: AttrValue,
    /// The `autocomplete` token, e.g. `username`, `current-password`, `email`.
    autocomplete: AttrValue,
    inputmode: Option<AttrValue>,
    /// Help shown under the label.
    hint: Option<AttrValue>,
    /// The field's own error, shown between label and input and linked to it.
    error: Option<AttrValue>,
    /// Further element ids that describe this input (a rule list, the form's error region).
    describedby: Option<AttrValue>,
    required: bool,
    /// Called when the input loses focus, for checks that wait until the person leaves a field.
    onblur: Option<Callback<()>>,
    /// The `min` attribute, e.g. the first month a `type="month"` input may take.
    min: Option<AttrValue>,
}

impl TextField {
    /// A text input; `autocomplete` is its token (`username`, `email`, `off`, …).
    pub fn new(
        id: impl Into<AttrValue>,
        label: impl Into<AttrValue>,
        value: impl Into<AttrValue>,
        oninput: Callback<String>,
        autocomplete: &'static str,
    ) -> Self {
        Self {
            id: id.into(),
            label: label.into(),
            value: value.into(),
            oninput,
            input_type: AttrValue::Static("text"),
            autocomplete: AttrValue::Static(autocomplete),
            inputmode: None,
            hint: None,
            error: None,
            describedby: None,
            required: false,
            onblur: None,
            min: None,
        }
    }

    /// `type`: `email`, `tel`, `password`, `month`, `date`, `search`.
    pub fn input_type(mut self, input_type: &'static str) -> Self {
        self.input_type = AttrValue::Static(input_type);
        self
    }

    pub fn inputmode(mut self, inputmode: &'static str) -> Self {
        self.inputmode = Some(AttrValue::Static(inputmode));
        self
    }

    pub fn hint(mut self, hint: impl Into<AttrValue>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn error(mut self, error: Option<impl Into<AttrValue>>) -> Self {
        self.error = error.map(Into::into);
        self
    }

    pub fn describedby(mut self, ids: Option<impl Into<AttrValue>>) -> Self {
        self.describedby = ids.map(Into::into);
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn onblur(mut self, onblur: Callback<()>) -> Self {
        self.onblur = Some(onblur);
        self
    }

    pub fn min(mut self, min: impl Into<AttrValue>) -> Self {
        self.min = Some(min.into());
        self
    }
}

// Both conversions, for the two places `html!` takes a `{ field }`.
impl From<TextField> for Html {
    fn from(field: TextField) -> Html {
        text_field(&field)
    }
}

impl IntoPropValue<Html> for TextField {
    fn into_prop_value(self) -> Html {
        text_field(&self)
    }
}

fn text_field(props: &TextField) -> Html {
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
    // Also on `change`: some changes fire no `input` (WebDriver's clear, some autofill), and a
    // re-render would otherwise put the old value back.
    let onchange = {
        let callback = props.oninput.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            callback.emit(input.value());
        })
    };
    let onblur = props
        .onblur
        .clone()
        .map(|callback| Callback::from(move |_: FocusEvent| callback.emit(())));
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
                min={props.min.clone()}
                {oninput}
                {onchange}
                {onblur}
            />
        </div>
    }
}

/// What is wrong with a date typed into a date field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    Empty,
    /// Not a date written `YYYY-MM-DD` (browsers without a date picker show a text box).
    Invalid,
    /// Before the first date the field takes.
    TooEarly,
}

/// A date field's value as a date on or after `min`.
pub fn check_date(text: &str, min: NaiveDate) -> Result<NaiveDate, DateProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DateProblem::Empty);
    }
    let date = parse_date(text).ok_or(DateProblem::Invalid)?;
    if date < min {
        return Err(DateProblem::TooEarly);
    }
    Ok(date)
}

/// A labelled `<select>`: `options` are `(value, text)`, the first one with an empty value (the
/// "choose" line) when nothing needs to be chosen yet. The error is shown and wired like a
/// [`TextField`]'s. A function rather than a component, like the others here.
pub fn select_field(
    id: &'static str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    onchange: Callback<String>,
    error: Option<&str>,
) -> Html {
    let error_id = format!("{id}-error");
    let onchange = Callback::from(move |event: Event| {
        let select: HtmlSelectElement = event.target_unchecked_into();
        onchange.emit(select.value());
    });
    html! {
        <div class={classes!("field", error.map(|_| "field--error"))}>
            <label class="field__label" for={id}>{ label }</label>
            if let Some(error) = error {
                <p id={error_id.clone()} class="field__error">{ error }</p>
            }
            <select
                class="field__input"
                {id}
                name={id}
                aria-invalid={error.map(|_| "true")}
                aria-describedby={error.map(|_| error_id)}
                {onchange}
            >
                { for options.iter().map(|(value, text)| html! {
                    <option value={value.clone()} selected={value == selected}>{ text }</option>
                }) }
            </select>
        </div>
    }
}

/// One choice of a [`RadioGroup`].
#[derive(Clone, PartialEq)]
pub struct RadioOption {
    /// The radio input's `id`.
    pub id: AttrValue,
    pub value: AttrValue,
    pub label: AttrValue,
}

/// What [`radio_group`] shows.
pub struct RadioGroupProps {
    /// The fieldset's `id`; the hint and error ids derive from it.
    pub id: AttrValue,
    /// The question, as the fieldset's `legend`.
    pub legend: AttrValue,
    /// The inputs' shared `name`.
    pub name: AttrValue,
    pub options: Vec<RadioOption>,
    /// The `value` of the checked option, if any.
    pub selected: Option<AttrValue>,
    /// Called with the `value` of the option the person picks.
    pub onchange: Callback<AttrValue>,
    pub hint: Option<AttrValue>,
    pub error: Option<AttrValue>,
}

/// A question with one answer among a few: a `fieldset` whose `legend` is the question, one
/// labelled radio button per answer, and a hint and error tied to the group.
///
/// A function rather than a component: every component costs the wasm its own generic code.
pub fn radio_group(props: &RadioGroupProps) -> Html {
    let hint_id = format!("{}-hint", props.id);
    let error_id = format!("{}-error", props.id);
    let describedby: Vec<&str> = [
        props.hint.as_ref().map(|_| hint_id.as_str()),
        props.error.as_ref().map(|_| error_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let describedby = (!describedby.is_empty()).then(|| describedby.join(" "));
    let class = classes!(
        "field",
        "radio-group",
        props.error.as_ref().map(|_| "field--error")
    );
    html! {
        <fieldset id={props.id.clone()} {class} aria-describedby={describedby}>
            <legend class="field__label radio-group__legend">{ props.legend.clone() }</legend>
            if let Some(hint) = &props.hint {
                <p id={hint_id.clone()} class="field__hint">{ hint.clone() }</p>
            }
            if let Some(error) = &props.error {
                <p id={error_id.clone()} class="field__error">{ error.clone() }</p>
            }
            { for props.options.iter().map(|option| {
                let checked = props.selected.as_ref() == Some(&option.value);
                let onchange = {
                    let callback = props.onchange.clone();
                    let value = option.value.clone();
                    Callback::from(move |_: Event| callback.emit(value.clone()))
                };
                html! {
                    <div class="radio">
                        <input
                            class="radio__input"
                            type="radio"
                            id={option.id.clone()}
                            name={props.name.clone()}
                            value={option.value.clone()}
                            {checked}
                            {onchange}
                        />
                        <label class="radio__label" for={option.id.clone()}>{ option.label.clone() }</label>
                    </div>
                }
            }) }
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_a_date_input_writes_them() {
        let min = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(
            check_date(" 2027-01-11 ", min),
            NaiveDate::from_ymd_opt(2027, 1, 11).ok_or(DateProblem::Invalid)
        );
        assert_eq!(check_date("2026-11-24", min), Ok(min));
        assert_eq!(check_date("2026-11-23", min), Err(DateProblem::TooEarly));
        assert_eq!(check_date("", min), Err(DateProblem::Empty));
        for bad in [
            "2027-1-11",
            "2027-02-30",
            "11/01/2027",
            "2027-01-11-1",
            "+207-01-11",
            "2027-01-1x",
        ] {
            assert_eq!(check_date(bad, min), Err(DateProblem::Invalid), "{bad}");
        }
    }
}
