//! Translations. Every text a person sees comes from a catalogue `i18n/<lang>.json`: a flat map
//! from a dotted key to a string. Swedish is the default, embedded in the binary and parsed once on
//! first use; it is also the fallback for a key a catalogue lacks (the tests make sure none does).
//! Every other language (English, Finnish, Arabic, Somali, Ukrainian) is fetched from
//! `/i18n/<code>.json` (copied there by Trunk) only when someone chooses it, so that the binary
//! carries one language ([`install`], `LangContext::set`).
//!
//! Placeholders are written `{name}` and filled in by [`I18n::tf`]. A text that depends on a count
//! has one key per CLDR plural category of the language, `<key>.one`, `<key>.few`, …, always with
//! `<key>.other`; [`I18n::tn`] picks the form by [`plural_category`]. Dates and times are shown in
//! Swedish time ([`swedish_time`]) with the catalogue's own patterns and month names. Digits are
//! Latin in every language, Arabic too: personnummer, dates and amounts then read the same as on
//! the municipality's Swedish letters and on the BankID screen.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Utc};
use skolportal_shared::lang::separators;

/// The Swedish catalogue as this app embeds it: without the texts it never shows (`build.rs`).
const SV_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/sv.json"));

static SV: OnceLock<Catalog> = OnceLock::new();
/// The fetched catalogues, indexed by [`Lang::fetched_index`].
static FETCHED: [OnceLock<Catalog>; 5] = [const { OnceLock::new() }; 5];

type Catalog = HashMap<String, String>;

pub use skolportal_shared::lang::{plural_categories, plural_category, Lang};

/// What the app knows of a language beyond its identity: where its catalogue comes from and
/// how it writes numbers.
pub trait Catalogued: Copy {
    /// Where the SPA fetches the catalogue of a language that is not embedded.
    fn catalog_path(self) -> Option<String>;
    /// Whether texts in this language can be shown now, without fetching.
    fn is_loaded(self) -> bool;
}

impl Catalogued for Lang {
    fn catalog_path(self) -> Option<String> {
        fetched_index(self).map(|_| format!("/i18n/{}.json", self.code()))
    }

    fn is_loaded(self) -> bool {
        catalog(self).is_some()
    }
}

fn fetched_index(lang: Lang) -> Option<usize> {
    match lang {
        Lang::Sv => None,
        Lang::En => Some(0),
        Lang::Fi => Some(1),
        Lang::Ar => Some(2),
        Lang::So => Some(3),
        Lang::Uk => Some(4),
    }
}

/// The catalogue, once it is here (Swedish always is).
fn catalog(lang: Lang) -> Option<&'static Catalog> {
    let Some(index) = fetched_index(lang) else {
        return Some(SV.get_or_init(|| parse(SV_JSON)));
    };
    let slot = FETCHED.get(index)?;
    // Unit tests run without a server to fetch from.
    #[cfg(test)]
    let _ = slot.get_or_init(|| parse(tests::source(lang)));
    slot.get()
}

/// Installs a fetched catalogue; `false` if it does not parse (the language then stays away).
pub fn install(lang: Lang, source: &str) -> bool {
    let catalog = parse(source);
    if catalog.is_empty() {
        return false;
    }
    if let Some(slot) = fetched_index(lang).and_then(|index| FETCHED.get(index)) {
        let _ = slot.set(catalog);
    }
    true
}

/// A malformed catalogue gives an empty map (every text then shows its key); the tests make sure
/// the shipped ones parse.
fn parse(source: &str) -> Catalog {
    crate::json::from_str(source).unwrap_or_default()
}

/// Looks texts up in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct I18n {
    pub lang: Lang,
}

impl I18n {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// The text for `key`; Swedish if this language lacks it, the key itself if both do.
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        self.get(key).unwrap_or(key)
    }

    /// The text for `key` (Swedish if this language lacks it), or `None` when no catalogue has
    /// it: for keys built at run time, such as `error.<code>` for a server error code.
    pub fn get(&self, key: &str) -> Option<&'static str> {
        catalog(self.lang)
            .and_then(|found| found.get(key))
            .or_else(|| catalog(Lang::Sv).and_then(|found| found.get(key)))
            .map(String::as_str)
    }

    /// The text for `key` with each `{name}` replaced by its value.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.fill(self.t(key), args, true)
    }

    /// A `format.*` pattern filled without isolation: its parts are digits and the language's
    /// own words, and isolating "14" and "05" apart would turn "14:05" around in Arabic.
    fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.fill(self.t(key), args, false)
    }

    /// Fills the placeholders (`lang::fill`, which the server's pages share).
    fn fill(&self, text: &str, args: &[(&str, &str)], isolate: bool) -> String {
        skolportal_shared::lang::fill(self.lang, text, args, isolate)
    }

    /// The text for `count` of something: the form `<key>.<category>` for the language's plural
    /// category of `count` (`<key>.other` if the catalogue lacks it), with `{count}` and `args`
    /// filled in. The count is written with [`I18n::number`].
    pub fn tn(&self, key: &str, count: u64, args: &[(&str, &str)]) -> String {
        let category = plural_category(self.lang, count);
        let text = self
            .get(&format!("{key}.{category}"))
            .or_else(|| self.get(&format!("{key}.other")))
            .unwrap_or(key);
        let number = self.number(count);
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(("count", number.as_str()));
        all.extend_from_slice(args);
        self.fill(text, &all, true)
    }

    /// A calendar date in this language's form (`lang::format_date`, which the server shares).
    pub fn date(&self, date: NaiveDate) -> String {
        skolportal_shared::lang::format_date(self.lang, date)
    }

    /// The calendar date of a moment in Swedish time, `2026-11-24`.
    pub fn day(&self, at: DateTime<Utc>) -> String {
        self.date(swedish_time(at).date())
    }

    /// The month of `date` in words: "december 2026", "December 2026".
    pub fn month_year(&self, date: NaiveDate) -> String {
        self.format(
            "format.month_year",
            &[
                ("month", self.month(date)),
                ("year", &date.year().to_string()),
            ],
        )
    }

    fn month(&self, date: NaiveDate) -> &'static str {
        match date.month() {
            1 => self.t("month.january"),
            2 => self.t("month.february"),
            3 => self.t("month.march"),
            4 => self.t("month.april"),
            5 => self.t("month.may"),
            6 => self.t("month.june"),
            7 => self.t("month.july"),
            8 => self.t("month.august"),
            9 => self.t("month.september"),
            10 => self.t("month.october"),
            11 => self.t("month.november"),
            _ => self.t("month.december"),
        }
    }

    /// The month as written after a day number: the genitive or partitive where the language
    /// inflects it ("30. marraskuuta", "30 листопада").
    fn month_after_day(&self, date: NaiveDate) -> &'static str {
        self.t(skolportal_shared::lang::month_after_day_key(date))
    }

    /// The weekday of `date` as written mid-sentence: "måndag", "Monday".
    pub fn weekday(&self, date: NaiveDate) -> &'static str {
        self.t(skolportal_shared::lang::weekday_key(date))
    }

    /// A day with its weekday, as written mid-sentence: "måndag 30 november", "Monday 30
    /// November".
    pub fn weekday_date(&self, date: NaiveDate) -> String {
        self.format(
            "format.weekday_date",
            &[
                ("weekday", self.weekday(date)),
                ("day", &date.day().to_string()),
                ("month", self.month_after_day(date)),
            ],
        )
    }

    /// An ISO week and its working days: "Vecka 49, 30 nov – 4 dec 2026" (with both years when
    /// the week spans a new year).
    pub fn week(&self, monday: NaiveDate) -> String {
        let friday = monday.checked_add_days(Days::new(4)).unwrap_or(monday);
        let short = |date: NaiveDate| {
            let month = self.month_after_day(date);
            // Swedish and English shorten to the first three letters ("nov", "Nov"); the other
            // languages have no such custom and write the month out.
            let month = match self.lang {
                Lang::Sv | Lang::En => month.get(..3).unwrap_or(month),
                _ => month,
            };
            self.format(
                "format.day_month",
                &[("day", &date.day().to_string()), ("month", month)],
            )
        };
        let range = if monday.year() == friday.year() {
            format!("{} – {} {}", short(monday), short(friday), friday.year())
        } else {
            format!(
                "{} {} – {} {}",
                short(monday),
                monday.year(),
                short(friday),
                friday.year()
            )
        };
        self.format(
            "format.week",
            &[
                ("week", &monday.iso_week().week().to_string()),
                ("range", &range),
            ],
        )
    }

    /// A whole number with its thousands grouped: "56 250" (with a no-break space) in Swedish,
    /// Finnish and Ukrainian, "56,250" in English, Arabic and Somali.
    pub fn number(&self, value: u64) -> String {
        skolportal_shared::lang::group_digits(self.lang, value)
    }

    /// An amount of money: "1 688 kr", "SEK 1,688".
    pub fn kronor(&self, amount: u32) -> String {
        self.format(
            "format.kronor",
            &[("amount", &self.number(u64::from(amount)))],
        )
    }

    /// A rate in basis points as a percentage: 300 → "3 %", 250 → "2,5 %" ("2.5%" in English).
    pub fn percent(&self, basis_points: u32) -> String {
        let whole = basis_points / 100;
        let hundredths = basis_points % 100;
        let number = if hundredths == 0 {
            whole.to_string()
        } else {
            let decimals = format!("{hundredths:02}");
            let decimals = decimals.trim_end_matches('0');
            let (_, separator) = separators(self.lang);
            format!("{whole}{separator}{decimals}")
        };
        self.format("format.percent", &[("number", &number)])
    }

    /// A moment as the municipality's clock shows it: "2026-11-24 kl. 14.05" in Swedish.
    /// A deadline: its date when it is the end of a day (as the server sets them), else the date
    /// and the time. The server's days are Swedish days by UTC+1 all year.
    pub fn deadline(&self, at: DateTime<Utc>) -> String {
        let server_day = at.naive_utc() + TimeDelta::hours(1);
        if server_day.hour() == 23 && server_day.minute() == 59 {
            self.date(server_day.date())
        } else {
            self.date_time(at)
        }
    }

    pub fn date_time(&self, at: DateTime<Utc>) -> String {
        let local = swedish_time(at);
        self.format(
            "format.date_time",
            &[
                ("date", &self.date(local.date())),
                ("hour", &format!("{:02}", local.hour())),
                ("minute", &format!("{:02}", local.minute())),
            ],
        )
    }
}

/// The Swedish clock time of `at` as `HH:MM` (without chrono's formatter, which costs the apps
/// kilobytes).
pub fn clock_time(at: DateTime<Utc>) -> String {
    let local = swedish_time(at);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// Swedish time (Europe/Stockholm): UTC+1, and UTC+2 from 01:00 UTC on the last Sunday in March
/// to 01:00 UTC on the last Sunday in October (the EU rule). Needs no time-zone database.
pub fn swedish_time(at: DateTime<Utc>) -> NaiveDateTime {
    let utc = at.naive_utc();
    let switch = |month| last_sunday(utc.year(), month).and_then(|day| day.and_hms_opt(1, 0, 0));
    let summer = match (switch(3), switch(10)) {
        (Some(start), Some(end)) => utc >= start && utc < end,
        _ => false,
    };
    let offset = if summer { 2 } else { 1 };
    utc.checked_add_signed(TimeDelta::hours(offset))
        .unwrap_or(utc)
}

/// The last Sunday of a month with 31 days (March, October).
fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let last = NaiveDate::from_ymd_opt(year, month, 31)?;
    let back = last.weekday().num_days_from_sunday();
    last.checked_sub_days(Days::new(u64::from(back)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    /// The shipped catalogue of `lang`, as the SPA fetches it.
    pub(super) fn source(lang: Lang) -> &'static str {
        match lang {
            Lang::Sv => include_str!("../i18n/sv.json"),
            Lang::En => include_str!("../i18n/en.json"),
            Lang::Fi => include_str!("../i18n/fi.json"),
            Lang::Ar => include_str!("../i18n/ar.json"),
            Lang::So => include_str!("../i18n/so.json"),
            Lang::Uk => include_str!("../i18n/uk.json"),
        }
    }

    fn strict_parse(name: &str, source: &str) -> Catalog {
        match serde_json::from_str::<Catalog>(source) {
            Ok(catalog) => catalog,
            Err(err) => panic!("i18n/{name}.json is not a flat string map: {err}"),
        }
    }

    fn catalogue(lang: Lang) -> Catalog {
        strict_parse(lang.code(), source(lang))
    }

    const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

    /// The counted texts: those Swedish has as `<key>.one` and `<key>.other` (a key such as
    /// `bankid_error.other` is an ordinary text).
    fn counted() -> BTreeSet<String> {
        let sv = catalogue(Lang::Sv);
        sv.keys()
            .filter_map(|key| key.strip_suffix(".one"))
            .filter(|base| sv.contains_key(&format!("{base}.other")))
            .map(str::to_owned)
            .collect()
    }

    /// A key's base and plural category: `("a.b", Some("few"))` for `a.b.few` when `a.b` is
    /// counted.
    fn split_plural<'a>(key: &'a str, counted: &BTreeSet<String>) -> (&'a str, Option<&'a str>) {
        match key.rsplit_once('.') {
            Some((base, category)) if CATEGORIES.contains(&category) && counted.contains(base) => {
                (base, Some(category))
            }
            _ => (key, None),
        }
    }

    /// The keys of a catalogue, each counted text once with the categories it has.
    fn shape(catalog: &Catalog) -> BTreeMap<&str, BTreeSet<&str>> {
        let counted = counted();
        let mut shape: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for key in catalog.keys() {
            let (base, category) = split_plural(key, &counted);
            let categories = shape.entry(base).or_default();
            categories.extend(category);
        }
        shape
    }

    /// Every catalogue has every text of Swedish and nothing more, each counted text with exactly
    /// its language's plural categories, and no empty text.
    #[test]
    fn every_catalogue_has_exactly_the_swedish_keys() {
        let sv = catalogue(Lang::Sv);
        assert!(sv.len() > 500);
        let sv_shape = shape(&sv);
        for lang in Lang::ALL {
            let catalog = catalogue(lang);
            let own = shape(&catalog);
            let missing: Vec<_> = sv_shape.keys().filter(|k| !own.contains_key(*k)).collect();
            let extra: Vec<_> = own.keys().filter(|k| !sv_shape.contains_key(*k)).collect();
            assert!(missing.is_empty(), "keys missing in {lang:?}: {missing:?}");
            assert!(extra.is_empty(), "keys only in {lang:?}: {extra:?}");
            let wanted: BTreeSet<&str> = plural_categories(lang).iter().copied().collect();
            for (base, categories) in &own {
                let counted = !sv_shape[base].is_empty();
                if counted {
                    assert_eq!(categories, &wanted, "plural forms of {base} in {lang:?}");
                } else {
                    assert!(categories.is_empty(), "{base} is not counted in Swedish");
                }
            }
            let empty: Vec<_> = catalog
                .iter()
                .filter(|(_, value)| value.trim().is_empty())
                .map(|(key, _)| key)
                .collect();
            assert!(empty.is_empty(), "empty texts in {lang:?}: {empty:?}");
        }
    }

    /// The test above, on a catalogue with a key missing: it must fail.
    #[test]
    fn a_missing_key_is_found() {
        let sv = catalogue(Lang::Sv);
        let mut fi = catalogue(Lang::Fi);
        fi.remove("login.title");
        let (sv_shape, fi_shape) = (shape(&sv), shape(&fi));
        assert!(sv_shape.keys().any(|key| !fi_shape.contains_key(key)));
    }

    /// The same placeholders in every language: each form of a counted text may leave out
    /// `{count}` (Arabic says "one day", not "1 day"), but has no placeholder Swedish lacks.
    #[test]
    fn placeholders_match_between_languages() {
        let sv = catalogue(Lang::Sv);
        let counted = counted();
        assert!(counted.len() > 10, "{counted:?}");
        for lang in Lang::ALL {
            let catalog = catalogue(lang);
            for (key, text) in &catalog {
                let (base, category) = split_plural(key, &counted);
                let own = placeholders(text);
                match category {
                    None => {
                        let sv_text = sv.get(key).map(String::as_str).unwrap_or_default();
                        assert_eq!(
                            own,
                            placeholders(sv_text),
                            "placeholders of {key} in {lang:?}"
                        );
                    }
                    Some(_) => {
                        let sv_text = sv
                            .get(&format!("{base}.other"))
                            .map(String::as_str)
                            .unwrap_or_default();
                        let mut expected = placeholders(sv_text);
                        let mut own = own;
                        expected.remove("count");
                        own.remove("count");
                        assert_eq!(own, expected, "placeholders of {key} in {lang:?}");
                    }
                }
            }
        }
    }

    /// One term for each Swedish one: where the Swedish text names the thing, the translation
    /// names it with the glossary's term (a stem, so that inflected forms count), and in English
    /// no other name for it appears.
    #[test]
    fn each_swedish_term_has_one_term_per_language() {
        const ENGLISH: &[(&str, &str, &[&str])] = &[
            (
                "fritidshem",
                "after-school care",
                &["fritidshem", "after-school centre", "school-age", "leisure"],
            ),
            (
                "platserbjudande",
                "placement offer",
                &["offer of a place", "offers of a place"],
            ),
            (
                "förskoleklass",
                "preschool class",
                &["reception class", "pre-school class"],
            ),
        ];
        // The Sweden Finnish terms of Skolverket's Finnish texts.
        const OTHERS: &[(Lang, &str, &str)] = &[
            (Lang::Fi, "vårdnadshavar", "huoltaj"),
            (Lang::Fi, "förskoleklass", "esiluok"),
            (Lang::Fi, "fritidshem", "vapaa-ajanko"),
            (Lang::Ar, "förskoleklass", "التمهيدي"),
            (Lang::Uk, "förskoleklass", "підготовч"),
            (Lang::So, "förskoleklass", "diyaarin"),
        ];
        let sv = catalogue(Lang::Sv);
        let en = catalogue(Lang::En);
        let mut wrong = Vec::new();
        for (swedish, english, others) in ENGLISH {
            for (key, text) in &sv {
                let translated = en.get(key).map(|t| t.to_lowercase()).unwrap_or_default();
                if text.to_lowercase().contains(swedish) && !translated.contains(english) {
                    wrong.push(format!("{key}: “{swedish}” is not “{english}”"));
                }
            }
            for (key, text) in &en {
                let text = text.to_lowercase();
                for other in others.iter().filter(|other| text.contains(*other)) {
                    wrong.push(format!("{key}: “{other}” for “{swedish}”, say “{english}”"));
                }
            }
        }
        let mut with_bankid: Vec<(Lang, &str, &str)> = OTHERS.to_vec();
        for lang in Lang::ALL.into_iter().filter(|lang| *lang != Lang::Sv) {
            with_bankid.push((lang, "BankID", "BankID"));
        }
        for (lang, swedish, term) in with_bankid {
            let catalog = catalogue(lang);
            for (key, text) in &sv {
                let translated = catalog
                    .get(key)
                    .map(|t| t.to_lowercase())
                    .unwrap_or_default();
                let names_it = text.to_lowercase().contains(&swedish.to_lowercase());
                if names_it && !translated.contains(&term.to_lowercase()) {
                    wrong.push(format!("{lang:?} {key}: “{swedish}” is not “{term}”"));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn plural_rules() {
        let forms = |lang, counts: &[u64]| -> Vec<&str> {
            counts.iter().map(|n| plural_category(lang, *n)).collect()
        };
        let counts = [0, 1, 2, 3, 5, 11, 21, 22, 25, 100, 101, 102, 111, 112];
        assert_eq!(
            forms(Lang::Uk, &counts),
            [
                "many", "one", "few", "few", "many", "many", "one", "few", "many", "many", "one",
                "few", "many", "many"
            ]
        );
        assert_eq!(
            forms(Lang::Ar, &counts),
            [
                "zero", "one", "two", "few", "few", "many", "many", "many", "many", "other",
                "other", "other", "many", "many"
            ]
        );
        assert_eq!(
            forms(Lang::Sv, &[0, 1, 2, 21]),
            ["other", "one", "other", "other"]
        );
        assert_eq!(forms(Lang::Fi, &[1, 5]), ["one", "other"]);
        for lang in Lang::ALL {
            for n in 0..200 {
                assert!(plural_categories(lang).contains(&plural_category(lang, n)));
            }
        }
    }

    #[test]
    fn counted_texts_take_the_right_form() {
        let sv = I18n::new(Lang::Sv);
        assert_eq!(sv.tn("day_sheet.count", 1, &[]), "1 barn väntas.");
        assert_eq!(sv.tn("day_sheet.count", 12, &[]), "12 barn väntas.");
        let uk = I18n::new(Lang::Uk);
        let (one, few, many) = (
            uk.tn("schedule.copy_written", 21, &[]),
            uk.tn("schedule.copy_written", 3, &[]),
            uk.tn("schedule.copy_written", 11, &[]),
        );
        assert!(one.contains("21") && few.contains('3') && many.contains("11"));
        assert!(one != few && few != many, "{one} / {few} / {many}");
        let ar = I18n::new(Lang::Ar);
        assert_ne!(
            ar.tn("schedule.copy_written", 2, &[]),
            ar.tn("schedule.copy_written", 3, &[])
        );
        // A count is grouped like any number.
        assert!(sv
            .tn("day_sheet.count", 1_200, &[])
            .starts_with("1\u{a0}200 "));
    }

    fn placeholders(text: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('}') else { break };
            found.insert(after[..end].to_owned());
            rest = &after[end + 1..];
        }
        found
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|err| panic!("{dir:?}: {err}"));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                out.push(path);
            }
        }
    }

    /// Keys of the translation calls in `source`: a string literal right after `.t(`, `.tf(` or
    /// `.tn(` (whitespace and line breaks allowed, as rustfmt may put them); a counted text's key
    /// is given as its `.other` form.
    fn used_keys(source: &str) -> Vec<String> {
        let mut keys = Vec::new();
        // Built at run time so that this scanner does not find itself.
        for (name, counted) in [("t", false), ("tf", false), ("tn", true)] {
            let marker = format!(".{name}(");
            let mut rest = source;
            while let Some(start) = rest.find(marker.as_str()) {
                rest = rest[start + marker.len()..].trim_start();
                let Some(literal) = rest.strip_prefix('"') else {
                    continue;
                };
                let Some(end) = literal.find('"') else { break };
                let key = &literal[..end];
                if counted {
                    keys.push(format!("{key}.other"));
                } else {
                    keys.push(key.to_owned());
                }
                rest = &literal[end..];
            }
        }
        keys
    }

    #[test]
    fn the_key_scan_sees_wrapped_calls() {
        let source = "i18n.t(\"a.b\"); i18n.tf(\n    \"c.d\",\n &[]); x.t(key); y.get(\"e\"); i.tn(\"f\", 1, &[])";
        assert_eq!(used_keys(source), ["a.b", "c.d", "f.other"]);
    }

    include!("../catalogue_filter.rs");

    /// The pages of the apps built with a feature of their own, whose texts the other apps
    /// leave out.
    const FEATURE_PAGES: &[(&str, &[&str])] = &[
        (
            "talks",
            &["talks.rs", "iup.rs", "grades.rs", "talk_booking.rs"],
        ),
        (
            "account",
            &[
                "register_extract.rs",
                "unit_tablets.rs",
                "password.rs",
                "password_rules.rs",
            ],
        ),
        ("officers", &["source_sync.rs", "officer.rs"]),
        ("administration", &["settings.rs", "retention.rs"]),
        ("kiosk", &["kiosk.rs"]),
    ];

    #[test]
    fn every_key_used_in_the_source_exists() {
        let sv = strict_parse("sv", source(Lang::Sv));
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let mut used = 0;
        let mut missing = Vec::new();
        for file in files {
            let source =
                std::fs::read_to_string(&file).unwrap_or_else(|err| panic!("{file:?}: {err}"));
            let features: Vec<&str> = FEATURE_PAGES
                .iter()
                .filter(|(_, pages)| {
                    file.file_name()
                        .is_some_and(|name| pages.iter().any(|page| name == *page))
                })
                .map(|(feature, _)| *feature)
                .collect();
            for key in used_keys(&source) {
                used += 1;
                if !sv.contains_key(&key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
                // The page's app's lean catalogue must hold it.
                if !keep(&key, &features) {
                    missing.push(format!("{}: {key} (left out of the app)", file.display()));
                }
            }
        }
        assert!(used > 20, "the scan found only {used} keys; is it broken?");
        assert!(
            missing.is_empty(),
            "keys used but not translated: {missing:#?}"
        );
    }

    /// The officers' app leaves the families' and the staff's texts out (`NOT_OFFICERS`): every
    /// text its pages, the shell and the shared components ask for is still in it.
    #[test]
    fn the_officers_app_keeps_every_text_it_shows() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files: Vec<PathBuf> = [
            "app.rs",
            "pages/officer.rs",
            "pages/source_sync.rs",
            "pages/corrections.rs",
            "pages/childcare_document.rs",
            "pages/not_found.rs",
            "pages/bankid_error.rs",
        ]
        .iter()
        .map(|f| src.join(f))
        .collect();
        rust_files(&src.join("components"), &mut files);
        rust_files(&src.join("hooks"), &mut files);
        let mut left_out = Vec::new();
        for file in files {
            let source =
                std::fs::read_to_string(&file).unwrap_or_else(|err| panic!("{file:?}: {err}"));
            for key in used_keys(&source) {
                if !keep(&key, &["officers"]) {
                    left_out.push(format!("{}: {key}", file.display()));
                }
            }
            // Keys put together at run time: their prefix must be kept.
            for prefix in NOT_OFFICERS {
                assert!(
                    !source.contains(&format!("\"{prefix}")),
                    "{}: builds a `{prefix}` key at run time",
                    file.display()
                );
            }
        }
        assert!(
            left_out.is_empty(),
            "left out of the officers' app: {left_out:#?}"
        );
    }

    #[test]
    fn lookup_falls_back_and_fills_placeholders() {
        let en = I18n::new(Lang::En);
        let unknown = "no.such.key";
        assert_eq!(en.t(unknown), unknown);
        assert_eq!(I18n::new(Lang::Sv).t("lang.sv"), "Svenska");
        assert_eq!(en.tf("staff.greeting", &[("name", "Anna")]), "Hello, Anna!");
    }

    fn utc(text: &str) -> DateTime<Utc> {
        match text.parse() {
            Ok(at) => at,
            Err(err) => panic!("{text}: {err}"),
        }
    }

    #[test]
    fn times_are_shown_in_swedish_time() {
        let sv = I18n::new(Lang::Sv);
        // Winter: UTC+1.
        assert_eq!(
            sv.date_time(utc("2026-11-24T13:05:00Z")),
            "2026-11-24 kl. 14.05"
        );
        // Summer: UTC+2, and the date may move.
        assert_eq!(
            sv.date_time(utc("2026-06-30T22:30:00Z")),
            "2026-07-01 kl. 00.30"
        );
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(
            sv.date_time(utc("2026-03-29T00:59:00Z")),
            "2026-03-29 kl. 01.59"
        );
        assert_eq!(
            sv.date_time(utc("2026-03-29T01:00:00Z")),
            "2026-03-29 kl. 03.00"
        );
        assert_eq!(
            sv.date_time(utc("2026-10-25T00:59:00Z")),
            "2026-10-25 kl. 02.59"
        );
        assert_eq!(
            sv.date_time(utc("2026-10-25T01:00:00Z")),
            "2026-10-25 kl. 02.00"
        );
        let en = I18n::new(Lang::En);
        assert_eq!(
            en.date_time(utc("2026-11-24T13:05:00Z")),
            "2026-11-24, 14:05"
        );
    }

    #[test]
    fn a_deadline_at_the_end_of_a_day_is_a_date() {
        let sv = I18n::new(Lang::Sv);
        assert_eq!(sv.deadline(utc("2026-12-08T22:59:59Z")), "2026-12-08");
        // In summer too: the server's day ends at 22:59:59 UTC all year.
        assert_eq!(sv.deadline(utc("2026-06-30T22:59:59Z")), "2026-06-30");
        // A deadline at another time of day keeps its time.
        assert_eq!(
            sv.deadline(utc("2026-12-08T06:11:00Z")),
            "2026-12-08 kl. 07.11"
        );
    }

    #[test]
    fn amounts_months_and_rates() {
        let sv = I18n::new(Lang::Sv);
        let en = I18n::new(Lang::En);
        assert_eq!(sv.kronor(1_688), "1\u{a0}688 kr");
        assert_eq!(sv.kronor(0), "0 kr");
        assert_eq!(sv.number(999), "999");
        assert_eq!(sv.number(10_000_000), "10\u{a0}000\u{a0}000");
        assert_eq!(en.kronor(56_250), "SEK 56,250");
        assert_eq!(sv.percent(300), "3 %");
        assert_eq!(sv.percent(250), "2,5 %");
        assert_eq!(en.percent(125), "1.25%");
        // Numbers and dates follow the language; Arabic keeps Latin digits.
        let fi = I18n::new(Lang::Fi);
        let ar = I18n::new(Lang::Ar);
        assert_eq!(fi.kronor(56_250), "56\u{a0}250 kr");
        assert_eq!(fi.percent(250), "2,5 %");
        assert_eq!(ar.kronor(1_688), "1,688 كرونة");
        assert_eq!(ar.percent(250), "2.5%");
        let date = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default();
        assert_eq!(fi.date(date), "24.11.2026");
        assert_eq!(I18n::new(Lang::Uk).date(date), "24.11.2026");
        assert_eq!(ar.date(date), "2026-11-24");
        // Inside Arabic text a Latin name keeps to itself.
        assert_eq!(
            ar.tf("staff.greeting", &[("name", "Anna")]),
            "مرحبًا، \u{2068}Anna\u{2069}!"
        );
        let december = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        assert_eq!(sv.month_year(december), "december 2026");
        assert_eq!(en.month_year(december), "December 2026");
        // 23:30 UTC on 30 November is already 1 December in Sweden.
        assert_eq!(sv.day(utc("2026-11-30T23:30:00Z")), "2026-12-01");
    }

    #[test]
    fn weeks_and_weekdays() {
        let sv = I18n::new(Lang::Sv);
        let en = I18n::new(Lang::En);
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(sv.week(date(2026, 11, 30)), "Vecka 49, 30 nov – 4 dec 2026");
        assert_eq!(en.week(date(2026, 11, 30)), "Week 49, 30 Nov – 4 Dec 2026");
        // ISO week 53 of 2026 ends in 2027.
        assert_eq!(
            sv.week(date(2026, 12, 28)),
            "Vecka 53, 28 dec 2026 – 1 jan 2027"
        );
        assert_eq!(sv.weekday_date(date(2026, 11, 30)), "måndag 30 november");
        let fi = I18n::new(Lang::Fi);
        assert_eq!(
            fi.weekday_date(date(2026, 11, 30)),
            "maanantai 30. marraskuuta"
        );
        assert_eq!(
            fi.week(date(2026, 11, 30)),
            "Viikko 49, 30. marraskuuta – 4. joulukuuta 2026"
        );
        assert_eq!(fi.month_year(date(2026, 11, 30)), "marraskuu 2026");
        let uk = I18n::new(Lang::Uk);
        assert_eq!(
            uk.weekday_date(date(2026, 11, 30)),
            "понеділок, 30 листопада"
        );
        assert_eq!(en.weekday_date(date(2026, 12, 6)), "Sunday 6 December");
    }

    #[test]
    fn language_tags() {
        assert_eq!(Lang::from_code("sv"), Some(Lang::Sv));
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("fi-FI"), Some(Lang::Fi));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::Ar.dir(), "rtl");
        assert_eq!(Lang::Sv.catalog_path(), None);
        assert_eq!(Lang::Uk.catalog_path().as_deref(), Some("/i18n/uk.json"));
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
    }
}
