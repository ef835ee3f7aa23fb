//! Dates and timestamps read off the wire by hand. chrono's own `Deserialize` goes through its
//! general format parser, which costs the wasm client several kilobytes; what crosses the wire is
//! only ever `YYYY-MM-DD` (`NaiveDate`) and RFC 3339 (`DateTime<Utc>`: the server writes
//! `+00:00` through poem-openapi, serde writes `Z`), so a strict reader of those two is enough.
//! Writing stays chrono's, and the OpenAPI spec still sees chrono's types.
//!
//! Used on the wire types' fields as `#[serde(deserialize_with = "crate::wire_date::date")]`
//! (`date`, `utc`, and `opt_date`, `opt_utc` for optional fields, which also need
//! `#[serde(default)]`).

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::de::{Deserialize, Deserializer, Error, Unexpected, Visitor};

/// A date written `YYYY-MM-DD`, as the wire and a date input's value have it.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut cursor = Cursor(text.as_bytes());
    let date = cursor.date()?;
    cursor.0.is_empty().then_some(date)
}

/// An RFC 3339 timestamp (`2026-11-24T09:30:00Z`, `2026-11-24T10:30:00.25+01:00`) in UTC.
pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    let mut cursor = Cursor(text.as_bytes());
    let date = cursor.date()?;
    // RFC 3339 allows a lower-case `t`, and a space "for readability".
    cursor.one_of(b"Tt ")?;
    let hour = cursor.number(2)?;
    cursor.one_of(b":")?;
    let minute = cursor.number(2)?;
    cursor.one_of(b":")?;
    let second = cursor.number(2)?;
    let mut nano = 0;
    if cursor.one_of(b".").is_some() {
        nano = cursor.fraction()?;
    }
    // chrono keeps a leap second as the 59th with more than a second's nanoseconds.
    let (second, nano) = if second == 60 {
        (59, nano + 1_000_000_000)
    } else {
        (second, nano)
    };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nano)?;
    let offset = match cursor.one_of(b"Zz+-")? {
        b'Z' | b'z' => 0,
        sign => {
            let hours = cursor.number(2)?;
            cursor.one_of(b":")?;
            let minutes = cursor.number(2)?;
            if minutes > 59 {
                return None;
            }
            let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
            if sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
    };
    if !cursor.0.is_empty() {
        return None;
    }
    let local = NaiveDateTime::new(date, time);
    Some(
        local
            .checked_sub_offset(FixedOffset::east_opt(offset)?)?
            .and_utc(),
    )
}

/// The unread rest of the text.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn date(&mut self) -> Option<NaiveDate> {
        let year = self.number(4)?;
        self.one_of(b"-")?;
        let month = self.number(2)?;
        self.one_of(b"-")?;
        let day = self.number(2)?;
        NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
    }

    /// Exactly `len` ASCII digits.
    fn number(&mut self, len: usize) -> Option<u32> {
        let digits = self.0.get(..len)?;
        let mut value = 0;
        for &b in digits {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        self.0 = &self.0[len..];
        Some(value)
    }

    /// Decimal fraction digits (at least one) as nanoseconds; digits past the ninth are dropped,
    /// as chrono does.
    fn fraction(&mut self) -> Option<u32> {
        let len = self.0.iter().take_while(|b| b.is_ascii_digit()).count();
        if len == 0 {
            return None;
        }
        let (mut nano, mut scale) = (0, 100_000_000);
        for &b in &self.0[..len] {
            nano += u32::from(b - b'0') * scale;
            scale /= 10;
        }
        self.0 = &self.0[len..];
        Some(nano)
    }

    /// The next byte, if it is one of `allowed`.
    fn one_of(&mut self, allowed: &[u8]) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        allowed.contains(&first).then(|| {
            self.0 = rest;
            first
        })
    }
}

/// A value that arrives as text and is read with one of the parsers above.
struct Wire<T>(T);

trait FromWire: Sized {
    const EXPECTED: &'static str;
    fn parse(text: &str) -> Option<Self>;
}

impl FromWire for NaiveDate {
    const EXPECTED: &'static str = "a date written YYYY-MM-DD";
    fn parse(text: &str) -> Option<Self> {
        parse_date(text)
    }
}

impl FromWire for DateTime<Utc> {
    const EXPECTED: &'static str = "an RFC 3339 timestamp";
    fn parse(text: &str) -> Option<Self> {
        parse_utc(text)
    }
}

struct WireVisitor<T>(PhantomData<T>);

impl<T: FromWire> Visitor<'_> for WireVisitor<T> {
    type Value = Wire<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(T::EXPECTED)
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<Self::Value, E> {
        T::parse(text)
            .map(Wire)
            .ok_or_else(|| E::invalid_value(Unexpected::Str(text), &self))
    }
}

impl<'de, T: FromWire> Deserialize<'de> for Wire<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(WireVisitor(PhantomData))
    }
}

pub fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    Wire::deserialize(deserializer).map(|w| w.0)
}

pub fn opt_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    Option::<Wire<_>>::deserialize(deserializer).map(|o| o.map(|w| w.0))
}

pub fn utc<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    Wire::deserialize(deserializer).map(|w| w.0)
}

pub fn opt_utc<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    Option::<Wire<_>>::deserialize(deserializer).map(|o| o.map(|w| w.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nano: u32) -> DateTime<Utc> {
        let time = NaiveTime::from_hms_nano_opt(h, mi, s, nano).expect("valid time");
        let date = NaiveDate::from_ymd_opt(y, mo, d).expect("valid date");
        Utc.from_utc_datetime(&NaiveDateTime::new(date, time))
    }

    #[test]
    fn dates_are_read_strictly() {
        assert_eq!(
            parse_date("2026-11-24"),
            NaiveDate::from_ymd_opt(2026, 11, 24)
        );
        assert_eq!(
            parse_date("2028-02-29"),
            NaiveDate::from_ymd_opt(2028, 2, 29)
        );
        for bad in [
            "",
            "2026-02-29",
            "2026-13-01",
            "2026-11-00",
            "2026-1-24",
            "26-11-24",
            "2026/11/24",
            "2026-11-24 ",
            " 2026-11-24",
            "2026-11-24T00:00:00Z",
            "+2026-11-24",
            "2026-11-2x",
            "2026-11-+4",
            "２０２６-11-24",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn timestamps_are_read_in_utc() {
        assert_eq!(
            parse_utc("2026-11-24T09:30:00Z"),
            Some(at(2026, 11, 24, 9, 30, 0, 0))
        );
        assert_eq!(
            parse_utc("2026-11-24T09:30:00+00:00"),
            Some(at(2026, 11, 24, 9, 30, 0, 0))
        );
        assert_eq!(
            parse_utc("2026-11-24t10:30:00.25+01:00"),
            Some(at(2026, 11, 24, 9, 30, 0, 250_000_000))
        );
        assert_eq!(
            parse_utc("2026-01-01 00:15:00.1234567891-00:30"),
            Some(at(2026, 1, 1, 0, 45, 0, 123_456_789))
        );
        assert_eq!(
            parse_utc("2026-01-01T00:30:00+01:00"),
            Some(at(2025, 12, 31, 23, 30, 0, 0))
        );
        for bad in [
            "",
            "2026-11-24",
            "2026-11-24T09:30Z",
            "2026-11-24T09:30:00",
            "2026-11-24T24:00:00Z",
            "2026-11-24T09:60:00Z",
            "2026-11-24T09:30:00.Z",
            "2026-11-24T09:30:00+0100",
            "2026-11-24T09:30:00+01",
            "2026-11-24T09:30:00+01:60",
            "2026-11-24T09:30:00+24:00",
            "2026-11-24T09:30:00Z ",
            "2026-11-24X09:30:00Z",
        ] {
            assert_eq!(parse_utc(bad), None, "{bad:?}");
        }
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Fields {
        #[serde(deserialize_with = "date")]
        day: NaiveDate,
        #[serde(default, deserialize_with = "opt_date")]
        until: Option<NaiveDate>,
        #[serde(deserialize_with = "utc")]
        at: DateTime<Utc>,
        #[serde(default, deserialize_with = "opt_utc")]
        seen: Option<DateTime<Utc>>,
    }

    #[test]
    fn fields_read_present_missing_and_null() {
        let json = r#"{"day":"2026-11-24","until":null,"at":"2026-11-24T09:30:00+00:00"}"#;
        let fields: Fields = serde_json::from_str(json).expect("reads");
        assert_eq!(
            fields.day,
            NaiveDate::from_ymd_opt(2026, 11, 24).expect("date")
        );
        assert_eq!((fields.until, fields.seen), (None, None));
        assert_eq!(fields.at, at(2026, 11, 24, 9, 30, 0, 0));
        let json = r#"{"day":"2026-11-24","until":"2027-01-01","at":"2026-11-24T09:30:00Z","seen":"2026-11-24T09:30:00.5Z"}"#;
        let fields: Fields = serde_json::from_str(json).expect("reads");
        assert_eq!(fields.until, NaiveDate::from_ymd_opt(2027, 1, 1));
        assert_eq!(fields.seen, Some(at(2026, 11, 24, 9, 30, 0, 500_000_000)));
        for bad in [
            r#"{"day":"2026-11-31","at":"2026-11-24T09:30:00Z"}"#,
            r#"{"day":"2026-11-24","at":"2026-11-24"}"#,
            r#"{"day":20261124,"at":"2026-11-24T09:30:00Z"}"#,
            r#"{"day":"2026-11-24","until":"soon","at":"2026-11-24T09:30:00Z"}"#,
        ] {
            assert!(serde_json::from_str::<Fields>(bad).is_err(), "{bad}");
        }
    }

    /// A date field read with chrono's own `Deserialize` would quietly bring its general
    /// parser back into the SPA (about 6 KB brotli). Every date field of the wire types goes
    /// through this module; this reads the sources to keep it so.
    #[test]
    fn every_date_field_on_the_wire_is_read_here() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![src.join("fee.rs")];
        let api = std::fs::read_dir(src.join("api")).expect("src/api");
        files.extend(api.map(|entry| entry.expect("a directory entry").path()));
        let mut missing = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable source");
            // Test modules sit at the end of a file; their types never cross the wire.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            // The attributes of a field are the lines since the previous field or `{`.
            let mut attributes = String::new();
            for (number, line) in code.lines().enumerate() {
                let field = line.trim_start().strip_prefix("pub ").filter(|rest| {
                    rest.split_once(": ").is_some_and(|(name, _)| {
                        name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    })
                });
                let is_date = field.is_some_and(|f| {
                    let ty = f.split_once(": ").map(|(_, ty)| ty).unwrap_or_default();
                    let ty = ty.strip_prefix("Option<").unwrap_or(ty);
                    let ty = ty.strip_prefix("chrono::").unwrap_or(ty);
                    ty.starts_with("NaiveDate") || ty.starts_with("DateTime<")
                });
                if is_date && !attributes.contains("wire_date") {
                    missing.push(format!("{}:{}", file.display(), number + 1));
                }
                if field.is_some() || line.contains('{') {
                    attributes.clear();
                } else {
                    attributes.push_str(line);
                }
            }
        }
        assert!(
            missing.is_empty(),
            "date fields without #[serde(deserialize_with = \"crate::wire_date::…\")]: {missing:?}"
        );
    }

    proptest! {
        /// Whatever chrono writes (serde's `Z` form and the server's `+00:00` form, any fraction)
        /// reads back the same, and chrono's own parser agrees on it.
        #[test]
        fn chrono_output_reads_back(days in 0i64..3_000_000, nanos in 0i64..86_400_000_000_000) {
            let start = at(1, 1, 1, 0, 0, 0, 0);
            let Some(moment) = start
                .checked_add_signed(chrono::TimeDelta::days(days))
                .and_then(|m| m.checked_add_signed(chrono::TimeDelta::nanoseconds(nanos)))
            else {
                return Ok(());
            };
            let serde_form = serde_json::to_value(moment).expect("serialises");
            let serde_text = serde_form.as_str().expect("a string");
            prop_assert_eq!(parse_utc(serde_text), Some(moment));
            prop_assert_eq!(parse_utc(&moment.to_rfc3339()), Some(moment));
            let date = moment.date_naive();
            prop_assert_eq!(parse_date(&date.to_string()), Some(date));
            prop_assert_eq!(date.to_string().parse::<NaiveDate>().ok(), parse_date(&date.to_string()));
        }
    }
}
