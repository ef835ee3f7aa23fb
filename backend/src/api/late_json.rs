//! A JSON request body that the handler parses only after it has authorized the request.
//!
//! With `Json<T>`, poem-openapi answers a missing or malformed body (400/415) before the handler
//! runs, so an operation on someone else's child would answer differently from a plain 404 and
//! say that it exists. `LateJson<T>` documents the same body in the spec, but keeps the parse
//! result until the handler calls `parse()` — after `policy::authorize`.

use poem::{Request, RequestBody};
use poem_openapi::payload::{Json, ParsePayload, Payload};
use poem_openapi::registry::{MetaMediaType, MetaRequest, Registry};
use poem_openapi::types::ParseFromJSON;
use poem_openapi::{ApiExtractor, ApiExtractorType, ExtractParamOptions};

use crate::http::error::ApiError;

pub struct LateJson<T>(Result<T, String>);

impl<T> LateJson<T> {
    /// The body, or a 400 `invalid_body` saying what is wrong with it.
    pub fn parse(self) -> Result<T, ApiError> {
        self.0
            .map_err(|reason| ApiError::bad_request("invalid_body", reason))
    }
}

impl<'a, T: ParseFromJSON + Send> ApiExtractor<'a> for LateJson<T> {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        <Json<T> as Payload>::register(registry);
    }

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: None,
            content: vec![MetaMediaType {
                content_type: <Json<T> as Payload>::CONTENT_TYPE,
                schema: <Json<T> as Payload>::schema_ref(),
            }],
            required: true,
        })
    }

    async fn from_request(
        request: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        let parsed = match request.content_type() {
            Some(content_type) if <Json<T> as Payload>::check_content_type(content_type) => {
                <Json<T> as ParsePayload>::from_request(request, body)
                    .await
                    .map(|json| json.0)
                    .map_err(|e| e.to_string())
            }
            Some(_) => Err("The body must be JSON (Content-Type: application/json).".to_owned()),
            None => Err("A JSON body is required.".to_owned()),
        };
        Ok(Self(parsed))
    }
}
