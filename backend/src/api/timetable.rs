//! Timetables: a pupil's and a teacher's week, the changes a teacher records for a lesson, and
//! the calendar feeds. Every operation on a person or a lesson asks the policy first (denial =
//! 404) and reads its body after that (`LateJson`). The feed itself (`/calendar/{token}`) has no
//! session: its secret address is the credential, and the feed asks the policy as its
//! subscriber.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{
    AttendanceUpdate, CalendarFeed, LessonAction, LessonChangeInput, LessonRoster, NewCalendarFeed,
    SubstituteCandidate, TimetableWeek,
};
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::http::error::ApiError;
use crate::http::spa::SpaAssets;
use crate::policy::{self, LessonId, Permit, PersonAction, PersonId};
use crate::school::{attendance, feeds, timetable};
use crate::state::AppState;

pub struct TimetableApi {
    state: AppState,
    /// The catalogues: the feed is written in Swedish from them.
    assets: Arc<SpaAssets>,
}

impl TimetableApi {
    /// The session's permit to do `action` to the lesson, and the time it was granted.
    async fn lesson_permit(
        &self,
        auth: &SessionCookie,
        action: LessonAction,
        lesson: Uuid,
    ) -> Result<(Permit<LessonAction>, DateTime<Utc>), ApiError> {
        let s = &self.state;
        let user = s.authenticate(auth, Gate::Ready).await?;
        let now = s.clock.now();
        let permit = policy::authorize(&s.db, &user, action, LessonId(lesson), now).await?;
        Ok((permit, now))
    }

    pub fn new(state: AppState, assets: Arc<SpaAssets>) -> Self {
        Self { state, assets }
    }
}

#[derive(ApiResponse)]
enum WeekResponse {
    /// Monday to Friday: each day's kind on the school calendar and its lessons, changes applied.
    #[oai(status = 200)]
    Ok(Json<TimetableWeek>),
}

#[derive(ApiResponse)]
enum Done {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

#[derive(ApiResponse)]
enum RosterResponse {
    /// The lesson's pupils that day, each with their mark, a guardian's report and the marks'
    /// history.
    #[oai(status = 200)]
    Ok(Json<LessonRoster>),
}

#[derive(ApiResponse)]
enum SubstitutesResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<SubstituteCandidate>>),
}

#[derive(ApiResponse)]
enum FeedsResponse {
    /// My calendar feeds (without their addresses, which are shown once).
    #[oai(status = 200)]
    Ok(Json<Vec<CalendarFeed>>),
}

#[derive(ApiResponse)]
enum FeedCreated {
    /// The new feed, with its address. Any earlier address of mine for this timetable has
    /// stopped working.
    #[oai(status = 201)]
    Created(Json<CalendarFeed>),
}

#[derive(ApiResponse)]
enum CalendarResponse {
    /// The timetable as iCalendar, from two weeks back to ten weeks ahead.
    #[oai(status = 200, content_type = "text/calendar; charset=utf-8")]
    Ok(
        PlainText<String>,
        #[oai(header = "Cache-Control")] String,
        #[oai(header = "Referrer-Policy")] String,
    ),
}

#[OpenApi(tag = "ApiTags::Timetable")]
impl TimetableApi {
    /// A pupil's timetable for the week starting `week` (a Monday; this week when left out):
    /// for the pupil, the guardians, and the school's staff with a connection (logged).
    #[oai(path = "/timetable/pupils/:id", method = "get")]
    async fn pupil(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        week: Query<Option<NaiveDate>>,
    ) -> Result<WeekResponse, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let permit = policy::authorize(
            &s.db,
            &user,
            PersonAction::ReadTimetable,
            PersonId(id.0),
            s.clock.now(),
        )
        .await?;
        let monday = week.0.unwrap_or_else(|| timetable::this_week(s.today()));
        Ok(WeekResponse::Ok(Json(
            timetable::pupil_week(&s.db, &permit, monday, s.today()).await?,
        )))
    }

    /// A teacher's timetable for the week starting `week`: for the teacher, colleagues at the
    /// school, and the school's pupils and their families.
    #[oai(path = "/timetable/teachers/:id", method = "get")]
    async fn teacher(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        week: Query<Option<NaiveDate>>,
    ) -> Result<WeekResponse, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let permit = policy::authorize(
            &s.db,
            &user,
            PersonAction::ReadTeacherTimetable,
            PersonId(id.0),
            s.clock.now(),
        )
        .await?;
        let monday = week.0.unwrap_or_else(|| timetable::this_week(s.today()));
        Ok(WeekResponse::Ok(Json(
            timetable::teacher_week(&s.db, &permit, monday, s.today()).await?,
        )))
    }

    /// A teacher or mentor of the lesson records how it differs from the plan on `date`
    /// (cancelled, a substitute, a new room or time, a note), replacing what was recorded for
    /// that day. It shows at once on the pupils', guardians' and teachers' timetables.
    #[oai(path = "/timetable/lessons/:id/changes/:date", method = "put")]
    async fn record_change(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        date: Path<NaiveDate>,
        body: LateJson<LessonChangeInput>,
    ) -> Result<Done, ApiError> {
        let s = &self.state;
        let (permit, now) = self
            .lesson_permit(&auth, LessonAction::RecordChange, id.0)
            .await?;
        let input = body.parse()?;
        timetable::record_change(&s.db, &permit, date.0, &input, now).await?;
        Ok(Done::NoContent)
    }

    /// The lesson's roster on `date` for taking attendance: everyone present until marked,
    /// and valid absence where a guardian reported the pupil away during the lesson. On the
    /// lesson's day or after, never ahead.
    #[oai(path = "/timetable/lessons/:id/attendance/:date", method = "get")]
    async fn roster(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        date: Path<NaiveDate>,
    ) -> Result<RosterResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = self
            .lesson_permit(&auth, LessonAction::TakeAttendance, id.0)
            .await?;
        Ok(RosterResponse::Ok(Json(
            attendance::roster(&s.db, &permit, date.0, now).await?,
        )))
    }

    /// Saves the lesson's attendance on `date`: the marks given (late with its minutes, valid or
    /// unexcused absence, or present again); every pupil left out keeps the roster's mark. A
    /// correction is kept with the earlier marks, who set them and when.
    #[oai(path = "/timetable/lessons/:id/attendance/:date", method = "put")]
    async fn save_attendance(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        date: Path<NaiveDate>,
        body: LateJson<AttendanceUpdate>,
    ) -> Result<RosterResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = self
            .lesson_permit(&auth, LessonAction::TakeAttendance, id.0)
            .await?;
        let update = body.parse()?;
        Ok(RosterResponse::Ok(Json(
            attendance::save(
                &s.db,
                &permit,
                date.0,
                &update,
                now,
                chrono::Duration::minutes(s.settings.notices.absence_gather_minutes.max(0)),
                s.settings.ss12000.as_ref(),
            )
            .await?,
        )))
    }

    /// Undoes the change recorded for `date`: the lesson is as planned again.
    #[oai(path = "/timetable/lessons/:id/changes/:date", method = "delete")]
    async fn clear_change(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        date: Path<NaiveDate>,
    ) -> Result<Done, ApiError> {
        let s = &self.state;
        let (permit, _) = self
            .lesson_permit(&auth, LessonAction::RecordChange, id.0)
            .await?;
        timetable::clear_change(&s.db, &permit, date.0, s.today()).await?;
        Ok(Done::NoContent)
    }

    /// The teachers of the lesson's school who can stand in for it.
    #[oai(path = "/timetable/lessons/:id/substitutes", method = "get")]
    async fn substitutes(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<SubstitutesResponse, ApiError> {
        let s = &self.state;
        let (permit, _) = self
            .lesson_permit(&auth, LessonAction::RecordChange, id.0)
            .await?;
        Ok(SubstitutesResponse::Ok(Json(
            timetable::substitutes(&s.db, &permit, s.today()).await?,
        )))
    }

    /// My calendar feeds: of my own timetable and my children's.
    #[oai(path = "/timetable/feeds", method = "get")]
    async fn feeds(&self, auth: SessionCookie) -> Result<FeedsResponse, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let permit = policy::authorize_list(
            &s.db,
            &user,
            PersonAction::SubscribeToTimetable,
            s.clock.now(),
        )
        .await?;
        Ok(FeedsResponse::Ok(Json(feeds::list(&s.db, &permit).await?)))
    }

    /// Makes my calendar feed of a timetable (mine, or my child's), or renews it: the earlier
    /// address stops working. The answer is the only time the address is shown.
    #[oai(path = "/timetable/feeds", method = "post")]
    async fn create_feed(
        &self,
        auth: SessionCookie,
        body: Json<NewCalendarFeed>,
    ) -> Result<FeedCreated, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let now = s.clock.now();
        let permit = policy::authorize(
            &s.db,
            &user,
            PersonAction::SubscribeToTimetable,
            PersonId(body.0.person_id),
            now,
        )
        .await?;
        let feed = feeds::create(&s.db, &permit, &s.settings.server.public_base_url, now).await?;
        Ok(FeedCreated::Created(Json(feed)))
    }

    /// Revokes my calendar feed of this person's timetable: its address stops working at once.
    #[oai(path = "/timetable/feeds/:person_id", method = "delete")]
    async fn revoke_feed(
        &self,
        auth: SessionCookie,
        person_id: Path<Uuid>,
    ) -> Result<Done, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let permit = policy::authorize(
            &s.db,
            &user,
            PersonAction::SubscribeToTimetable,
            PersonId(person_id.0),
            s.clock.now(),
        )
        .await?;
        feeds::revoke(&s.db, &permit).await?;
        Ok(Done::NoContent)
    }

    /// A calendar feed, read by a phone's calendar without a session: the secret address is
    /// the credential. A revoked, renewed or unknown address answers 404.
    #[oai(path = "/calendar/:token", method = "get")]
    async fn calendar(&self, token: Path<String>) -> Result<CalendarResponse, ApiError> {
        let s = &self.state;
        let text = feeds::read(&s.db, &token.0, s.clock.now(), self.assets.as_ref()).await?;
        Ok(CalendarResponse::Ok(
            PlainText(text),
            "private, no-store".to_owned(),
            // The address is a secret: never pass it on in a Referer.
            "no-referrer".to_owned(),
        ))
    }
}
