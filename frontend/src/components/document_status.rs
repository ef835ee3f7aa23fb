use skolportal_shared::api::{DocumentKind, DocumentStatus};
use yew::prelude::*;

use crate::i18n::I18n;

/// A childcare document's kind as its title: "Inkomstuppgift", "Svar på platserbjudande", …
pub fn document_kind_text(i18n: &I18n, kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::IncomeStatement => i18n.t("document.kind_income_statement"),
        DocumentKind::PlacementOfferAnswer => i18n.t("document.kind_placement_offer_answer"),
        DocumentKind::Termination => i18n.t("document.kind_termination"),
    }
}

/// A document's status in words: "Utkast", "Signerad", …
pub fn document_status_text(i18n: &I18n, status: DocumentStatus) -> &'static str {
    match status {
        DocumentStatus::Draft => i18n.t("document.status_draft"),
        DocumentStatus::AwaitingOtherGuardian => i18n.t("document.status_awaiting_other_guardian"),
        DocumentStatus::Signed => i18n.t("document.status_signed"),
        DocumentStatus::Lapsed => i18n.t("document.status_lapsed"),
    }
}

/// The status as a badge. The words carry the meaning; the colour and the icon (drawn by CSS,
/// hidden from screen readers) only repeat it. (A function, not a component: every component
/// costs the wasm its own generic code.)
pub fn status_badge(i18n: &I18n, status: DocumentStatus) -> Html {
    let modifier = match status {
        DocumentStatus::Draft => "status-badge--draft",
        DocumentStatus::AwaitingOtherGuardian => "status-badge--awaiting",
        DocumentStatus::Signed => "status-badge--signed",
        DocumentStatus::Lapsed => "status-badge--lapsed",
    };
    badge(modifier, document_status_text(i18n, status))
}

/// A status badge with its modifier class (`status-badge--signed`, …) and words: also for the
/// statuses of applications and placement offers, which reuse the documents' four looks.
pub fn badge(modifier: &'static str, text: &str) -> Html {
    html! {
        <span class={classes!("status-badge", modifier)}>{ text }</span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn statuses_read_as_the_guardian_expects() {
        let sv = I18n::new(Lang::Sv);
        assert_eq!(document_status_text(&sv, DocumentStatus::Draft), "Utkast");
        assert_eq!(
            document_status_text(&sv, DocumentStatus::AwaitingOtherGuardian),
            "Väntar på den andra vårdnadshavaren"
        );
        assert_eq!(
            document_status_text(&sv, DocumentStatus::Signed),
            "Signerad"
        );
        assert_eq!(
            document_status_text(&sv, DocumentStatus::Lapsed),
            "Förfallen"
        );
        assert_eq!(
            document_kind_text(&sv, DocumentKind::IncomeStatement),
            "Inkomstuppgift"
        );
    }
}
