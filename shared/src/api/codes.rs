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

/// A wire enum of unit variants whose codes are the snake_case of their names, with the serde
/// of this module instead of the derive (the caller keeps its other derives).
macro_rules! wire_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            const WIRE: &'static [($name, &'static str)] = &[$(($name::$variant, stringify!($variant))),+];
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let name = Self::WIRE.iter().find(|(v, _)| v == self).map_or("", |(_, n)| n);
                s.serialize_str(&$crate::api::codes::snake(name))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(d)?;
                let at = $crate::api::codes::position(
                    Self::WIRE.iter().map(|(_, name)| $crate::api::codes::spells(name, &text)),
                    &text,
                )?;
                Ok(Self::WIRE[at].0)
            }
        }
    };
}
pub(crate) use wire_enum;

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
