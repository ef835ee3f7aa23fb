//! Translations. Every text a person sees comes from `i18n/sv.json` or `i18n/en.json`: flat maps
//! from a dotted key to a string. Swedish is the default, embedded in the binary and parsed once on
//! first use; it is also the fallback for a key a catalogue lacks (the tests make sure none does).
//! English is fetched (`/i18n/en.json`, copied there by Trunk) only when someone chooses it, so
//! that the many who never do download ~7 KB less ([`install`], `LangContext::set`).
//!
//! Placeholders are written `{name}` and filled in by [`I18n::tf`]. Dates and times are shown in
//! Swedish time ([`swedish_time`]) with the catalogue's own pattern ([`I18n::date_time`]).

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Utc, Weekday,
};

const SV_JSON: &str = include_str!("../i18n/sv.json");
#[cfg(test)]
const EN_JSON: &str = include_str!("../i18n/en.json");

/// Where the SPA fetches a catalogue that is not embedded.
pub const EN_CATALOG_PATH: &str = "/i18n/en.json";

static SV: OnceLock<Catalog> = OnceLock::new();
static EN: OnceLock<Catalog> = OnceLock::new();

type Catalog = HashMap<String, String>;

/// A language the portal is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    /// Every language, in the order the language switch shows them.
    pub const ALL: [Lang; 2] = [Lang::Sv, Lang::En];

    /// The BCP 47 tag, as used in `<html lang>` and by the municipality's `languages`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// The language for a tag such as `sv`, `en` or `en-GB`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The catalogue, once it is here (Swedish always is).
    fn catalog(self) -> Option<&'static Catalog> {
        match self {
            Lang::Sv => Some(SV.get_or_init(|| parse(SV_JSON))),
            Lang::En => {
                // Unit tests run without a server to fetch from.
                #[cfg(test)]
                let _ = EN.get_or_init(|| parse(EN_JSON));
                EN.get()
            }
        }
    }

    /// Whether texts in this language can be shown now, without fetching.
    pub fn is_loaded(self) -> bool {
        self.catalog().is_some()
    }
}

/// Installs a fetched catalogue; `false` if it does not parse (the language then stays away).
pub fn install(lang: Lang, source: &str) -> bool {
    let catalog = parse(source);
    if catalog.is_empty() {
        return false;
    }
    match lang {
        Lang::Sv => true,
        Lang::En => {
            let _ = EN.set(catalog);
            true
        }
    }
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
        self.lang
            .catalog()
            .and_then(|catalog| catalog.get(key))
            .or_else(|| Lang::Sv.catalog().and_then(|catalog| catalog.get(key)))
            .map(String::as_str)
    }

    /// The text for `key` with each `{name}` replaced by its value.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.t(key).to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// A calendar date, `2026-11-24` (the Swedish standard form, also clear in English).
    pub fn date(&self, date: NaiveDate) -> String {
        date.to_string()
    }

    /// The calendar date of a moment in Swedish time, `2026-11-24`.
    pub fn day(&self, at: DateTime<Utc>) -> String {
        self.date(swedish_time(at).date())
    }

    /// The month of `date` in words: "december 2026", "December 2026".
    pub fn month_year(&self, date: NaiveDate) -> String {
        self.tf(
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

    /// The weekday of `date` as written mid-sentence: "måndag", "Monday".
    pub fn weekday(&self, date: NaiveDate) -> &'static str {
        match date.weekday() {
            Weekday::Mon => self.t("weekday.monday"),
            Weekday::Tue => self.t("weekday.tuesday"),
            Weekday::Wed => self.t("weekday.wednesday"),
            Weekday::Thu => self.t("weekday.thursday"),
            Weekday::Fri => self.t("weekday.friday"),
            Weekday::Sat => self.t("weekday.saturday"),
            Weekday::Sun => self.t("weekday.sunday"),
        }
    }

    /// A day with its weekday, as written mid-sentence: "måndag 30 november", "Monday 30
    /// November".
    pub fn weekday_date(&self, date: NaiveDate) -> String {
        self.tf(
            "format.weekday_date",
            &[
                ("weekday", self.weekday(date)),
                ("day", &date.day().to_string()),
                ("month", self.month(date)),
            ],
        )
    }

    /// An ISO week and its working days: "Vecka 49, 30 nov – 4 dec 2026" (with both years when
    /// the week spans a new year).
    pub fn week(&self, monday: NaiveDate) -> String {
        let friday = monday.checked_add_days(Days::new(4)).unwrap_or(monday);
        let short = |date: NaiveDate| {
            // The first three letters: "nov", "Nov" (the catalogues' month names begin in ASCII).
            let month = self.month(date);
            format!("{} {}", date.day(), month.get(..3).unwrap_or(month))
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
        self.tf(
            "format.week",
            &[
                ("week", &monday.iso_week().week().to_string()),
                ("range", &range),
            ],
        )
    }

    /// A whole number with its thousands grouped: "56 250" (with a no-break space) in Swedish,
    /// "56,250" in English.
    pub fn number(&self, value: u32) -> String {
        let separator = match self.lang {
            Lang::Sv => '\u{a0}',
            Lang::En => ',',
        };
        let digits = value.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index) % 3 == 0 {
                grouped.push(separator);
            }
            grouped.push(digit);
        }
        grouped
    }

    /// An amount of money: "1 688 kr", "SEK 1,688".
    pub fn kronor(&self, amount: u32) -> String {
        self.tf("format.kronor", &[("amount", &self.number(amount))])
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
            let separator = match self.lang {
                Lang::Sv => ',',
                Lang::En => '.',
            };
            format!("{whole}{separator}{decimals}")
        };
        self.tf("format.percent", &[("number", &number)])
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
        self.tf(
            "format.date_time",
            &[
                ("date", &self.date(local.date())),
                ("hour", &format!("{:02}", local.hour())),
                ("minute", &format!("{:02}", local.minute())),
            ],
        )
    }
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
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn strict_parse(name: &str, source: &str) -> Catalog {
        match serde_json::from_str::<Catalog>(source) {
            Ok(catalog) => catalog,
            Err(err) => panic!("i18n/{name}.json is not a flat string map: {err}"),
        }
    }

    #[test]
    fn catalogues_have_the_same_keys_and_no_empty_values() {
        let sv = strict_parse("sv", SV_JSON);
        let en = strict_parse("en", EN_JSON);
        assert!(!sv.is_empty());
        let sv_keys: BTreeSet<_> = sv.keys().collect();
        let en_keys: BTreeSet<_> = en.keys().collect();
        let only_sv: Vec<_> = sv_keys.difference(&en_keys).collect();
        let only_en: Vec<_> = en_keys.difference(&sv_keys).collect();
        assert!(only_sv.is_empty(), "keys missing in en.json: {only_sv:?}");
        assert!(only_en.is_empty(), "keys missing in sv.json: {only_en:?}");
        for (name, catalog) in [("sv", &sv), ("en", &en)] {
            let empty: Vec<_> = catalog
                .iter()
                .filter(|(_, value)| value.trim().is_empty())
                .map(|(key, _)| key)
                .collect();
            assert!(empty.is_empty(), "empty texts in {name}.json: {empty:?}");
        }
    }

    /// One English term for each Swedish one: where the Swedish text names the thing, the
    /// English names it with the glossary's term, and no other English name for it appears.
    #[test]
    fn each_swedish_term_has_one_english_term() {
        const GLOSSARY: &[(&str, &str, &[&str])] = &[
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
        let sv = strict_parse("sv", SV_JSON);
        let en = strict_parse("en", EN_JSON);
        let mut wrong = Vec::new();
        for (swedish, english, others) in GLOSSARY {
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
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn placeholders_match_between_languages() {
        let sv = strict_parse("sv", SV_JSON);
        let en = strict_parse("en", EN_JSON);
        for (key, sv_text) in &sv {
            let en_text = en.get(key).map(String::as_str).unwrap_or_default();
            assert_eq!(
                placeholders(sv_text),
                placeholders(en_text),
                "placeholders differ for {key}"
            );
        }
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

    /// Keys of the translation calls in `source`: a string literal right after `.t(` or `.tf(`
    /// (whitespace and line breaks allowed, as rustfmt may put them).
    fn used_keys(source: &str) -> Vec<String> {
        let mut keys = Vec::new();
        // Built at run time so that this scanner does not find itself.
        for marker in ["t", "tf"].map(|name| format!(".{name}(")) {
            let mut rest = source;
            while let Some(start) = rest.find(marker.as_str()) {
                rest = rest[start + marker.len()..].trim_start();
                let Some(literal) = rest.strip_prefix('"') else {
                    continue;
                };
                let Some(end) = literal.find('"') else { break };
                keys.push(literal[..end].to_owned());
                rest = &literal[end..];
            }
        }
        keys
    }

    #[test]
    fn the_key_scan_sees_wrapped_calls() {
        let source = "i18n.t(\"a.b\"); i18n.tf(\n    \"c.d\",\n &[]); x.t(key); y.get(\"e\")";
        assert_eq!(used_keys(source), ["a.b", "c.d"]);
    }

    #[test]
    fn every_key_used_in_the_source_exists() {
        let sv = strict_parse("sv", SV_JSON);
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let mut used = 0;
        let mut missing = Vec::new();
        for file in files {
            let source =
                std::fs::read_to_string(&file).unwrap_or_else(|err| panic!("{file:?}: {err}"));
            for key in used_keys(&source) {
                used += 1;
                if !sv.contains_key(&key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
        }
        assert!(used > 20, "the scan found only {used} keys; is it broken?");
        assert!(
            missing.is_empty(),
            "keys used but not translated: {missing:#?}"
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
        assert_eq!(en.weekday_date(date(2026, 12, 6)), "Sunday 6 December");
    }

    #[test]
    fn language_tags() {
        assert_eq!(Lang::from_code("sv"), Some(Lang::Sv));
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("fi"), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
    }
}
