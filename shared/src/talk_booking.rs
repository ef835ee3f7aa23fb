//! What a round of talk times must be before it is published, the series of times the mentor's
//! form makes from a first time, a length and a count, and when a round is open for booking.
//! The form and the server check the same rules.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::api::{TalkRoundInput, TalkSlotInput};
use crate::calendar::{format_time_of_day, parse_time_of_day};

/// The most times one round may hold: a week of talks for a large class.
pub const MAX_SLOTS: usize = 120;
/// The longest place, in characters.
pub const MAX_PLACE: usize = 200;
/// The longest video link, in characters.
pub const MAX_LINK: usize = 500;
/// The longest talk, in minutes.
pub const MAX_MINUTES: i64 = 180;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TalkRoundError {
    /// Neither a place nor a video link.
    NoPlace,
    PlaceTooLong,
    /// A video link that is not an https address.
    VideoLinkInvalid,
    NoSlots,
    TooManySlots,
    /// A time that is not "HH:MM", or an end not after its start, or a talk over three hours.
    SlotTimesInvalid,
    /// A time already begun.
    SlotInPast,
    /// Two times that overlap.
    SlotsOverlap,
    /// The last day to book is already past.
    DeadlineInPast,
    /// The last day to book is after the first talk.
    DeadlineAfterTalks,
}

impl TalkRoundError {
    /// The code the API answers with (`error.<code>` in the catalogues).
    pub fn code(self) -> &'static str {
        match self {
            TalkRoundError::NoPlace => "talk_round_no_place",
            TalkRoundError::PlaceTooLong => "talk_round_place_too_long",
            TalkRoundError::VideoLinkInvalid => "talk_round_video_link_invalid",
            TalkRoundError::NoSlots => "talk_round_no_slots",
            TalkRoundError::TooManySlots => "talk_round_too_many_slots",
            TalkRoundError::SlotTimesInvalid => "talk_round_slot_times_invalid",
            TalkRoundError::SlotInPast => "talk_round_slot_in_past",
            TalkRoundError::SlotsOverlap => "talk_round_slots_overlap",
            TalkRoundError::DeadlineInPast => "talk_round_deadline_in_past",
            TalkRoundError::DeadlineAfterTalks => "talk_round_deadline_after_talks",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            TalkRoundError::NoPlace => "give a place or a video link",
            TalkRoundError::PlaceTooLong => "the place is longer than 200 characters",
            TalkRoundError::VideoLinkInvalid => "the video link is not an https address",
            TalkRoundError::NoSlots => "a round needs at least one time",
            TalkRoundError::TooManySlots => "a round holds at most 120 times",
            TalkRoundError::SlotTimesInvalid => {
                "a time is not HH:MM, ends before it starts, or is longer than three hours"
            }
            TalkRoundError::SlotInPast => "a time has already begun",
            TalkRoundError::SlotsOverlap => "two times overlap",
            TalkRoundError::DeadlineInPast => "the last day to book is already past",
            TalkRoundError::DeadlineAfterTalks => "the last day to book is after the first talk",
        }
    }
}

/// A slot's start and end, parsed.
pub fn times(slot: &TalkSlotInput) -> Option<(NaiveTime, NaiveTime)> {
    let start = parse_time_of_day(&slot.starts_at)?;
    let end = parse_time_of_day(&slot.ends_at)?;
    (end > start && end - start <= Duration::minutes(MAX_MINUTES)).then_some((start, end))
}

fn is_https_link(link: &str) -> bool {
    link.strip_prefix("https://").is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        !host.is_empty() && host.contains('.') && !rest.chars().any(char::is_whitespace)
    })
}

/// Checks a round before it is published at `now` (Swedish time).
pub fn check_round(input: &TalkRoundInput, now: NaiveDateTime) -> Result<(), TalkRoundError> {
    let today = now.date();
    let place = input.place.trim();
    let link = input.video_link.as_deref().map(str::trim).unwrap_or("");
    if place.is_empty() && link.is_empty() {
        return Err(TalkRoundError::NoPlace);
    }
    if place.chars().count() > MAX_PLACE {
        return Err(TalkRoundError::PlaceTooLong);
    }
    if !link.is_empty() && (link.chars().count() > MAX_LINK || !is_https_link(link)) {
        return Err(TalkRoundError::VideoLinkInvalid);
    }
    if input.slots.is_empty() {
        return Err(TalkRoundError::NoSlots);
    }
    if input.slots.len() > MAX_SLOTS {
        return Err(TalkRoundError::TooManySlots);
    }
    let mut spans = Vec::with_capacity(input.slots.len());
    for slot in &input.slots {
        let (start, end) = times(slot).ok_or(TalkRoundError::SlotTimesInvalid)?;
        if slot.date.and_time(start) <= now {
            return Err(TalkRoundError::SlotInPast);
        }
        spans.push((slot.date.and_time(start), slot.date.and_time(end)));
    }
    spans.sort();
    if spans.windows(2).any(|pair| pair[1].0 < pair[0].1) {
        return Err(TalkRoundError::SlotsOverlap);
    }
    if input.book_by < today {
        return Err(TalkRoundError::DeadlineInPast);
    }
    if spans
        .first()
        .is_some_and(|first| input.book_by > first.0.date())
    {
        return Err(TalkRoundError::DeadlineAfterTalks);
    }
    Ok(())
}

/// `count` talks of `minutes` each on `date` from `first`, with `pause` minutes between them;
/// the series stops before midnight.
pub fn series(
    date: NaiveDate,
    first: NaiveTime,
    minutes: u32,
    pause: u32,
    count: u32,
) -> Vec<TalkSlotInput> {
    let length = Duration::minutes(i64::from(minutes));
    let step = length + Duration::minutes(i64::from(pause));
    let mut out = Vec::new();
    let mut start = date.and_time(first);
    for _ in 0..count.min(MAX_SLOTS as u32) {
        let end = start + length;
        if end.date() != date || minutes == 0 {
            break;
        }
        out.push(TalkSlotInput {
            date,
            starts_at: format_time_of_day(start.time()),
            ends_at: format_time_of_day(end.time()),
        });
        start += step;
    }
    out
}

/// Whether times are booked, moved and cancelled on `today`: up to and including `book_by`.
pub fn is_open(book_by: NaiveDate, today: NaiveDate) -> bool {
    today <= book_by
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default()
    }

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    fn round(slots: Vec<TalkSlotInput>) -> TalkRoundInput {
        TalkRoundInput {
            place: "Sal B12".into(),
            video_link: None,
            separate_talks: false,
            book_by: day(7),
            slots,
        }
    }

    #[test]
    fn a_series_is_spaced_by_length_and_pause_and_stops_at_midnight() {
        let slots = series(day(8), at(14, 0), 20, 5, 3);
        let shown: Vec<_> = slots
            .iter()
            .map(|s| (s.starts_at.as_str(), s.ends_at.as_str()))
            .collect();
        assert_eq!(
            shown,
            [("14:00", "14:20"), ("14:25", "14:45"), ("14:50", "15:10")]
        );
        assert_eq!(series(day(8), at(23, 30), 20, 0, 5).len(), 1);
        assert!(series(day(8), at(14, 0), 0, 0, 5).is_empty());
    }

    #[test]
    fn a_round_is_checked_for_place_times_overlaps_and_deadline() {
        let today = day(5).and_time(at(12, 0));
        let ok = round(series(day(8), at(14, 0), 20, 0, 4));
        assert_eq!(check_round(&ok, today), Ok(()));
        let mut no_place = ok.clone();
        no_place.place = " ".into();
        assert_eq!(check_round(&no_place, today), Err(TalkRoundError::NoPlace));
        no_place.video_link = Some("https://meet.example.se/7b".into());
        assert_eq!(check_round(&no_place, today), Ok(()));
        no_place.video_link = Some("javascript:alert(1)".into());
        assert_eq!(
            check_round(&no_place, today),
            Err(TalkRoundError::VideoLinkInvalid)
        );
        let mut overlapping = ok.clone();
        overlapping.slots.push(TalkSlotInput {
            date: day(8),
            starts_at: "14:10".into(),
            ends_at: "14:30".into(),
        });
        assert_eq!(
            check_round(&overlapping, today),
            Err(TalkRoundError::SlotsOverlap)
        );
        let mut backwards = ok.clone();
        backwards.slots[0].ends_at = "13:00".into();
        assert_eq!(
            check_round(&backwards, today),
            Err(TalkRoundError::SlotTimesInvalid)
        );
        let mut late = ok.clone();
        late.book_by = day(9);
        assert_eq!(
            check_round(&late, today),
            Err(TalkRoundError::DeadlineAfterTalks)
        );
        assert_eq!(
            check_round(&ok, day(8).and_time(at(14, 0))),
            Err(TalkRoundError::SlotInPast)
        );
        assert_eq!(
            check_round(&round(Vec::new()), today),
            Err(TalkRoundError::NoSlots)
        );
    }

    #[test]
    fn a_round_is_open_through_its_last_day() {
        assert!(is_open(day(7), day(7)));
        assert!(!is_open(day(7), day(8)));
    }
}
