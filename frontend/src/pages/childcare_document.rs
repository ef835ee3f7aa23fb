use skolportal_shared::api::{
    ChildcareDocumentView, DocumentAction, DocumentStatus, SignBlockedReason, SignatureSummary,
};
use uuid::Uuid;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ClientError, ErrorCode};
use crate::app::Route;
use crate::components::{
    back_link, document_kind_text, error_alert, fact, loading, status_badge, status_message,
};
use crate::dom;
use crate::hooks::{use_i18n, use_title};
use crate::i18n::{I18n, Lang};

/// Why a signing came back unsigned: the `fel` of `?fel=<code>` that the server sends the browser
/// back with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignFailure {
    Cancelled,
    /// Someone else than the logged-in person signed in BankID.
    WrongSigner,
    /// The answer from BankID could not be verified.
    InvalidToken,
    /// Took too long, or the link was already used.
    Expired,
    Unavailable,
    /// BankID answered without a signature.
    NoSignature,
    Other,
}

impl SignFailure {
    pub fn from_code(code: &str) -> Self {
        match code {
            "cancelled" => Self::Cancelled,
            "wrong_signer" => Self::WrongSigner,
            "invalid_token" => Self::InvalidToken,
            "expired" | "wrong_state" => Self::Expired,
            "unavailable" => Self::Unavailable,
            "no_signature" => Self::NoSignature,
            _ => Self::Other,
        }
    }

    pub fn text(self, i18n: &I18n) -> &'static str {
        match self {
            Self::Cancelled => i18n.t("sign_error.cancelled"),
            Self::WrongSigner => i18n.t("sign_error.wrong_signer"),
            Self::InvalidToken => i18n.t("sign_error.invalid_token"),
            Self::Expired => i18n.t("sign_error.expired"),
            Self::Unavailable => i18n.t("sign_error.unavailable"),
            Self::NoSignature => i18n.t("sign_error.no_signature"),
            Self::Other => i18n.t("sign_error.other"),
        }
    }
}

/// What the return from BankID says: `?signerat=1`, or `?fel=<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOutcome {
    Signed,
    Failed(SignFailure),
}

impl SignOutcome {
    pub fn from_query(search: &str) -> Option<Self> {
        if dom::query_value(search, "signerat") == Some("1") {
            return Some(Self::Signed);
        }
        dom::query_value(search, "fel").map(|code| Self::Failed(SignFailure::from_code(code)))
    }
}

/// "BankID, säkerhetsnivå 3" for Sweden Connect's loa3; anything else as it came.
pub fn assurance_text(i18n: &I18n, acr: &str) -> String {
    if acr.ends_with("loa3") {
        i18n.t("receipt.assurance_bankid_loa3").to_owned()
    } else {
        i18n.tf("receipt.assurance_other", &[("acr", acr)])
    }
}

enum State {
    Loading,
    Loaded(Box<ChildcareDocumentView>),
    /// 404 (or 403): no such document, or not the person's.
    NotFound,
    Failed(ClientError),
}

#[derive(Properties, PartialEq)]
pub struct ChildcareDocumentPageProps {
    pub id: Uuid,
    /// Shown to an officer: a signed document as the municipality received it, read through the
    /// officer's endpoint, without the receipt file (the guardian's evidence) and with the way
    /// back to the officer's list.
    #[prop_or_default]
    pub officer: bool,
}

/// `/barnomsorg/dokument/:id`: one childcare document with the exact text to sign, the BankID
/// sign button when the server permits it (or why not), the outcome of a signing the server sent
/// the browser back from, and once signed the receipt. Also `/handlaggare/dokument/:id` for an
/// officer (`officer`).
#[function_component]
pub fn ChildcareDocumentPage(props: &ChildcareDocumentPageProps) -> Html {
    let i18n = use_i18n();
    let state = use_state(|| State::Loading);
    let signing = use_state(|| false);
    let sign_error = use_state(|| None::<ClientError>);
    let outcome = use_location().and_then(|location| SignOutcome::from_query(location.query_str()));
    {
        let state = state.clone();
        use_effect_with((props.id, props.officer), move |(id, officer)| {
            let (id, officer) = (*id, *officer);
            state.set(State::Loading);
            spawn_local(async move {
                match api::childcare_document(id, officer).await {
                    Ok(document) => state.set(State::Loaded(Box::new(document))),
                    Err(err)
                        if matches!(
                            err.code(),
                            Some(ErrorCode::NotFound | ErrorCode::Forbidden)
                        ) =>
                    {
                        state.set(State::NotFound)
                    }
                    Err(err) => state.set(State::Failed(err)),
                }
            });
        });
    }
    let title = match &*state {
        State::Loaded(document) => document_kind_text(&i18n, document.kind),
        _ => i18n.t("document.title"),
    };
    use_title(title);

    let on_sign = {
        let (signing, sign_error) = (signing.clone(), sign_error.clone());
        let id = props.id;
        Callback::from(move |_: MouseEvent| {
            if *signing {
                return;
            }
            signing.set(true);
            sign_error.set(None);
            let (signing, sign_error) = (signing.clone(), sign_error.clone());
            spawn_local(async move {
                match api::start_signing(id).await {
                    // A full page load into BankID; the button stays busy until the page goes.
                    Ok(start) => dom::navigate_away(&start.redirect_url),
                    Err(err) => {
                        sign_error.set(Some(err));
                        signing.set(false);
                    }
                }
            });
        })
    };

    let on_delete = {
        let sign_error = sign_error.clone();
        let id = props.id;
        Callback::from(move |_: MouseEvent| {
            let sign_error = sign_error.clone();
            spawn_local(async move {
                match api::delete_document(id).await {
                    Ok(()) => api::go_to(&Route::Childcare),
                    Err(err) => sign_error.set(Some(err)),
                }
            });
        })
    };

    let status = match (outcome, &*state) {
        (Some(SignOutcome::Signed), State::Loaded(document))
            if document.status == DocumentStatus::AwaitingOtherGuardian =>
        {
            Some(i18n.t("document.signed_awaiting_message"))
        }
        (Some(SignOutcome::Signed), _) => Some(i18n.t("document.signed_message")),
        _ => None,
    };
    // A failed start of a new signing is newer than what the address says.
    let failure = match (outcome, sign_error.is_some()) {
        (Some(SignOutcome::Failed(failure)), false) => Some(failure.text(&i18n)),
        _ => None,
    };

    let body = match &*state {
        State::Loading => loading(&i18n),
        State::Failed(error) if error.is_unauthenticated() => loading(&i18n),
        State::Failed(error) => error_alert(&i18n, "document-error", Some(error), None),
        State::NotFound => html! {
            <p id="document-not-found" class="alert alert--error" role="alert">
                { i18n.t("document.not_found") }
            </p>
        },
        State::Loaded(document) => document_html(
            &i18n,
            document,
            *signing,
            on_sign,
            on_delete,
            !props.officer,
        ),
    };
    let back = if props.officer {
        back_link(Route::OfficerDocuments, i18n.t("officer.back_documents"))
    } else {
        back_link(Route::Childcare, i18n.t("childcare.back"))
    };
    html! {
        <div class="page childcare-document">
            { back }
            <h1>{ title }</h1>
            { status_message("sign-status", status) }
            { error_alert(&i18n, "sign-error", (*sign_error).as_ref(), failure) }
            { body }
        </div>
    }
}

fn document_html(
    i18n: &I18n,
    document: &ChildcareDocumentView,
    signing: bool,
    on_sign: Callback<MouseEvent>,
    on_delete: Callback<MouseEvent>,
    receipt_file: bool,
) -> Html {
    let can_delete = document.permitted_actions.contains(&DocumentAction::Delete);
    let can_sign = document.permitted_actions.contains(&DocumentAction::Sign);
    let bankid_required =
        !can_sign && document.sign_blocked_reason == Some(SignBlockedReason::BankidRequired);
    let text_label = if can_sign || bankid_required {
        i18n.t("document.text_to_sign")
    } else if document.signatures.is_empty() {
        i18n.t("document.text_plain")
    } else {
        i18n.t("document.text_signed")
    };
    let state_note = match document.status {
        DocumentStatus::AwaitingOtherGuardian if !can_sign => {
            Some(i18n.t("document.awaiting_note"))
        }
        // The second guardian: the badge says it waits, this says it waits for them.
        DocumentStatus::AwaitingOtherGuardian => Some(i18n.t("document.awaiting_you_note")),
        DocumentStatus::Lapsed => Some(i18n.t("document.lapsed_note")),
        _ => None,
    };
    html! {
        <>
            <div class="card document-facts">
                <dl class="facts">
                    { fact(i18n.t("document.status"), status_badge(i18n, document.status)) }
                    { fact(i18n.t("document.created"), html! { { i18n.date_time(document.created_at) } }) }
                    if let Some(signed_at) = document.signed_at {
                        { fact(i18n.t("document.signed_at"), html! { { i18n.date_time(signed_at) } }) }
                    }
                </dl>
            </div>
            if let Some(note) = state_note {
                <p class="notice" id="document-state-note">{ note }</p>
            }

            <section class="section" aria-labelledby="document-text-heading">
                <h2 id="document-text-heading">{ i18n.t("document.text_heading") }</h2>
                <p id="document-text-label">{ text_label }</p>
                // The text is the Swedish original whatever the interface language: the legal
                // text, and the bytes the signature covers. Another language only says so.
                if i18n.lang != Lang::Sv {
                    <p class="hint" id="document-legal-note">{ i18n.t("document.legal_text_note") }</p>
                }
                <div id="document-text" class="document-text" lang="sv" dir="ltr">
                    { document.text.clone() }
                </div>
            </section>

            if can_sign {
                <section class="section sign" aria-labelledby="sign-heading">
                    <h2 id="sign-heading">{ i18n.t("document.sign_heading") }</h2>
                    <p id="sign-intro">{ i18n.t("document.sign_intro") }</p>
                    <button
                        type="button"
                        id="sign-button"
                        class="button button--primary button--block"
                        aria-busy={signing.then_some("true")}
                        aria-describedby="sign-intro"
                        onclick={on_sign}
                    >
                        { if signing { i18n.t("document.signing") } else { i18n.t("document.sign") } }
                    </button>
                </section>
            } else if bankid_required {
                <section class="section sign" aria-labelledby="sign-heading">
                    <h2 id="sign-heading">{ i18n.t("document.sign_heading") }</h2>
                    // Focusable but inert (aria-disabled, no action), so that a screen reader
                    // finds the button and hears why it does nothing.
                    <button
                        type="button"
                        id="sign-button"
                        class="button button--primary button--block button--unavailable"
                        aria-disabled="true"
                        aria-describedby="sign-blocked"
                    >
                        { i18n.t("document.sign") }
                    </button>
                    <p id="sign-blocked" class="notice notice--blocked">
                        { i18n.t("document.sign_blocked_bankid") }
                    </p>
                </section>
            }

            if can_delete {
                <section class="section" aria-labelledby="delete-heading">
                    <h2 id="delete-heading">{ i18n.t("document.delete_heading") }</h2>
                    <p id="delete-intro">{ i18n.t("document.delete_intro") }</p>
                    <button type="button" id="delete-draft" class="button button--secondary"
                        aria-describedby="delete-intro" onclick={on_delete}>
                        { i18n.t("document.delete") }
                    </button>
                </section>
            }

            if !document.signatures.is_empty() {
                { receipt_html(i18n, document.id, &document.signatures, receipt_file) }
            }
        </>
    }
}

/// "Kvitto": who signed, when, with what, and the SHA-256 of the exact bytes signed, with the
/// server's receipt as a file (`file`; only for the guardians, as it holds the raw evidence).
fn receipt_html(i18n: &I18n, id: Uuid, signatures: &[SignatureSummary], file: bool) -> Html {
    html! {
        <section class="section receipt" id="receipt" aria-labelledby="receipt-heading">
            <h2 id="receipt-heading">{ i18n.t("receipt.heading") }</h2>
            <p>{ i18n.t("receipt.intro") }</p>
            <ul class="receipt__list">
                { for signatures.iter().enumerate().map(|(index, signature)| html! {
                    <li class="card receipt__signature" key={index}>
                        <dl class="facts">
                            { fact(i18n.t("receipt.signer"), html! { <span class="receipt__signer">{ signature.signer_name.clone() }</span> }) }
                            { fact(i18n.t("receipt.signed_at"), html! { <span class="receipt__time">{ i18n.date_time(signature.signed_at) }</span> }) }
                            { fact(i18n.t("receipt.assurance"), html! { <span class="receipt__assurance">{ assurance_text(i18n, &signature.acr) }</span> }) }
                            { fact(i18n.t("receipt.sha256"), html! { <code class="hash receipt__sha256">{ signature.document_sha256.clone() }</code> }) }
                        </dl>
                    </li>
                }) }
            </ul>
            <p class="hint">{ i18n.t("receipt.sha256_hint") }</p>
            <p class="receipt__actions">
                // The page is the printable receipt: the print stylesheet keeps the document's
                // text and the signatures, and drops the portal around them.
                <button type="button" id="receipt-print" class="button button--primary"
                    onclick={Callback::from(|_: MouseEvent| dom::print())}>
                    { i18n.t("receipt.print") }
                </button>
                if file {
                    <a id="receipt-download" class="button button--secondary" href={api::receipt_url(id)} download="">
                        { i18n.t("receipt.download") }
                    </a>
                }
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn the_return_from_bankid_is_read_from_the_query() {
        assert_eq!(
            SignOutcome::from_query("?signerat=1"),
            Some(SignOutcome::Signed)
        );
        assert_eq!(
            SignOutcome::from_query("?fel=cancelled"),
            Some(SignOutcome::Failed(SignFailure::Cancelled))
        );
        assert_eq!(
            SignOutcome::from_query("?fel=<script>"),
            Some(SignOutcome::Failed(SignFailure::Other))
        );
        assert_eq!(SignOutcome::from_query(""), None);
        assert_eq!(SignOutcome::from_query("?signerat=0"), None);
    }

    #[test]
    fn every_sign_failure_has_its_own_text() {
        let sv = I18n::new(Lang::Sv);
        let codes = [
            "cancelled",
            "wrong_signer",
            "invalid_token",
            "expired",
            "unavailable",
            "no_signature",
        ];
        let texts: std::collections::BTreeSet<&str> = codes
            .iter()
            .map(|code| {
                let failure = SignFailure::from_code(code);
                assert_ne!(failure, SignFailure::Other, "{code}");
                failure.text(&sv)
            })
            .collect();
        assert_eq!(texts.len(), codes.len());
        assert!(SignFailure::Cancelled
            .text(&sv)
            .starts_with("Du avbröt underskriften."));
        assert!(SignFailure::WrongSigner
            .text(&sv)
            .starts_with("Underskriften gjordes av fel person"));
    }

    #[test]
    fn loa3_reads_as_bankid_level_3() {
        let sv = I18n::new(Lang::Sv);
        assert_eq!(
            assurance_text(&sv, "http://id.elegnamnden.se/loa/1.0/loa3"),
            "BankID, säkerhetsnivå 3"
        );
        assert!(assurance_text(&sv, "urn:other").contains("urn:other"));
    }
}
