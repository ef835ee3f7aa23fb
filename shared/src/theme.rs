//! Whether a municipality's theme keeps the portal readable: WCAG 2.1 AA contrast (1.4.3 for
//! text, 1.4.11 for controls and the focus ring) between the colours the portal puts on each
//! other. The administrator's theme setting is refused with the failing pairs named, so that no
//! municipality's colours can make the portal inaccessible; the same function runs in the
//! browser to say so before saving.
//!
//! The pairs are where the stylesheet uses the colours together: body text on the page and on
//! cards (cards stay white: `SURFACE`), links on both, the header's and primary buttons' text on
//! the brand colour, and the brand colour and the focus ring against the page.

use crate::api::Theme;

/// Cards, tables and inputs: always white, whatever the theme.
pub const SURFACE: Rgb = Rgb([0xff, 0xff, 0xff]);

/// What text needs against its background (WCAG 1.4.3, AA).
pub const TEXT_RATIO: f64 = 4.5;
/// What a control's boundary or the focus indicator needs against what is next to it (1.4.11).
pub const CONTROL_RATIO: f64 = 3.0;

/// A colour the theme sets, or the fixed card colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum ThemeColour {
    Primary,
    OnPrimary,
    Background,
    Text,
    Accent,
    /// The cards' white, which the theme does not set.
    Surface,
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// `#rgb` or `#rrggbb`, as the settings and the stylesheet write colours.
    pub fn parse(text: &str) -> Option<Rgb> {
        let digits = text.trim().strip_prefix('#')?;
        if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |s: &str| u8::from_str_radix(s, 16).ok();
        match digits.len() {
            3 => {
                let mut out = [0u8; 3];
                for (i, c) in digits.chars().enumerate() {
                    let d = byte(&c.to_string())?;
                    out[i] = d * 17;
                }
                Some(Rgb(out))
            }
            6 => Some(Rgb([
                byte(&digits[0..2])?,
                byte(&digits[2..4])?,
                byte(&digits[4..6])?,
            ])),
            _ => None,
        }
    }

    /// Relative luminance (WCAG 2.1's definition, with its 0.04045 threshold).
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }
}

/// The contrast ratio of two colours, 1 to 21.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (light, dark) = if la >= lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// A pair of the theme's colours that does not reach what WCAG AA asks of it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ContrastFailure {
    pub foreground: ThemeColour,
    pub background: ThemeColour,
    /// The pair's ratio, rounded down to two decimals (a ratio of 4.499 is not 4.5).
    pub ratio: f64,
    pub required: f64,
}

/// Why a theme is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ThemeError {
    /// A colour that is not `#rgb` or `#rrggbb`: it is written into CSS and SVG as it is.
    #[error("not a colour: {0:?}")]
    NotAColour(ThemeColour),
    #[error("contrast below WCAG AA")]
    Contrast(Vec<ContrastFailure>),
}

/// The pairs the stylesheet puts on each other, and what each needs.
const PAIRS: [(ThemeColour, ThemeColour, f64); 7] = [
    (ThemeColour::Text, ThemeColour::Background, TEXT_RATIO),
    (ThemeColour::Text, ThemeColour::Surface, TEXT_RATIO),
    (ThemeColour::Accent, ThemeColour::Background, TEXT_RATIO),
    (ThemeColour::Accent, ThemeColour::Surface, TEXT_RATIO),
    (ThemeColour::OnPrimary, ThemeColour::Primary, TEXT_RATIO),
    // A primary button on the page, and the header against it.
    (ThemeColour::Primary, ThemeColour::Background, CONTROL_RATIO),
    (ThemeColour::Primary, ThemeColour::Surface, CONTROL_RATIO),
];

/// Accepts `theme` or says why not: every colour must be one, and every pair in `PAIRS` must
/// reach its ratio. All failing pairs are named, not the first.
pub fn check(theme: &Theme) -> Result<(), ThemeError> {
    let colour = |role: ThemeColour| -> Result<Rgb, ThemeError> {
        let text = match role {
            ThemeColour::Primary => &theme.primary,
            ThemeColour::OnPrimary => &theme.on_primary,
            ThemeColour::Background => &theme.background,
            ThemeColour::Text => &theme.text,
            ThemeColour::Accent => &theme.accent,
            ThemeColour::Surface => return Ok(SURFACE),
        };
        Rgb::parse(text).ok_or(ThemeError::NotAColour(role))
    };
    let mut failures = Vec::new();
    for (foreground, background, required) in PAIRS {
        let ratio = contrast(colour(foreground)?, colour(background)?);
        // Rounded down, so that what is shown as failing never reads as the required value.
        let shown = (ratio * 100.0).floor() / 100.0;
        if ratio < required {
            failures.push(ContrastFailure {
                foreground,
                background,
                ratio: shown,
                required,
            });
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(ThemeError::Contrast(failures))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn theme(primary: &str, on_primary: &str, background: &str, text: &str, accent: &str) -> Theme {
        Theme {
            primary: primary.into(),
            on_primary: on_primary.into(),
            background: background.into(),
            text: text.into(),
            accent: accent.into(),
        }
    }

    #[test]
    fn the_ratios_are_wcags() {
        let black = Rgb::parse("#000").unwrap();
        let white = Rgb::parse("#ffffff").unwrap();
        assert!((contrast(black, white) - 21.0).abs() < 1e-9);
        assert!((contrast(white, white) - 1.0).abs() < 1e-9);
        // #767676 on white is the well-known lightest grey that passes 4.5:1.
        let grey = Rgb::parse("#767676").unwrap();
        assert!(contrast(grey, white) >= 4.5);
        assert!(contrast(Rgb::parse("#777777").unwrap(), white) < 4.5);
    }

    #[test]
    fn colours_are_hex_only() {
        assert_eq!(Rgb::parse("#1d4f91"), Some(Rgb([0x1d, 0x4f, 0x91])));
        assert_eq!(Rgb::parse("#abc"), Some(Rgb([0xaa, 0xbb, 0xcc])));
        for bad in ["1d4f91", "#1d4f9", "#ggg", "red", "", "#1d4f91;x"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_portals_own_theme_passes() {
        assert_eq!(
            check(&theme(
                "#1d4f91", "#ffffff", "#f6f7f9", "#1b1f24", "#0b5fcc"
            )),
            Ok(())
        );
    }

    #[test]
    fn a_pale_theme_is_refused_with_every_failing_pair_named() {
        let Err(ThemeError::Contrast(failures)) = check(&theme(
            "#ffd700", "#ffffff", "#ffffff", "#999999", "#66aaff",
        )) else {
            panic!("refused for contrast");
        };
        let pairs: Vec<(ThemeColour, ThemeColour)> = failures
            .iter()
            .map(|f| (f.foreground, f.background))
            .collect();
        assert!(pairs.contains(&(ThemeColour::Text, ThemeColour::Background)));
        assert!(pairs.contains(&(ThemeColour::Accent, ThemeColour::Surface)));
        assert!(pairs.contains(&(ThemeColour::OnPrimary, ThemeColour::Primary)));
        assert!(pairs.contains(&(ThemeColour::Primary, ThemeColour::Background)));
        for f in &failures {
            assert!(f.ratio < f.required, "{f:?}");
        }
    }

    #[test]
    fn a_colour_that_is_not_one_is_named() {
        assert_eq!(
            check(&theme("#1d4f91", "white", "#f6f7f9", "#1b1f24", "#0b5fcc")),
            Err(ThemeError::NotAColour(ThemeColour::OnPrimary))
        );
    }
}
