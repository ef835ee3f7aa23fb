//! The archive package of what the municipality preserves (bevaras), written as retention
//! removes it. The structure follows the Swedish FGS for packages (Riksarkivet's
//! *FGS Paketstruktur*, CSPackage): a `sip.xml` in METS with the FGS profile, naming the
//! municipality as archivist and listing every content file with its size, creation time and
//! SHA-256, and the content under `content/`: `content/grades/NNNNNN.xml` and
//! `content/talk_material/NNNNNN.xml` (and `content/childcare_documents/`, written by
//! [`super::documents`]), one file per batch. `docs/archive-package.md` gives the
//! content schema.
//!
//! Files are rows (`archive_file`) written in the transaction that deletes what they hold, so a
//! record is in the package exactly when it is gone from the portal; the package is downloaded as
//! a tar from the administrator's page once sealed, and its files leave the portal when she
//! confirms the city archive's receipt ([`confirm_delivery`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Statement,
    TransactionTrait,
};
use sha2::{Digest, Sha256};
use skolportal_shared::api::RetentionKind;
use uuid::Uuid;

use super::run::{delete_ids, due_ids};
use super::{due, RetentionError};
use crate::entity::{
    archive_file, archive_package, grade, iup_assessment, iup_goal, municipality, person,
    retention_run, school_term, talk_part, unit,
};
use crate::policy::{GlobalAction, Permit};

/// The FGS profile `sip.xml` declares.
const FGS_PROFILE: &str =
    "http://xml.ra.se/e-arkiv/METS/CommonSpecificationSwedenPackageProfile.xml";
/// The namespace of the content files (`docs/archive-package.md`).
const CONTENT_NS: &str = "urn:skolportal:archive:1";

/// Text for an XML attribute or element.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry other control characters; free text never needs them.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

pub(super) fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The run's package, made on its first file.
async fn package_of(
    txn: &DatabaseTransaction,
    run: &retention_run::Model,
    now: DateTime<Utc>,
) -> Result<archive_package::Model, DbErr> {
    let existing = archive_package::Entity::find()
        .filter(archive_package::Column::RunId.eq(run.id))
        .one(txn)
        .await?;
    if let Some(package) = existing {
        return Ok(package);
    }
    archive_package::ActiveModel {
        id: Set(Uuid::new_v4()),
        municipality_id: Set(run.municipality_id),
        run_id: Set(run.id),
        created_at: Set(now),
        sealed_at: Set(None),
        sip_sha256: Set(None),
        delivered_at: Set(None),
        delivered_by_person_id: Set(None),
        delivered_files: Set(None),
    }
    .insert(txn)
    .await
}

/// Adds the next content file of `kind` to the run's package.
pub(super) async fn add_file(
    txn: &DatabaseTransaction,
    run: &retention_run::Model,
    kind: RetentionKind,
    body: String,
    records: usize,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let package = package_of(txn, run, now).await?;
    let folder = format!("content/{}/", kind.code());
    let earlier = archive_file::Entity::find()
        .filter(archive_file::Column::PackageId.eq(package.id))
        .filter(archive_file::Column::Path.starts_with(&folder))
        .count(txn)
        .await?;
    let path = format!("{folder}{:06}.xml", earlier + 1);
    insert_file(txn, package.id, path, body.into_bytes(), records, now)
        .await
        .map(|_| ())
}

async fn insert_file(
    txn: &DatabaseTransaction,
    package_id: Uuid,
    path: String,
    content: Vec<u8>,
    records: usize,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let sha256 = format!("{:x}", Sha256::digest(&content));
    archive_file::ActiveModel {
        id: Set(Uuid::new_v4()),
        package_id: Set(package_id),
        path: Set(path),
        size: Set(i64::try_from(content.len()).unwrap_or(i64::MAX)),
        content: Set(content),
        sha256: Set(sha256.clone()),
        records: Set(i32::try_from(records).unwrap_or(i32::MAX)),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(sha256)
}

/// The opening of a content file.
pub(super) fn content_head(
    root: &str,
    municipality: &municipality::Model,
    run: &retention_run::Model,
) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"{CONTENT_NS}\" \
         municipality=\"{}\" municipality_name=\"{}\" run=\"{}\" run_on=\"{}\">\n",
        escape(&municipality.code),
        escape(&municipality.name),
        run.id,
        run.run_on
    )
}

/// The people a batch names, by id.
pub(super) async fn people(
    txn: &DatabaseTransaction,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<BTreeMap<Uuid, person::Model>, DbErr> {
    let ids: BTreeSet<Uuid> = ids.into_iter().collect();
    let backend = txn.get_database_backend();
    Ok(person::Entity::find()
        .filter(crate::db::is_in(backend, person::Column::Id, ids))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}

/// A person a record names (the pupil, a document's owner or child), as the archive names
/// them. One forgotten since (protected identity) is not named in the archive either.
pub(super) fn person_element(out: &mut String, element: &str, who: Option<&person::Model>) {
    match who {
        Some(p) => {
            let _ = writeln!(
                out,
                "    <{element} personnummer=\"{}\" given_name=\"{}\" family_name=\"{}\"/>",
                escape(&p.personnummer),
                escape(&p.given_name),
                escape(&p.family_name)
            );
        }
        None => {
            let _ = writeln!(out, "    <{element}/>");
        }
    }
}

fn name_of(people: &BTreeMap<Uuid, person::Model>, id: Option<Uuid>) -> String {
    id.and_then(|id| people.get(&id))
        .map(|p| format!("{} {}", p.given_name, p.family_name))
        .unwrap_or_default()
}

fn term_attrs(terms: &BTreeMap<Uuid, school_term::Model>, id: Uuid) -> String {
    match terms.get(&id) {
        Some(t) => format!(
            " term=\"{}\" term_starts=\"{}\" term_ends=\"{}\"",
            t.kind.code(),
            t.starts_on,
            t.ends_on
        ),
        None => String::new(),
    }
}

async fn terms(
    txn: &DatabaseTransaction,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<BTreeMap<Uuid, school_term::Model>, DbErr> {
    let ids: BTreeSet<Uuid> = ids.into_iter().collect();
    let backend = txn.get_database_backend();
    Ok(school_term::Entity::find()
        .filter(crate::db::is_in(backend, school_term::Column::Id, ids))
        .all(txn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect())
}

pub(super) async fn municipality_of(
    txn: &DatabaseTransaction,
    run: &retention_run::Model,
) -> Result<municipality::Model, DbErr> {
    municipality::Entity::find_by_id(run.municipality_id)
        .one(txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the run's municipality".to_owned()))
}

/// A batch of due grades: exported, then removed. Returns (removed, exported).
pub(super) async fn grades(
    txn: &DatabaseTransaction,
    run: &retention_run::Model,
    cutoff: NaiveDate,
    batch: u64,
    now: DateTime<Utc>,
) -> Result<(u64, u64), DbErr> {
    let kind = RetentionKind::Grades;
    let ids = due_ids(txn, kind, "grade", run.municipality_id, cutoff, batch).await?;
    if ids.is_empty() {
        return Ok((0, 0));
    }
    let backend = txn.get_database_backend();
    let rows = grade::Entity::find()
        .filter(crate::db::is_in(backend, grade::Column::Id, ids.clone()))
        .order_by_asc(grade::Column::Id)
        .all(txn)
        .await?;
    let named_ids: Vec<Uuid> = rows
        .iter()
        .flat_map(|g| [Some(g.pupil_id), g.set_by_person_id])
        .flatten()
        .collect();
    let named = people(txn, named_ids).await?;
    let term_ids: Vec<Uuid> = rows.iter().map(|g| g.term_id).collect();
    let terms = terms(txn, term_ids).await?;
    let municipality = municipality_of(txn, run).await?;
    let mut out = content_head("grades", &municipality, run);
    for g in &rows {
        let _ = writeln!(
            out,
            "  <grade id=\"{}\" subject=\"{}\" skolverket_code=\"{}\" value=\"{}\" \
             school_year=\"{}\"{} set_at=\"{}\" set_by=\"{}\">",
            g.id,
            g.activity.code(),
            g.activity.skolverket_code().unwrap_or(""),
            g.value.code(),
            g.school_year,
            term_attrs(&terms, g.term_id),
            time(g.set_at),
            escape(&name_of(&named, g.set_by_person_id)),
        );
        person_element(&mut out, "pupil", named.get(&g.pupil_id));
        out.push_str("  </grade>\n");
    }
    out.push_str("</grades>\n");
    add_file(txn, run, kind, out, rows.len(), now).await?;
    let removed = delete_ids(txn, "grade", &ids).await?;
    Ok((removed, removed))
}

/// The pupils with due talk material, IUP goals or omdömen: the first `batch` by id.
async fn pupils_with_due_talk_material(
    txn: &DatabaseTransaction,
    run: &retention_run::Model,
    cutoff: NaiveDate,
    batch: u64,
) -> Result<Vec<Uuid>, DbErr> {
    let due = due(RetentionKind::TalkMaterial);
    let backend = txn.get_database_backend();
    let union = due
        .tables
        .iter()
        .map(|t| format!("SELECT pupil_id FROM {t} WHERE {}", due.condition))
        .collect::<Vec<_>>()
        .join(" UNION ");
    let sql = format!("SELECT pupil_id FROM ({union}) AS due ORDER BY pupil_id LIMIT {batch}");
    let rows = txn
        .query_all(Statement::from_sql_and_values(
            backend,
            crate::db::numbered_params(backend, &sql),
            [run.municipality_id.into(), due.cutoff(cutoff)],
        ))
        .await?;
    rows.iter().map(|r| r.try_get_by_index::<Uuid>(0)).collect()
}

/// A batch of pupils' talk material, IUP goals and omdömen: exported, then removed. Returns
/// (removed, exported).
pub(super) async fn talk_material(
    txn: &DatabaseTransaction,
    run: &retention_run::Model,
    cutoff: NaiveDate,
    batch: u64,
    now: DateTime<Utc>,
) -> Result<(u64, u64), DbErr> {
    let pupils = pupils_with_due_talk_material(txn, run, cutoff, batch).await?;
    if pupils.is_empty() {
        return Ok((0, 0));
    }
    let backend = txn.get_database_backend();
    let in_municipality = |c| crate::db::is_in(backend, c, pupils.clone());
    let parts = talk_part::Entity::find()
        .filter(talk_part::Column::MunicipalityId.eq(run.municipality_id))
        .filter(in_municipality(talk_part::Column::PupilId))
        .order_by_asc(talk_part::Column::Id)
        .all(txn)
        .await?;
    let goals = iup_goal::Entity::find()
        .filter(iup_goal::Column::MunicipalityId.eq(run.municipality_id))
        .filter(crate::db::is_in(
            backend,
            iup_goal::Column::PupilId,
            pupils.clone(),
        ))
        .order_by_asc(iup_goal::Column::Id)
        .all(txn)
        .await?;
    let assessments = iup_assessment::Entity::find()
        .filter(iup_assessment::Column::MunicipalityId.eq(run.municipality_id))
        .filter(crate::db::is_in(
            backend,
            iup_assessment::Column::PupilId,
            pupils.clone(),
        ))
        .order_by_asc(iup_assessment::Column::Id)
        .all(txn)
        .await?;
    let named_ids: Vec<Uuid> = pupils
        .iter()
        .copied()
        .chain(parts.iter().map(|p| p.author_id))
        .chain(goals.iter().filter_map(|g| g.author_id))
        .chain(goals.iter().filter_map(|g| g.followed_up_by_id))
        .chain(assessments.iter().filter_map(|a| a.teacher_id))
        .collect();
    let named = people(txn, named_ids).await?;
    let term_ids: Vec<Uuid> = parts
        .iter()
        .map(|p| p.term_id)
        .chain(goals.iter().map(|g| g.term_id))
        .collect();
    let terms = terms(txn, term_ids).await?;
    let units: BTreeMap<Uuid, String> = unit::Entity::find()
        .filter(unit::Column::MunicipalityId.eq(run.municipality_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let unit_name = |id: &Uuid| escape(units.get(id).map(String::as_str).unwrap_or(""));
    let municipality = municipality_of(txn, run).await?;
    let mut out = content_head("talk_material", &municipality, run);
    for pupil in &pupils {
        out.push_str("  <pupil_record>\n");
        person_element(&mut out, "pupil", named.get(pupil));
        for p in parts.iter().filter(|p| p.pupil_id == *pupil) {
            let _ = writeln!(
                out,
                "    <talk_part id=\"{}\" role=\"{}\" status=\"{}\"{} author=\"{}\" \
                 written_at=\"{}\">",
                p.id,
                p.role.code(),
                p.status.code(),
                term_attrs(&terms, p.term_id),
                escape(&name_of(&named, Some(p.author_id))),
                time(p.updated_at),
            );
            for (element, text) in [
                ("going_well", &p.going_well),
                ("to_develop", &p.to_develop),
                ("support", &p.support),
                ("questions", &p.questions),
            ] {
                let _ = writeln!(out, "      <{element}>{}</{element}>", escape(text));
            }
            out.push_str("    </talk_part>\n");
        }
        for g in goals.iter().filter(|g| g.pupil_id == *pupil) {
            let _ = writeln!(
                out,
                "    <iup_goal id=\"{}\" subject=\"{}\"{} unit=\"{}\" author=\"{}\" \
                 written_at=\"{}\" outcome=\"{}\">",
                g.id,
                g.activity.map(|a| a.code()).unwrap_or(""),
                term_attrs(&terms, g.term_id),
                unit_name(&g.unit_id),
                escape(&name_of(&named, g.author_id)),
                time(g.created_at),
                g.outcome.map(|o| o.code()).unwrap_or(""),
            );
            for (element, text) in [
                ("goal", g.goal.as_str()),
                ("measures", g.measures.as_str()),
                ("agreements", g.agreements.as_str()),
                ("follow_up", g.follow_up.as_deref().unwrap_or("")),
            ] {
                let _ = writeln!(out, "      <{element}>{}</{element}>", escape(text));
            }
            out.push_str("    </iup_goal>\n");
        }
        for a in assessments.iter().filter(|a| a.pupil_id == *pupil) {
            let _ = writeln!(
                out,
                "    <assessment id=\"{}\" subject=\"{}\" level=\"{}\" school_year=\"{}\" \
                 school_year_start=\"{}\" unit=\"{}\" teacher=\"{}\" written_at=\"{}\">{}</assessment>",
                a.id,
                a.activity.code(),
                a.level.code(),
                a.school_year,
                a.school_year_start,
                unit_name(&a.unit_id),
                escape(&name_of(&named, a.teacher_id)),
                time(a.written_at),
                escape(&a.comment),
            );
        }
        out.push_str("  </pupil_record>\n");
    }
    out.push_str("</talk_material>\n");
    let records = parts.len() + goals.len() + assessments.len();
    add_file(txn, run, RetentionKind::TalkMaterial, out, records, now).await?;
    let mut removed = 0;
    removed += delete_ids(txn, "talk_part", &ids_of(&parts, |p| p.id)).await?;
    removed += delete_ids(txn, "iup_goal", &ids_of(&goals, |g| g.id)).await?;
    removed += delete_ids(txn, "iup_assessment", &ids_of(&assessments, |a| a.id)).await?;
    Ok((removed, removed))
}

fn ids_of<T>(rows: &[T], id: impl Fn(&T) -> Uuid) -> Vec<Uuid> {
    rows.iter().map(id).collect()
}

/// Writes the package's `sip.xml`, listing every file, once the run has nothing left to export.
pub(super) async fn seal(
    txn: &DatabaseTransaction,
    run: &retention_run::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(package) = archive_package::Entity::find()
        .filter(archive_package::Column::RunId.eq(run.id))
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    if package.sealed_at.is_some() {
        return Ok(());
    }
    let files = archive_file::Entity::find()
        .filter(archive_file::Column::PackageId.eq(package.id))
        .order_by_asc(archive_file::Column::Path)
        .all(txn)
        .await?;
    let municipality = municipality_of(txn, run).await?;
    let sip = sip_xml(&package, &municipality, run, &files, now);
    let sip_sha256 = insert_file(
        txn,
        package.id,
        "sip.xml".to_owned(),
        sip.into_bytes(),
        0,
        now,
    )
    .await?;
    let mut sealed: archive_package::ActiveModel = package.into();
    sealed.sealed_at = Set(Some(now));
    sealed.sip_sha256 = Set(Some(sip_sha256));
    sealed.update(txn).await?;
    Ok(())
}

/// The package's METS document (FGS CSPackage profile).
fn sip_xml(
    package: &archive_package::Model,
    municipality: &municipality::Model,
    run: &retention_run::Model,
    files: &[archive_file::Model],
    now: DateTime<Utc>,
) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <mets:mets xmlns:mets=\"http://www.loc.gov/METS/\" \
         xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
         xmlns:ext=\"ExtensionMETS\" OBJID=\"UUID:{id}\" TYPE=\"Personal Information\" \
         LABEL=\"{label}\" PROFILE=\"{FGS_PROFILE}\">\n\
         \x20 <mets:metsHdr CREATEDATE=\"{created}\" RECORDSTATUS=\"NEW\" ext:OAISTYPE=\"SIP\">\n\
         \x20   <mets:agent ROLE=\"ARCHIVIST\" TYPE=\"ORGANIZATION\">\
         <mets:name>{name}</mets:name><mets:note>ORG:{code}</mets:note></mets:agent>\n\
         \x20   <mets:agent ROLE=\"CREATOR\" TYPE=\"OTHER\" OTHERTYPE=\"SOFTWARE\">\
         <mets:name>Skolportal</mets:name><mets:note>{version}</mets:note></mets:agent>\n\
         \x20   <mets:altRecordID TYPE=\"SUBMISSIONAGREEMENT\">retention-run:{run}</mets:altRecordID>\n\
         \x20 </mets:metsHdr>\n\
         \x20 <mets:fileSec>\n    <mets:fileGrp ID=\"fgrp001\" USE=\"FILES\">\n",
        id = package.id,
        label = escape(&format!(
            "{}: gallring {}",
            municipality.name, run.run_on
        )),
        created = time(now),
        name = escape(&municipality.name),
        code = escape(&municipality.code),
        version = env!("CARGO_PKG_VERSION"),
        run = run.id,
    );
    for (n, f) in files.iter().enumerate() {
        let _ = writeln!(
            out,
            "      <mets:file ID=\"ID{}\" MIMETYPE=\"text/xml\" SIZE=\"{}\" CREATED=\"{}\" \
             CHECKSUM=\"{}\" CHECKSUMTYPE=\"SHA-256\" ext:RECORDS=\"{}\">\
             <mets:FLocat LOCTYPE=\"URL\" xlink:type=\"simple\" xlink:href=\"file:///{}\"/>\
             </mets:file>",
            n + 1,
            f.size,
            time(f.created_at),
            f.sha256,
            f.records,
            escape(&f.path),
        );
    }
    out.push_str(
        "    </mets:fileGrp>\n  </mets:fileSec>\n  <mets:structMap>\n    \
         <mets:div LABEL=\"Package\">\n      <mets:div LABEL=\"Content\">\n",
    );
    for n in 1..=files.len() {
        let _ = writeln!(out, "        <mets:fptr FILEID=\"ID{n}\"/>");
    }
    out.push_str("      </mets:div>\n    </mets:div>\n  </mets:structMap>\n</mets:mets>\n");
    out
}

/// A sealed package as a tar: `<package id>/sip.xml` and `<package id>/content/…`.
pub async fn package_tar(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    run_id: Uuid,
) -> Result<(Uuid, Vec<u8>), RetentionError> {
    let package = archive_package::Entity::find()
        .filter(archive_package::Column::RunId.eq(run_id))
        .filter(archive_package::Column::MunicipalityId.eq(permit.actor().municipality_id))
        .one(db)
        .await?
        .filter(|p| p.sealed_at.is_some())
        .ok_or(RetentionError::NotFound)?;
    if package.delivered_at.is_some() {
        return Err(RetentionError::Delivered);
    }
    let files = archive_file::Entity::find()
        .filter(archive_file::Column::PackageId.eq(package.id))
        .order_by_asc(archive_file::Column::Path)
        .all(db)
        .await?;
    let mut tar = tar::Builder::new(Vec::new());
    for f in files {
        let mut header = tar::Header::new_ustar();
        header.set_size(f.content.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(u64::try_from(f.created_at.timestamp()).unwrap_or(0));
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(
            &mut header,
            format!("{}/{}", package.id, f.path),
            f.content.as_slice(),
        )?;
    }
    let bytes = tar.into_inner()?;
    Ok((package.id, bytes))
}

/// Why a delivery is not confirmed.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("the checksum is not 64 hexadecimal digits")]
    Malformed,
    #[error("the package is not complete yet")]
    NotSealed,
    #[error("the package is already delivered")]
    AlreadyDelivered,
    #[error("the checksum is not the package's")]
    Mismatch,
}

/// The administrator confirms that the city archive received the run's package: the receipt
/// quotes the SHA-256 of its `sip.xml`, which lists every content file's own checksum, so one
/// equal checksum vouches for the whole package. The files are deleted then (the portal keeps
/// no personal data it no longer needs), and the package row keeps the delivery.
pub async fn confirm_delivery(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    run_id: Uuid,
    receipt_sha256: &str,
    now: DateTime<Utc>,
) -> Result<(), RetentionError> {
    let quoted = skolportal_shared::retention::receipt_checksum(receipt_sha256)
        .ok_or(DeliveryError::Malformed)?;
    let actor = permit.actor();
    let txn = db.begin().await?;
    // The delivery is written first and only where everything holds, so that of two
    // confirmations at once one delivers (and SQLite's transaction takes its lock before it
    // reads); the package read after it gives the files to delete, or why nothing was written.
    let delivered = archive_package::Entity::update_many()
        .col_expr(archive_package::Column::DeliveredAt, Expr::value(now))
        .col_expr(
            archive_package::Column::DeliveredByPersonId,
            Expr::value(actor.person_id),
        )
        .col_expr(
            archive_package::Column::DeliveredFiles,
            Expr::cust(
                "(SELECT COUNT(*) FROM archive_file f WHERE f.package_id = archive_package.id)",
            ),
        )
        .filter(archive_package::Column::RunId.eq(run_id))
        .filter(archive_package::Column::MunicipalityId.eq(actor.municipality_id))
        .filter(archive_package::Column::SealedAt.is_not_null())
        .filter(archive_package::Column::DeliveredAt.is_null())
        .filter(archive_package::Column::SipSha256.eq(quoted))
        .exec(&txn)
        .await?;
    let package = archive_package::Entity::find()
        .filter(archive_package::Column::RunId.eq(run_id))
        .filter(archive_package::Column::MunicipalityId.eq(actor.municipality_id))
        .one(&txn)
        .await?
        .ok_or(RetentionError::NotFound)?;
    if delivered.rows_affected == 0 {
        return Err(if package.sealed_at.is_none() {
            DeliveryError::NotSealed
        } else if package.delivered_at.is_some() {
            DeliveryError::AlreadyDelivered
        } else {
            DeliveryError::Mismatch
        }
        .into());
    }
    archive_file::Entity::delete_many()
        .filter(archive_file::Column::PackageId.eq(package.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
    }
}
