//! sea-orm entities, one file per table. Kept apart from the services that use them; string
//! columns with a fixed vocabulary are mapped to enums with `DeriveActiveEnum`.

pub mod absence_report;
pub mod access_log;
pub mod attendance_mark;
pub mod calendar_feed;
pub mod childcare_application;
pub mod childcare_document;
pub mod correction_request;
pub mod duty;
pub mod enrolment;
pub mod group_membership;
pub mod guardianship;
pub mod job;
pub mod job_run;
pub mod job_schedule;
pub mod lesson;
pub mod lesson_change;
pub mod login_attempt;
pub mod login_device;
pub mod lunch_menu_day;
pub mod municipality;
pub mod pending_login;
pub mod person;
pub mod pickup_person;
pub mod placement;
pub mod placement_offer;
pub mod recovery_code;
pub mod schedule_day;
pub mod school_break;
pub mod school_group;
pub mod school_term;
pub mod session;
pub mod signature_evidence;
pub mod unit;
pub mod user_account;
