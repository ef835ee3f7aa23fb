//! When a consent is in force (DOMAIN.md rule 4): one rule for the server, which opens and
//! closes what the consent covers by it, and for the page, which shows it.

use crate::api::{ConsentDecision, ConsentRequirement, ConsentState};

/// The state of one consent from each current guardian's latest decision (`None`: none yet).
///
/// Any guardian's withdrawal ends it, and it stays ended until that guardian gives it again:
/// another guardian's consent does not override a withdrawal. Without guardians nobody can
/// consent.
pub fn state(requirement: ConsentRequirement, latest: &[Option<ConsentDecision>]) -> ConsentState {
    if latest.contains(&Some(ConsentDecision::Withdrawn)) {
        return ConsentState::Withdrawn;
    }
    let given = latest
        .iter()
        .filter(|d| **d == Some(ConsentDecision::Given))
        .count();
    match requirement {
        _ if given == 0 => ConsentState::NotGiven,
        ConsentRequirement::AnyGuardian => ConsentState::InForce,
        ConsentRequirement::EveryGuardian if given == latest.len() => ConsentState::InForce,
        ConsentRequirement::EveryGuardian => ConsentState::Waiting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConsentDecision::{Given, Withdrawn};
    use ConsentRequirement::{AnyGuardian, EveryGuardian};

    #[test]
    fn one_guardian_is_enough_where_the_kind_says_so() {
        assert_eq!(
            state(AnyGuardian, &[Some(Given), None]),
            ConsentState::InForce
        );
        assert_eq!(
            state(EveryGuardian, &[Some(Given), None]),
            ConsentState::Waiting
        );
        assert_eq!(
            state(EveryGuardian, &[Some(Given), Some(Given)]),
            ConsentState::InForce
        );
    }

    #[test]
    fn any_withdrawal_ends_it_whatever_the_others_gave() {
        for requirement in [AnyGuardian, EveryGuardian] {
            assert_eq!(
                state(requirement, &[Some(Given), Some(Withdrawn)]),
                ConsentState::Withdrawn
            );
        }
    }

    #[test]
    fn nobody_deciding_or_nobody_to_decide_is_no_consent() {
        assert_eq!(state(AnyGuardian, &[None, None]), ConsentState::NotGiven);
        assert_eq!(state(EveryGuardian, &[]), ConsentState::NotGiven);
    }
}
