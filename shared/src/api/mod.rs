//! Wire types, one module per area of the API. Field names are snake_case in JSON; enum values are
//! snake_case strings. The `oai` attributes repeat the serde ones because poem-openapi serialises
//! with its own derive.

mod absence;
mod administration;
mod applications;
mod attendance;
mod auth;
mod childcare;
mod children;
mod codes;
mod common;
mod consent;
mod correction;
mod extract;
mod grades;
mod iup;
mod kiosk;
mod leave;
mod lists;
mod lunch;
mod municipality;
mod notices;
mod paging;
mod permissions;
mod pupils;
mod retention;
mod schedule;
mod source_sync;
mod start;
mod talk_booking;
mod talks;
mod timetable;

pub use absence::*;
pub use administration::*;
pub use applications::*;
pub use attendance::*;
pub use auth::*;
pub use childcare::*;
pub use children::*;
pub use common::*;
pub use consent::*;
pub use correction::*;
pub use extract::*;
pub use grades::*;
pub use iup::*;
pub use kiosk::*;
pub use leave::*;
pub use lists::*;
pub use lunch::*;
pub use municipality::*;
pub use notices::*;
pub use paging::*;
pub use permissions::*;
pub use pupils::*;
pub use retention::*;
pub use schedule::*;
pub use source_sync::*;
pub use start::*;
pub use talk_booking::*;
pub use talks::*;
pub use timetable::*;

#[cfg(test)]
mod stored_codes {
    //! The statuses and kinds are stored by the same snake_case codes they are sent by; rows
    //! written before they were typed hold these exact strings, so none may change.
    use super::*;

    fn wire<T: serde::Serialize>(value: T) -> Option<String> {
        serde_json::to_value(value)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
    }

    /// Every code as the database held it before the columns were typed.
    fn known() -> Vec<(Option<String>, &'static str)> {
        use ApplicationStatus as A;
        use DocumentKind as K;
        use DocumentStatus as D;
        use OfferStatus as O;
        vec![
            (wire(K::IncomeStatement), "income_statement"),
            (wire(K::PlacementOfferAnswer), "placement_offer_answer"),
            (wire(K::Termination), "termination"),
            (wire(D::Draft), "draft"),
            (wire(D::AwaitingOtherGuardian), "awaiting_other_guardian"),
            (wire(D::Signed), "signed"),
            (wire(D::Lapsed), "lapsed"),
            (wire(A::Queued), "queued"),
            (wire(A::Offered), "offered"),
            (wire(A::Placed), "placed"),
            (wire(A::Closed), "closed"),
            (wire(A::Withdrawn), "withdrawn"),
            (wire(O::Open), "open"),
            (wire(O::Accepted), "accepted"),
            (wire(O::Declined), "declined"),
            (wire(O::Lapsed), "lapsed"),
            (wire(CorrectionStatus::Open), "open"),
            (wire(CorrectionStatus::Answered), "answered"),
        ]
    }

    #[test]
    fn the_wire_names_are_the_stored_codes() {
        for (sent, stored) in known() {
            assert_eq!(sent.as_deref(), Some(stored));
        }
        for kind in DocumentKind::ALL {
            assert_eq!(wire(*kind).as_deref(), Some(kind.code()));
        }
        for status in OfferStatus::ALL {
            assert_eq!(wire(*status).as_deref(), Some(status.code()));
        }
        for action in AccessAction::ALL {
            assert_eq!(wire(*action).as_deref(), Some(action.code()));
        }
        for item in ExtractItem::ALL {
            assert_eq!(wire(*item).as_deref(), Some(item.code()));
        }
    }

    /// With the `orm` feature the database value of every variant is its wire name, and the
    /// hand-written `ALL` lists name every variant.
    #[cfg(feature = "orm")]
    #[test]
    fn the_stored_values_are_the_wire_names() {
        use sea_orm::{ActiveEnum, Iterable};

        fn check<T: ActiveEnum<Value = String> + Iterable + serde::Serialize + Copy>() -> usize {
            let mut count = 0;
            for value in T::iter() {
                assert_eq!(Some(value.to_value()), wire(value));
                count += 1;
            }
            count
        }
        assert_eq!(check::<DocumentKind>(), DocumentKind::ALL.len());
        check::<DocumentStatus>();
        check::<ApplicationStatus>();
        assert_eq!(check::<OfferStatus>(), OfferStatus::ALL.len());
        check::<CorrectionStatus>();
        assert_eq!(check::<ExtractItem>(), ExtractItem::ALL.len());
        assert_eq!(check::<AccessAction>(), AccessAction::ALL.len());
        assert!(
            DocumentStatus::try_from_value(&"drafted".to_owned()).is_err(),
            "an unknown stored value is an error, not a default"
        );
    }
}
