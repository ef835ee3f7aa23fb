use skolportal_shared::password::{check, PasswordProblem, MAX_CHARS, MIN_CHARS};
use yew::prelude::*;

use crate::hooks::use_i18n;

#[derive(Properties, PartialEq)]
pub struct PasswordRulesProps {
    /// Referenced by the password input's `aria-describedby`.
    pub id: AttrValue,
    pub password: AttrValue,
}

/// The password policy as a checklist that follows what the person types. Each rule says in
/// words whether it is met; the icon (drawn by CSS) only repeats that.
#[function_component]
pub fn PasswordRules(props: &PasswordRulesProps) -> Html {
    let i18n = use_i18n();
    let problems = check(&props.password);
    let min = MIN_CHARS.to_string();
    let max = MAX_CHARS.to_string();
    let rules = [
        (
            PasswordProblem::TooShort,
            i18n.tf("password.rule_min_length", &[("count", &min)]),
        ),
        (
            PasswordProblem::NoUppercase,
            i18n.t("password.rule_uppercase").to_owned(),
        ),
        (
            PasswordProblem::NoDigit,
            i18n.t("password.rule_digit").to_owned(),
        ),
        (
            PasswordProblem::TooLong,
            i18n.tf("password.rule_max_length", &[("count", &max)]),
        ),
    ];
    let met_text = i18n.t("password.rule_met");
    let unmet_text = i18n.t("password.rule_unmet");
    html! {
        <div class="rules" id={props.id.clone()}>
            <p class="rules__title">{ i18n.t("password.rules_title") }</p>
            <ul class="rules__list">
                { for rules.into_iter().map(|(problem, text)| {
                    let met = !problems.contains(&problem);
                    let class = classes!("rule", if met { "rule--met" } else { "rule--unmet" });
                    html! {
                        <li {class}>
                            <span class="rule__text">{ text }</span>
                            { " " }
                            <span class="rule__state">{ if met { met_text } else { unmet_text } }</span>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}
