//! The municipality administrator's settings (`/handlaggare/installningar`): the municipality's
//! rules, its look (with the contrast check the server makes, shown as one types), each unit's
//! hours, lock days and places; and the history of changes (`/handlaggare/installningar/historik`).

use skolportal_shared::api::{
    ConsentKind, ConsentKindSetting, ConsentPurpose, ConsentRequirement, MunicipalityConsentKinds,
    MunicipalityEmbedding, MunicipalityLook, MunicipalityRules, MunicipalitySettingsView, Role,
    SettingChange, SettingKey, Theme, UnitKind, UnitSettings, UnitSettingsView,
};
use skolportal_shared::embed;
use skolportal_shared::fee::FeePeriod;
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
pub(crate) fn number<T: std::str::FromStr + PartialOrd + Copy>(
    text: &str,
    low: T,
    high: T,
) -> Option<T> {
    text.trim()
        .parse::<T>()
        .ok()
        .filter(|v| *v >= low && *v <= high)
}

#[function_component]
pub fn SettingsPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("settings.title"));
    // The administrator's start; an administrator who is also an officer has a way back.
    let me = use_me();
    let officer = matches!(&me, MeState::Ready(me) if me.roles.contains(&Role::Officer));
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
                <FeeForm periods={view.fee_periods.clone()} />
                <UnitForm units={view.units.clone()} />
                <KioskDevices units={view.units.clone()} />
                <ConsentKindsForm kinds={view.consent_kinds.clone()} />
                <EmbeddingForm embedding={view.embedding.clone()} />
                <Widgets />
            </>
        },
    };
    html! {
        <div class="page officer settings">
            if officer {
                { back_link(Route::Officer, i18n.t("officer.back")) }
            }
            <h1>{ i18n.t("settings.title") }</h1>
            <p class="lead">{ i18n.t("settings.intro") }</p>
            <p class="settings__links">
                { link(Route::AdministrationHistory, "", html! { { i18n.t("settings.history_link") } }) }
                { link(Route::AdministrationRetention, "", html! { { i18n.t("settings.retention_link") } }) }
            </p>
            { body }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct KioskProps {
    units: Vec<UnitSettingsView>,
}

/// The preschools' entrance tablets: a one-time code to pair one, and the paired ones, each
/// with "Koppla bort".
#[function_component]
fn KioskDevices(props: &KioskProps) -> Html {
    let i18n = use_i18n();
    let chosen = use_state(String::new);
    let code = use_state(|| None::<skolportal_shared::api::KioskPairingCode>);
    let devices =
        use_state(|| None::<Result<Vec<skolportal_shared::api::KioskDevice>, ClientError>>);
    let failed = use_state(|| None::<ClientError>);
    let generation = use_state(|| 0u32);
    {
        let devices = devices.clone();
        use_effect_with(*generation, move |_| {
            spawn_local(async move { devices.set(Some(api::kiosk_devices().await)) });
        });
    }
    let options: Vec<(String, String)> =
        std::iter::once((String::new(), i18n.t("settings.choose_unit").to_owned()))
            .chain(
                props
                    .units
                    .iter()
                    .filter(|u| u.kind != UnitKind::School)
                    .map(|u| (u.unit_id.to_string(), u.name.clone())),
            )
            .collect();
    let onchoose = {
        let (chosen, code) = (chosen.clone(), code.clone());
        Callback::from(move |value: String| {
            code.set(None);
            chosen.set(value);
        })
    };
    let make = {
        let (chosen, code, failed) = (chosen.clone(), code.clone(), failed.clone());
        Callback::from(move |_: MouseEvent| {
            let Ok(unit_id) = chosen.parse::<Uuid>() else {
                return;
            };
            let (code, failed) = (code.clone(), failed.clone());
            spawn_local(async move {
                match api::kiosk_pairing(unit_id).await {
                    Ok(made) => {
                        failed.set(None);
                        code.set(Some(made));
                    }
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    let list = match &*devices {
        None => loading(&i18n),
        Some(Err(err)) => error_alert(&i18n, "settings-kiosk-list-error", Some(err), None),
        Some(Ok(list)) if list.is_empty() => {
            html! { <p class="empty-state">{ i18n.t("settings.kiosk_none") }</p> }
        }
        Some(Ok(list)) => html! {
            <ul class="item-list" aria-labelledby="settings-kiosk-heading">
                { for list.iter().map(|d| {
                    let (generation, failed, id) = (generation.clone(), failed.clone(), d.id);
                    let unpair = Callback::from(move |_: MouseEvent| {
                        let (generation, failed) = (generation.clone(), failed.clone());
                        spawn_local(async move {
                            match api::kiosk_unpair(id).await {
                                Ok(()) => generation.set(*generation + 1),
                                Err(err) => failed.set(Some(err)),
                            }
                        });
                    });
                    html! {
                        <li class="item-list__item" key={d.id.to_string()}>
                            <span class="item-list__name">{ format!("{} · {}", d.name, d.unit_name) }</span>
                            <span class="item-list__detail">{ i18n.tf("settings.kiosk_paired", &[("time", &i18n.date_time(d.paired_at))]) }</span>
                            <button type="button" class="button button--secondary" onclick={unpair}
                                aria-label={i18n.tf("settings.kiosk_unpair_named", &[("name", &d.name)])}>
                                { i18n.t("settings.kiosk_unpair") }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        },
    };
    html! {
        <section class="section" aria-labelledby="settings-kiosk-heading">
            <h2 id="settings-kiosk-heading">{ i18n.t("settings.kiosk_heading") }</h2>
            <p>{ i18n.t("settings.kiosk_intro") }</p>
            { select_field("settings-kiosk-unit", i18n.t("settings.unit"), &options, &chosen, onchoose, None) }
            <button type="button" id="settings-kiosk-code" class="button button--secondary"
                disabled={chosen.is_empty()} onclick={make}>{ i18n.t("settings.kiosk_make_code") }</button>
            { error_alert(&i18n, "settings-kiosk-error", failed.as_ref(), None) }
            <div role="status" aria-live="polite">
                if let Some(made) = &*code {
                    <p class="kiosk-code">
                        { i18n.tf("settings.kiosk_code", &[
                            ("unit", &made.unit_name),
                            ("time", &crate::i18n::clock_time(made.expires_at)),
                        ]) }
                        <strong class="kiosk-code__value">{ made.code.clone() }</strong>
                    </p>
                }
            </div>
            <h3>{ i18n.t("settings.kiosk_paired_heading") }</h3>
            { list }
        </section>
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
                "settings-fee-status" => "settings-fee-error",
                "settings-embedding-status" => "settings-embedding-error",
                "settings-consents-status" => "settings-consents-error",
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
    let name_input = {
        let look = look.clone();
        Callback::from(move |text: String| {
            let mut next = (*look).clone();
            next.name = text;
            look.set(next);
        })
    };
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
                { TextField::new("look-name", i18n.t("settings.name"), look.name.clone(), name_input, "organization")
                    .hint(i18n.t("settings.name_hint")) }
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
struct FeeProps {
    periods: Vec<FeePeriod>,
}

/// A rate as a person writes it ("3", "2,5") in basis points.
fn rate_bp(text: &str) -> Option<u32> {
    let value: f64 = text.trim().replace(',', ".").parse().ok()?;
    (0.0..=100.0)
        .contains(&value)
        .then(|| (value * 100.0).round() as u32)
}

fn percent(bp: u32) -> String {
    let text = format!("{}", f64::from(bp) / 100.0);
    text.replace('.', ",")
}

/// The new period as typed: the month, the amounts in kronor and the six rates in percent.
#[derive(Clone, PartialEq, Default)]
struct FeeDraft {
    month: String,
    max_fee_base: String,
    disregarded_income: String,
    rates: [String; 6],
}

impl FeeDraft {
    /// The period, with the allmän förskola rule of the latest period (a setting of its own).
    fn period(&self, latest: Option<&FeePeriod>) -> Option<FeePeriod> {
        let valid_from =
            skolportal_shared::wire_date::parse_date(&format!("{}-01", self.month.trim()))?;
        let kronor = |t: &str| number::<u32>(t, 0, 1_000_000);
        let mut rates = [0u32; 6];
        for (rate, text) in rates.iter_mut().zip(&self.rates) {
            *rate = rate_bp(text)?;
        }
        Some(FeePeriod {
            valid_from,
            max_fee_base: kronor(&self.max_fee_base)?,
            disregarded_income: kronor(&self.disregarded_income)?,
            preschool_rates_bp: [rates[0], rates[1], rates[2]],
            fritidshem_rates_bp: [rates[3], rates[4], rates[5]],
            allman_forskola: latest?.allman_forskola.clone(),
        })
    }
}

#[function_component]
fn FeeForm(props: &FeeProps) -> Html {
    let i18n = use_i18n();
    let periods = use_state(|| props.periods.clone());
    let draft = use_state(|| {
        let mut d = FeeDraft::default();
        if let Some(latest) = props.periods.last() {
            d.max_fee_base = latest.max_fee_base.to_string();
            d.disregarded_income = latest.disregarded_income.to_string();
            let rates = latest
                .preschool_rates_bp
                .iter()
                .chain(&latest.fritidshem_rates_bp);
            for (text, bp) in d.rates.iter_mut().zip(rates) {
                *text = percent(*bp);
            }
        }
        d
    });
    let saving = use_state(|| Saving::Idle);
    let check = use_state(|| None::<&'static str>);
    let onsubmit = {
        let (periods, draft, saving, check) = (
            periods.clone(),
            draft.clone(),
            saving.clone(),
            check.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *saving == Saving::Busy {
                return;
            }
            let Some(period) = draft.period(periods.last()) else {
                check.set(Some("settings.fee_check"));
                return;
            };
            check.set(None);
            saving.set(Saving::Busy);
            let (periods, saving) = (periods.clone(), saving.clone());
            spawn_local(async move {
                match api::save_fee_period(&period).await {
                    Ok(()) => {
                        let mut next: Vec<FeePeriod> = (*periods)
                            .iter()
                            .filter(|p| p.valid_from != period.valid_from)
                            .cloned()
                            .collect();
                        next.push(period);
                        next.sort_by_key(|p| p.valid_from);
                        periods.set(next);
                        saving.set(Saving::Saved);
                    }
                    Err(err) => saving.set(Saving::Failed(err)),
                }
            });
        })
    };
    let set = |apply: fn(&mut FeeDraft, String)| {
        let draft = draft.clone();
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            apply(&mut next, value);
            draft.set(next);
        })
    };
    let rate_field = |index: usize, id: &'static str, key: &'static str, n: u32| {
        let value = draft.rates[index].clone();
        let draft = draft.clone();
        let oninput = Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            next.rates[index] = value;
            draft.set(next);
        });
        let label = i18n.tf(key, &[("n", &n.to_string())]);
        html! {
            { TextField::new(id, label, value, oninput, "off").inputmode("decimal") }
        }
    };
    let headers = [
        i18n.t("settings.fee_from"),
        i18n.t("settings.fee_max_base"),
        i18n.t("settings.fee_disregarded"),
        i18n.t("settings.fee_preschool_rates"),
        i18n.t("settings.fee_fritids_rates"),
    ];
    let rates_text = |r: &[u32; 3]| {
        r.iter()
            .map(|bp| i18n.percent(*bp))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let rows = html! {
        { for periods.iter().map(|p| html! {
            <tr class="data-table__row" role="row" key={p.valid_from.to_string()}>
                { cell(headers[0], html! { { i18n.date(p.valid_from) } }) }
                { cell(headers[1], html! { { i18n.kronor(p.max_fee_base) } }) }
                { cell(headers[2], html! { { i18n.kronor(p.disregarded_income) } }) }
                { cell(headers[3], html! { { rates_text(&p.preschool_rates_bp) } }) }
                { cell(headers[4], html! { { rates_text(&p.fritidshem_rates_bp) } }) }
            </tr>
        }) }
    };
    html! {
        <section class="section" aria-labelledby="settings-fees-heading">
            <h2 id="settings-fees-heading">{ i18n.t("settings.fees_heading") }</h2>
            <p>{ i18n.t("settings.fees_intro") }</p>
            { data_table("settings-fees-heading", "settings-fees", &headers, rows) }
            <h3 id="settings-fee-new">{ i18n.t("settings.fee_new_heading") }</h3>
            <form class="form settings-form" novalidate=true {onsubmit} aria-labelledby="settings-fee-new">
                { TextField::new("fee-month", i18n.t("settings.fee_month"), draft.month.clone(),
                    set(|d, v| d.month = v), "off").input_type("month")
                    .hint(i18n.t("settings.fee_month_hint")) }
                { TextField::new("fee-max-base", i18n.t("settings.fee_max_base"), draft.max_fee_base.clone(),
                    set(|d, v| d.max_fee_base = v), "off").inputmode("numeric") }
                { TextField::new("fee-disregarded", i18n.t("settings.fee_disregarded"), draft.disregarded_income.clone(),
                    set(|d, v| d.disregarded_income = v), "off").inputmode("numeric") }
                <fieldset class="field settings-rates">
                    <legend class="field__label">{ i18n.t("settings.fee_preschool_rates") }</legend>
                    { rate_field(0, "fee-preschool-1", "settings.fee_rate_child", 1) }
                    { rate_field(1, "fee-preschool-2", "settings.fee_rate_child", 2) }
                    { rate_field(2, "fee-preschool-3", "settings.fee_rate_child", 3) }
                </fieldset>
                <fieldset class="field settings-rates">
                    <legend class="field__label">{ i18n.t("settings.fee_fritids_rates") }</legend>
                    { rate_field(3, "fee-fritids-1", "settings.fee_rate_child", 1) }
                    { rate_field(4, "fee-fritids-2", "settings.fee_rate_child", 2) }
                    { rate_field(5, "fee-fritids-3", "settings.fee_rate_child", 3) }
                </fieldset>
                <p class="hint">{ i18n.t("settings.fee_allman_hint") }</p>
                { saving_html(&i18n, "settings-fee-status", &saving, (*check).map(|key| i18n.t(key))) }
                <button type="submit" class="button button--primary" aria-busy={(*saving == Saving::Busy).then_some("true")}>
                    { i18n.t("settings.fee_save") }
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
    // What was saved since the page loaded: the units' list in the props is from the load, and a
    // unit chosen again must show what it has now.
    let saved = use_mut_ref(std::collections::HashMap::<Uuid, UnitSettings>::new);
    let unit = chosen.and_then(|id| props.units.iter().find(|u| u.unit_id == id));
    let onchoose = {
        let (chosen, draft, saving, check) =
            (chosen.clone(), draft.clone(), saving.clone(), check.clone());
        let (units, saved) = (props.units.clone(), saved.clone());
        Callback::from(move |value: String| {
            let id = value.parse::<Uuid>().ok();
            chosen.set(id);
            let settings = id.and_then(|id| {
                saved.borrow().get(&id).cloned().or_else(|| {
                    units
                        .iter()
                        .find(|u| u.unit_id == id)
                        .map(|u| u.settings.clone())
                })
            });
            draft.set(settings.as_ref().map(UnitDraft::of));
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
                let saved = saved.clone();
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
                    let (saving, saved) = (saving.clone(), saved.clone());
                    spawn_local(async move {
                        saving.set(match api::save_unit_settings(id, &body).await {
                            Ok(()) => {
                                saved.borrow_mut().insert(id, body);
                                Saving::Saved
                            }
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

#[derive(Properties, PartialEq)]
struct ConsentKindsProps {
    kinds: Vec<ConsentKind>,
}

/// One purpose's row of the form: whether it is asked, and its wording as typed.
#[derive(Clone, PartialEq)]
struct ConsentDraft {
    purpose: ConsentPurpose,
    asked: bool,
    title: String,
    text: String,
    requirement: ConsentRequirement,
    grace_days: String,
}

impl ConsentDraft {
    /// The setting, when the row is whole (the server checks the same, `check_consent_kinds`).
    fn setting(&self) -> Option<ConsentKindSetting> {
        let title = self.title.trim();
        let text = self.text.trim();
        let whole = (1..=120).contains(&title.chars().count())
            && (1..=4000).contains(&text.chars().count());
        Some(ConsentKindSetting {
            purpose: self.purpose,
            title: title.to_owned(),
            text: text.to_owned(),
            requirement: self.requirement,
            grace_days: number(&self.grace_days, 0, 365)?,
        })
        .filter(|_| whole)
    }
}

/// The consents the municipality asks guardians for: one row per purpose the portal knows,
/// each asked or not, with its wording.
#[function_component]
fn ConsentKindsForm(props: &ConsentKindsProps) -> Html {
    let i18n = use_i18n();
    let drafts = use_state(|| {
        ConsentPurpose::ALL
            .iter()
            .map(|purpose| {
                let kind = props.kinds.iter().find(|k| k.purpose == *purpose);
                ConsentDraft {
                    purpose: *purpose,
                    asked: kind.is_some(),
                    title: kind.map(|k| k.title.clone()).unwrap_or_default(),
                    text: kind.map(|k| k.text.clone()).unwrap_or_default(),
                    requirement: kind.map_or(ConsentRequirement::EveryGuardian, |k| k.requirement),
                    grace_days: kind.map_or(0, |k| k.grace_days).to_string(),
                }
            })
            .collect::<Vec<_>>()
    });
    let saving = use_state(|| Saving::Idle);
    let settings: Option<Vec<ConsentKindSetting>> = drafts
        .iter()
        .filter(|d| d.asked)
        .map(ConsentDraft::setting)
        .collect();
    // Said once the form is sent incomplete, as the fee form does.
    let check = use_state(|| None::<&'static str>);
    let onsubmit = {
        let (saving, settings, check) = (saving.clone(), settings.clone(), check.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(kinds) = settings.clone() else {
                saving.set(Saving::Idle);
                check.set(Some("settings.consent_error"));
                return;
            };
            check.set(None);
            if *saving == Saving::Busy {
                return;
            }
            saving.set(Saving::Busy);
            let saving = saving.clone();
            spawn_local(async move {
                let body = MunicipalityConsentKinds { kinds };
                saving.set(match api::save_consent_kinds(&body).await {
                    Ok(()) => Saving::Saved,
                    Err(err) => Saving::Failed(err),
                });
            });
        })
    };
    let edit = |index: usize, change: fn(&mut ConsentDraft, String)| {
        let drafts = drafts.clone();
        Callback::from(move |value: String| {
            let mut next = (*drafts).clone();
            if let Some(draft) = next.get_mut(index) {
                change(draft, value);
            }
            drafts.set(next);
        })
    };
    let rows = drafts.iter().enumerate().map(|(index, draft)| {
        let code = draft.purpose.code();
        let asked_id = format!("consent-{code}-asked");
        let text_id = format!("consent-{code}-text");
        let requirement_id = format!("consent-{code}-requirement");
        let toggle = {
            let drafts = drafts.clone();
            Callback::from(move |_: Event| {
                let mut next = (*drafts).clone();
                if let Some(draft) = next.get_mut(index) {
                    draft.asked = !draft.asked;
                }
                drafts.set(next);
            })
        };
        let on_text = {
            let set = edit(index, |d, v| d.text = v);
            Callback::from(move |event: InputEvent| {
                let area: web_sys::HtmlTextAreaElement = event.target_unchecked_into();
                set.emit(area.value());
            })
        };
        let on_requirement = {
            let set = edit(index, |d, v| {
                if let Some(r) = ConsentRequirement::ALL.iter().find(|r| r.code() == v) {
                    d.requirement = *r;
                }
            });
            Callback::from(move |event: Event| {
                let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
                set.emit(select.value());
            })
        };
        let requirements = [
            (ConsentRequirement::AnyGuardian, "settings.consent_any_guardian"),
            (ConsentRequirement::EveryGuardian, "settings.consent_every_guardian"),
        ];
        html! {
            <fieldset class="settings-consent">
                <legend>{ i18n.t(&format!("settings.consent_purpose.{code}")) }</legend>
                <div class="checkbox">
                    <input class="checkbox__input" type="checkbox" id={asked_id.clone()}
                        checked={draft.asked} onchange={toggle} />
                    <label class="checkbox__label" for={asked_id}>{ i18n.t("settings.consent_asked") }</label>
                </div>
                if draft.asked {
                    { TextField::new(format!("consent-{code}-title"), i18n.t("settings.consent_title"),
                        draft.title.clone(), edit(index, |d, v| d.title = v), "off") }
                    <div class="field">
                        <label for={text_id.clone()} class="field__label">{ i18n.t("settings.consent_text") }</label>
                        <textarea id={text_id} class="field__input" rows="5"
                            value={draft.text.clone()} oninput={on_text} />
                    </div>
                    <div class="field">
                        <label for={requirement_id.clone()} class="field__label">{ i18n.t("settings.consent_requirement") }</label>
                        <select id={requirement_id} class="field__input" onchange={on_requirement}>
                            { for requirements.iter().map(|(r, key)| html! {
                                <option value={r.code()} selected={*r == draft.requirement}>{ i18n.t(key) }</option>
                            }) }
                        </select>
                    </div>
                    { TextField::new(format!("consent-{code}-grace"), i18n.t("settings.consent_grace_days"),
                        draft.grace_days.clone(), edit(index, |d, v| d.grace_days = v), "off")
                        .inputmode("numeric") }
                }
            </fieldset>
        }
    });
    html! {
        <section class="section" aria-labelledby="settings-consents-heading">
            <h2 id="settings-consents-heading">{ i18n.t("settings.consents_heading") }</h2>
            <p>{ i18n.t("settings.consents_intro") }</p>
            <form class="form settings-form" novalidate=true {onsubmit}>
                { for rows }
                { saving_html(&i18n, "settings-consents-status", &saving, (*check).map(|key| i18n.t(key))) }
                <button type="submit" class="button button--primary"
                    aria-busy={(*saving == Saving::Busy).then_some("true")}>
                    { i18n.t("settings.save_consents") }
                </button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EmbeddingProps {
    embedding: MunicipalityEmbedding,
}

/// The websites that may frame the portal, one per line, checked as one types with the rule
/// the server saves by (`shared::embed::parse_origins`).
#[function_component]
fn EmbeddingForm(props: &EmbeddingProps) -> Html {
    let i18n = use_i18n();
    let typed = use_state(|| props.embedding.frame_origins.join("\n"));
    let saving = use_state(|| Saving::Idle);
    let parsed = embed::parse_origins(&[(*typed).clone()]);
    let onsubmit = {
        let (saving, parsed) = (saving.clone(), parsed.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Ok(frame_origins) = parsed.clone() else {
                return;
            };
            if *saving == Saving::Busy {
                return;
            }
            saving.set(Saving::Busy);
            let saving = saving.clone();
            spawn_local(async move {
                let body = MunicipalityEmbedding { frame_origins };
                saving.set(match api::save_embedding(&body).await {
                    Ok(()) => Saving::Saved,
                    Err(err) => Saving::Failed(err),
                });
            });
        })
    };
    let oninput = {
        let typed = typed.clone();
        Callback::from(move |event: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = event.target_unchecked_into();
            typed.set(area.value());
        })
    };
    let invalid = parsed.is_err();
    html! {
        <section class="section" aria-labelledby="settings-embedding-heading">
            <h2 id="settings-embedding-heading">{ i18n.t("settings.embed_heading") }</h2>
            <p>{ i18n.t("settings.embed_intro") }</p>
            <form class="form settings-form" novalidate=true {onsubmit}>
                <div class={classes!("field", invalid.then_some("field--error"))}>
                    <label for="embedding-origins" class="field__label">{ i18n.t("settings.frame_origins") }</label>
                    <p id="embedding-origins-hint" class="field__hint">{ i18n.t("settings.frame_origins_hint") }</p>
                    if invalid {
                        <p id="embedding-origins-error" class="field__error">{ i18n.t("settings.frame_origins_error") }</p>
                    }
                    <textarea id="embedding-origins" class="field__input settings-origins" rows="4"
                        spellcheck="false" autocomplete="off" value={(*typed).clone()} {oninput}
                        aria-invalid={invalid.then_some("true")}
                        aria-describedby={if invalid { "embedding-origins-hint embedding-origins-error" } else { "embedding-origins-hint" }} />
                </div>
                { saving_html(&i18n, "settings-embedding-status", &saving, None) }
                <button type="submit" class="button button--primary" aria-disabled={invalid.then_some("true")}
                    aria-busy={(*saving == Saving::Busy).then_some("true")}>
                    { i18n.t("settings.save_embedding") }
                </button>
            </form>
        </section>
    }
}

/// Each public widget's code to paste into the municipality's website, and a live preview of
/// it. The whole portal can be embedded too, on the listed websites only.
#[function_component]
fn Widgets() -> Html {
    let i18n = use_i18n();
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    // The height a frame starts at, before the page inside tells its own.
    let widgets = [
        ("fee", "settings.widget_fee", "/widget/avgift", 1200, true),
        (
            "units",
            "settings.widget_units",
            "/widget/enheter",
            800,
            true,
        ),
        (
            "login",
            "settings.widget_login",
            "/widget/logga-in",
            260,
            true,
        ),
        ("portal", "settings.widget_portal", "/?embed=1", 800, false),
    ];
    let items = widgets.into_iter().map(|(id, key, path, height, preview)| {
        let name = i18n.t(key);
        let code = format!(
            "<iframe data-skolportal src=\"{origin}{path}\" title=\"{name}\" width=\"100%\" height=\"{height}\" style=\"border:0\"></iframe>\n<script src=\"{origin}/embed.js\" async></script>"
        );
        let code_id = format!("widget-{id}-code");
        html! {
            <li class="settings-widget">
                <h3>{ name }</h3>
                if !preview {
                    <p class="hint">{ i18n.t("settings.widget_portal_hint") }</p>
                }
                <label for={code_id.clone()} class="field__label">{ i18n.tf("settings.widget_code", &[("widget", name)]) }</label>
                <textarea id={code_id} class="field__input settings-widget__code" rows="3" readonly=true
                    spellcheck="false" value={code} />
                if preview {
                    <iframe class={classes!("settings-widget__preview", (id == "login").then_some("settings-widget__preview--short"))}
                        src={path.to_owned()} loading="lazy"
                        title={i18n.tf("settings.widget_preview", &[("widget", name)])} />
                }
            </li>
        }
    });
    html! {
        <section class="section" aria-labelledby="settings-widgets-heading">
            <h2 id="settings-widgets-heading">{ i18n.t("settings.widgets_heading") }</h2>
            <p>{ i18n.t("settings.widgets_intro") }</p>
            <ul class="settings-widgets">{ for items }</ul>
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
            { back_link(Route::Administration, i18n.t("settings.back")) }
            <h1 id="settings-history-heading">{ i18n.t("settings.history_title") }</h1>
            <p class="lead">{ i18n.t("settings.history_intro") }</p>
            { body }
        </div>
    }
}
