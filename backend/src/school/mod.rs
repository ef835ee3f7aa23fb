//! The school side: timetables with their changes and the school calendar (`timetable`), the
//! calendar feeds people subscribe to (`feeds`), written as iCalendar (`ical`), the units'
//! lunch menus (`lunch`), and class, group and staff lists (`lists`).

pub mod feeds;
pub mod ical;
pub mod lists;
pub mod lunch;
pub mod timetable;
