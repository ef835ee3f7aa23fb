//! Rule 3 of docs/rules.md, in one place: a person with a security marking ("Skyddad folkbokföring",
//! "Sekretessmarkering") never enters the portal. Nothing about them is stored, logged by name or
//! exported; links to them are dropped with them. An unknown marking counts as protected: when in
//! doubt, keep the person out.

use skolportal_shared::{Personnummer, PersonnummerError};

use super::snapshot::SourcePerson;

/// SS 12000 `securityMarking`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecurityMarking {
    None,
    Confidential,
    ProtectedRegistration,
}

impl SecurityMarking {
    pub fn from_ss12000(value: &str) -> Self {
        match value.trim() {
            "Ingen" | "" => Self::None,
            "Sekretessmarkering" => Self::Confidential,
            // "Skyddad folkbokföring" and anything we do not recognise.
            _ => Self::ProtectedRegistration,
        }
    }
}

/// Why a person was kept out. Carries no personal data, so it can be logged and counted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refusal {
    #[error("protected identity")]
    ProtectedIdentity,
    #[error("invalid personnummer: {0}")]
    InvalidPersonnummer(#[from] PersonnummerError),
}

/// A person who may be stored. Only `admit` makes one.
pub struct AdmittedPerson {
    pub(super) source: SourcePerson,
    pub(super) personnummer: Personnummer,
}

impl AdmittedPerson {
    pub fn personnummer(&self) -> &Personnummer {
        &self.personnummer
    }
    pub fn source(&self) -> &SourcePerson {
        &self.source
    }
}

pub fn admit(source: SourcePerson) -> Result<AdmittedPerson, Refusal> {
    if source.security_marking != SecurityMarking::None {
        return Err(Refusal::ProtectedIdentity);
    }
    let personnummer = Personnummer::parse(&source.personnummer)?;
    Ok(AdmittedPerson {
        source,
        personnummer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(marking: SecurityMarking) -> SourcePerson {
        SourcePerson {
            source_id: "p1".into(),
            personnummer: "189001019802".into(),
            given_name: "Test".into(),
            family_name: "Testsson".into(),
            address: None,
            email: None,
            phone: None,
            school_email: None,
            security_marking: marking,
        }
    }

    #[test]
    fn every_marking_but_none_is_refused() {
        assert!(admit(person(SecurityMarking::None)).is_ok());
        assert_eq!(
            admit(person(SecurityMarking::Confidential)).err(),
            Some(Refusal::ProtectedIdentity)
        );
        assert_eq!(
            admit(person(SecurityMarking::ProtectedRegistration)).err(),
            Some(Refusal::ProtectedIdentity)
        );
    }

    #[test]
    fn unknown_markings_fail_closed() {
        assert_eq!(
            SecurityMarking::from_ss12000("Ingen"),
            SecurityMarking::None
        );
        assert_eq!(
            SecurityMarking::from_ss12000("Skyddad folkbokföring"),
            SecurityMarking::ProtectedRegistration
        );
        assert_eq!(
            SecurityMarking::from_ss12000("något nytt"),
            SecurityMarking::ProtectedRegistration
        );
    }
}
