//! The municipality administrator's settings (`/handlaggare/installningar`): the municipality's
//! rules, its look (with the contrast check the server makes, shown as one types), each unit's
//! hours, lock days and places; and the history of changes (`/handlaggare/installningar/historik`).

use skolportal_shared::api::{
    MunicipalityLook, MunicipalityRules, MunicipalitySettingsView, Role, SettingChange, SettingKey,
    Theme, UnitKind, UnitSettings, UnitSettingsView,
};
use skolportal_shared::lang::Lang;
use skolportal_shared::theme::{self, ThemeColour, ThemeError};
use uuid::Uuid;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::app::Route;
use crate::components::{
    back_link, cell, data_table, error_alert, link, loading, select_field, status_message,
    time_html, TextField,
};
use crate::hooks::{use_i18n, use_me, use_title, MeState};
use crate::i18n::I18n;

enum Load<T> {
    Loading,
    Loaded(T),
    Failed(ClientError),
}

/// A whole number typed into a field, or the field's error.
fn number<T: std::str::FromStr + PartialOrd + Copy>(text: &str, low: T, high: T) -> Option<T> {
    text.trim()
        .parse::<T>()
        .ok()
        .filter(|v| *v >= low && *v <= high)
}

#[function_component]
pub fn SettingsPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("settings.title"));
    // Back to "Handläggning" for an officer, to the administration's start for anyone else.
    let back = match use_me() {
        MeState::Ready(me) if me.roles.contains(&Role::Officer) => "officer.back",
        _ => "settings.back_start",
    };
    let state = use_state(|| Load::<MunicipalitySettingsView>::Loading);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                state.set(match api::admin_settings().await {
                    Ok(view) => Load::Loaded(view),
                    Err(err) => Load::Failed(err),
                });
            });
        });
    }
    let body = match &*state {
        Load::Loading => loading(&i18n),
        Load::Failed(err) if err.is_unauthenticated() => loading(&i18n),
        Load::Failed(err) => error_alert(&i18n, "settings-load-error", Some(err), None),
        Load::Loaded(view) => html! {
            <>
                <RulesForm rules={view.rules.clone()} />
                <LookForm look={view.look.clone()} />
                <UnitForm units={view.units.clone()} />
            </>
        },
    };
    html! {
        <div class="page officer settings">
            { back_link(Route::Officer, i18n.t(back)) }
            <h1>{ i18n.t("settings.title") }</h1>
            <p class="lead">{ i18n.t("settings.intro") }</p>
            <p>{ link(Route::OfficerSettingsHistory, "", html! { { i18n.t("settings.history_link") } }) }</p>
            { body }
        </div>
    }
}

/// Saving one form: busy while it goes, then "saved" or the error.
#[derive(Clone, PartialEq)]
enum Saving {
    Idle,
    Busy,
    Saved,
    Failed(ClientError),
}

fn saving_html(i18n: &I18n, id: &'static str, saving: &Saving, check: Option<&str>) -> Html {
    let error = match saving {
        Saving::Failed(err) => Some(err),
        _ => None,
    };
    html! {
        <>
            { status_message(id, (*saving == Saving::Saved).then(|| i18n.t("settings.saved"))) }
            { error_alert(i18n, match id {
                "settings-rules-status" => "settings-rules-error",
                "settings-look-status" => "settings-look-error",
                _ => "settings-unit-error",
            }, error, check) }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct RulesProps {
    rules: MunicipalityRules,
}

/// The numbers as typed, and the two choices.
#[derive(Clone, PartialEq)]
struct RulesDraft {
    numbers: [String; 7],
    two_guardian_signing: bool,
    leave_both_guardians: bool,
}

/// Each number field: its key, its range, and how it is read back into the rules.
const NUMBER_FIELDS: [(&str, u32, u32); 7] = [
    ("settings.offer_answer_days", 1, 60),
    ("settings.notice_period_months", 0, 6),
    ("settings.first_graded_school_year", 6, 9),
    ("settings.leave_mentor_days", 0, 10),
    ("settings.absence_follow_up_percent", 0, 100),
    ("settings.absence_follow_up_unexcused", 0, 100),
    ("settings.consent_reminder_days", 0, 60),
];

impl RulesDraft {
    fn of(r: &MunicipalityRules) -> Self {
        Self {
            numbers: [
                r.offer_answer_days.to_string(),
                r.notice_period_months.to_string(),
                r.first_graded_school_year.to_string(),
                r.leave_mentor_days.to_string(),
                r.absence_follow_up_percent.to_string(),
                r.absence_follow_up_unexcused.to_string(),
                r.consent_reminder_days.to_string(),
            ],
            two_guardian_signing: r.two_guardian_signing,
            leave_both_guardians: r.leave_both_guardians,
        }
    }

    /// The rules, or the index of the first field that is not a number in its range.
    fn rules(&self) -> Result<MunicipalityRules, usize> {
        let mut values = [0u32; 7];
        for (i, (text, (_, low, high))) in self.numbers.iter().zip(NUMBER_FIELDS).enumerate() {
            values[i] = number(text, low, high).ok_or(i)?;
        }
        Ok(MunicipalityRules {
            offer_answer_days: values[0],
            notice_period_months: values[1],
            two_guardian_signing: self.two_guardian_signing,
            first_graded_school_year: i32::try_from(values[2]).unwrap_or(6),
            leave_mentor_days: values[3],
            leave_both_guardians: self.leave_both_guardians,
            absence_follow_up_percent: values[4],
            absence_follow_up_unexcused: values[5],
            consent_reminder_days: values[6],
        })
    }
}

#[function_component]
fn RulesForm(props: &RulesProps) -> Html {
    let i18n = use_i18n();
    let draft = use_state(|| RulesDraft::of(&props.rules));
    let saving = use_state(|| Saving::Idle);
    let invalid = use_state(|| None::<usize>);
    let onsubmit = {
        let (draft, saving, invalid) = (draft.clone(), saving.clone(), invalid.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *saving == Saving::Busy {
                return;
            }
            let rules = match draft.rules() {
                Ok(rules) => rules,
                Err(field) => {
                    invalid.set(Some(field));
                    saving.set(Saving::Idle);
                    return;
                }
            };
            invalid.set(None);
            saving.set(Saving::Busy);
            let saving = saving.clone();
            spawn_local(async move {
                saving.set(match api::save_rules(&rules).await {
                    Ok(()) => Saving::Saved,
                    Err(err) => Saving::Failed(err),
                });
            });
        })
    };
    let fields = NUMBER_FIELDS
        .iter()
        .enumerate()
        .map(|(i, (key, low, high))| {
            let oninput = {
                let draft = draft.clone();
                Callback::from(move |value: String| {
                    let mut next = (*draft).clone();
                    next.numbers[i] = value;
                    draft.set(next);
                })
            };
            let id = format!("rules-{}", key.trim_start_matches("settings."));
            let range = i18n.tf(
                "settings.range",
                &[("low", &low.to_string()), ("high", &high.to_string())],
            );
            let error = (*invalid == Some(i)).then(|| {
                i18n.tf(
                    "settings.number_error",
                    &[("low", &low.to_string()), ("high", &high.to_string())],
                )
            });
            html! {
                { TextField::new(id, i18n.t(key), draft.numbers[i].clone(), oninput, "off")
                    .input_type("number")
                    .inputmode("numeric")
                    .hint(range)
                    .error(error) }
            }
        });
    let checkbox =
        |id: &'static str, key: &'static str, checked: bool, flip: fn(&mut RulesDraft)| {
            let draft = draft.clone();
            let onchange = Callback::from(move |_: Event| {
                let mut next = (*draft).clone();
                flip(&mut next);
                draft.set(next);
            });
            html! {
                <div class="checkbox">
                    <input class="checkbox__input" type="checkbox" {id} {checked} {onchange} />
                    <label class="checkbox__label" for={id}>{ i18n.t(key) }</label>
                </div>
            }
        };
    html! {
        <section class="section" aria-labelledby="settings-rules-heading">
            <h2 id="settings-rules-heading">{ i18n.t("settings.rules_heading") }</h2>
            <form class="form settings-form" novalidate=true {onsubmit}>
                { for fields }
                { checkbox("rules-two-guardian-signing", "settings.two_guardian_signing",
                    draft.two_guardian_signing, |d| d.two_guardian_signing = !d.two_guardian_signing) }
                { checkbox("rules-leave-both-guardians", "settings.leave_both_guardians",
                    draft.leave_both_guardians, |d| d.leave_both_guardians = !d.leave_both_guardians) }
                { saving_html(&i18n, "settings-rules-status", &saving, None) }
                <button type="submit" class="button button--primary" aria-busy={(*saving == Saving::Busy).then_some("true")}>
                    { i18n.t("settings.save_rules") }
                </button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct LookProps {
    look: MunicipalityLook,
}

fn colour_key(colour: ThemeColour) -> &'static str {
    match colour {
        ThemeColour::Primary => "settings.colour_primary",
        ThemeColour::OnPrimary => "settings.colour_on_primary",
        ThemeColour::Background => "settings.colour_background",
        ThemeColour::Text => "settings.colour_text",
        ThemeColour::Accent => "settings.colour_accent",
        ThemeColour::Surface => "settings.colour_surface",
    }
}

/// A label in the middle of a sentence ("mot sidans bakgrund").
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What the theme check says, in words: `None` when the theme passes.
fn theme_problems(i18n: &I18n, theme: &Theme) -> Option<Vec<String>> {
    match theme::check(theme) {
        Ok(()) => None,
        Err(ThemeError::NotAColour(role)) => Some(vec![i18n.tf(
            "settings.not_a_colour",
            &[("colour", i18n.t(colour_key(role)))],
        )]),
        Err(ThemeError::Contrast(failures)) => Some(
            failures
                .iter()
                .map(|f| {
                    i18n.tf(
                        "settings.contrast_failure",
                        &[
                            ("foreground", i18n.t(colour_key(f.foreground))),
                            ("background", &lower_first(i18n.t(colour_key(f.background)))),
                            ("ratio", &format!("{:.2}", f.ratio).replace('.', ",")),
                            ("required", &format!("{}", f.required).replace('.', ",")),
                        ],
                    )
                })
                .collect(),
        ),
    }
}

/// Where in a theme one colour field writes.
type ColourField = fn(&mut Theme) -> &mut String;

#[function_component]
fn LookForm(props: &LookProps) -> Html {
    let i18n = use_i18n();
    let look = use_state(|| props.look.clone());
    let saving = use_state(|| Saving::Idle);
    let problems = theme_problems(&i18n, &look.theme);
    let onsubmit = {
        let (look, saving) = (look.clone(), saving.clone());
        let blocked = problems.is_some();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *saving == Saving::Busy || blocked {
                return;
            }
            saving.set(Saving::Busy);
            let (body, saving) = ((*look).clone(), saving.clone());
            spawn_local(async move {
                saving.set(match api::save_look(&body).await {
                    Ok(()) => Saving::Saved,
                    Err(err) => Saving::Failed(err),
                });
            });
        })
    };
    let colours: [(ThemeColour, &str, ColourField); 5] = [
        (ThemeColour::Primary, "look-primary", |t| &mut t.primary),
        (ThemeColour::OnPrimary, "look-on-primary", |t| {
            &mut t.on_primary
        }),
        (ThemeColour::Background, "look-background", |t| {
            &mut t.background
        }),
        (ThemeColour::Text, "look-text", |t| &mut t.text),
        (ThemeColour::Accent, "look-accent", |t| &mut t.accent),
    ];
    let colour_fields = colours.into_iter().map(|(role, id, field)| {
        let value = {
            let mut theme = look.theme.clone();
            field(&mut theme).clone()
        };
        let oninput = {
            let look = look.clone();
            Callback::from(move |text: String| {
                let mut next = (*look).clone();
                *field(&mut next.theme) = text;
                look.set(next);
            })
        };
        // An SVG's fill, not a style attribute: the CSP allows no inline styles.
        let swatch = theme::Rgb::parse(&value).map(|_| value.trim().to_owned());
        html! {
            <div class="settings-colour">
                { TextField::new(id, i18n.t(colour_key(role)), value, oninput, "off")
                    .hint(i18n.t("settings.colour_hint"))
                    .describedby(problems.as_ref().map(|_| "look-contrast")) }
                <svg class="settings-colour__swatch" aria-hidden="true" width="44" height="44" viewBox="0 0 44 44">
                    <rect x="0.5" y="0.5" width="43" height="43" rx="4"
                        fill={swatch.unwrap_or_else(|| "none".to_owned())} stroke="currentColor" />
                </svg>
            </div>
        }
    });
    let logo_input = {
        let look = look.clone();
        Callback::from(move |text: String| {
            let mut next = (*look).clone();
            next.logo_url = Some(text).filter(|t| !t.trim().is_empty());
            look.set(next);
        })
    };
    let languages = Lang::ALL.iter().map(|lang| {
        let code = lang.code();
        let id = format!("look-lang-{code}");
        let checked = look.languages.iter().any(|l| l == code);
        let name = i18n.t(&format!("lang.{code}")).to_owned();
        let onchange = {
            let look = look.clone();
            Callback::from(move |_: Event| {
                let mut next = (*look).clone();
                if next.languages.iter().any(|l| l == code) {
                    next.languages.retain(|l| l != code);
                } else {
                    next.languages.push(code.to_owned());
                }
                look.set(next);
            })
        };
        html! {
            <div class="checkbox">
                <input class="checkbox__input" type="checkbox" id={id.clone()} {checked}
                    disabled={*lang == Lang::Sv} {onchange} />
                <label class="checkbox__label" for={id}>{ name }</label>
            </div>
        }
    });
    html! {
        <section class="section" aria-labelledby="settings-look-heading">
            <h2 id="settings-look-heading">{ i18n.t("settings.look_heading") }</h2>
            <p>{ i18n.t("settings.look_intro") }</p>
            <form class="form settings-form" novalidate=true {onsubmit}>
                { for colour_fields }
                <div id="look-contrast" class="settings-contrast" aria-live="polite">
                    if let Some(problems) = &problems {
                        <p class="field__error">{ i18n.t("settings.contrast_heading") }</p>
                        <ul>
                            { for problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }
                        </ul>
                    } else {
                        <p class="hint">{ i18n.t("settings.contrast_ok") }</p>
                    }
                </div>
                { TextField::new("look-logo", i18n.t("settings.logo_url"),
                    look.logo_url.clone().unwrap_or_default(), logo_input, "url")
                    .input_type("url")
                    .hint(i18n.t("settings.logo_hint")) }
                <fieldset class="field checkbox-group">
                    <legend class="field__label">{ i18n.t("settings.languages") }</legend>
                    { for languages }
                </fieldset>
                { saving_html(&i18n, "settings-look-status", &saving, None) }
                <button type="submit" class="button button--primary" aria-disabled={problems.is_some().then_some("true")}
                    aria-busy={(*saving == Saving::Busy).then_some("true")}>
                    { i18n.t("settings.save_look") }
                </button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct UnitProps {
    units: Vec<UnitSettingsView>,
}

#[derive(Clone, PartialEq)]
struct UnitDraft {
    opens_at: String,
    closes_at: String,
    lock_days: String,
    capacity: String,
}

impl UnitDraft {
    fn of(s: &UnitSettings) -> Self {
        Self {
            opens_at: s.opens_at.clone(),
            closes_at: s.closes_at.clone(),
            lock_days: s.schedule_lock_working_days.to_string(),
            capacity: s.capacity.map(|c| c.to_string()).unwrap_or_default(),
        }
    }
}

#[function_component]
fn UnitForm(props: &UnitProps) -> Html {
    let i18n = use_i18n();
    let chosen = use_state(|| None::<Uuid>);
    let draft = use_state(|| None::<UnitDraft>);
    let saving = use_state(|| Saving::Idle);
    let check = use_state(|| None::<&'static str>);
    let unit = chosen.and_then(|id| props.units.iter().find(|u| u.unit_id == id));
    let onchoose = {
        let (chosen, draft, saving, check) =
            (chosen.clone(), draft.clone(), saving.clone(), check.clone());
        let units = props.units.clone();
        Callback::from(move |value: String| {
            let id = value.parse::<Uuid>().ok();
            chosen.set(id);
            draft.set(
                id.and_then(|id| units.iter().find(|u| u.unit_id == id))
                    .map(|u| UnitDraft::of(&u.settings)),
            );
            saving.set(Saving::Idle);
            check.set(None);
        })
    };
    let options: Vec<(String, String)> =
        std::iter::once((String::new(), i18n.t("settings.choose_unit").to_owned()))
            .chain(
                props
                    .units
                    .iter()
                    .map(|u| (u.unit_id.to_string(), u.name.clone())),
            )
            .collect();
    let selected = chosen.map(|id| id.to_string()).unwrap_or_default();
    let form = match (unit, &*draft) {
        (Some(unit), Some(d)) => {
            let is_school = unit.kind == UnitKind::School;
            let set = |apply: fn(&mut UnitDraft, String)| {
                let draft = draft.clone();
                Callback::from(move |value: String| {
                    if let Some(mut next) = (*draft).clone() {
                        apply(&mut next, value);
                        draft.set(Some(next));
                    }
                })
            };
            let onsubmit = {
                let (draft, saving, check) = (draft.clone(), saving.clone(), check.clone());
                let id = unit.unit_id;
                Callback::from(move |event: SubmitEvent| {
                    event.prevent_default();
                    let Some(d) = (*draft).clone() else { return };
                    if *saving == Saving::Busy {
                        return;
                    }
                    let lock = number::<i32>(&d.lock_days, 0, 20);
                    let capacity = if is_school || d.capacity.trim().is_empty() {
                        Some(None)
                    } else {
                        number::<i32>(&d.capacity, 0, 2000).map(Some)
                    };
                    let (Some(lock), Some(capacity)) = (lock, capacity) else {
                        check.set(Some("settings.unit_number_error"));
                        return;
                    };
                    if d.closes_at.trim() <= d.opens_at.trim() {
                        check.set(Some("settings.hours_error"));
                        return;
                    }
                    check.set(None);
                    saving.set(Saving::Busy);
                    let body = UnitSettings {
                        opens_at: d.opens_at.trim().to_owned(),
                        closes_at: d.closes_at.trim().to_owned(),
                        schedule_lock_working_days: lock,
                        capacity,
                    };
                    let saving = saving.clone();
                    spawn_local(async move {
                        saving.set(match api::save_unit_settings(id, &body).await {
                            Ok(()) => Saving::Saved,
                            Err(err) => Saving::Failed(err),
                        });
                    });
                })
            };
            html! {
                <form class="form settings-form" novalidate=true {onsubmit} key={unit.unit_id.to_string()}>
                    { TextField::new("unit-opens", i18n.t("settings.opens_at"), d.opens_at.clone(),
                        set(|d, v| d.opens_at = v), "off").input_type("time") }
                    { TextField::new("unit-closes", i18n.t("settings.closes_at"), d.closes_at.clone(),
                        set(|d, v| d.closes_at = v), "off").input_type("time") }
                    { TextField::new("unit-lock-days", i18n.t("settings.lock_days"), d.lock_days.clone(),
                        set(|d, v| d.lock_days = v), "off")
                        .input_type("number").inputmode("numeric")
                        .hint(i18n.t("settings.lock_days_hint")) }
                    if !is_school {
                        { TextField::new("unit-capacity", i18n.t("settings.capacity"), d.capacity.clone(),
                            set(|d, v| d.capacity = v), "off")
                            .input_type("number").inputmode("numeric") }
                    }
                    { saving_html(&i18n, "settings-unit-status", &saving, (*check).map(|key| i18n.t(key))) }
                    <button type="submit" class="button button--primary" aria-busy={(*saving == Saving::Busy).then_some("true")}>
                        { i18n.t("settings.save_unit") }
                    </button>
                </form>
            }
        }
        _ => Html::default(),
    };
    html! {
        <section class="section" aria-labelledby="settings-units-heading">
            <h2 id="settings-units-heading">{ i18n.t("settings.units_heading") }</h2>
            <p>{ i18n.t("settings.units_intro") }</p>
            { select_field("settings-unit", i18n.t("settings.unit"), &options, &selected, onchoose, None) }
            { form }
        </section>
    }
}

fn setting_key_text(i18n: &I18n, key: SettingKey) -> String {
    i18n.t(&format!("settings.key.{}", key.code())).to_owned()
}

#[function_component]
pub fn SettingsHistoryPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("settings.history_title"));
    let state = use_state(|| Load::<Vec<SettingChange>>::Loading);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                state.set(match api::settings_history().await {
                    Ok(changes) => Load::Loaded(changes),
                    Err(err) => Load::Failed(err),
                });
            });
        });
    }
    let body = match &*state {
        Load::Loading => loading(&i18n),
        Load::Failed(err) if err.is_unauthenticated() => loading(&i18n),
        Load::Failed(err) => error_alert(&i18n, "history-load-error", Some(err), None),
        Load::Loaded(changes) if changes.is_empty() => html! {
            <p class="empty-state">{ i18n.t("settings.history_none") }</p>
        },
        Load::Loaded(changes) => {
            let headers = [
                i18n.t("settings.col_when"),
                i18n.t("settings.col_who"),
                i18n.t("settings.col_setting"),
                i18n.t("settings.col_old"),
                i18n.t("settings.col_new"),
            ];
            let rows = html! {
                { for changes.iter().map(|c| html! {
                    <tr class="data-table__row" role="row" key={c.id.to_string()}>
                        { cell(headers[0], time_html(&i18n, c.changed_at)) }
                        { cell(headers[1], html! { { c.changed_by.clone() } }) }
                        { cell(headers[2], html! { {
                            match &c.unit_name {
                                Some(unit) => format!("{} · {unit}", setting_key_text(&i18n, c.setting)),
                                None => setting_key_text(&i18n, c.setting),
                            }
                        } }) }
                        { cell(headers[3], html! { <code class="settings-value">{ c.old_value.clone() }</code> }) }
                        { cell(headers[4], html! { <code class="settings-value">{ c.new_value.clone() }</code> }) }
                    </tr>
                }) }
            };
            data_table(
                "settings-history-heading",
                "settings-history",
                &headers,
                rows,
            )
        }
    };
    html! {
        <div class="page page--wide officer settings-history">
            { back_link(Route::OfficerSettings, i18n.t("settings.back")) }
            <h1 id="settings-history-heading">{ i18n.t("settings.history_title") }</h1>
            <p class="lead">{ i18n.t("settings.history_intro") }</p>
            { body }
        </div>
    }
}
