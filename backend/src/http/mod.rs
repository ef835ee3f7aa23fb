//! The HTTP edge: error mapping, middleware (request log, security headers), the SPA's static
//! files with the shells the server writes (the prerendered login page), the installable app
//! (manifest, icons, service worker), and the assembly of routes. Handlers live in `crate::api`.

pub mod body_limit;
pub mod embed;
pub mod error;
pub mod middleware;
pub mod prerender;
pub mod pwa;
pub mod spa;
