//! Writes a timetable as an iCalendar feed (RFC 5545) that phone calendars subscribe to. Times
//! are local, with the Europe/Stockholm VTIMEZONE block written in, so a lesson at 08:10 stays at
//! 08:10 across the change to and from summer time. The feed says what the timetable page says
//! and no more: activity, times, room, teacher, the change and its note; and the development
//! talks booked for the pupil, with their place or video link.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use skolportal_shared::api::{LessonChangeKind, TimetableWeek};
use skolportal_shared::calendar::parse_time_of_day;
use skolportal_shared::lang::Lang;

use crate::http::prerender::Texts;
use crate::school::talk_booking::FeedTalk;

const TIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n\
DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n\
DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// TEXT values escape backslash, semicolon, comma and line breaks.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets without splitting a character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn local(date: NaiveDate, time: &str) -> String {
    let time = parse_time_of_day(time).unwrap_or(NaiveTime::MIN);
    format!("{}T{}00", date.format("%Y%m%d"), time.format("%H%M"))
}

/// The calendar of `weeks` (in order) and the person's booked development `talks`, named for
/// `person_name`, in Swedish.
pub fn calendar(
    person_name: &str,
    weeks: &[TimetableWeek],
    talks: &[FeedTalk],
    now: DateTime<Utc>,
    texts: &impl Texts,
) -> String {
    let sv = Lang::Sv;
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Skolportal//Schema//SV");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    let title = format!("{} {person_name}", texts.text(sv, "timetable.feed_title"));
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(&title)));
    line(&mut out, "X-WR-TIMEZONE:Europe/Stockholm");
    // Calendars that honour it ask again within the hour, so a change reaches the phone the
    // same day.
    line(&mut out, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    line(&mut out, "X-PUBLISHED-TTL:PT1H");
    out.push_str(TIMEZONE);
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    for day in weeks.iter().flat_map(|w| &w.days) {
        for lesson in &day.lessons {
            let activity = texts.text(
                sv,
                &format!("timetable.activity.{}", lesson.activity.code()),
            );
            let cancelled = lesson
                .change
                .as_ref()
                .is_some_and(|c| c.kinds.contains(&LessonChangeKind::Cancelled));
            let summary = if cancelled {
                format!(
                    "{}: {activity}",
                    texts.text(sv, "timetable.change.cancelled")
                )
            } else {
                activity
            };
            let mut description = Vec::new();
            if let Some(teacher) = &lesson.teacher_name {
                description.push(format!(
                    "{}: {teacher}",
                    texts.text(sv, "timetable.teacher")
                ));
            }
            description.push(format!(
                "{}: {}",
                texts.text(sv, "timetable.group"),
                lesson.group_name
            ));
            if let Some(change) = &lesson.change {
                for kind in &change.kinds {
                    description.push(texts.text(sv, &format!("timetable.change.{}", kind.code())));
                }
                if let Some(note) = &change.note {
                    description.push(note.clone());
                }
            }
            line(&mut out, "BEGIN:VEVENT");
            line(
                &mut out,
                &format!(
                    "UID:{}-{}@skolportal",
                    lesson.lesson_id,
                    day.date.format("%Y%m%d")
                ),
            );
            line(&mut out, &format!("DTSTAMP:{stamp}"));
            line(
                &mut out,
                &format!(
                    "DTSTART;TZID=Europe/Stockholm:{}",
                    local(day.date, &lesson.starts_at)
                ),
            );
            line(
                &mut out,
                &format!(
                    "DTEND;TZID=Europe/Stockholm:{}",
                    local(day.date, &lesson.ends_at)
                ),
            );
            line(&mut out, &format!("SUMMARY:{}", escape(&summary)));
            if let Some(room) = &lesson.room {
                line(&mut out, &format!("LOCATION:{}", escape(room)));
            }
            line(
                &mut out,
                &format!("DESCRIPTION:{}", escape(&description.join("\n"))),
            );
            line(
                &mut out,
                if cancelled {
                    "STATUS:CANCELLED"
                } else {
                    "STATUS:CONFIRMED"
                },
            );
            line(&mut out, "TRANSP:OPAQUE");
            line(&mut out, "END:VEVENT");
        }
    }
    for talk in talks {
        line(&mut out, "BEGIN:VEVENT");
        line(
            &mut out,
            &format!("UID:talk-{}@skolportal", talk.booking_id),
        );
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        line(
            &mut out,
            &format!(
                "DTSTART;TZID=Europe/Stockholm:{}",
                local(talk.date, &talk.starts_at)
            ),
        );
        line(
            &mut out,
            &format!(
                "DTEND;TZID=Europe/Stockholm:{}",
                local(talk.date, &talk.ends_at)
            ),
        );
        line(
            &mut out,
            &format!(
                "SUMMARY:{}",
                escape(&texts.text(sv, "talk_booking.feed_summary"))
            ),
        );
        if !talk.place.is_empty() {
            line(&mut out, &format!("LOCATION:{}", escape(&talk.place)));
        }
        if let Some(link) = &talk.video_link {
            line(&mut out, &format!("URL:{}", escape(link)));
            line(&mut out, &format!("DESCRIPTION:{}", escape(link)));
        }
        line(&mut out, "STATUS:CONFIRMED");
        line(&mut out, "TRANSP:OPAQUE");
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_between_characters_and_text_is_escaped() {
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "å".repeat(60)));
        for part in out.split("\r\n") {
            assert!(part.len() <= 75, "{part}");
        }
        assert_eq!(escape("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }
}
