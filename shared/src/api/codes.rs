//! Serde for the enums that cross the wire as snake_case codes (the actions, the stored
//! statuses and kinds), written once instead of derived per enum. The derive gave every enum its
//! own visitor with the names three times over; in the wasm that was kilobytes per app, and the
//! apps have a size budget. The codes are the same as `rename_all = "snake_case"` gave.

/// Whether the snake_case `code` spells the CamelCase `ident` (`ReadPupilCard`,
/// `read_pupil_card`).
pub(crate) fn spells(ident: &str, code: &str) -> bool {
    let mut wire = code.chars();
    for (i, c) in ident.chars().enumerate() {
        if i > 0 && c.is_ascii_uppercase() && wire.next() != Some('_') {
            return false;
        }
        if wire.next() != Some(c.to_ascii_lowercase()) {
            return false;
        }
    }
    wire.next().is_none()
}

/// `ident` in snake_case.
pub(crate) fn snake(ident: &str) -> String {
    let mut out = String::with_capacity(ident.len() + 4);
    for (i, c) in ident.chars().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The index of the code `text` among `codes`, or the error a client or the database sees.
pub(crate) fn position<E: serde::de::Error>(
    codes: impl Iterator<Item = bool>,
    text: &str,
) -> Result<usize, E> {
    let mut codes = codes;
    codes
        .position(|matches| matches)
        .ok_or_else(|| E::custom(format_args!("unknown code `{text}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_snake_case_of_the_names() {
        assert_eq!(snake("ReadAbsenceFollowUp"), "read_absence_follow_up");
        assert!(spells("ReadAbsenceFollowUp", "read_absence_follow_up"));
        assert!(!spells("ReadAbsenceFollowUp", "read_absence_follow"));
        assert!(!spells("ReadAbsence", "read_absence_follow_up"));
        assert!(!spells("ReadAbsence", "readabsence"));
    }
}
