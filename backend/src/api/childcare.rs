use chrono::NaiveDate;
use poem::Request;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{
    ChildcareDocumentView, DocumentKind, FeeBasis, IncomeStatementRequest, NewestFirstCursor,
    ReceivedDocumentPage, SignStart, DEFAULT_PAGE_LIMIT,
};
use uuid::Uuid;

use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::auth::session;
use crate::bankid::login::Callback;
use crate::bankid::signing;
use crate::childcare::{documents, income};
use crate::http::error::ApiError;
use crate::policy::{self, DocumentAction, DocumentId, GlobalAction};
use crate::state::AppState;

pub struct ChildcareApi {
    state: AppState,
}

impl ChildcareApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum FeeBasisResponse {
    /// The municipality's dated fee settings and the household's children with a place.
    #[oai(status = 200)]
    Ok(Json<FeeBasis>),
}

#[derive(ApiResponse)]
enum DocumentCreated {
    /// The document is created as a draft; sign it to submit it.
    #[oai(status = 201)]
    Created(Json<ChildcareDocumentView>),
}

#[derive(ApiResponse)]
enum DocumentResponse {
    #[oai(status = 200)]
    Ok(Json<ChildcareDocumentView>),
}

#[derive(ApiResponse)]
enum DraftDeleted {
    /// The draft is gone.
    #[oai(status = 204)]
    NoContent,
}

#[derive(ApiResponse)]
enum DocumentsResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<ChildcareDocumentView>>),
}

#[derive(ApiResponse)]
enum ReceivedResponse {
    /// One page, newest first; `next_cursor` asks for the next page.
    #[oai(status = 200)]
    Ok(Json<ReceivedDocumentPage>),
}

#[derive(ApiResponse)]
enum SignStartResponse {
    /// Send the browser here to sign with BankID.
    #[oai(status = 200)]
    Ok(Json<SignStart>),
}

#[derive(ApiResponse)]
enum ReceiptResponse {
    /// The full evidence: the text shown, the exact bytes and their SHA-256, the ID token and
    /// the user signature, as a file.
    #[oai(status = 200)]
    Ok(
        Json<serde_json::Value>,
        #[oai(header = "Content-Disposition")] String,
    ),
}

#[derive(ApiResponse)]
enum SignCallbackResponse {
    /// Back to the document, signed or with the reason it was not.
    #[oai(status = 303)]
    Done(#[oai(header = "Location")] String),
}

#[OpenApi(tag = "ApiTags::Childcare")]
impl ChildcareApi {
    /// What the income-statement form needs to preview the fee.
    #[oai(path = "/childcare/fee-basis", method = "get")]
    async fn fee_basis(&self, auth: SessionCookie) -> Result<FeeBasisResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        Ok(FeeBasisResponse::Ok(Json(
            income::fee_basis(&self.state.db, &user, self.state.today()).await?,
        )))
    }

    /// File an income statement (a draft until signed with BankID).
    #[oai(path = "/childcare/income-statements", method = "post")]
    async fn create_income_statement(
        &self,
        auth: SessionCookie,
        body: Json<IncomeStatementRequest>,
    ) -> Result<DocumentCreated, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let doc = income::create(&s.db, &user, &body, s.today(), s.clock.now()).await?;
        Ok(DocumentCreated::Created(Json(
            documents::view(&s.db, &user, doc, s.today()).await?,
        )))
    }

    /// My childcare documents, newest first.
    #[oai(path = "/childcare/documents", method = "get")]
    async fn documents(&self, auth: SessionCookie) -> Result<DocumentsResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let permit =
            policy::authorize_list(&s.db, &user, DocumentAction::Read, s.clock.now()).await?;
        Ok(DocumentsResponse::Ok(Json(
            documents::list(&s.db, &permit, s.today()).await?,
        )))
    }

    /// One of my documents (or one about my child), with what I may do with it.
    #[oai(path = "/childcare/documents/:id", method = "get")]
    async fn document(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<DocumentResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let permit = policy::authorize(
            &s.db,
            &user,
            DocumentAction::Read,
            DocumentId(id.0),
            s.clock.now(),
        )
        .await?;
        let doc = documents::find(&s.db, &permit).await?;
        Ok(DocumentResponse::Ok(Json(
            documents::view(&s.db, &user, doc, s.today()).await?,
        )))
    }

    /// Delete my own draft that nobody has signed (409 `not_deletable` for anything else).
    #[oai(path = "/childcare/documents/:id", method = "delete")]
    async fn delete_draft(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<DraftDeleted, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let permit = policy::authorize(
            &s.db,
            &user,
            DocumentAction::Delete,
            DocumentId(id.0),
            s.clock.now(),
        )
        .await?;
        documents::delete_draft(&s.db, &permit).await?;
        Ok(DraftDeleted::NoContent)
    }

    /// Officer: the documents guardians have signed (income statements, answers to offers,
    /// terminations), newest first, a page at a time; `kind` and the signing days `signed_from`
    /// and `signed_to` (inclusive, Swedish days) narrow the list, `limit` (1–100, default 50)
    /// sizes the page and `cursor` (the previous page's `next_cursor`; 400 `invalid_cursor` for
    /// anything else) says where it starts.
    #[oai(path = "/childcare/officer/documents", method = "get")]
    async fn received_documents(
        &self,
        auth: SessionCookie,
        kind: Query<Option<DocumentKind>>,
        signed_from: Query<Option<NaiveDate>>,
        signed_to: Query<Option<NaiveDate>>,
        cursor: Query<Option<String>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<u32>>,
    ) -> Result<ReceivedResponse, ApiError> {
        let after = cursor
            .0
            .as_deref()
            .map(NewestFirstCursor::decode)
            .transpose()?;
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let filter = documents::ReceivedFilter {
            kind: kind.0,
            signed_from: signed_from.0,
            signed_to: signed_to.0,
            after,
            limit: limit.0.unwrap_or(DEFAULT_PAGE_LIMIT),
        };
        let permit = policy::authorize_global(
            &s.db,
            &user,
            GlobalAction::ReadReceivedDocuments,
            s.clock.now(),
        )
        .await?;
        let page = documents::list_received(&s.db, &permit, filter, s.clock.now()).await?;
        Ok(ReceivedResponse::Ok(Json(page)))
    }

    /// Officer: one signed document: its text, who signed and when (the evidence itself stays
    /// in the guardian's receipt).
    #[oai(path = "/childcare/officer/documents/:id", method = "get")]
    async fn received_document(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<DocumentResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let permit = policy::authorize(
            &s.db,
            &user,
            DocumentAction::ReadReceived,
            DocumentId(id.0),
            s.clock.now(),
        )
        .await?;
        let doc = documents::find(&s.db, &permit).await?;
        Ok(DocumentResponse::Ok(Json(
            documents::view(&s.db, &user, doc, s.today()).await?,
        )))
    }

    /// Start signing with BankID. A password session is refused (403 `bankid_required`).
    #[oai(path = "/childcare/documents/:id/sign", method = "post")]
    async fn sign(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<SignStartResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let target = DocumentId(id.0);
        // Someone who may not even read it is told nothing; a reader who may not sign it now
        // (a password session) is told BankID is needed.
        policy::authorize(&s.db, &user, DocumentAction::Read, target, s.clock.now()).await?;
        let permit = policy::authorize(&s.db, &user, DocumentAction::Sign, target, s.clock.now())
            .await
            .map_err(signing::SigningError::from)?;
        let doc = documents::find(&s.db, &permit).await?;
        let url = signing::start(
            &s.db,
            &s.settings,
            &s.bankid_provider,
            &s.portal_key,
            &permit,
            &doc,
            s.clock.now(),
        )
        .await?;
        Ok(SignStartResponse::Ok(Json(SignStart { redirect_url: url })))
    }

    /// The receipt of a signed document, as a file.
    #[oai(path = "/childcare/documents/:id/receipt", method = "get")]
    async fn receipt(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<ReceiptResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let permit = policy::authorize(
            &s.db,
            &user,
            DocumentAction::Read,
            DocumentId(id.0),
            s.clock.now(),
        )
        .await?;
        let receipt = documents::receipt(&s.db, &permit).await?;
        Ok(ReceiptResponse::Ok(
            Json(receipt),
            format!("attachment; filename=\"kvitto-{}.json\"", id.0),
        ))
    }

    /// The broker sends the browser back here after signing.
    #[oai(path = "/sign/callback", method = "get")]
    async fn sign_callback(
        &self,
        req: &Request,
        state: Query<Option<String>>,
        code: Query<Option<String>>,
        error: Query<Option<String>>,
    ) -> SignCallbackResponse {
        let s = &self.state;
        let now = s.clock.now();
        let user = match req.cookie().get(session::COOKIE) {
            Some(c) => session::authenticate(&s.db, &s.settings.session, c.value_str(), now)
                .await
                .ok(),
            None => None,
        };
        let callback = Callback {
            state: state.0,
            code: code.0,
            error: error.0,
        };
        match signing::finish(
            &s.db,
            &s.settings,
            &s.bankid_provider,
            &s.portal_key,
            user.as_ref(),
            callback,
            now,
        )
        .await
        {
            Ok(done) => {
                tracing::info!(document_id = %done.document_id, "document signed");
                SignCallbackResponse::Done(format!("{}?signerat=1", done.return_to))
            }
            Err((document, err)) => {
                tracing::warn!(code = err.code(), %err, "signature refused");
                SignCallbackResponse::Done(match document {
                    Some(id) => format!("/barnomsorg/dokument/{id}?fel={}", err.code()),
                    None => format!("/barnomsorg?fel={}", err.code()),
                })
            }
        }
    }
}
