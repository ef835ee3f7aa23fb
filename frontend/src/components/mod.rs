//! Building blocks shared by the pages: the shell (header, footer, language switch, navigation),
//! the login guard, form fields, messages, the child and pupil cards, the tables of the register
//! extract, and the childcare document status and fee preview.

mod alert;
mod child_card;
mod data_table;
mod document_status;
mod facts;
mod fee_preview;
mod footer;
mod form;
mod header;
mod language_switch;
mod loading;
mod nav;
mod password_rules;
mod require_login;

pub use alert::{error_text, ErrorAlert, StatusMessage};
pub use child_card::{relation_text, school_year_text, ChildCardView, PupilCardView};
pub use data_table::{
    action_text, cell, data_table, role_text, roles_text, time_html, unit_kind_text, AccessLogTable,
};
pub use document_status::{document_kind_text, document_status_text, StatusBadge};
pub use facts::{address_lines, Fact};
pub use fee_preview::{care_text, preview, FeePreview, Preview, PreviewIncome};
pub use footer::Footer;
pub use form::{RadioGroup, RadioOption, TextField};
pub use header::Header;
pub use language_switch::LanguageSwitch;
pub use loading::Loading;
pub use nav::MainNav;
pub use password_rules::PasswordRules;
pub use require_login::{is_staff, landing_route, Access, RequireLogin};
