//! Attendance statistics (närvarostatistik): how a pupil's marked lessons count, and when
//! absence is repeated or long enough that the principal must investigate it (skollagen
//! 7 kap. 19 a §). Shared by the server's statistics and the pages that show them.

use crate::api::{AttendanceCounts, AttendanceMark};

impl AttendanceCounts {
    /// Counts one lesson by its latest mark.
    pub fn add(&mut self, mark: AttendanceMark) {
        self.lessons += 1;
        match mark {
            AttendanceMark::Present => self.present += 1,
            AttendanceMark::Late => self.late += 1,
            AttendanceMark::ValidAbsence => self.valid_absence += 1,
            AttendanceMark::UnexcusedAbsence => self.unexcused_absence += 1,
        }
    }

    /// Lessons attended, late ones included.
    pub fn attended(&self) -> u32 {
        self.present + self.late
    }

    /// Share of the lessons attended, in whole percent (100 when none were taken).
    pub fn present_percent(&self) -> u32 {
        if self.lessons == 0 {
            return 100;
        }
        self.attended() * 100 / self.lessons
    }

    /// Share of the lessons missed, valid or not, in whole percent (rounded up, so that a
    /// threshold is met as soon as it is reached).
    pub fn absent_percent(&self) -> u32 {
        if self.lessons == 0 {
            return 0;
        }
        let absent = self.valid_absence + self.unexcused_absence;
        (absent * 100).div_ceil(self.lessons)
    }
}

/// Whether the absence needs the principal's investigation: at least `percent` of the lessons
/// missed, or at least `unexcused` lessons missed without a valid reason (either setting 0 is
/// off).
pub fn needs_follow_up(counts: &AttendanceCounts, percent: u32, unexcused: u32) -> bool {
    (percent > 0 && counts.lessons > 0 && counts.absent_percent() >= percent)
        || (unexcused > 0 && counts.unexcused_absence >= unexcused)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(marks: &[AttendanceMark]) -> AttendanceCounts {
        let mut c = AttendanceCounts::default();
        for m in marks {
            c.add(*m);
        }
        c
    }

    #[test]
    fn late_is_present_and_absence_of_either_kind_counts_toward_follow_up() {
        use AttendanceMark::*;
        let c = counts(&[
            Present,
            Late,
            ValidAbsence,
            Present,
            Present,
            Present,
            Present,
            Present,
            Present,
            Present,
        ]);
        assert_eq!((c.lessons, c.attended(), c.present_percent()), (10, 9, 90));
        assert_eq!(c.absent_percent(), 10);
        assert!(needs_follow_up(&c, 10, 3));
        assert!(!needs_follow_up(&c, 15, 3));
        let c = counts(&[UnexcusedAbsence, UnexcusedAbsence, Present]);
        assert!(needs_follow_up(&c, 0, 2));
        assert!(!needs_follow_up(&AttendanceCounts::default(), 10, 3));
    }
}
