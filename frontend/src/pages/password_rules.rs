//! The password policy as the password page shows it, beside the new password.

use skolportal_shared::password::{check, PasswordProblem, MAX_CHARS, MIN_CHARS};
use yew::prelude::*;

use crate::i18n::I18n;

/// The password policy as a checklist that follows what the person types. Each rule says in
/// words whether it is met; the icon (drawn by CSS) only repeats that. `id` is referenced by the
/// password input's `aria-describedby`. (A function, not a component: every component costs the
/// wasm its own generic code.)
pub fn password_rules(i18n: &I18n, id: &'static str, password: &str) -> Html {
    let problems = check(password);
    let rules = [
        (
            PasswordProblem::TooShort,
            i18n.tn("password.rule_min_length", MIN_CHARS as u64, &[]),
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
            i18n.tn("password.rule_max_length", MAX_CHARS as u64, &[]),
        ),
    ];
    let met_text = i18n.t("password.rule_met");
    let unmet_text = i18n.t("password.rule_unmet");
    html! {
        <div class="rules" {id}>
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
