//! The HTTP edge: error mapping, middleware (request log, security headers), the SPA's static
//! files, and the assembly of routes. Handlers live in `crate::api`.

pub mod body_limit;
pub mod error;
pub mod middleware;
pub mod spa;
