//! The public widgets the municipality puts on its website (`http::widgets` answers them): the
//! fee calculator, the units and a login button. The server writes them whole, without the app:
//! they are small, work without scripts, and carry no session and no personal data. The fee
//! calculator is a form that sends itself again (`GET`), and the answer is written into the page.

use skolportal_shared::api::{PublicUnit, UnitKind};
use skolportal_shared::fee::{CareType, FeeBreakdown};
use skolportal_shared::lang::{group_digits, Lang};

use super::{escape, ShellInputs, Texts};

/// One widget.
#[derive(Debug)]
pub enum WidgetPage {
    Fee(FeeForm),
    Units {
        units: Vec<PublicUnit>,
        /// Only units of this kind (`?typ=`).
        kind: Option<UnitKind>,
    },
    Login,
}

impl WidgetPage {
    pub(super) fn title_key(&self) -> &'static str {
        match self {
            WidgetPage::Fee(_) => "widget.fee.title",
            WidgetPage::Units { .. } => "widget.units.title",
            WidgetPage::Login => "widget.login.title",
        }
    }
}

/// The fee calculator's form as typed, and its answer.
#[derive(Debug, Default)]
pub struct FeeForm {
    /// The household's gross monthly income, as typed.
    pub income: String,
    /// "We give no income and pay the highest fee".
    pub max_fee: bool,
    /// `YYYY-MM`.
    pub month: String,
    pub children: Vec<FeeChildRow>,
    /// Each field's problem, by the field's id, as a catalogue key.
    pub problems: Vec<(String, &'static str)>,
    /// The fees, when the form was sent and is whole.
    pub answer: Option<FeeBreakdown>,
    /// Sent, whole, but no fee period is in force that month.
    pub no_period: bool,
}

/// One child's row of the form.
#[derive(Debug, Default, Clone)]
pub struct FeeChildRow {
    pub birth_date: String,
    pub care: Option<CareType>,
    pub hours: String,
}

/// The form's child rows: a household with more has no more to pay (child 4 is free).
pub const FEE_ROWS: usize = 3;

/// The care types as the form names them in `?omsorgN=`.
pub const CARE_CODES: [(CareType, &str); 3] = [
    (CareType::Preschool, "forskola"),
    (CareType::FamilyDaycare, "pedagogisk-omsorg"),
    (CareType::Fritidshem, "fritidshem"),
];

/// The unit kinds as the units' widget filters them in `?typ=`.
pub const KIND_CODES: [(UnitKind, &str); 4] = [
    (UnitKind::Preschool, "forskola"),
    (UnitKind::FamilyDaycare, "pedagogisk-omsorg"),
    (UnitKind::Fritidshem, "fritidshem"),
    (UnitKind::School, "skola"),
];

pub(super) fn page(inputs: &ShellInputs<'_>, widget: &WidgetPage, texts: &impl Texts) -> String {
    let body = match widget {
        WidgetPage::Fee(form) => fee(inputs.lang, form, texts),
        WidgetPage::Units { units, kind } => units_list(inputs.lang, units, *kind, texts),
        WidgetPage::Login => login(inputs, texts),
    };
    format!("<main id=\"main\" class=\"widget\">{body}</main>")
}

fn kronor(lang: Lang, texts: &impl Texts, amount: u32) -> String {
    texts
        .text(lang, "format.kronor")
        .replace("{amount}", &group_digits(lang, u64::from(amount)))
}

fn care_key(care: CareType) -> &'static str {
    match care {
        CareType::Preschool => "unit.preschool",
        CareType::FamilyDaycare => "unit.family_daycare",
        CareType::Fritidshem => "unit.fritidshem",
    }
}

fn kind_key(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Preschool => "unit.preschool",
        UnitKind::FamilyDaycare => "unit.family_daycare",
        UnitKind::Fritidshem => "unit.fritidshem",
        UnitKind::School => "unit.school",
    }
}

fn fee(lang: Lang, form: &FeeForm, texts: &impl Texts) -> String {
    let t = |key: &str| escape(&texts.text(lang, key));
    let problem = |id: &str| form.problems.iter().find(|(f, _)| f == id).map(|(_, k)| *k);
    // A field with its label, its problem between them (as `components::form` writes it).
    let field = |id: &str, label: &str, input: String| {
        let (class, message) = match problem(id) {
            Some(key) => (
                "field field--error",
                format!("<p id=\"{id}-error\" class=\"field__error\">{}</p>", t(key)),
            ),
            None => ("field", String::new()),
        };
        format!(
            "<div class=\"{class}\"><label for=\"{id}\" class=\"field__label\">{label}</label>{message}{input}</div>"
        )
    };
    let invalid = |id: &str| {
        if problem(id).is_some() {
            format!(" aria-invalid=\"true\" aria-describedby=\"{id}-error\"")
        } else {
            String::new()
        }
    };
    let income = field(
        "inkomst",
        &t("income.income"),
        format!(
            "<input id=\"inkomst\" name=\"inkomst\" class=\"field__input\" inputmode=\"numeric\" \
             autocomplete=\"off\" value=\"{}\"{}>",
            escape(&form.income),
            invalid("inkomst")
        ),
    );
    let max_fee = format!(
        "<div class=\"checkbox\"><input class=\"checkbox__input\" type=\"checkbox\" id=\"hogsta\" \
         name=\"hogsta\" value=\"1\"{}><label class=\"checkbox__label\" for=\"hogsta\">{}</label></div>",
        if form.max_fee { " checked" } else { "" },
        t("widget.fee.max_fee")
    );
    let month = field(
        "manad",
        &t("widget.fee.month"),
        format!(
            "<input id=\"manad\" name=\"manad\" type=\"month\" class=\"field__input\" value=\"{}\"{}>",
            escape(&form.month),
            invalid("manad")
        ),
    );
    let rows: String = form
        .children
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let n = index + 1;
            let options: String = std::iter::once(format!(
                "<option value=\"\">{}</option>",
                t("widget.fee.no_place")
            ))
            .chain(CARE_CODES.iter().map(|(care, code)| {
                format!(
                    "<option value=\"{code}\"{}>{}</option>",
                    if row.care == Some(*care) {
                        " selected"
                    } else {
                        ""
                    },
                    t(care_key(*care))
                )
            }))
            .collect();
            format!(
                "<fieldset class=\"widget-fee__child\"><legend>{legend}</legend>{birth}{care}{hours}</fieldset>",
                legend = escape(&texts.text(lang, "widget.fee.child").replace("{n}", &n.to_string())),
                birth = field(
                    &format!("fodd{n}"),
                    &t("widget.fee.birth_date"),
                    format!(
                        "<input id=\"fodd{n}\" name=\"fodd{n}\" type=\"date\" class=\"field__input\" value=\"{}\"{}>",
                        escape(&row.birth_date),
                        invalid(&format!("fodd{n}"))
                    )
                ),
                care = field(
                    &format!("omsorg{n}"),
                    &t("fee.col_care"),
                    format!(
                        "<select id=\"omsorg{n}\" name=\"omsorg{n}\" class=\"field__input\"{}>{options}</select>",
                        invalid(&format!("omsorg{n}"))
                    )
                ),
                hours = field(
                    &format!("timmar{n}"),
                    &t("widget.fee.hours"),
                    format!(
                        "<input id=\"timmar{n}\" name=\"timmar{n}\" inputmode=\"numeric\" class=\"field__input\" value=\"{}\"{}>",
                        escape(&row.hours),
                        invalid(&format!("timmar{n}"))
                    )
                ),
            )
        })
        .collect();
    let answer = match (&form.answer, form.no_period) {
        (_, true) => format!(
            "<p class=\"alert alert--info\">{}</p>",
            t("fee.unavailable")
        ),
        (Some(breakdown), false) => fee_answer(lang, breakdown, texts),
        (None, false) if !form.problems.is_empty() => format!(
            "<p class=\"alert alert--error\">{}</p>",
            t("form.check_fields")
        ),
        (None, false) => String::new(),
    };
    format!(
        "<h1>{title}</h1><p>{intro}</p>\
         <form class=\"form widget-fee\" method=\"get\" action=\"/widget/avgift\">\
         <input type=\"hidden\" name=\"lang\" value=\"{lang}\">\
         {income}{max_fee}{month}{rows}\
         <button type=\"submit\" class=\"button button--primary\">{submit}</button></form>\
         <div id=\"widget-fee-answer\" role=\"status\" aria-live=\"polite\">{answer}</div>\
         <p class=\"hint\">{note}</p>",
        title = t("widget.fee.title"),
        intro = t("fee.maxtaxa_note"),
        lang = lang.code(),
        submit = t("widget.fee.submit"),
        note = t("fee.preliminary"),
    )
}

fn fee_answer(lang: Lang, breakdown: &FeeBreakdown, texts: &impl Texts) -> String {
    let t = |key: &str| escape(&texts.text(lang, key));
    let rows: String = breakdown
        .children
        .iter()
        .map(|child| {
            // The rows' ids are their numbers in the form (`http::widgets`).
            let row = child.child_id.as_u128();
            let reduction = if child.reduction > 0 {
                format!(
                    "<br><span class=\"hint\">{}</span>",
                    escape(
                        &texts
                            .text(lang, "fee.reduction")
                            .replace("{amount}", &kronor(lang, texts, child.reduction))
                    )
                )
            } else {
                String::new()
            };
            format!(
                "<tr><th scope=\"row\">{child}</th><td>{care}</td><td>{order}</td><td>{fee}{reduction}</td></tr>",
                child = escape(&texts.text(lang, "widget.fee.child").replace("{n}", &row.to_string())),
                care = t(care_key(child.care)),
                order = escape(&texts.text(lang, "fee.order").replace("{order}", &child.order.to_string())),
                fee = escape(&kronor(lang, texts, child.fee)),
            )
        })
        .collect();
    format!(
        "<h2>{heading}</h2><div class=\"table-wrap\"><table class=\"data-table\">\
         <thead><tr><th scope=\"col\">{c1}</th><th scope=\"col\">{c2}</th><th scope=\"col\">{c3}</th><th scope=\"col\">{c4}</th></tr></thead>\
         <tbody>{rows}</tbody></table></div>\
         <p class=\"widget-fee__total\"><strong>{total_label} <span data-fee-total=\"{total_raw}\">{total}</span></strong></p>",
        heading = t("fee.heading"),
        c1 = t("fee.col_child"),
        c2 = t("fee.col_care"),
        c3 = t("fee.col_order"),
        c4 = t("fee.col_fee"),
        total_label = t("fee.total"),
        total_raw = breakdown.total,
        total = escape(
            &texts
                .text(lang, "fee.per_month")
                .replace("{amount}", &kronor(lang, texts, breakdown.total))
        ),
    )
}

fn units_list(
    lang: Lang,
    units: &[PublicUnit],
    kind: Option<UnitKind>,
    texts: &impl Texts,
) -> String {
    let t = |key: &str| escape(&texts.text(lang, key));
    let filter: String = std::iter::once((None, "", "widget.units.all"))
        .chain(
            KIND_CODES
                .iter()
                .map(|(k, code)| (Some(*k), *code, kind_key(*k))),
        )
        .map(|(k, code, key)| {
            let href = if code.is_empty() {
                format!("/widget/enheter?lang={}", lang.code())
            } else {
                format!("/widget/enheter?typ={code}&lang={}", lang.code())
            };
            let current = if k == kind {
                " aria-current=\"page\""
            } else {
                ""
            };
            format!(
                "<li><a class=\"widget-units__filter\" href=\"{}\"{current}>{}</a></li>",
                escape(&href),
                t(key)
            )
        })
        .collect();
    let shown: Vec<&PublicUnit> = units
        .iter()
        .filter(|u| kind.is_none_or(|k| u.kind == k))
        .collect();
    let cards: String = if shown.is_empty() {
        format!("<p class=\"empty-state\">{}</p>", t("widget.units.none"))
    } else {
        let items: String = shown.iter().map(|u| unit_card(lang, u, texts)).collect();
        format!("<ul class=\"widget-units\">{items}</ul>")
    };
    format!(
        "<h1>{title}</h1><nav aria-label=\"{filter_label}\"><ul class=\"widget-units__filters\">{filter}</ul></nav>{cards}",
        title = t("widget.units.title"),
        filter_label = t("widget.units.filter"),
    )
}

fn unit_card(lang: Lang, unit: &PublicUnit, texts: &impl Texts) -> String {
    let t = |key: &str| escape(&texts.text(lang, key));
    let mut facts = Vec::new();
    let address: Vec<&str> = [
        unit.street.as_deref(),
        unit.postal_code.as_deref(),
        unit.city.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !address.is_empty() {
        facts.push((t("widget.units.address"), escape(&address.join(", "))));
    }
    if let Some(phone) = &unit.phone {
        facts.push((t("widget.units.phone"), escape(phone)));
    }
    facts.push((
        t("widget.units.hours"),
        escape(&skolportal_shared::lang::time_range(
            &unit.opens_at,
            &unit.closes_at,
        )),
    ));
    if unit.kind != UnitKind::School {
        if let Some(free) = unit.free_places {
            facts.push((
                t("widget.units.free_label"),
                escape(&texts.counted(lang, "widget.units.free", free.max(0) as u64)),
            ));
        }
        let queue = match unit.queue_days {
            None => t("widget.units.queue_unknown"),
            Some(0) => t("widget.units.queue_none"),
            Some(days) => escape(&texts.counted(
                lang,
                "widget.units.queue_weeks",
                u64::from(days.div_ceil(7)),
            )),
        };
        facts.push((t("widget.units.queue_label"), queue));
    }
    let list: String = facts
        .into_iter()
        .map(|(label, value)| format!("<dt>{label}</dt><dd>{value}</dd>"))
        .collect();
    format!(
        "<li class=\"card widget-units__unit\"><h2>{name}</h2><p class=\"widget-units__kind\">{kind}</p><dl class=\"widget-units__facts\">{list}</dl></li>",
        name = escape(&unit.name),
        kind = t(kind_key(unit.kind)),
    )
}

fn login(inputs: &ShellInputs<'_>, texts: &impl Texts) -> String {
    let lang = inputs.lang;
    let t = |key: &str| escape(&texts.text(lang, key));
    let name = inputs
        .municipality
        .map_or_else(|| t("app.name"), |m| escape(&m.name));
    // `_top`: the portal opens as itself, where its session cookie works on any site.
    format!(
        "<div class=\"widget-login\"><h1>{title}</h1><p>{text}</p>\
         <a class=\"button button--primary button--block\" href=\"/login\" target=\"_top\">{button}</a>\
         <p class=\"hint\">{name}</p></div>",
        title = t("widget.login.title"),
        text = t("widget.login.text"),
        button = t("widget.login.button"),
    )
}
