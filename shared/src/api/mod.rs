//! Wire types, one module per area of the API. Field names are snake_case in JSON; enum values are
//! snake_case strings. The `oai` attributes repeat the serde ones because poem-openapi serialises
//! with its own derive.

mod applications;
mod auth;
mod childcare;
mod children;
mod common;
mod correction;
mod extract;
mod municipality;
mod paging;
mod permissions;
mod pupils;
mod schedule;

pub use applications::*;
pub use auth::*;
pub use childcare::*;
pub use children::*;
pub use common::*;
pub use correction::*;
pub use extract::*;
pub use municipality::*;
pub use paging::*;
pub use permissions::*;
pub use pupils::*;
pub use schedule::*;
