//! Building blocks shared by the pages: the shell (header, footer, language switch, navigation,
//! in-app links), the login guard, form fields, messages, the child and pupil cards, the tables of
//! the register extract, and the childcare document status and fee preview.
//!
//! Most are plain functions returning `Html` (or, like [`TextField`], values that become `Html`)
//! rather than components: every component costs the wasm its own generic code, and the SPA has a
//! size budget. Only what needs hooks of its own is a component ([`RequireLogin`], [`StepUp`]).

mod alert;
mod child_card;
mod data_table;
mod document_status;
mod facts;
mod fee_preview;
mod footer;
mod form;
mod header;
pub mod language_switch;
mod loading;
mod nav;
mod require_login;
mod step_up;
pub mod timetable;

pub use alert::{error_alert, error_text, status_message};
pub use child_card::{child_card, pupil_card, relation_text, school_year_text};
pub use data_table::{
    cell, data_table, date_html, role_text, roles_text, time_html, unit_kind_text,
};
pub use document_status::{badge, document_kind_text, document_status_text, status_badge};
pub use facts::{address_lines, fact, facts_list};
pub use fee_preview::{care_text, fee_preview, preview, Preview, PreviewIncome};
pub use footer::footer;
pub use form::{
    check_date, radio_group, select_field, DateProblem, RadioGroupProps, RadioOption, TextField,
};
pub use header::header;
pub use language_switch::language_switch;
pub use loading::loading;
pub use nav::{back_link, link, main_nav};
pub use require_login::{is_staff, landing_route, Access, RequireLogin};
pub use step_up::StepUp;
