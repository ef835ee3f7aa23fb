//! The school side: absence reports by the families (`absence`), timetables with their changes
//! and the school calendar (`timetable`), each group's week kept in memory for the start page
//! (`group_weeks`), the
//! calendar feeds people subscribe to (`feeds`), written as iCalendar (`ical`), the units'
//! lunch menus (`lunch`), class, group and staff lists (`lists`), and the guardians' consents
//! (`consent`), which open the development talks and their material (`talks`), and grades
//! (`grades`).

pub mod absence;
pub mod attendance;
pub mod attendance_stats;
pub mod consent;
pub mod feeds;
pub mod grades;
pub mod group_weeks;
pub mod ical;
pub mod leave;
pub mod lists;
pub mod lunch;
pub mod talks;
pub mod timetable;
