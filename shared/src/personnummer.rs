//! Swedish personal identity numbers (personnummer and samordningsnummer), validated once at the edge so the rest of the code can trust them and they never reach a log unmasked.
//!
//! The canonical form is 12 digits, `YYYYMMDDNNNC`, without a separator. [`Personnummer::parse`]
//! takes that form, optionally with a hyphen after the date. The short 10-digit form
//! (`YYMMDD-NNNC`, or `YYMMDD+NNNC` for someone who turns 100 or more this year) leaves the century
//! implicit, so it needs a reference date: [`Personnummer::parse_with_today`].
//!
//! A samordningsnummer (coordination number) has 60 added to the day of birth. Skatteverket may
//! issue one with an incomplete birth date: month `00` when the month is unknown, day `60` when the
//! day is unknown. Those are valid numbers (Skatteverket's own test list has them), so they parse;
//! [`Personnummer::has_complete_birth_date`] tells them apart.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Added to the day of birth in a samordningsnummer.
const COORDINATION_DAY_OFFSET: u32 = 60;

/// A validated personnummer or samordningsnummer.
///
/// `Display` and [`as_str`](Self::as_str) give the full 12 digits; `Debug` and
/// [`masked`](Self::masked) hide the last four, so `{:?}` in a log line does not leak the number.
/// Serialized as the 12-digit string; deserializing validates with [`Personnummer::parse`].
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Personnummer {
    /// Always exactly 12 ASCII digits, `YYYYMMDDNNNC`. Compared first, so ordering follows the number.
    digits: String,
    /// The birth date, or for an incomplete one the earliest date it can be.
    birth_date: NaiveDate,
    birth_date_complete: bool,
}

/// Why a string is not a valid personnummer. The messages never contain the number itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum PersonnummerError {
    /// Not 12 digits (or, where a reference date is given, 10 digits).
    #[error("a personnummer has 12 digits (YYYYMMDD-NNNC)")]
    WrongLength,
    /// Something other than digits, or a separator in the wrong place.
    #[error(
        "a personnummer may contain only digits and one hyphen between the date and the last four digits"
    )]
    NotDigits,
    /// The first eight digits are not a date (nor a samordningsnummer date), or lie in the future.
    #[error("the date in the personnummer is not a valid birth date")]
    InvalidDate,
    /// The last digit does not match the Luhn check digit of the nine before it.
    #[error("the check digit of the personnummer does not match")]
    WrongCheckDigit,
}

impl Personnummer {
    /// Parses the 12-digit form, `YYYYMMDDNNNC` or `YYYYMMDD-NNNC`. Surrounding whitespace is ignored.
    ///
    /// The 10-digit form is refused with [`PersonnummerError::WrongLength`]: its century is
    /// ambiguous without a reference date; use [`Personnummer::parse_with_today`] for it.
    pub fn parse(input: &str) -> Result<Self, PersonnummerError> {
        let raw = scan(input)?;
        match raw.digits.len() {
            12 => Self::from_long(raw),
            _ => Err(PersonnummerError::WrongLength),
        }
    }

    /// Parses the 12-digit forms like [`Personnummer::parse`], and also the 10-digit forms
    /// `YYMMDDNNNC`, `YYMMDD-NNNC` and `YYMMDD+NNNC`, taking the century from `today`.
    ///
    /// Skatteverket's rule: the separator is `-` until the year a person turns 100 and `+` from then
    /// on. So with `-` (or none) the birth year is the latest year ending in `YY` that is not after
    /// `today`'s year, and `+` puts it a further hundred years back. A birth date after `today` (in
    /// any form) is refused as [`PersonnummerError::InvalidDate`].
    pub fn parse_with_today(input: &str, today: NaiveDate) -> Result<Self, PersonnummerError> {
        let raw = scan(input)?;
        let parsed = match raw.digits.len() {
            12 => Self::from_long(raw)?,
            10 => Self::from_short(raw, today)?,
            _ => return Err(PersonnummerError::WrongLength),
        };
        if parsed.birth_date > today {
            return Err(PersonnummerError::InvalidDate);
        }
        Ok(parsed)
    }

    /// The canonical 12 digits, `YYYYMMDDNNNC`.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// The birth date.
    ///
    /// For a samordningsnummer with an incomplete birth date (month `00` and/or day `60`) this is the
    /// earliest date consistent with what is known: an unknown month counts as January, an unknown
    /// day as the 1st. Check [`has_complete_birth_date`](Self::has_complete_birth_date) where that
    /// matters, or use [`birth_year`](Self::birth_year), which is always exact.
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// The year of birth; always known, even when month or day is not.
    pub fn birth_year(&self) -> i32 {
        self.birth_date.year()
    }

    /// False only for a samordningsnummer whose birth month or day is unknown.
    pub fn has_complete_birth_date(&self) -> bool {
        self.birth_date_complete
    }

    /// True for a samordningsnummer (day of birth + 60), false for a personnummer.
    pub fn is_coordination_number(&self) -> bool {
        self.digits
            .get(6..8)
            .and_then(|day| day.parse::<u32>().ok())
            .is_some_and(|day| day >= COORDINATION_DAY_OFFSET)
    }

    /// The number with its last four digits hidden, for display: `YYYYMMDD-****`.
    pub fn masked(&self) -> String {
        format!("{}-****", self.digits.get(..8).unwrap_or_default())
    }

    /// `YYYYMMDD` with an optional `-` after the date.
    fn from_long(raw: Raw) -> Result<Self, PersonnummerError> {
        match raw.separator {
            None | Some((8, '-')) => {}
            Some(_) => return Err(PersonnummerError::NotDigits),
        }
        let digits: [u8; 12] = raw
            .digits
            .try_into()
            .map_err(|_| PersonnummerError::WrongLength)?;
        Self::from_digits(digits)
    }

    /// `YYMMDD` with an optional `-` or `+` after the date; the century comes from `today`.
    fn from_short(raw: Raw, today: NaiveDate) -> Result<Self, PersonnummerError> {
        let hundred_or_older = match raw.separator {
            None | Some((6, '-')) => false,
            Some((6, '+')) => true,
            Some(_) => return Err(PersonnummerError::NotDigits),
        };
        let short: [u8; 10] = raw
            .digits
            .try_into()
            .map_err(|_| PersonnummerError::WrongLength)?;
        let yy = i32::from(short[0]) * 10 + i32::from(short[1]);
        let this_year = today.year();
        let mut year = this_year - (this_year - yy).rem_euclid(100);
        if hundred_or_older {
            year -= 100;
        }
        let century = u8::try_from(year.div_euclid(100))
            .ok()
            .filter(|c| *c < 100)
            .ok_or(PersonnummerError::InvalidDate)?;
        let mut digits = [0u8; 12];
        digits[0] = century / 10;
        digits[1] = century % 10;
        digits[2..].copy_from_slice(&short);
        Self::from_digits(digits)
    }

    /// Validates date and check digit of 12 digit values (each 0–9).
    fn from_digits(d: [u8; 12]) -> Result<Self, PersonnummerError> {
        let number = |digits: &[u8]| {
            digits
                .iter()
                .fold(0u32, |acc, &digit| acc * 10 + u32::from(digit))
        };
        let year = i32::try_from(number(&d[0..4])).map_err(|_| PersonnummerError::InvalidDate)?;
        let (birth_date, birth_date_complete) =
            birth_date(year, number(&d[4..6]), number(&d[6..8]))
                .ok_or(PersonnummerError::InvalidDate)?;
        if !luhn_valid(&d[2..]) {
            return Err(PersonnummerError::WrongCheckDigit);
        }
        let digits = d.iter().map(|&digit| char::from(b'0' + digit)).collect();
        Ok(Self {
            digits,
            birth_date,
            birth_date_complete,
        })
    }
}

/// The birth date encoded by year, month and day field, and whether it is complete; `None` if the
/// fields are no date. Month `00` and day `60` (unknown) are allowed only in a samordningsnummer.
fn birth_date(year: i32, month: u32, day_field: u32) -> Option<(NaiveDate, bool)> {
    if day_field < COORDINATION_DAY_OFFSET {
        return NaiveDate::from_ymd_opt(year, month, day_field).map(|date| (date, true));
    }
    let day = day_field - COORDINATION_DAY_OFFSET;
    match (month, day) {
        (_, 32..) | (13.., _) => None,
        (0, 0) => NaiveDate::from_ymd_opt(year, 1, 1).map(|date| (date, false)),
        // January has every day 1–31, so any day is possible when the month is unknown.
        (0, day) => NaiveDate::from_ymd_opt(year, 1, day).map(|date| (date, false)),
        (month, 0) => NaiveDate::from_ymd_opt(year, month, 1).map(|date| (date, false)),
        (month, day) => NaiveDate::from_ymd_opt(year, month, day).map(|date| (date, true)),
    }
}

/// The Luhn ("mod 10") check digit for `nine_digits`, as used for the last digit of a
/// personnummer: pass `YYMMDDNNN` (digit values 0–9, not ASCII) and get `C`.
///
/// Works for any number of digits (the rightmost is doubled, as Luhn prescribes). Values above 9
/// are taken modulo 10 rather than panicking.
pub fn luhn_check_digit(nine_digits: &[u8]) -> u8 {
    let sum: u32 = nine_digits
        .iter()
        .rev()
        .enumerate()
        .map(|(position, &digit)| {
            let digit = u32::from(digit % 10);
            let weighted = if position % 2 == 0 { digit * 2 } else { digit };
            weighted / 10 + weighted % 10
        })
        .sum();
    // Always below 10, so the narrowing cannot lose anything.
    ((10 - sum % 10) % 10) as u8
}

/// Whether the last digit of `digits` is the Luhn check digit of the ones before it.
fn luhn_valid(digits: &[u8]) -> bool {
    match digits.split_last() {
        Some((&check, payload)) => luhn_check_digit(payload) == check,
        None => false,
    }
}

/// The digits of an input (as values 0–9) and its one optional separator, with the number of
/// digits before it.
struct Raw {
    digits: Vec<u8>,
    separator: Option<(usize, char)>,
}

fn scan(input: &str) -> Result<Raw, PersonnummerError> {
    let mut digits = Vec::with_capacity(12);
    let mut separator = None;
    for c in input.trim().chars() {
        if c.is_ascii_digit() {
            digits.push(c as u8 - b'0');
        } else if (c == '-' || c == '+') && separator.is_none() {
            separator = Some((digits.len(), c));
        } else {
            return Err(PersonnummerError::NotDigits);
        }
    }
    Ok(Raw { digits, separator })
}

impl fmt::Display for Personnummer {
    /// The full 12 digits. Use [`Personnummer::masked`] for anything that may be logged.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

impl fmt::Debug for Personnummer {
    /// Masked: `Personnummer(YYYYMMDD-****)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Personnummer")
            .field(&format_args!("{}", self.masked()))
            .finish()
    }
}

impl FromStr for Personnummer {
    type Err = PersonnummerError;

    /// Same as [`Personnummer::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Personnummer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.digits)
    }
}

impl<'de> Deserialize<'de> for Personnummer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(PersonnummerVisitor)
    }
}

/// Accepts only strings. The wrong-type cases are overridden because serde's default messages
/// quote the offending value, which could be the number sent as an integer.
struct PersonnummerVisitor;

impl Visitor<'_> for PersonnummerVisitor {
    type Value = Personnummer;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a personnummer as a string of 12 digits")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Personnummer, E> {
        Personnummer::parse(v).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Personnummer, E> {
        Err(E::custom(
            "expected a personnummer as a string, got a number",
        ))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Personnummer, E> {
        Err(E::custom(
            "expected a personnummer as a string, got a number",
        ))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Personnummer, E> {
        Err(E::custom(
            "expected a personnummer as a string, got a number",
        ))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Personnummer, E> {
        Err(E::custom("expected a personnummer as a string, got bytes"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::value::{Error as ValueError, StrDeserializer, U64Deserializer};
    use serde::de::IntoDeserializer;

    /// From Skatteverket's list of test personnummer (shared/data/test-personnummer.txt).
    const VALID: &[&str] = &[
        "189001019802",
        "189001029819",
        "199003142388",
        "199204072384",
        "199608042397",
        "201302042393",
        "201603292390",
        "200002292399", // leap day
    ];

    /// From Skatteverket's list of test samordningsnummer (shared/data/test-samordningsnummer.txt).
    const COORDINATION: &[&str] = &["191401682396", "191403702390", "200002872380"];

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Twelve digits with a correct check digit computed for the given first eleven.
    fn with_check_digit(eleven: &str) -> String {
        let values: Vec<u8> = eleven.bytes().map(|b| b - b'0').collect();
        format!("{eleven}{}", luhn_check_digit(&values[2..]))
    }

    #[test]
    fn accepts_skatteverket_test_numbers() {
        for s in VALID {
            let p = Personnummer::parse(s);
            assert!(p.is_ok(), "{s}: {p:?}");
            let p = p.unwrap();
            assert_eq!(p.as_str(), *s);
            assert_eq!(p.to_string(), *s);
            assert!(!p.is_coordination_number());
            assert!(p.has_complete_birth_date());
        }
    }

    #[test]
    fn birth_date_of_personnummer() {
        let p = Personnummer::parse("189001029819").unwrap();
        assert_eq!(p.birth_date(), date(1890, 1, 2));
        assert_eq!(p.birth_year(), 1890);
        let p = Personnummer::parse("200002292399").unwrap();
        assert_eq!(p.birth_date(), date(2000, 2, 29));
    }

    #[test]
    fn hyphen_after_the_date_is_accepted_and_dropped() {
        let p = Personnummer::parse("19900314-2388").unwrap();
        assert_eq!(p.as_str(), "199003142388");
        let p = Personnummer::parse("  18900101-9802\n").unwrap();
        assert_eq!(p.as_str(), "189001019802");
        let p: Personnummer = "189001019802".parse().unwrap();
        assert_eq!(p.as_str(), "189001019802");
    }

    #[test]
    fn misplaced_or_foreign_characters_are_refused() {
        for s in [
            "1990031-42388",
            "19900314+2388",
            "19900314--2388",
            "19900314 2388",
            "1990O3142388",
            "19900314-238８",
            "١٩٩٠٠٣١٤٢٣٨٨",
        ] {
            assert_eq!(
                Personnummer::parse(s),
                Err(PersonnummerError::NotDigits),
                "{s}"
            );
        }
    }

    #[test]
    fn wrong_length_is_refused() {
        for s in [
            "",
            "   ",
            "1990031423",
            "900314-2388",
            "19900314238",
            "1990031423880",
        ] {
            assert_eq!(
                Personnummer::parse(s),
                Err(PersonnummerError::WrongLength),
                "{s}"
            );
        }
    }

    #[test]
    fn wrong_check_digit_is_refused() {
        assert_eq!(
            Personnummer::parse("189001019803"),
            Err(PersonnummerError::WrongCheckDigit)
        );
        assert_eq!(
            Personnummer::parse("19900314-2387"),
            Err(PersonnummerError::WrongCheckDigit)
        );
        // Two swapped serial digits.
        assert_eq!(
            Personnummer::parse("199003143288"),
            Err(PersonnummerError::WrongCheckDigit)
        );
    }

    #[test]
    fn impossible_dates_are_refused_even_with_a_correct_check_digit() {
        for eleven in [
            "19900230123", // 30 February
            "19000229123", // 1900 was no leap year
            "19901301123", // month 13
            "19900001123", // month 00 in a personnummer
            "19900100123", // day 00 in a personnummer
            "19900432123", // 32 April
            "19900290123", // samordningsnummer for 30 February
            "19900192123", // samordningsnummer day 32
        ] {
            let s = with_check_digit(eleven);
            assert_eq!(
                Personnummer::parse(&s),
                Err(PersonnummerError::InvalidDate),
                "{s}"
            );
        }
    }

    #[test]
    fn samordningsnummer() {
        for s in COORDINATION {
            let p = Personnummer::parse(s).unwrap();
            assert!(p.is_coordination_number(), "{s}");
            assert!(p.has_complete_birth_date(), "{s}");
        }
        let p = Personnummer::parse("191401682396").unwrap();
        assert_eq!(p.birth_date(), date(1914, 1, 8));
        let p = Personnummer::parse("20000287-2380").unwrap();
        assert_eq!(p.birth_date(), date(2000, 2, 27));
        assert_eq!(p.masked(), "20000287-****");
    }

    #[test]
    fn samordningsnummer_with_incomplete_birth_date() {
        // All three are on Skatteverket's test list.
        let unknown_month = Personnummer::parse("191500722390").unwrap();
        assert!(unknown_month.is_coordination_number());
        assert!(!unknown_month.has_complete_birth_date());
        assert_eq!(unknown_month.birth_date(), date(1915, 1, 12));
        assert_eq!(unknown_month.birth_year(), 1915);

        let unknown_day = Personnummer::parse("191711602399").unwrap();
        assert!(unknown_day.is_coordination_number());
        assert!(!unknown_day.has_complete_birth_date());
        assert_eq!(unknown_day.birth_date(), date(1917, 11, 1));

        let unknown_both = Personnummer::parse("193100602394").unwrap();
        assert!(unknown_both.is_coordination_number());
        assert!(!unknown_both.has_complete_birth_date());
        assert_eq!(unknown_both.birth_date(), date(1931, 1, 1));
    }

    #[test]
    fn short_form_takes_the_century_from_today() {
        let today = date(2024, 6, 15);
        let parse = |s: &str| Personnummer::parse_with_today(s, today).map(|p| p.to_string());
        assert_eq!(parse("900101-9802").as_deref(), Ok("199001019802"));
        assert_eq!(parse("9001019802").as_deref(), Ok("199001019802"));
        assert_eq!(parse("900101+9802").as_deref(), Ok("189001019802"));
        assert_eq!(parse("160329-2390").as_deref(), Ok("201603292390"));
        // The 12-digit forms work too, and ignore the reference date for the century.
        assert_eq!(parse("19900101-9802").as_deref(), Ok("199001019802"));
        assert_eq!(parse("189001019802").as_deref(), Ok("189001019802"));
    }

    #[test]
    fn short_form_century_at_the_turn_of_the_year() {
        let s = with_check_digit("20240101123");
        let short = format!("{}-{}", &s[2..8], &s[8..]);
        let plus = format!("{}+{}", &s[2..8], &s[8..]);
        // Born on 1 January 2024, parsed on that day: this century.
        let p = Personnummer::parse_with_today(&short, date(2024, 1, 1)).unwrap();
        assert_eq!(p.birth_date(), date(2024, 1, 1));
        // With '+' the same digits mean 1924.
        let p = Personnummer::parse_with_today(&plus, date(2024, 1, 1)).unwrap();
        assert_eq!(p.birth_date(), date(1924, 1, 1));
        // On 31 December 2023 a '-' means 1924, who has not turned 100 yet.
        let p = Personnummer::parse_with_today(&short, date(2023, 12, 31)).unwrap();
        assert_eq!(p.birth_date(), date(1924, 1, 1));
    }

    #[test]
    fn short_form_refuses_birth_dates_after_today_and_bad_separators() {
        let today = date(2024, 6, 15);
        let s = with_check_digit("20241231123");
        let short = format!("{}-{}", &s[2..8], &s[8..]);
        assert_eq!(
            Personnummer::parse_with_today(&short, today),
            Err(PersonnummerError::InvalidDate)
        );
        assert_eq!(
            Personnummer::parse_with_today(&s, today),
            Err(PersonnummerError::InvalidDate)
        );
        assert_eq!(
            Personnummer::parse_with_today("9001-019802", today),
            Err(PersonnummerError::NotDigits)
        );
        assert_eq!(
            Personnummer::parse_with_today("900101*9802", today),
            Err(PersonnummerError::NotDigits)
        );
        assert_eq!(
            Personnummer::parse_with_today("18900101+9802", today),
            Err(PersonnummerError::NotDigits)
        );
        assert_eq!(
            Personnummer::parse_with_today("900101-980", today),
            Err(PersonnummerError::WrongLength)
        );
        assert_eq!(
            Personnummer::parse_with_today("900101-9803", today),
            Err(PersonnummerError::WrongCheckDigit)
        );
        // Without a reference date the short form is not accepted at all.
        assert_eq!(
            Personnummer::parse("900101-9802"),
            Err(PersonnummerError::WrongLength)
        );
    }

    #[test]
    fn debug_masks_the_last_four_digits() {
        let p = Personnummer::parse("199003142388").unwrap();
        let debug = format!("{p:?}");
        assert_eq!(debug, "Personnummer(19900314-****)");
        assert!(!debug.contains("2388"));
        let nested = format!("{:?}", Some(vec![p.clone()]));
        assert!(!nested.contains("2388"), "{nested}");
        let pretty = format!("{p:#?}");
        assert!(!pretty.contains("2388"), "{pretty}");
        assert_eq!(p.masked(), "19900314-****");
    }

    #[test]
    fn error_messages_do_not_contain_the_number() {
        let inputs = [
            "189001019803",
            "19900230-1234",
            "1990x3142388",
            "19900314238",
        ];
        for s in inputs {
            let e = Personnummer::parse(s).unwrap_err();
            let message = e.to_string();
            assert!(!message.contains(&s[..6]), "{message}");
            assert!(!format!("{e:?}").contains(&s[..6]));
        }
    }

    /// Captures what a value serializes to, given that it serializes to a string.
    struct StringCapture;

    macro_rules! refuse {
        ($($method:ident($($ty:ty),*)),* $(,)?) => {
            $(fn $method(self, $(_: $ty),*) -> Result<String, ValueError> {
                Err(serde::ser::Error::custom("not a string"))
            })*
        };
    }

    impl Serializer for StringCapture {
        type Ok = String;
        type Error = ValueError;
        type SerializeSeq = serde::ser::Impossible<String, ValueError>;
        type SerializeTuple = serde::ser::Impossible<String, ValueError>;
        type SerializeTupleStruct = serde::ser::Impossible<String, ValueError>;
        type SerializeTupleVariant = serde::ser::Impossible<String, ValueError>;
        type SerializeMap = serde::ser::Impossible<String, ValueError>;
        type SerializeStruct = serde::ser::Impossible<String, ValueError>;
        type SerializeStructVariant = serde::ser::Impossible<String, ValueError>;

        fn serialize_str(self, v: &str) -> Result<String, ValueError> {
            Ok(v.to_owned())
        }

        refuse!(
            serialize_bool(bool),
            serialize_i8(i8),
            serialize_i16(i16),
            serialize_i32(i32),
            serialize_i64(i64),
            serialize_u8(u8),
            serialize_u16(u16),
            serialize_u32(u32),
            serialize_u64(u64),
            serialize_f32(f32),
            serialize_f64(f64),
            serialize_char(char),
            serialize_bytes(&[u8]),
            serialize_none(),
            serialize_unit(),
            serialize_unit_struct(&'static str),
            serialize_unit_variant(&'static str, u32, &'static str),
        );

        fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<String, ValueError> {
            Err(serde::ser::Error::custom("not a string"))
        }
        fn serialize_newtype_struct<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<String, ValueError> {
            Err(serde::ser::Error::custom("not a string"))
        }
        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<String, ValueError> {
            Err(serde::ser::Error::custom("not a string"))
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, ValueError> {
            Err(serde::ser::Error::custom("not a string"))
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, ValueError> {
            Err(serde::ser::Error::custom("not a string"))
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, ValueError> {
            Err(serde::ser::Error::custom("not a string"))
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, ValueError> {
            Err(serde::ser::Error::custom("not a string"))
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, ValueError> {
            Err(serde::ser::Error::custom("not a string"))
        }
        fn serialize_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStruct, ValueError> {
            Err(serde::ser::Error::custom("not a string"))
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, ValueError> {
            Err(serde::ser::Error::custom("not a string"))
        }
    }

    fn from_str_value(s: &str) -> Result<Personnummer, ValueError> {
        let deserializer: StrDeserializer<'_, ValueError> = s.into_deserializer();
        Personnummer::deserialize(deserializer)
    }

    #[test]
    fn serde_round_trip_as_the_twelve_digits() {
        for s in VALID.iter().chain(COORDINATION) {
            let p = Personnummer::parse(s).unwrap();
            let serialized = p.serialize(StringCapture).unwrap();
            assert_eq!(serialized, *s);
            let back = from_str_value(&serialized).unwrap();
            assert_eq!(back, p);
        }
        // The hyphen form deserializes to the canonical one.
        let p = from_str_value("19900314-2388").unwrap();
        assert_eq!(p.as_str(), "199003142388");
    }

    #[test]
    fn deserializing_validates_and_does_not_echo_the_value() {
        let e = from_str_value("189001019803").unwrap_err();
        assert!(!e.to_string().contains("18900101"), "{e}");
        assert!(e.to_string().contains("check digit"), "{e}");

        let as_number: U64Deserializer<ValueError> = 189_001_019_802_u64.into_deserializer();
        let e = Personnummer::deserialize(as_number).unwrap_err();
        assert!(!e.to_string().contains("18900101"), "{e}");
    }

    #[test]
    fn luhn_check_digit_of_known_numbers() {
        // 900101980 -> 2 (189001019802), 900102981 -> 9 (189001029819).
        assert_eq!(luhn_check_digit(&[9, 0, 0, 1, 0, 1, 9, 8, 0]), 2);
        assert_eq!(luhn_check_digit(&[9, 0, 0, 1, 0, 2, 9, 8, 1]), 9);
        // Skatteverket's textbook example 640823-323: check digit 4.
        assert_eq!(luhn_check_digit(&[6, 4, 0, 8, 2, 3, 3, 2, 3]), 4);
        assert_eq!(luhn_check_digit(&[]), 0);
    }

    proptest! {
        #[test]
        fn any_nine_digits_with_their_check_digit_pass_luhn(
            nine in prop::collection::vec(0u8..10, 9)
        ) {
            let check = luhn_check_digit(&nine);
            prop_assert!(check < 10);
            let mut ten = nine.clone();
            ten.push(check);
            prop_assert!(luhn_valid(&ten));
        }

        #[test]
        fn changing_one_digit_breaks_the_check(
            ten in prop::collection::vec(0u8..10, 9).prop_map(|mut nine| {
                let check = luhn_check_digit(&nine);
                nine.push(check);
                nine
            }),
            position in 0usize..10,
            delta in 1u8..10,
        ) {
            let mut changed = ten.clone();
            changed[position] = (changed[position] + delta) % 10;
            prop_assert!(!luhn_valid(&changed));
        }

        #[test]
        fn generated_numbers_parse_and_keep_their_date(
            days in 0i64..(365 * 200),
            serial in 0u16..1000,
            coordination in any::<bool>(),
        ) {
            let birth = date(1850, 1, 1) + chrono::Duration::days(days);
            let day = birth.day() + if coordination { COORDINATION_DAY_OFFSET } else { 0 };
            let eleven = format!("{:04}{:02}{day:02}{serial:03}", birth.year(), birth.month());
            let s = with_check_digit(&eleven);
            let p = Personnummer::parse(&s);
            prop_assert!(p.is_ok(), "{} {:?}", s, p);
            let p = p.unwrap();
            prop_assert_eq!(p.as_str(), s.as_str());
            prop_assert_eq!(p.birth_date(), birth);
            prop_assert_eq!(p.is_coordination_number(), coordination);
            prop_assert!(p.has_complete_birth_date());
        }

        #[test]
        fn parse_never_panics(s in any::<String>()) {
            let _ = Personnummer::parse(&s);
            let _ = Personnummer::parse_with_today(&s, date(2024, 6, 15));
        }

        #[test]
        fn parse_never_panics_on_digit_soup(s in "[0-9+ -]{0,16}") {
            let _ = Personnummer::parse(&s);
            let _ = Personnummer::parse_with_today(&s, date(2024, 6, 15));
        }
    }
}
