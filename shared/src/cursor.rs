//! The cursors of list pages (keyset pagination): the position after the last row shown,
//! written by the server as opaque base64url text and read back from the next request. Not wire
//! types: the client only passes the text on.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use uuid::Uuid;

/// No cursor this module writes is longer; a longer one is refused before it is decoded.
const MAX_CURSOR_LEN: usize = 200;

/// A cursor that is not one this server wrote (or not for this list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the cursor is not valid: ask for the first page again")]
pub struct InvalidCursor;

/// The position after a row of a list kept newest first: its instant (an offer's creation, a
/// document's signing) and its id. The next page has the rows with a smaller `(at, id)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewestFirstCursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

/// The position after a row of the queue: first-choice unit, queued before offered, application
/// day, the moment it was made, id. The next page has the rows with a greater key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueCursor {
    pub first_unit_id: Uuid,
    pub offered: bool,
    pub applied_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
}

const NEWEST_FIRST: &str = "n";
const QUEUE: &str = "q";

/// An instant as `seconds.nanoseconds` since 1970: exact, so the row it names is found again.
fn instant(at: DateTime<Utc>) -> String {
    format!("{}.{}", at.timestamp(), at.timestamp_subsec_nanos())
}

fn read_instant(text: &str) -> Option<DateTime<Utc>> {
    let (secs, nanos) = text.split_once('.')?;
    DateTime::from_timestamp(secs.parse().ok()?, nanos.parse().ok()?)
}

fn encode(fields: &[&str]) -> String {
    URL_SAFE_NO_PAD.encode(fields.join("|"))
}

/// The fields of a cursor of `kind` (the kind itself dropped), exactly `count` of them.
fn decode(text: &str, kind: &str, count: usize) -> Result<Vec<String>, InvalidCursor> {
    if text.len() > MAX_CURSOR_LEN {
        return Err(InvalidCursor);
    }
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| InvalidCursor)?;
    let text = String::from_utf8(bytes).map_err(|_| InvalidCursor)?;
    let mut fields = text.split('|');
    if fields.next() != Some(kind) {
        return Err(InvalidCursor);
    }
    let fields: Vec<String> = fields.map(str::to_owned).collect();
    if fields.len() != count {
        return Err(InvalidCursor);
    }
    Ok(fields)
}

impl NewestFirstCursor {
    pub fn encode(&self) -> String {
        encode(&[NEWEST_FIRST, &instant(self.at), &self.id.to_string()])
    }

    pub fn decode(text: &str) -> Result<Self, InvalidCursor> {
        let f = decode(text, NEWEST_FIRST, 2)?;
        Ok(Self {
            at: read_instant(&f[0]).ok_or(InvalidCursor)?,
            id: Uuid::parse_str(&f[1]).map_err(|_| InvalidCursor)?,
        })
    }
}

impl QueueCursor {
    pub fn encode(&self) -> String {
        encode(&[
            QUEUE,
            &self.first_unit_id.to_string(),
            if self.offered { "1" } else { "0" },
            &self.applied_on.num_days_from_ce().to_string(),
            &instant(self.created_at),
            &self.id.to_string(),
        ])
    }

    pub fn decode(text: &str) -> Result<Self, InvalidCursor> {
        let f = decode(text, QUEUE, 5)?;
        let offered = match f[1].as_str() {
            "0" => false,
            "1" => true,
            _ => return Err(InvalidCursor),
        };
        let days: i32 = f[2].parse().map_err(|_| InvalidCursor)?;
        Ok(Self {
            first_unit_id: Uuid::parse_str(&f[0]).map_err(|_| InvalidCursor)?,
            offered,
            applied_on: NaiveDate::from_num_days_from_ce_opt(days).ok_or(InvalidCursor)?,
            created_at: read_instant(&f[3]).ok_or(InvalidCursor)?,
            id: Uuid::parse_str(&f[4]).map_err(|_| InvalidCursor)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn a_cursor_reads_back_as_written(
            secs in 0i64..4_102_444_800,
            nanos in 0u32..1_000_000_000,
            id in any::<u128>(),
            unit in any::<u128>(),
            offered in any::<bool>(),
            days in 700_000i32..800_000,
        ) {
            let at = DateTime::from_timestamp(secs, nanos).unwrap_or_default();
            let newest = NewestFirstCursor { at, id: Uuid::from_u128(id) };
            prop_assert_eq!(NewestFirstCursor::decode(&newest.encode()), Ok(newest));
            let queue = QueueCursor {
                first_unit_id: Uuid::from_u128(unit),
                offered,
                applied_on: NaiveDate::from_num_days_from_ce_opt(days).unwrap_or_default(),
                created_at: at,
                id: Uuid::from_u128(id),
            };
            prop_assert_eq!(QueueCursor::decode(&queue.encode()), Ok(queue));
        }

        #[test]
        fn any_text_is_a_cursor_or_refused_without_panic(text in ".{0,300}") {
            let _ = NewestFirstCursor::decode(&text);
            let _ = QueueCursor::decode(&text);
        }
    }

    #[test]
    fn garbage_and_the_other_lists_cursors_are_refused() {
        let newest = NewestFirstCursor {
            at: DateTime::from_timestamp(1_790_000_000, 5).unwrap_or_default(),
            id: Uuid::from_u128(7),
        }
        .encode();
        assert_eq!(QueueCursor::decode(&newest), Err(InvalidCursor));
        for text in [
            "",
            "garbage",
            "!!!",
            &URL_SAFE_NO_PAD.encode("n|1.2"),
            &URL_SAFE_NO_PAD.encode("n|x.2|00000000-0000-0000-0000-000000000007"),
            &URL_SAFE_NO_PAD.encode("n|1.2|not-a-uuid"),
            &URL_SAFE_NO_PAD.encode("n|1.2000000000|00000000-0000-0000-0000-000000000007"),
            &"A".repeat(MAX_CURSOR_LEN + 4),
        ] {
            assert_eq!(
                NewestFirstCursor::decode(text),
                Err(InvalidCursor),
                "{text}"
            );
        }
    }
}
