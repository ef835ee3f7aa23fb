//! The SS 12000 sync: the municipality's school administration system says who and what there
//! is, and the portal follows it without ever being left half-way.
//!
//! One sync, full or incremental, is one call of [`run`] inside the caller's transaction (the
//! job's, so that the sync and its job are done together):
//! 1. read from the source: everything (full), or what changed after the high-water mark and
//!    what was deleted (incremental). Pages are retried by the client; if a list still cannot
//!    be read, the run is recorded as failed and nothing else is written;
//! 2. the source's complete answer: the fetched lists (full), or the stored last answer
//!    (`source_record`) with the changes applied (incremental). A person with a security
//!    marking is kept as their id and marking only;
//! 3. [`mapping::to_snapshot`], then `population::reconcile_in`: the portal becomes what the
//!    answer says, or, if that would end more than the allowed share of a kind of relation,
//!    nothing changes and the run is recorded as refused, waiting for an officer's
//!    confirmation (which allows exactly the share the officer was shown, not more);
//! 4. in the same transaction: a person who arrives marked after entering is forgotten, the
//!    stored answer and the high-water mark move on, and the run is recorded with its counts.
//!
//! So a sync that fails at any point leaves what the last complete one left, and the same
//! answer twice changes nothing. The high-water mark is the largest `meta.modified` seen, on
//! the source's clock; deletions are asked for after the same mark each time until it moves,
//! which repeats nothing (the answer no longer has them).

pub mod mapping;
pub mod officer;
pub mod school_records;

use std::sync::Arc;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use crate::entity::municipality;
use crate::entity::source_record::{self, SourceResource};
use crate::entity::source_sync_run::{self, SyncOutcome, SyncScope, SyncTrigger};
use crate::entity::source_sync_state;
use crate::population::import::{insert_batched, BATCH};
use crate::population::reconcile::{
    lock_municipality, reconcile_in, ReconcileError, ReconcileReport,
};
use crate::settings::{Settings, SourceSettings};
use crate::ss12000::{
    Activity, CalendarEvent, DeletedEntitiesData, Duty, Grade, Group, Listed, Organisation, Person,
    Placement, SecurityMarking, Ss12000Client, Ss12000Error, Syllabus,
};
use mapping::SourceRecords;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Database(#[from] DbErr),
    /// A source record that does not serialise, or a stored one that no longer reads as its
    /// kind (written by another version). Names the kind and the place, never the value.
    #[error("a source record does not read: {0}")]
    Record(String),
    #[error(transparent)]
    Forget(#[from] crate::population::forget::ForgetError),
    /// The municipality's retention periods, which say which grades are still the portal's.
    #[error(transparent)]
    Retention(#[from] crate::retention::RetentionError),
    /// The settings name a municipality the portal does not have.
    #[error("the SS 12000 source's municipality is not in the portal")]
    UnknownMunicipality,
}

/// This instance's source: the client and how the municipality follows it. One per instance,
/// so that the access token is shared by its jobs.
#[derive(Debug)]
pub struct Source {
    pub client: Ss12000Client,
    pub settings: SourceSettings,
}

impl Source {
    /// The configured source, if any; a misconfigured one stops the start.
    pub fn from_settings(settings: &Settings) -> Result<Option<Arc<Self>>, Ss12000Error> {
        settings
            .ss12000
            .as_ref()
            .map(|s| {
                Ok(Arc::new(Self {
                    client: Ss12000Client::new(s.client.clone())?,
                    settings: s.clone(),
                }))
            })
            .transpose()
    }
}

/// Which scheduled sync is due, if any: the rule of when the portal follows its source.
/// - after a refused sync, none: it waits for an officer (whose confirmation is a run of its
///   own);
/// - the full reconciliation once a night, from `full_sync_hour` (Swedish time) on, and before
///   anything else when there never was one;
/// - otherwise an incremental one when the last sync of any kind began `incremental_minutes`
///   ago or more (a failed one too: a source that is down is asked again at that pace, not
///   every minute).
pub fn due(
    latest: Option<&source_sync_run::Model>,
    latest_full: Option<&source_sync_run::Model>,
    settings: &SourceSettings,
    now: DateTime<Utc>,
) -> Option<SyncScope> {
    if latest.is_some_and(|r| r.outcome == SyncOutcome::Refused) {
        return None;
    }
    // The night's hour that passed last; a full sync is due when none began since, so an
    // instance that was down then catches up when it is back.
    let local = crate::clock::local_time_of(now);
    let hour = chrono::NaiveTime::from_hms_opt(settings.full_sync_hour.min(23), 0, 0)
        .unwrap_or(chrono::NaiveTime::MIN);
    let tonight = local.date().and_time(hour);
    let last_night = if tonight > local {
        tonight - chrono::Duration::days(1)
    } else {
        tonight
    };
    let full_since =
        latest_full.is_some_and(|r| crate::clock::local_time_of(r.started_at) >= last_night);
    if !full_since {
        return Some(SyncScope::Full);
    }
    let pace = chrono::Duration::minutes(settings.incremental_minutes.max(1));
    match latest {
        Some(r) if now - r.started_at < pace => None,
        _ => Some(SyncScope::Incremental),
    }
}

/// The scheduled sync of the configured municipality, if one is due ([`due`]).
pub async fn scheduled(
    txn: &DatabaseTransaction,
    source: &Source,
    now: DateTime<Utc>,
) -> Result<Option<source_sync_run::Model>, SyncError> {
    let Some(m) = municipality::Entity::find()
        .filter(municipality::Column::Code.eq(source.settings.municipality_code.as_str()))
        .one(txn)
        .await?
    else {
        return Err(SyncError::UnknownMunicipality);
    };
    let latest = |full: bool| {
        let mut q = source_sync_run::Entity::find()
            .filter(source_sync_run::Column::MunicipalityId.eq(m.id))
            .order_by_desc(source_sync_run::Column::StartedAt);
        if full {
            q = q.filter(source_sync_run::Column::Scope.eq(SyncScope::Full));
        }
        q.one(txn)
    };
    let (latest, latest_full) = (latest(false).await?, latest(true).await?);
    let Some(scope) = due(latest.as_ref(), latest_full.as_ref(), &source.settings, now) else {
        return Ok(None);
    };
    let share = source.settings.max_removed_share;
    let request = SyncRequest::scheduled(scope);
    Ok(Some(
        run(txn, &source.client, m.id, request, share, now).await?,
    ))
}

/// What started a sync, and for a confirmation, which refused run it confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncRequest {
    pub scope: SyncScope,
    pub trigger: SyncTrigger,
    pub requested_by: Option<Uuid>,
    pub confirms: Option<Uuid>,
}

impl SyncRequest {
    pub fn scheduled(scope: SyncScope) -> Self {
        Self {
            scope,
            trigger: SyncTrigger::Schedule,
            requested_by: None,
            confirms: None,
        }
    }
}

/// What a sync changed, as the officer reads it: the reconciliation's counts and the persons
/// removed because they arrived with a security marking.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SyncCounts {
    #[serde(flatten)]
    pub reconciled: ReconcileReport,
    pub forgotten: usize,
    /// Grades and lesson changes (runs recorded before they were read have none).
    #[serde(default)]
    pub school: school_records::SchoolRecordCounts,
}

/// One record as the mirror keeps it.
struct Record {
    resource: SourceResource,
    id: Uuid,
    modified: DateTime<Utc>,
    body: serde_json::Value,
}

trait Mirrored: Listed + Serialize + DeserializeOwned {
    const KIND: SourceResource;
    fn id(&self) -> Uuid;
    fn modified(&self) -> DateTime<Utc>;
    /// What of the record the portal may keep: all of it, but for a marked person.
    fn kept(self) -> Self {
        self
    }
    fn list(records: &mut SourceRecords) -> &mut Vec<Self>;
}

macro_rules! mirrored {
    ($t:ty, $kind:ident, $field:ident) => {
        impl Mirrored for $t {
            const KIND: SourceResource = SourceResource::$kind;
            fn id(&self) -> Uuid {
                self.id
            }
            fn modified(&self) -> DateTime<Utc> {
                self.meta.modified
            }
            fn list(records: &mut SourceRecords) -> &mut Vec<Self> {
                &mut records.$field
            }
        }
    };
}
mirrored!(Organisation, Organisation, organisations);
mirrored!(Placement, Placement, placements);
mirrored!(Duty, Duty, duties);
mirrored!(Group, Group, groups);
mirrored!(Activity, Activity, activities);
mirrored!(Syllabus, Syllabus, syllabuses);
mirrored!(CalendarEvent, CalendarEvent, calendar_events);

impl Mirrored for Grade {
    const KIND: SourceResource = SourceResource::Grade;
    fn id(&self) -> Uuid {
        self.id
    }
    /// A grade without `meta` (the standard allows it) counts as changed when registered.
    fn modified(&self) -> DateTime<Utc> {
        self.meta.as_ref().map_or_else(
            || crate::clock::start_of_day(self.registered_date),
            |m| m.modified,
        )
    }
    fn list(records: &mut SourceRecords) -> &mut Vec<Self> {
        &mut records.grades
    }
}

impl Mirrored for Person {
    const KIND: SourceResource = SourceResource::Person;
    fn id(&self) -> Uuid {
        self.id
    }
    fn modified(&self) -> DateTime<Utc> {
        self.meta.modified
    }
    /// A person with a security marking (or one the portal does not know) is kept as their id
    /// and marking: nothing about them is stored (admission keeps them out anyway).
    fn kept(self) -> Self {
        match self.security_marking {
            None | Some(SecurityMarking::Unmarked) => self,
            Some(_) => Person {
                id: self.id,
                meta: self.meta,
                given_name: String::new(),
                family_name: String::new(),
                civic_no: None,
                birth_date: None,
                security_marking: self.security_marking,
                person_status: self.person_status,
                emails: Vec::new(),
                phone_numbers: Vec::new(),
                addresses: Vec::new(),
                enrolments: Vec::new(),
                responsibles: Vec::new(),
            },
        }
    }
    fn list(records: &mut SourceRecords) -> &mut Vec<Self> {
        &mut records.persons
    }
}

/// Reads one list (all of it, or what changed after `after`) into `records`.
async fn fetch<T: Mirrored>(
    client: &Ss12000Client,
    after: Option<DateTime<Utc>>,
    records: &mut SourceRecords,
) -> Result<(), Ss12000Error> {
    let list = client.all::<T>(after).await?;
    T::list(records).extend(list.into_iter().map(Mirrored::kept));
    Ok(())
}

async fn fetch_all(
    client: &Ss12000Client,
    after: Option<DateTime<Utc>>,
    today: chrono::NaiveDate,
) -> Result<SourceRecords, Ss12000Error> {
    let mut records = SourceRecords::default();
    fetch::<Organisation>(client, after, &mut records).await?;
    fetch::<Person>(client, after, &mut records).await?;
    fetch::<Placement>(client, after, &mut records).await?;
    fetch::<Duty>(client, after, &mut records).await?;
    fetch::<Group>(client, after, &mut records).await?;
    fetch::<Activity>(client, after, &mut records).await?;
    fetch::<Syllabus>(client, after, &mut records).await?;
    fetch::<Grade>(client, after, &mut records).await?;
    // Only the coming days' lessons: the portal shows how a day differs from the weekly plan,
    // and a day that has passed is what attendance recorded.
    let (from, to) = mapping::calendar_window(today);
    let window = [
        ("startTime.onOrAfter", rfc3339_day(from)),
        ("startTime.onOrBefore", rfc3339_day(to)),
    ];
    records
        .calendar_events
        .extend(client.all_filtered::<CalendarEvent>(after, &window).await?);
    Ok(records)
}

/// The start of `day` in Swedish time, as the standard's filters take it.
fn rfc3339_day(day: chrono::NaiveDate) -> String {
    crate::clock::start_of_day(day).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn to_records<T: Mirrored>(list: &[T], out: &mut Vec<Record>) -> Result<(), SyncError> {
    for item in list {
        out.push(Record {
            resource: T::KIND,
            id: item.id(),
            modified: item.modified(),
            body: serde_json::to_value(item).map_err(|e| SyncError::Record(e.to_string()))?,
        });
    }
    Ok(())
}

fn all_records(records: &SourceRecords) -> Result<Vec<Record>, SyncError> {
    let mut out = Vec::new();
    to_records(&records.organisations, &mut out)?;
    to_records(&records.persons, &mut out)?;
    to_records(&records.placements, &mut out)?;
    to_records(&records.duties, &mut out)?;
    to_records(&records.groups, &mut out)?;
    to_records(&records.activities, &mut out)?;
    to_records(&records.syllabuses, &mut out)?;
    to_records(&records.grades, &mut out)?;
    to_records(&records.calendar_events, &mut out)?;
    Ok(out)
}

/// The stored last answer of `municipality_id`.
async fn stored_answer(
    txn: &DatabaseTransaction,
    municipality_id: Uuid,
) -> Result<SourceRecords, SyncError> {
    fn read<T: Mirrored>(body: &str, records: &mut SourceRecords) -> Result<(), SyncError> {
        let item: T = serde_json::from_str(body)
            .map_err(|e| SyncError::Record(format!("{:?}: {}", T::KIND, e.classify_text())))?;
        T::list(records).push(item);
        Ok(())
    }
    let mut records = SourceRecords::default();
    // The bodies as text, read straight into their types: a JSON value in between would cost
    // as much again at the Stockholm scale.
    let rows = source_record::Entity::find()
        .select_only()
        .column(source_record::Column::Resource)
        .column_as(Expr::cust("CAST(body AS TEXT)"), "body")
        .filter(source_record::Column::MunicipalityId.eq(municipality_id))
        .into_tuple::<(SourceResource, String)>()
        .all(txn)
        .await?;
    for (resource, body) in rows {
        match resource {
            SourceResource::Organisation => read::<Organisation>(&body, &mut records)?,
            SourceResource::Person => read::<Person>(&body, &mut records)?,
            SourceResource::Placement => read::<Placement>(&body, &mut records)?,
            SourceResource::Duty => read::<Duty>(&body, &mut records)?,
            SourceResource::Group => read::<Group>(&body, &mut records)?,
            SourceResource::Activity => read::<Activity>(&body, &mut records)?,
            SourceResource::Syllabus => read::<Syllabus>(&body, &mut records)?,
            SourceResource::Grade => read::<Grade>(&body, &mut records)?,
            SourceResource::CalendarEvent => read::<CalendarEvent>(&body, &mut records)?,
        }
    }
    Ok(records)
}

/// A serde error's category only: its message can quote the stored value.
trait ClassifyText {
    fn classify_text(&self) -> String;
}
impl ClassifyText for serde_json::Error {
    fn classify_text(&self) -> String {
        format!(
            "{:?} error at line {} column {}",
            self.classify(),
            self.line(),
            self.column()
        )
    }
}

/// `stored` with `changes` put in (by id) and `deleted` taken out.
fn apply(
    mut stored: SourceRecords,
    changes: SourceRecords,
    deleted: &DeletedEntitiesData,
) -> SourceRecords {
    fn merge<T: Mirrored>(have: &mut Vec<T>, new: Vec<T>, gone: &[Uuid]) {
        let gone: HashSet<Uuid> = gone.iter().copied().collect();
        let mut by_id: HashMap<Uuid, T> = std::mem::take(have)
            .into_iter()
            .map(|t| (t.id(), t))
            .collect();
        for t in new {
            by_id.insert(t.id(), t);
        }
        by_id.retain(|id, _| !gone.contains(id));
        *have = by_id.into_values().collect();
    }
    merge(
        &mut stored.organisations,
        changes.organisations,
        &deleted.organisations,
    );
    merge(&mut stored.persons, changes.persons, &deleted.persons);
    merge(
        &mut stored.placements,
        changes.placements,
        &deleted.placements,
    );
    merge(&mut stored.duties, changes.duties, &deleted.duties);
    merge(&mut stored.groups, changes.groups, &deleted.groups);
    merge(
        &mut stored.activities,
        changes.activities,
        &deleted.activities,
    );
    merge(
        &mut stored.syllabuses,
        changes.syllabuses,
        &deleted.syllabuses,
    );
    merge(&mut stored.grades, changes.grades, &deleted.grades);
    merge(
        &mut stored.calendar_events,
        changes.calendar_events,
        &deleted.calendar_events,
    );
    stored
}

/// Makes the stored answer `answer`: rows whose `modified` moved are written again, rows no
/// longer in it deleted, so a sync that changed little writes little.
async fn store_answer(
    txn: &DatabaseTransaction,
    municipality_id: Uuid,
    answer: Vec<Record>,
) -> Result<(), DbErr> {
    let stored: HashMap<(SourceResource, Uuid), DateTime<Utc>> = source_record::Entity::find()
        .select_only()
        .column(source_record::Column::Resource)
        .column(source_record::Column::SourceId)
        .column(source_record::Column::ModifiedAt)
        .filter(source_record::Column::MunicipalityId.eq(municipality_id))
        .into_tuple::<(SourceResource, Uuid, DateTime<Utc>)>()
        .all(txn)
        .await?
        .into_iter()
        .map(|(r, id, at)| ((r, id), at))
        .collect();
    let listed: HashSet<(SourceResource, Uuid)> =
        answer.iter().map(|r| (r.resource, r.id)).collect();
    let mut stale: Vec<(SourceResource, Uuid)> = stored
        .keys()
        .filter(|k| !listed.contains(k))
        .copied()
        .collect();
    let mut fresh = Vec::new();
    for r in answer {
        match stored.get(&(r.resource, r.id)) {
            Some(at) if *at == r.modified => {}
            Some(_) => {
                stale.push((r.resource, r.id));
                fresh.push(r);
            }
            None => fresh.push(r),
        }
    }
    delete_records(txn, municipality_id, &stale).await?;
    insert_records(txn, municipality_id, fresh).await
}

/// A municipality's state before its first complete sync.
fn first_state(municipality_id: Uuid) -> source_sync_state::Model {
    source_sync_state::Model {
        municipality_id,
        modified_high_water: None,
        last_incremental_at: None,
        last_full_at: None,
    }
}

async fn save_state(
    txn: &impl ConnectionTrait,
    state: source_sync_state::Model,
) -> Result<(), DbErr> {
    source_sync_state::Entity::delete_by_id(state.municipality_id)
        .exec(txn)
        .await?;
    source_sync_state::Entity::insert(source_sync_state::ActiveModel {
        municipality_id: Set(state.municipality_id),
        modified_high_water: Set(state.modified_high_water),
        last_incremental_at: Set(state.last_incremental_at),
        last_full_at: Set(state.last_full_at),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// An incremental sync's part of the stored answer: the changed records written again, the
/// deleted ones removed; the rest is not read back or rewritten.
async fn store_changes(
    txn: &DatabaseTransaction,
    municipality_id: Uuid,
    changed: Vec<Record>,
    deleted: &DeletedEntitiesData,
) -> Result<(), DbErr> {
    let gone = [
        (SourceResource::Organisation, &deleted.organisations),
        (SourceResource::Person, &deleted.persons),
        (SourceResource::Placement, &deleted.placements),
        (SourceResource::Duty, &deleted.duties),
        (SourceResource::Group, &deleted.groups),
        (SourceResource::Activity, &deleted.activities),
        (SourceResource::Syllabus, &deleted.syllabuses),
        (SourceResource::Grade, &deleted.grades),
        (SourceResource::CalendarEvent, &deleted.calendar_events),
    ];
    let mut stale: Vec<(SourceResource, Uuid)> =
        changed.iter().map(|r| (r.resource, r.id)).collect();
    for (resource, ids) in gone {
        stale.extend(ids.iter().map(|id| (resource, *id)));
    }
    delete_records(txn, municipality_id, &stale).await?;
    insert_records(txn, municipality_id, changed).await
}

async fn delete_records(
    txn: &DatabaseTransaction,
    municipality_id: Uuid,
    keys: &[(SourceResource, Uuid)],
) -> Result<(), DbErr> {
    // By kind, `source_id IN (…)`: the primary key's index answers it (an OR of pairs it did
    // not, at the Stockholm scale).
    let mut by_kind: HashMap<SourceResource, Vec<Uuid>> = HashMap::new();
    for (resource, id) in keys {
        by_kind.entry(*resource).or_default().push(*id);
    }
    for (resource, ids) in by_kind {
        for chunk in ids.chunks(BATCH) {
            source_record::Entity::delete_many()
                .filter(source_record::Column::MunicipalityId.eq(municipality_id))
                .filter(source_record::Column::Resource.eq(resource))
                .filter(source_record::Column::SourceId.is_in(chunk.iter().copied()))
                .exec(txn)
                .await?;
        }
    }
    Ok(())
}

async fn insert_records(
    txn: &DatabaseTransaction,
    municipality_id: Uuid,
    records: Vec<Record>,
) -> Result<(), DbErr> {
    insert_batched(
        txn,
        records
            .into_iter()
            .map(|r| source_record::ActiveModel {
                municipality_id: Set(municipality_id),
                resource: Set(r.resource),
                source_id: Set(r.id),
                modified_at: Set(r.modified),
                body: Set(r.body),
            })
            .collect(),
    )
    .await
}

fn latest_modified(records: &SourceRecords) -> Option<DateTime<Utc>> {
    let dates = records
        .organisations
        .iter()
        .map(|r| r.meta.modified)
        .chain(records.persons.iter().map(|r| r.meta.modified))
        .chain(records.placements.iter().map(|r| r.meta.modified))
        .chain(records.duties.iter().map(|r| r.meta.modified))
        .chain(records.groups.iter().map(|r| r.meta.modified))
        .chain(records.activities.iter().map(|r| r.meta.modified))
        .chain(records.syllabuses.iter().map(|r| r.meta.modified))
        .chain(records.grades.iter().map(Mirrored::modified))
        .chain(records.calendar_events.iter().map(|r| r.meta.modified));
    dates.max()
}

/// The share of relations a confirmed sync may end: what the refused run showed the officer.
async fn confirmed_share(
    txn: &DatabaseTransaction,
    municipality_id: Uuid,
    confirms: Uuid,
) -> Result<Option<f64>, DbErr> {
    let run = source_sync_run::Entity::find_by_id(confirms)
        .filter(source_sync_run::Column::MunicipalityId.eq(municipality_id))
        .filter(source_sync_run::Column::Outcome.eq(SyncOutcome::Refused))
        .one(txn)
        .await?;
    Ok(run.and_then(|r| {
        let removed = f64::from(r.refused_removed?);
        let existing = f64::from(r.refused_existing?.max(1));
        // Exactly what was shown; the epsilon keeps `floor` from taking one off.
        Some(removed / existing + 1e-9)
    }))
}

/// Runs one sync of `municipality_id` from `client` inside `txn` and records it (module doc).
/// Returns the recorded run; an error only when the database fails (the caller's job is then
/// retried, and nothing of this attempt is committed).
pub async fn run(
    txn: &DatabaseTransaction,
    client: &Ss12000Client,
    municipality_id: Uuid,
    request: SyncRequest,
    max_removed_share: f64,
    now: DateTime<Utc>,
) -> Result<source_sync_run::Model, SyncError> {
    let started = std::time::Instant::now();
    // First, before any read: one sync per municipality at a time, each from the state the
    // last one left (and on SQLite the write lock before the reads).
    lock_municipality(txn, municipality_id).await?;
    let state = source_sync_state::Entity::find_by_id(municipality_id)
        .one(txn)
        .await?;
    let high_water = state.as_ref().and_then(|s| s.modified_high_water);
    // Without a complete sync to follow from, an incremental one is a full one.
    let scope = match (request.scope, high_water) {
        (SyncScope::Incremental, Some(_)) => SyncScope::Incremental,
        _ => SyncScope::Full,
    };
    let mut run = source_sync_run::Model {
        id: Uuid::new_v4(),
        municipality_id,
        scope,
        trigger: request.trigger,
        outcome: SyncOutcome::Failed,
        started_at: now,
        finished_at: now,
        report: None,
        refused_kind: None,
        refused_removed: None,
        refused_existing: None,
        error: None,
        requested_by: request.requested_by,
        confirms: request.confirms,
    };

    let today = crate::clock::day_of(now);
    let read = match scope {
        SyncScope::Full => fetch_all(client, None, today).await.map(|r| (r, None)),
        SyncScope::Incremental => {
            let after = high_water.unwrap_or(now);
            match fetch_all(client, Some(after), today).await {
                Ok(changes) => client
                    .deleted_since(after)
                    .await
                    .map(|deleted| (changes, Some(deleted))),
                Err(e) => Err(e),
            }
        }
    };
    let (fetched, deleted) = match read {
        Ok(read) => read,
        Err(e) => {
            run.error = Some(e.to_string());
            return record(txn, run, started).await;
        }
    };
    let read_at = started.elapsed();
    let seen = latest_modified(&fetched);
    // An incremental sync stores only what changed; a full one compares the whole answer.
    let (answer, changes) = match deleted {
        None => (fetched, None),
        Some(deleted) => {
            let changed = all_records(&fetched)?;
            // Nothing changed at the source: the portal is what the last answer says (the
            // nightly full sync takes care of what only the date changes).
            if changed.is_empty() && deleted.is_empty() && request.confirms.is_none() {
                let mut state = state.unwrap_or_else(|| first_state(municipality_id));
                state.last_incremental_at = Some(now);
                save_state(txn, state).await?;
                run.outcome = SyncOutcome::Completed;
                run.report = Some(
                    serde_json::to_value(SyncCounts::default())
                        .map_err(|e| SyncError::Record(e.to_string()))?,
                );
                return record(txn, run, started).await;
            }
            let answer = apply(
                stored_answer(txn, municipality_id).await?,
                fetched,
                &deleted,
            );
            (answer, Some((changed, deleted)))
        }
    };

    let share = match request.confirms {
        Some(confirms) => confirmed_share(txn, municipality_id, confirms)
            .await?
            .map_or(max_removed_share, |s| s.max(max_removed_share)),
        None => max_removed_share,
    };
    let answer_at = started.elapsed();
    let snapshot = mapping::to_snapshot(&answer, today);
    // A savepoint: a reconciliation that stops half-way is undone, and its run still recorded.
    let inner = txn.begin().await?;
    let report = match reconcile_in(&inner, municipality_id, snapshot, share, now).await {
        Ok(report) => report,
        Err(ReconcileError::TooManyRemovals {
            kind,
            removed,
            existing,
        }) => {
            run.outcome = SyncOutcome::Refused;
            run.refused_kind = Some(kind);
            run.refused_removed = i32::try_from(removed).ok();
            run.refused_existing = i32::try_from(existing).ok();
            inner.rollback().await?;
            return record(txn, run, started).await;
        }
        Err(e @ ReconcileError::DanglingReference { .. }) => {
            run.error = Some(e.to_string());
            inner.rollback().await?;
            return record(txn, run, started).await;
        }
        Err(ReconcileError::Database(e)) => return Err(e.into()),
    };

    // Grades and the coming days' lessons, once the people and groups they name are there.
    let cutoffs = crate::retention::cutoffs_of(&inner, municipality_id, today).await?;
    let school = school_records::apply(
        &inner,
        municipality_id,
        &mapping::school_records(&answer, today),
        cutoffs.grading,
        now,
    )
    .await?;

    // A person the source now marks is removed with everything that identifies them, in the
    // same transaction: the portal answers for them as for someone it never knew.
    let reconciled_at = started.elapsed();
    let forgotten = report.now_protected.len();
    for person in &report.now_protected {
        crate::population::forget::forget_person(&inner, *person, now).await?;
    }
    match changes {
        None => store_answer(&inner, municipality_id, all_records(&answer)?).await?,
        Some((changed, deleted)) => {
            store_changes(&inner, municipality_id, changed, &deleted).await?
        }
    }
    let high_water = match (high_water, seen) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let mut state = state.unwrap_or_else(|| first_state(municipality_id));
    state.modified_high_water = high_water;
    match scope {
        SyncScope::Full => state.last_full_at = Some(now),
        SyncScope::Incremental => state.last_incremental_at = Some(now),
    }
    save_state(&inner, state).await?;
    inner.commit().await?;
    // Where a sync's time goes, for the operator (no personal data: durations only).
    tracing::info!(
        scope = ?scope,
        read_ms = read_at.as_millis(),
        answer_ms = (answer_at - read_at).as_millis(),
        reconcile_ms = (reconciled_at - answer_at).as_millis(),
        store_ms = (started.elapsed() - reconciled_at).as_millis(),
        "SS 12000 sync completed"
    );

    run.outcome = SyncOutcome::Completed;
    run.report = Some(
        serde_json::to_value(SyncCounts {
            reconciled: report,
            forgotten,
            school,
        })
        .map_err(|e| SyncError::Record(e.to_string()))?,
    );
    record(txn, run, started).await
}

/// Writes the run, finished after the time it took (added to `now`, which the settable clock
/// may have fixed).
async fn record(
    txn: &impl ConnectionTrait,
    mut run: source_sync_run::Model,
    started: std::time::Instant,
) -> Result<source_sync_run::Model, SyncError> {
    run.finished_at = run.started_at
        + chrono::Duration::from_std(started.elapsed()).unwrap_or(chrono::Duration::zero());
    source_sync_run::Entity::insert(source_sync_run::ActiveModel {
        id: Set(run.id),
        municipality_id: Set(run.municipality_id),
        scope: Set(run.scope),
        trigger: Set(run.trigger),
        outcome: Set(run.outcome),
        started_at: Set(run.started_at),
        finished_at: Set(run.finished_at),
        report: Set(run.report.clone()),
        refused_kind: Set(run.refused_kind),
        refused_removed: Set(run.refused_removed),
        refused_existing: Set(run.refused_existing),
        error: Set(run.error.clone()),
        requested_by: Set(run.requested_by),
        confirms: Set(run.confirms),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(run)
}
