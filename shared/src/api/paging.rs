//! Keyset (cursor) pages of the officer's growing lists: offers, received documents, the queue.
//! Each list has a total order, its natural sort key with the row id as tie-breaker; a page ends
//! with `next_cursor`, the last row's key, and the next page is the rows after that key. Unlike an
//! offset, a cursor costs the same on page 11 as on page 1, and rows added meanwhile neither
//! repeat nor hide a row.
//!
//! A cursor is opaque to the client: base64url of the key's fields. It is not signed, because it
//! grants nothing: the page after a forged key is still filtered by the policy like any other.

use serde::{Deserialize, Serialize};

use super::{OfferView, QueueEntry, ReceivedDocument};

// The cursors themselves never cross the wire as JSON: only their opaque text does.
pub use crate::cursor::{InvalidCursor, NewestFirstCursor, QueueCursor};

/// Rows of a page when the client does not say.
pub const DEFAULT_PAGE_LIMIT: u32 = 50;
/// The most rows a page may ask for.
pub const MAX_PAGE_LIMIT: u32 = 100;

/// `GET /api/childcare/officer/offers`: one page of the offers, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct OfferPage {
    pub items: Vec<OfferView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub next_cursor: Option<String>,
}

/// `GET /api/childcare/officer/documents`: one page of the received documents, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ReceivedDocumentPage {
    pub items: Vec<ReceivedDocument>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub next_cursor: Option<String>,
}

/// `GET /api/childcare/queue`: one page of the queue, in queue order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct QueuePage {
    pub items: Vec<QueueEntry>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub next_cursor: Option<String>,
}
