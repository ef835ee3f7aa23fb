//! The actions of the access policy, grouped by the kind of thing they act on (docs/rules.md
//! rule 7, after eVaka's `Action.Global`, `Action.Child`, `Action.Unit`, …). The server's policy
//! decides which rules allow each; the names cross the wire in `permitted_actions`, so the UI
//! shows a button when the policy says yes and never repeats a rule itself.

use serde::{Deserialize, Serialize};

/// Declares one kind of action, and derives its list of every action from the declaration, so
/// the list cannot fall behind the enum.
macro_rules! actions {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
        #[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every action of this kind, in the order declared.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Their names, in the same order: the wire's code is the snake_case of each.
            const NAMES: &'static [&'static str] = &[$(stringify!($variant)),+];
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&super::codes::snake(Self::NAMES[*self as usize]))
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                let at = super::codes::position(
                    Self::NAMES.iter().map(|name| super::codes::spells(name, &text)),
                    &text,
                )?;
                Ok(Self::ALL[at])
            }
        }
    };
}

actions! {
    /// Actions on the municipality as a whole: its queue, its lists.
    GlobalAction {
        /// The queue of applications, and making placement offers from it.
        HandleChildcareQueue,
        /// The placement offers made in the municipality, with their answers.
        ReadPlacementOffers,
        /// The documents guardians have signed, as the officer receives them.
        ReadReceivedDocuments,
        /// The correction requests, and answering them.
        HandleCorrectionRequests,
        /// The SS 12000 sync's runs, starting one, and confirming one that was refused.
        FollowSourceSync,
        /// The municipality's and its units' settings, and their history: the municipality
        /// administrator's, not the case officer's.
        ChangeSettings,
        /// Retention: the dry run, starting a run, the runs' reports, the archive packages
        /// (which hold what is preserved) and the statistics kept.
        HandleRetention,
    }
}

actions! {
    /// Actions on a person's data: a child, a pupil, or oneself.
    PersonAction {
        /// The pupil card: name, birth date, address, phone, school e-mail, class, units.
        ReadPupilCard,
        /// Being one of the children on a guardian's "Mina barn".
        ListOwnChildren,
        /// Being one of the pupils and children on a staff member's list.
        ListPupils,
        /// The register extract about the person, or about one's child.
        ReadRegisterExtract,
        /// A child's childcare schedule (vistelsetid).
        ReadChildcareSchedule,
        /// Setting or copying a child's childcare schedule.
        EditChildcareSchedule,
        /// The people allowed to collect a child.
        ReadPickupPersons,
        /// Adding and removing the people allowed to collect a child.
        ManagePickupPersons,
        /// Acting in the child's name on a childcare place: applying, seeing the applications
        /// and offers. A legal matter: guardians only.
        ManageChildcarePlace,
        /// Asking for an item of the register extract to be corrected (rättelse).
        RequestCorrection,
        /// A pupil's individual timetable (schema) with today's changes.
        ReadTimetable,
        /// A teacher's timetable (lärarschema): the teacher, colleagues at the school, and the
        /// school's pupils and their families.
        ReadTeacherTimetable,
        /// Making, renewing and revoking a calendar feed of the person's timetable: the family's
        /// own subscription, never staff's of a pupil.
        SubscribeToTimetable,
        /// Reporting the child absent (sick or other), and changing or withdrawing the report
        /// until it starts. Day-to-day care: a foster parent reports too.
        ReportAbsence,
        /// Reading one's own notices and choosing the channels they come by.
        ManageNotices,
        /// Applying for a pupil's leave (ledighet), and seeing the applications. A legal matter:
        /// guardians only.
        ApplyForLeave,
        /// Staff mark a child of their unit absent for a day (the day sheet): a report in the
        /// staff member's name, when the family has not made one.
        MarkAbsence,
        /// A pupil's attendance statistics: the term in all and per subject.
        ReadAttendance,
        /// The child's consents (samtycken): each kind's state, the guardians' decisions and
        /// their history.
        ReadConsents,
        /// Giving or withdrawing a consent in the child's name: a guardian with custody.
        DecideConsent,
        /// The published talk material of the pupil's development talk: the pupil, the guardians
        /// and the mentor.
        ReadTalkMaterial,
        /// Writing one's own part of the talk material (and reading it): the pupil, each
        /// guardian, each of the pupil's teachers and the mentor.
        WriteTalkMaterial,
        /// A pupil's grades: the pupil, the guardians, the mentor.
        ReadGrades,
        /// The talk times published for the pupil's groups, and booking, moving, joining and
        /// cancelling the pupil's talk: a guardian.
        BookTalk,
        /// The pupil's development plan (IUP): goals, follow-ups and omdömen. The pupil, the
        /// guardians and the mentor.
        ReadDevelopmentPlan,
        /// Writing the plan's goals and following them up: the mentor.
        WriteDevelopmentGoals,
        /// Writing one's omdöme in a subject one teaches the pupil, in a year without grades.
        WriteAssessment,
    }
}

actions! {
    /// Actions on a leave application.
    LeaveAction {
        /// The other guardian agrees, under joint custody where the municipality asks for both.
        Agree,
        /// A guardian withdraws it before the decision.
        Withdraw,
        /// Granting or refusing it: the mentor up to the municipality's days, the principal.
        Decide,
    }
}

actions! {
    /// Actions on an absence report, by the adults who care for its child.
    AbsenceReportAction {
        /// Changing its days, times or reason, until it starts.
        Change,
        /// Withdrawing it, until it starts.
        Withdraw,
    }
}

actions! {
    /// Actions on a unit (a school, preschool or fritidshem).
    UnitAction {
        /// The day sheet: the children expected that day, their times and pick-up persons.
        ReadChildcareDaySheet,
        /// Entering the unit's lunch menu.
        EditLunchMenu,
        /// The unit's staff list: names, roles, work phones and e-mails.
        ReadStaffList,
        /// The school's pupils whose absence the principal must investigate (7 kap. 19 a §).
        ReadAbsenceFollowUp,
        /// Locking the school's grades of the term: final, no teacher changes them.
        LockGrades,
        /// Checking the unit's children in and out on its tablet.
        CheckChildrenInAndOut,
        /// The unit's paired tablets: listing and unpairing them.
        ManageKiosks,
    }
}

actions! {
    /// Actions on a school group (a class, a teaching group, a mentor group).
    GroupAction {
        /// The group's list: its pupils' names and classes, its mentors and teachers.
        ReadGroupList,
        /// The mentor's overview of the group's attendance, with the pupils to follow up.
        ReadAttendanceOverview,
        /// The subject teacher's grade sheet for the group: reading and setting this term's
        /// grades in the subjects they teach there.
        SetGrades,
        /// Publishing the group's talk times, and seeing who booked which: its mentor.
        PublishTalkTimes,
    }
}

actions! {
    /// Actions on a lesson of a timetable.
    LessonAction {
        /// Recording how the lesson differs from the plan on a day (cancelled, a substitute, a
        /// new room or time), or undoing that.
        RecordChange,
        /// Reading the lesson's roster on a day and saving its attendance.
        TakeAttendance,
    }
}

actions! {
    /// Actions on a childcare document (income statement, answer to an offer, termination).
    DocumentAction {
        /// Reading it as its filer or the child's guardian.
        Read,
        /// Signing it (BankID only). Who must sign is `childcare::signatures`.
        Sign,
        /// Deleting a draft nobody has signed.
        Delete,
        /// Reading it as the officer who receives it.
        ReadReceived,
    }
}

actions! {
    /// Actions on an application for a childcare place.
    ApplicationAction {
        /// Taking it out of the queue.
        Withdraw,
    }
}

actions! {
    /// Actions on a placement offer.
    OfferAction {
        /// Accepting or declining it, by a signed answer.
        Answer,
    }
}

actions! {
    /// Actions on a childcare place.
    PlacementAction {
        /// Ending it, by a signed termination.
        Terminate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<
        T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug + Copy,
    >(
        all: &[T],
    ) {
        for action in all {
            let wire = serde_json::to_string(action).expect("written");
            assert_eq!(
                serde_json::from_str::<T>(&wire).ok(),
                Some(*action),
                "{wire}"
            );
        }
    }

    #[test]
    fn every_action_crosses_the_wire_by_its_snake_case_name() {
        assert_eq!(
            serde_json::to_string(&UnitAction::ReadAbsenceFollowUp)
                .ok()
                .as_deref(),
            Some("\"read_absence_follow_up\"")
        );
        assert!(serde_json::from_str::<PersonAction>("\"ReadPupilCard\"").is_err());
        round_trips(GlobalAction::ALL);
        round_trips(PersonAction::ALL);
        round_trips(LeaveAction::ALL);
        round_trips(AbsenceReportAction::ALL);
        round_trips(UnitAction::ALL);
        round_trips(GroupAction::ALL);
    }

    #[test]
    fn the_derived_lists_hold_every_action_once() {
        assert_eq!(PersonAction::ALL.len(), 27);
        assert_eq!(PersonAction::ALL[0], PersonAction::ReadPupilCard);
        let mut sorted = DocumentAction::ALL.to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), DocumentAction::ALL.len());
    }

    #[test]
    fn actions_cross_the_wire_in_snake_case() {
        assert_eq!(
            serde_json::to_string(&PersonAction::EditChildcareSchedule).unwrap(),
            "\"edit_childcare_schedule\""
        );
        assert_eq!(
            serde_json::to_string(&DocumentAction::ReadReceived).unwrap(),
            "\"read_received\""
        );
    }
}
