//! The installable app (PWA): the web app manifest, the icons, the favicon and the theme
//! stylesheet, all drawn from the municipality's settings so that an installed portal carries the
//! municipality's name and colours; and the service worker script, stamped with the build so
//! that a new deploy installs a new worker. None of these carry personal data.
//!
//! The icon is drawn here rather than shipped as files because its colours are settings: a house
//! (the portal's mark) on the municipality's primary colour, rasterised into PNG, since Chromium
//! asks for PNG icons of 192 and 512 pixels before it calls an app installable.

use std::io::Write;
use std::sync::Arc;

use poem::http::{header, Method, StatusCode};
use poem::{Body, Endpoint, Request, Response};
use sha2::{Digest, Sha256};
use skolportal_shared::api::{MunicipalityInfo, Theme};

use super::spa::SpaAssets;
use crate::municipality::{self, MunicipalitySettings};
use crate::state::AppState;

/// The paths this module answers, relative to the root.
pub const PATHS: &[&str] = &[
    "/manifest.webmanifest",
    "/theme.css",
    "/icon.svg",
    "/icon-192.png",
    "/icon-512.png",
    "/icon-maskable-512.png",
    "/favicon.ico",
    "/sw.js",
];

/// The municipality's public face for the shell: its info, or the defaults when none is stored
/// yet (a fresh database), so that the shell and the icons never fail.
pub async fn municipality_info(state: &AppState) -> Option<MunicipalityInfo> {
    let model = municipality::current(
        &state.db,
        state.settings.server.municipality_code.as_deref(),
    )
    .await;
    match model {
        Ok(model) => municipality::public_info(&model).ok(),
        Err(err) => {
            tracing::warn!(error = %err, "no municipality for the shell");
            None
        }
    }
}

/// The theme's colours, each checked to be a `#rgb`/`#rrggbb` colour: a setting is written into
/// CSS and SVG, so anything else falls back to the default colour rather than being copied. A
/// theme whose colours together fail WCAG AA contrast (`skolportal_shared::theme::check`) is not
/// served at all: the default is, so that no stored setting makes the portal unreadable.
pub struct Colours {
    pub primary: String,
    pub on_primary: String,
    pub background: String,
    pub text: String,
    pub accent: String,
}

impl Colours {
    pub fn of(theme: Option<&Theme>) -> Self {
        let fallback = MunicipalitySettings::default().theme;
        let pick = |value: Option<&String>, default: &String| {
            value
                .filter(|v| is_hex_colour(v))
                .unwrap_or(default)
                .to_ascii_lowercase()
        };
        let picked = Theme {
            primary: pick(theme.map(|t| &t.primary), &fallback.primary),
            on_primary: pick(theme.map(|t| &t.on_primary), &fallback.on_primary),
            background: pick(theme.map(|t| &t.background), &fallback.background),
            text: pick(theme.map(|t| &t.text), &fallback.text),
            accent: pick(theme.map(|t| &t.accent), &fallback.accent),
        };
        let served = match skolportal_shared::theme::check(&picked) {
            Ok(()) => picked,
            Err(_) => {
                tracing::warn!(
                    "the municipality's theme fails WCAG AA contrast: the default is served"
                );
                fallback
            }
        };
        Self {
            primary: served.primary.to_ascii_lowercase(),
            on_primary: served.on_primary.to_ascii_lowercase(),
            background: served.background.to_ascii_lowercase(),
            text: served.text.to_ascii_lowercase(),
            accent: served.accent.to_ascii_lowercase(),
        }
    }

    fn key(&self) -> String {
        [
            &self.primary,
            &self.on_primary,
            &self.background,
            &self.text,
            &self.accent,
        ]
        .map(String::as_str)
        .join(",")
    }
}

pub fn is_hex_colour(value: &str) -> bool {
    skolportal_shared::theme::Rgb::parse(value).is_some() && value.trim() == value
}

fn rgb(colour: &str) -> [u8; 3] {
    let digits = colour.trim_start_matches('#');
    let digit = |i: usize| u8::from_str_radix(digits.get(i..i + 1).unwrap_or("0"), 16).unwrap_or(0);
    if digits.len() == 3 {
        [digit(0) * 17, digit(1) * 17, digit(2) * 17]
    } else {
        let pair =
            |i: usize| u8::from_str_radix(digits.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
        [pair(0), pair(2), pair(4)]
    }
}

/// Serves [`PATHS`].
#[derive(Clone)]
pub struct WebAppEndpoint {
    state: AppState,
    assets: Arc<SpaAssets>,
}

impl WebAppEndpoint {
    pub fn new(state: AppState, assets: Arc<SpaAssets>) -> Self {
        Self { state, assets }
    }
}

impl Endpoint for WebAppEndpoint {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Self::Output> {
        // Files to read: anything but a read is refused, as for the SPA's files.
        if req.method() != Method::GET && req.method() != Method::HEAD {
            return Err(poem::Error::from_status(StatusCode::METHOD_NOT_ALLOWED));
        }
        let path = req.uri().path().to_owned();
        if path == "/sw.js" {
            return Ok(self.service_worker(&req));
        }
        let info = municipality_info(&self.state).await;
        let colours = Colours::of(info.as_ref().map(|i| &i.theme));
        let name = info.as_ref().map(|i| i.name.clone());
        let (content_type, etag_seed) = match path.as_str() {
            "/manifest.webmanifest" => (
                "application/manifest+json",
                name.clone().unwrap_or_default(),
            ),
            "/theme.css" => ("text/css; charset=utf-8", String::new()),
            "/icon.svg" => ("image/svg+xml", String::new()),
            "/favicon.ico" => ("image/x-icon", String::new()),
            _ => ("image/png", String::new()),
        };
        let etag = format!(
            "\"{}\"",
            hex_prefix(&Sha256::digest(format!(
                "{path}|{}|{etag_seed}",
                colours.key()
            )))
        );
        let builder = Response::builder()
            .header(header::CACHE_CONTROL, "no-cache")
            .header(header::ETAG, etag.as_str());
        if if_none_match(&req, &etag) {
            return Ok(builder.status(StatusCode::NOT_MODIFIED).finish());
        }
        let body: Vec<u8> = match path.as_str() {
            "/manifest.webmanifest" => manifest(name.as_deref(), &colours, &self.assets),
            "/theme.css" => theme_css(&colours).into_bytes(),
            "/icon.svg" => icon_svg(&colours).into_bytes(),
            "/icon-192.png" => png(&icon_pixels(192, &colours, false), 192),
            "/icon-512.png" => png(&icon_pixels(512, &colours, false), 512),
            "/icon-maskable-512.png" => png(&icon_pixels(512, &colours, true), 512),
            "/favicon.ico" => ico(&png(&icon_pixels(32, &colours, false), 32)),
            _ => return Err(poem::Error::from_status(StatusCode::NOT_FOUND)),
        };
        Ok(builder.content_type(content_type).body(Body::from(body)))
    }
}

impl WebAppEndpoint {
    /// The worker's source (`sw.js` from Trunk's output) with the build's id and each app's files
    /// written in. The id changes with every deploy that changes a file, which is what makes the
    /// browser install the new worker (it compares the script's bytes).
    fn service_worker(&self, req: &Request) -> Response {
        let Some(source) = self.assets.raw("sw.js") else {
            return Response::builder()
                .status(StatusCode::NOT_FOUND)
                .content_type("text/plain; charset=utf-8")
                .body("Webbappen är inte byggd. / The web app is not built.");
        };
        let apps = self.assets.app_files();
        let script = String::from_utf8_lossy(source)
            .replace("\"__BUILD__\"", &format!("\"{}\"", self.assets.build_id()))
            .replace(
                "\"__APPS__\"",
                &serde_json::to_string(&apps).unwrap_or_else(|_| "{}".to_owned()),
            );
        let etag = format!("\"{}\"", hex_prefix(&Sha256::digest(script.as_bytes())));
        let builder = Response::builder()
            .header(header::CACHE_CONTROL, "no-cache")
            .header(header::ETAG, etag.as_str());
        if if_none_match(req, &etag) {
            return builder.status(StatusCode::NOT_MODIFIED).finish();
        }
        builder
            .content_type("application/javascript")
            .body(Body::from(script))
    }
}

fn if_none_match(req: &Request, etag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
}

fn hex_prefix(digest: &[u8]) -> String {
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// The custom properties `main.css` reads, so that the first paint is already in the
/// municipality's colours (the stylesheet's own defaults are the portal's).
pub fn theme_css(colours: &Colours) -> String {
    format!(
        ":root{{--color-primary:{};--color-on-primary:{};--color-background:{};--color-text:{};--color-accent:{}}}\n",
        colours.primary, colours.on_primary, colours.background, colours.text, colours.accent
    )
}

fn manifest(name: Option<&str>, colours: &Colours, assets: &SpaAssets) -> Vec<u8> {
    let service = assets.text("sv", "app.name").unwrap_or("Skolportalen");
    let full_name = match name {
        Some(name) => format!("{name} – {service}"),
        None => service.to_owned(),
    };
    let description = assets.text("sv", "footer.service").unwrap_or(service);
    let icon = |src: &str, sizes: &str, kind: &str, purpose: &str| serde_json::json!({"src": src, "sizes": sizes, "type": kind, "purpose": purpose});
    let manifest = serde_json::json!({
        "id": "/",
        "name": full_name,
        "short_name": service,
        "description": description,
        "lang": "sv",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": colours.background,
        "theme_color": colours.primary,
        "icons": [
            icon("/icon-192.png", "192x192", "image/png", "any"),
            icon("/icon-512.png", "512x512", "image/png", "any"),
            icon("/icon-maskable-512.png", "512x512", "image/png", "maskable"),
            icon("/icon.svg", "any", "image/svg+xml", "any"),
        ],
    });
    serde_json::to_vec_pretty(&manifest).unwrap_or_default()
}

/// The mark, in a 64-unit square: a roof, a house and its door.
const ROOF: [(f32, f32); 3] = [(32.0, 12.0), (10.0, 26.0), (54.0, 26.0)];
const HOUSE: (f32, f32, f32, f32) = (16.0, 29.0, 48.0, 52.0);
const DOOR: (f32, f32, f32, f32) = (28.0, 38.0, 36.0, 52.0);
const CORNER: f32 = 12.0;

fn icon_svg(colours: &Colours) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\"><rect width=\"64\" height=\"64\" rx=\"{CORNER}\" fill=\"{p}\"/><path d=\"M32 12 10 26h44z\" fill=\"{o}\"/><path d=\"M16 29h32v23H16z\" fill=\"{o}\"/><path d=\"M28 38h8v14h-8z\" fill=\"{p}\"/></svg>",
        p = colours.primary,
        o = colours.on_primary
    )
}

/// RGBA pixels of the icon at `size`, 4×4 samples a pixel. A maskable icon fills the square (the
/// platform cuts its own shape) and keeps the mark inside the safe circle.
fn icon_pixels(size: u32, colours: &Colours, maskable: bool) -> Vec<u8> {
    let (primary, on_primary) = (rgb(&colours.primary), rgb(&colours.on_primary));
    let scale = if maskable { 0.7 } else { 1.0 };
    let samples = 4u32;
    let mut out = Vec::with_capacity((size * size * 4) as usize);
    for y in 0..size {
        for x in 0..size {
            let mut sum = [0u32; 4];
            for sy in 0..samples {
                for sx in 0..samples {
                    let u = (x as f32 + (sx as f32 + 0.5) / samples as f32) * 64.0 / size as f32;
                    let v = (y as f32 + (sy as f32 + 0.5) / samples as f32) * 64.0 / size as f32;
                    let inside_tile = maskable || in_rounded_square(u, v);
                    if !inside_tile {
                        continue;
                    }
                    // The mark, scaled about the centre.
                    let (mu, mv) = (32.0 + (u - 32.0) / scale, 32.0 + (v - 32.0) / scale);
                    let colour = if in_rect(mu, mv, DOOR) {
                        primary
                    } else if in_rect(mu, mv, HOUSE) || in_triangle(mu, mv, ROOF) {
                        on_primary
                    } else {
                        primary
                    };
                    for (total, channel) in sum.iter_mut().zip(colour) {
                        *total += u32::from(channel);
                    }
                    sum[3] += 255;
                }
            }
            let n = samples * samples;
            let alpha = sum[3] / n;
            for channel in &sum[..3] {
                // Colours are averaged over the samples that hit the tile, so edges do not darken.
                let covered = sum[3] / 255;
                out.push(channel.checked_div(covered).unwrap_or(0) as u8);
            }
            out.push(alpha as u8);
        }
    }
    out
}

fn in_rect(u: f32, v: f32, (x0, y0, x1, y1): (f32, f32, f32, f32)) -> bool {
    u >= x0 && u < x1 && v >= y0 && v < y1
}

fn in_rounded_square(u: f32, v: f32) -> bool {
    let nearest = |c: f32| c.clamp(CORNER, 64.0 - CORNER);
    let (cu, cv) = (nearest(u), nearest(v));
    (u - cu).powi(2) + (v - cv).powi(2) <= CORNER * CORNER
}

fn in_triangle(u: f32, v: f32, [a, b, c]: [(f32, f32); 3]) -> bool {
    let side = |p: (f32, f32), q: (f32, f32)| (q.0 - p.0) * (v - p.1) - (q.1 - p.1) * (u - p.0);
    let (d1, d2, d3) = (side(a, b), side(b, c), side(c, a));
    let negative = d1 < 0.0 || d2 < 0.0 || d3 < 0.0;
    let positive = d1 > 0.0 || d2 > 0.0 || d3 > 0.0;
    !(negative && positive)
}

/// A PNG of `size`×`size` RGBA pixels: the signature, a header, one zlib-compressed data chunk
/// (each row with filter type 0) and the end.
fn png(pixels: &[u8], size: u32) -> Vec<u8> {
    let mut raw = Vec::with_capacity(pixels.len() + size as usize);
    for row in pixels.chunks(size as usize * 4) {
        raw.push(0);
        raw.extend_from_slice(row);
    }
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let compressed: Vec<u8> = encoder
        .write_all(&raw)
        .and_then(|()| encoder.finish())
        .unwrap_or_default();
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&size.to_be_bytes());
    header.extend_from_slice(&size.to_be_bytes());
    // 8 bits a channel, colour type 6 (RGBA), deflate, adaptive filtering, no interlace.
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [
        (b"IHDR", header.as_slice()),
        (b"IDAT", &compressed),
        (b"IEND", &[]),
    ] {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.finalize().to_be_bytes());
    }
    out
}

/// An ICO holding one 32-pixel PNG: browsers that ask for `/favicon.ico` on their own get the
/// same mark.
fn ico(png: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 1, 0, 1, 0];
    out.extend_from_slice(&[32, 32, 0, 0, 1, 0, 32, 0]);
    out.extend_from_slice(&(png.len() as u32).to_le_bytes());
    out.extend_from_slice(&22u32.to_le_bytes());
    out.extend_from_slice(png);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colours() -> Colours {
        Colours::of(None)
    }

    #[test]
    fn a_colour_that_is_not_hex_falls_back() {
        let theme = Theme {
            primary: "red;}body{display:none".into(),
            on_primary: "#FFF".into(),
            background: "#f6f7f9".into(),
            text: "#1a1a1a".into(),
            accent: "#0b6bcb".into(),
        };
        let colours = Colours::of(Some(&theme));
        assert_eq!(
            colours.primary,
            MunicipalitySettings::default().theme.primary
        );
        assert_eq!(colours.on_primary, "#fff");
        assert_eq!(rgb("#fff"), [255, 255, 255]);
        assert_eq!(rgb("#1d4f91"), [0x1d, 0x4f, 0x91]);
    }

    #[test]
    fn a_theme_without_contrast_is_not_served() {
        let pale = Theme {
            primary: "#ffd700".into(),
            on_primary: "#ffffff".into(),
            background: "#ffffff".into(),
            text: "#aaaaaa".into(),
            accent: "#66aaff".into(),
        };
        let colours = Colours::of(Some(&pale));
        let default = MunicipalitySettings::default().theme;
        assert_eq!(colours.primary, default.primary);
        assert_eq!(colours.text, default.text);
    }

    #[test]
    fn the_icon_is_the_house_on_the_primary_colour() {
        let pixels = icon_pixels(64, &colours(), false);
        let at = |x: usize, y: usize| &pixels[(y * 64 + x) * 4..(y * 64 + x) * 4 + 4];
        // A corner lies outside the rounded tile.
        assert_eq!(at(0, 0)[3], 0);
        // The wall is white, the door and the sky are the primary colour.
        assert_eq!(at(20, 40), &[255, 255, 255, 255]);
        assert_eq!(at(32, 45), &[0x1d, 0x4f, 0x91, 255]);
        assert_eq!(at(32, 5), &[0x1d, 0x4f, 0x91, 255]);
        // A maskable icon fills its square.
        assert_eq!(icon_pixels(64, &colours(), true)[3], 255);
    }

    #[test]
    fn the_png_has_its_chunks_and_sizes() {
        let bytes = png(&icon_pixels(16, &colours(), false), 16);
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&bytes[12..16], b"IHDR");
        assert_eq!(
            u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]),
            16
        );
        assert_eq!(&bytes[bytes.len() - 8..bytes.len() - 4], b"IEND");
    }
}
