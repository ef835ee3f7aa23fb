//! The school side: timetables with their changes and the school calendar (`timetable`), the
//! calendar feeds people subscribe to (`feeds`), written as iCalendar (`ical`), and the units'
//! lunch menus (`lunch`).

pub mod feeds;
pub mod ical;
pub mod lunch;
pub mod timetable;
