//! The languages the portal is translated into, and the rules that are the same wherever a text
//! is written: which languages the switch offers and each language's plural forms. Shared because
//! the server writes the login page in the chosen language, and the app every page after it.

/// A language the portal is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Sv,
    En,
    /// Finnish: a national minority language that municipalities in the Finnish administrative
    /// area must serve.
    Fi,
    /// Arabic: written right to left.
    Ar,
    So,
    Uk,
}

impl Lang {
    /// Every language, in the order the language switch shows them.
    pub const ALL: [Lang; 6] = [Lang::Sv, Lang::En, Lang::Fi, Lang::Ar, Lang::So, Lang::Uk];

    /// The BCP 47 tag, as used in `<html lang>`, in the catalogue's file name and by the
    /// municipality's `languages`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
            Lang::Fi => "fi",
            Lang::Ar => "ar",
            Lang::So => "so",
            Lang::Uk => "uk",
        }
    }

    /// The language for a tag such as `sv`, `en` or `en-GB`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or_default();
        let primary = primary.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.code() == primary)
    }

    /// The writing direction, for `<html dir>`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            _ => "ltr",
        }
    }
}

/// The cookie that carries the chosen language to the server, so that the login page it paints
/// is in that language. A preference, not personal data; the app also keeps it in `localStorage`.
pub const LANG_COOKIE: &str = "skolportal_lang";

/// The `Set-Cookie` value that remembers `lang` for a year, site-wide (the server adds `Secure`
/// over HTTPS; the app sets it from script, where the page's scheme decides).
pub fn lang_cookie(lang: Lang) -> String {
    format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    )
}

/// The languages the language switch shows: those the municipality offers (its `languages`; all
/// when it names none it knows), and always the current one, in [`Lang::ALL`]'s order. Nothing is
/// shown when that leaves one language.
pub fn shown_languages(current: Lang, offered: &[String]) -> Vec<Lang> {
    let offered: Vec<Lang> = offered.iter().filter_map(|c| Lang::from_code(c)).collect();
    let shown: Vec<Lang> = Lang::ALL
        .into_iter()
        .filter(|lang| *lang == current || offered.is_empty() || offered.contains(lang))
        .collect();
    if shown.len() < 2 {
        Vec::new()
    } else {
        shown
    }
}

/// The thousands and decimal separators of `lang`.
pub fn separators(lang: Lang) -> (char, char) {
    match lang {
        // A no-break space, so that a number never breaks over two lines.
        Lang::Sv | Lang::Fi | Lang::Uk => ('\u{a0}', ','),
        Lang::En | Lang::Ar | Lang::So => (',', '.'),
    }
}

/// A whole number with its thousands grouped: "56 250" (with a no-break space) in Swedish,
/// Finnish and Ukrainian, "56,250" in English, Arabic and Somali.
pub fn group_digits(lang: Lang, value: u64) -> String {
    let (separator, _) = separators(lang);
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

/// A calendar date: `2026-11-24` (ISO 8601, the Swedish standard form, also used for English,
/// Arabic and Somali, where it is unambiguous), `24.11.2026` in Finnish and Ukrainian, where
/// that is how dates are written.
pub fn format_date(lang: Lang, date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match lang {
        Lang::Fi | Lang::Uk => format!("{}.{:02}.{}", date.day(), date.month(), date.year()),
        _ => date.to_string(),
    }
}

/// `text` with each `{name}` replaced by its value. With `isolate` in a right-to-left language
/// each value is isolated (FSI … PDI): a Latin name, a personnummer or a phone number inside
/// Arabic text then keeps its own order and does not pull the sentence's punctuation with it.
/// The app and the server's own pages fill texts with this one function, so they read the same.
pub fn fill(lang: Lang, text: &str, args: &[(&str, &str)], isolate: bool) -> String {
    let rtl = isolate && lang.dir() == "rtl";
    let mut text = text.to_owned();
    for (name, value) in args {
        let placeholder = format!("{{{name}}}");
        if rtl {
            text = text.replace(&placeholder, &format!("\u{2068}{value}\u{2069}"));
        } else {
            text = text.replace(&placeholder, value);
        }
    }
    text
}

/// A span of clock times, "08:10–09:00", kept left to right inside right-to-left text.
pub fn time_range(from: &str, to: &str) -> String {
    format!("\u{2066}{from}–{to}\u{2069}")
}

/// Names as a list in running text: "Alva", "Alva och Bo", "Alva, Bo och Cleo". `and` is the
/// language's `{first} och {last}`.
pub fn join_names(lang: Lang, and: &str, names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => fill(
            lang,
            and,
            &[("first", &rest.join(", ")), ("last", last)],
            true,
        ),
    }
}

/// The catalogue key of `date`'s weekday as written mid-sentence ("måndag", "Monday").
pub fn weekday_key(date: chrono::NaiveDate) -> &'static str {
    use chrono::{Datelike, Weekday};
    match date.weekday() {
        Weekday::Mon => "weekday.monday",
        Weekday::Tue => "weekday.tuesday",
        Weekday::Wed => "weekday.wednesday",
        Weekday::Thu => "weekday.thursday",
        Weekday::Fri => "weekday.friday",
        Weekday::Sat => "weekday.saturday",
        Weekday::Sun => "weekday.sunday",
    }
}

/// The catalogue key of `date`'s month as written after a day number: the genitive or
/// partitive where the language inflects it ("30. marraskuuta", "30 листопада").
pub fn month_after_day_key(date: chrono::NaiveDate) -> &'static str {
    use chrono::Datelike;
    const KEYS: [&str; 12] = [
        "month_day.january",
        "month_day.february",
        "month_day.march",
        "month_day.april",
        "month_day.may",
        "month_day.june",
        "month_day.july",
        "month_day.august",
        "month_day.september",
        "month_day.october",
        "month_day.november",
        "month_day.december",
    ];
    KEYS[date.month0() as usize % 12]
}

/// The CLDR plural category of a whole number in `lang`: the suffix of the catalogue key a
/// counted text is looked up by (`<key>.one`, `<key>.few`, …). Only whole numbers are counted in
/// the portal, so the rules for fractions are left out.
pub fn plural_category(lang: Lang, count: u64) -> &'static str {
    let (n10, n100) = (count % 10, count % 100);
    match lang {
        Lang::Sv | Lang::En | Lang::Fi | Lang::So => {
            if count == 1 {
                "one"
            } else {
                "other"
            }
        }
        Lang::Uk => match (n10, n100) {
            (1, n100) if n100 != 11 => "one",
            (2..=4, n100) if !(12..=14).contains(&n100) => "few",
            _ => "many",
        },
        Lang::Ar => match (count, n100) {
            (0, _) => "zero",
            (1, _) => "one",
            (2, _) => "two",
            (_, 3..=10) => "few",
            (_, 11..=99) => "many",
            _ => "other",
        },
    }
}

/// The plural categories a language's catalogue has for each counted text.
pub fn plural_categories(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Sv | Lang::En | Lang::Fi | Lang::So => &["one", "other"],
        Lang::Uk => &["one", "few", "many", "other"],
        Lang::Ar => &["zero", "one", "two", "few", "many", "other"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::Ar.dir(), "rtl");
    }

    #[test]
    fn the_switch_offers_the_municipality_s_languages_and_the_current_one() {
        let offered = ["sv".to_owned(), "en".to_owned()];
        assert_eq!(
            shown_languages(Lang::Fi, &offered),
            [Lang::Sv, Lang::En, Lang::Fi]
        );
        assert_eq!(shown_languages(Lang::Sv, &[]), Lang::ALL);
        assert!(shown_languages(Lang::Sv, &["sv".to_owned()]).is_empty());
        assert!(shown_languages(Lang::Sv, &["xx".to_owned()]).len() == 6);
    }
}
