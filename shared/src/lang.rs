//! The languages the portal is translated into. Shared because the server paints the login page
//! in the chosen language before the app arrives, and the app then takes over in the same one.

/// A language the portal is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Sv,
    En,
    /// Finnish: a national minority language that municipalities in the Finnish administrative
    /// area must serve.
    Fi,
    /// Arabic: written right to left.
    Ar,
    So,
    Uk,
}

impl Lang {
    /// Every language, in the order the language switch shows them.
    pub const ALL: [Lang; 6] = [Lang::Sv, Lang::En, Lang::Fi, Lang::Ar, Lang::So, Lang::Uk];

    /// The BCP 47 tag, as used in `<html lang>`, in the catalogue's file name and by the
    /// municipality's `languages`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
            Lang::Fi => "fi",
            Lang::Ar => "ar",
            Lang::So => "so",
            Lang::Uk => "uk",
        }
    }

    /// The language for a tag such as `sv`, `en` or `en-GB`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or_default();
        let primary = primary.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.code() == primary)
    }

    /// The writing direction, for `<html dir>`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            _ => "ltr",
        }
    }
}

/// The cookie that carries the chosen language to the server, so that the login page it paints
/// is in that language. A preference, not personal data; the app also keeps it in `localStorage`.
pub const LANG_COOKIE: &str = "skolportal_lang";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::Ar.dir(), "rtl");
    }
}
