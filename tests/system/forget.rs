//! Protected identity, also later (issue 18, point 2): a person who gets a security marking
//! after entering is forgotten (`population::forget::forget_person`, which the sync calls in
//! its transaction). Afterwards their sessions are gone, the API answers for them as for an id
//! it never knew, and no column of any table holds their personnummer, names or id in a form
//! that can be read: the append-only access log and signature evidence keep their rows, whose
//! pseudonyms and sealed fields no longer resolve or open once the person's key is destroyed.

use base64::Engine;
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use skolportal_backend::population::forget::{forget_person, ForgetReport};
use skolportal_backend::population::keys;
use skolportal_tests::app::{uuid_of, TestOptions};
use skolportal_tests::{TestApp, UserClient};
use uuid::Uuid;

async fn app() -> TestApp {
    TestApp::spawn_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await
}

/// Someone to forget: their id, personnummer and names, renamed first to names no one else in
/// the demo municipality has, so that finding a name in the scan means finding *them*.
struct Marked {
    id: Uuid,
    personnummer: String,
    given: &'static str,
    family: &'static str,
}

async fn rename(
    app: &TestApp,
    given: &str,
    family: &str,
    to: (&'static str, &'static str),
) -> Marked {
    let id = Uuid::parse_str(
        &uuid_of(
            app,
            &format!(
                "SELECT id FROM person WHERE given_name = '{given}' AND family_name = '{family}'"
            ),
        )
        .await,
    )
    .unwrap();
    app.execute(
        "UPDATE person SET given_name = $2, family_name = $3 WHERE id = $1",
        [id.into(), to.0.into(), to.1.into()],
    )
    .await;
    Marked {
        id,
        personnummer: app.personnummer_of(to.0, to.1).await,
        given: to.0,
        family: to.1,
    }
}

async fn bankid_client(app: &TestApp, personnummer: &str) -> UserClient {
    let client = app.anonymous();
    assert_eq!(
        client.bankid_login(personnummer, "loa3").await.status(),
        302
    );
    client
}

/// Files and signs (BankID) an income statement; returns the document's id.
async fn signed_income_statement(client: &UserClient, personnummer: &str) -> String {
    let body = json!({"valid_from": "2026-12-01", "max_fee_accepted": false, "gross_monthly_income": 41_000});
    let r = client.post("/api/childcare/income-statements", &body).await;
    assert_eq!(r.status(), 201);
    let draft: Value = r.json().await.unwrap();
    let id = draft["id"].as_str().unwrap().to_owned();
    client.sign_document(&id, personnummer).await;
    let (_, signed) = client
        .get_json(&format!("/api/childcare/documents/{id}"))
        .await;
    assert_eq!(signed["status"], "signed", "{signed}");
    id
}

/// Status and body of a GET, to compare two answers whole.
async fn answer(client: &UserClient, path: &str) -> (u16, String) {
    let r = client.get(path).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn forget(app: &TestApp, people: &[Uuid]) -> Vec<ForgetReport> {
    let txn = app.db.begin().await.unwrap();
    let mut reports = Vec::new();
    for p in people {
        reports.push(forget_person(&txn, *p, app.clock.now()).await.unwrap());
    }
    txn.commit().await.unwrap();
    reports
}

/// The textual (and raw) forms a value could be stored in, as bytes.
fn needles(marked: &Marked) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let id = marked.id;
    let pnr = &marked.personnummer;
    let texts = [
        ("uuid", id.hyphenated().to_string()),
        ("uuid upper", id.hyphenated().to_string().to_uppercase()),
        ("uuid simple", id.simple().to_string()),
        ("uuid simple upper", id.simple().to_string().to_uppercase()),
        (
            "uuid base64",
            base64::engine::general_purpose::STANDARD.encode(id.as_bytes()),
        ),
        (
            "uuid base64url",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id.as_bytes()),
        ),
        ("personnummer", pnr.clone()),
        ("personnummer 10", pnr[2..].to_owned()),
        ("personnummer -", format!("{}-{}", &pnr[..8], &pnr[8..])),
        ("personnummer 10 -", format!("{}-{}", &pnr[2..8], &pnr[8..])),
        ("given name", marked.given.to_owned()),
        ("given name lower", marked.given.to_lowercase()),
        ("family name", marked.family.to_owned()),
        ("family name lower", marked.family.to_lowercase()),
    ];
    for (label, text) in texts {
        out.push((label.to_owned(), text.into_bytes()));
    }
    out.push(("uuid bytes".to_owned(), id.as_bytes().to_vec()));
    out
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Every (table, column, needle) of the database under test holding one of the needles, read
/// from the catalogue: SQLite's `sqlite_master` and PostgreSQL's `information_schema.columns`.
async fn scan(app: &TestApp, needles: &[(String, Vec<u8>)]) -> Vec<String> {
    scan_db(&app.db, needles).await
}

async fn scan_db(db: &sea_orm::DatabaseConnection, needles: &[(String, Vec<u8>)]) -> Vec<String> {
    let backend = db.get_database_backend();
    let columns = db
        .query_all(Statement::from_string(
            backend,
            match backend {
                DbBackend::Postgres => {
                    "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
                     WHERE table_schema = current_schema() ORDER BY 1, 2"
                }
                _ => {
                    "SELECT m.name AS t, p.name AS c FROM sqlite_master m \
                     JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
                     AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2"
                }
            }
            .to_owned(),
        ))
        .await
        .unwrap();
    assert!(columns.len() > 100, "the catalogue was read");
    let mut found = Vec::new();
    for row in columns {
        let table: String = row.try_get("", "t").unwrap();
        let column: String = row.try_get("", "c").unwrap();
        for (label, needle) in needles {
            // Every column as text (PostgreSQL) or as the hex of its stored bytes (SQLite, where
            // a uuid may be a blob): whatever the type, the value's bytes are searched.
            let sql = match backend {
                DbBackend::Postgres => {
                    // A bytea's text is `\x` and its hex, which the hex needle finds.
                    let as_text = String::from_utf8(needle.clone())
                        .unwrap_or_else(|_| needle.iter().map(|b| format!("{b:02x}")).collect());
                    format!(
                        "SELECT COUNT(*) FROM \"{table}\" \
                         WHERE position(lower('{}') in lower(\"{column}\"::text)) > 0",
                        as_text.replace('\'', "''"),
                    )
                }
                _ => format!(
                    "SELECT COUNT(*) FROM \"{table}\" WHERE instr(hex(\"{column}\"), '{}') > 0",
                    hex_upper(needle)
                ),
            };
            let n = skolportal_tests::app::count(db, &sql).await;
            if n > 0 {
                found.push(format!("{table}.{column}: {label} ({n} rows)"));
            }
        }
    }
    found
}

#[tokio::test]
async fn a_child_and_guardian_marked_after_entering_are_forgotten_and_nothing_readable_remains() {
    let app = app().await;
    let ella = rename(&app, "Ella", "Lindqvist", ("Ysolde", "Quillfeather")).await;
    let anna = rename(&app, "Anna", "Lindqvist", ("Zenobia", "Quillfeather")).await;

    // Arrange: Anna signs an income statement with BankID (it names Ella among the household's
    // children), an officer reads Ella's card (access log), and Anna is logged in twice.
    let anna_bankid = bankid_client(&app, &anna.personnummer).await;
    let statement = signed_income_statement(&anna_bankid, &anna.personnummer).await;
    let officer = app.login("handlaggare").await;
    assert_eq!(
        officer
            .get(&format!("/api/pupils/{}", ella.id))
            .await
            .status(),
        200
    );
    let anna_password = app.login("anna").await;
    assert_eq!(anna_password.get("/api/me").await.status(), 200);
    // Records of Ella's, and one of her sister's that Anna made (it stays Saga's, without Anna).
    let saga = skolportal_tests::app::child(&app, "Saga").await;
    let tomorrow = (skolportal_tests::app::demo_today() + chrono::Duration::days(1)).to_string();
    let reported = anna_password
        .post(
            "/api/absence-reports",
            &json!({
                "submission_id": Uuid::new_v4(),
                "child_ids": [ella.id, saga],
                "absence": {"first_day": tomorrow, "last_day": tomorrow, "reason": "sick"},
            }),
        )
        .await;
    assert_eq!(reported.status(), 201);
    let pickup = anna_password
        .post(
            &format!("/api/childcare/children/{}/pickup-persons", ella.id),
            &json!({"name": "Birgit Quillfeather", "phone": "070-123 45 67"}),
        )
        .await;
    assert_eq!(pickup.status(), 201);
    let evidence_rows = app.count("SELECT COUNT(*) FROM signature_evidence").await;
    let log_rows = app.count("SELECT COUNT(*) FROM access_log").await;
    assert!(evidence_rows >= 1 && log_rows >= 1);
    let statement_id = Uuid::parse_str(&statement).unwrap();
    assert_eq!(
        keys::evidence_of(&app.db, &[statement_id])
            .await
            .unwrap()
            .len(),
        1,
        "the signature opens while the keys live"
    );
    // The unknown id's answers, to compare with the forgotten ones'.
    let unknown = Uuid::new_v4();
    let unknown_card = answer(&officer, &format!("/api/pupils/{unknown}")).await;
    assert_eq!(unknown_card.0, 404);

    // The scan finds them while they are known (so that finding nothing later means something).
    let known = scan(&app, &needles(&ella)).await;
    for expected in [
        "person.id: uuid",
        "person.given_name: given name",
        "person.personnummer: personnummer",
        "guardianship.child_id: uuid",
    ] {
        assert!(
            known.iter().any(|f| f.starts_with(expected)),
            "{expected} in {known:#?}"
        );
    }

    // Act: the sync forgets the child and the guardian, in its transaction.
    let reports = forget(&app, &[ella.id, anna.id]).await;
    for r in &reports {
        assert!(r.person_removed && r.key_destroyed, "{r:?}");
    }
    assert!(reports[0].deleted["guardianship"] >= 2, "{:?}", reports[0]);
    assert!(reports[1].deleted["session"] >= 2, "{:?}", reports[1]);
    assert_eq!(reports[1].deleted["user_account"], 1);
    assert_eq!(reports[0].deleted["absence_report"], 1);
    assert_eq!(reports[0].deleted["pickup_person"], 1);
    assert_eq!(
        reports[1].detached["absence_report.reported_by_person_id"], 1,
        "Saga's report stays hers"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM absence_report WHERE reported_by_person_id IS NULL")
            .await,
        1
    );
    // A second time is no error and finds nothing.
    let again = forget(&app, &[ella.id]).await;
    assert!(!again[0].person_removed && again[0].deleted.values().all(|n| *n == 0));

    // Assert: Anna's sessions answer 401.
    for client in [&anna_bankid, &anna_password] {
        assert_eq!(client.get("/api/me").await.status(), 401);
        assert_eq!(client.get("/api/children").await.status(), 401);
    }
    // The API answers for Ella's and Anna's ids as for an id it never knew.
    for id in [ella.id, anna.id] {
        assert_eq!(
            answer(&officer, &format!("/api/pupils/{id}")).await,
            answer(&officer, &format!("/api/pupils/{unknown}")).await,
        );
    }
    // Anna's password no longer logs in, as for a username never known.
    let refused = app.anonymous().login("anna", app.password_of("anna")).await;
    let never = app
        .anonymous()
        .login("nobody-ever", app.password_of("anna"))
        .await;
    assert_eq!(refused.status(), never.status());
    assert_eq!(refused.text().await.unwrap(), never.text().await.unwrap());

    // The append-only rows stay, but no longer resolve or open.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM signature_evidence").await,
        evidence_rows
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM access_log").await, log_rows);
    assert!(
        keys::evidence_of(&app.db, &[statement_id])
            .await
            .unwrap()
            .is_empty(),
        "the statement's signature does not open without Anna's and Ella's keys"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM signature_evidence e WHERE NOT EXISTS \
             (SELECT 1 FROM person_key k WHERE k.pseudonym = e.signer_pseudonym)"
        )
        .await,
        1,
        "the signer's pseudonym points at no one"
    );
    assert!(
        app.count(
            "SELECT COUNT(*) FROM access_log a WHERE NOT EXISTS \
             (SELECT 1 FROM person_key k WHERE k.pseudonym = a.subject_pseudonym)"
        )
        .await
            >= 1,
        "the officer's read of Ella points at no one"
    );

    // And nothing in any column of any table holds their personnummer, names or id.
    let mut found = Vec::new();
    for marked in [&ella, &anna] {
        found.extend(scan(&app, &needles(marked)).await);
    }
    assert!(found.is_empty(), "still readable: {found:#?}");
}

/// Forgetting one family leaves another's signatures verifiable and its access log readable.
#[tokio::test]
async fn another_familys_signatures_and_access_log_still_work_after_forgetting() {
    let app = app().await;
    app.turn_on_codes("maria").await;
    let ella = rename(&app, "Ella", "Lindqvist", ("Ysolde", "Quillfeather")).await;
    let anna = rename(&app, "Anna", "Lindqvist", ("Zenobia", "Quillfeather")).await;
    let anna_bankid = bankid_client(&app, &anna.personnummer).await;
    signed_income_statement(&anna_bankid, &anna.personnummer).await;
    let erik_pnr = app.personnummer_of("Erik", "Berg").await;
    let erik = bankid_client(&app, &erik_pnr).await;
    let statement = signed_income_statement(&erik, &erik_pnr).await;
    let alva = skolportal_tests::app::child(&app, "Alva").await;
    let officer = app.login("handlaggare").await;
    for child in [ella.id.to_string(), alva.clone()] {
        assert_eq!(
            officer.get(&format!("/api/pupils/{child}")).await.status(),
            200
        );
    }

    forget(&app, &[ella.id, anna.id]).await;

    // Erik's receipt: the evidence opens, and its hash is the signed bytes'.
    let (status, receipt) = erik
        .get_json(&format!("/api/childcare/documents/{statement}/receipt"))
        .await;
    assert_eq!(status, 200, "{receipt}");
    let signatures = receipt["signatures"].as_array().unwrap();
    assert_eq!(signatures.len(), 1, "{receipt}");
    let signature = &signatures[0];
    assert_eq!(signature["signer_personnummer"], erik_pnr.as_str());
    let bytes = signature["document_bytes"].as_str().unwrap();
    let digest: String = Sha256::digest(bytes.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(signature["document_sha256"], digest.as_str());
    // The ID token is the provider's JWS as received, for Erik.
    let id_token = signature["id_token"].as_str().unwrap();
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id_token.split('.').nth(1).unwrap())
        .unwrap();
    assert!(String::from_utf8(claims).unwrap().contains(&erik_pnr));
    assert!(!signature["user_signature"].as_str().unwrap().is_empty());
    // The document page still lists Erik as its signer.
    let (_, document) = erik
        .get_json(&format!("/api/childcare/documents/{statement}"))
        .await;
    assert_eq!(document["status"], "signed");

    // Maria's extract still shows who read Alva.
    let maria = app.login("maria").await;
    let (status, extract) = maria.get_json("/api/me/extract").await;
    assert_eq!(status, 200, "{extract}");
    let part = extract["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == alva.as_str())
        .unwrap()
        .clone();
    let actors: Vec<&str> = part["access_log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor_name"].as_str().unwrap())
        .collect();
    assert_eq!(actors, ["Ingrid Wallin"]);
}

/// The migration that brought in the keys converts the rows written before it: the access log's
/// person ids become pseudonyms (a person already deleted gets one that resolves to no one), a
/// signature's personal fields are sealed and open to what they were, and both tables are
/// append-only again.
#[tokio::test]
async fn the_migration_converts_existing_rows_and_keeps_the_tables_append_only() {
    use sea_orm::{Database, Value};
    use skolportal_migration::{Migrator, MigratorTrait};
    let dir = tempfile::tempdir().unwrap();
    let url = match skolportal_tests::Backend::from_env() {
        skolportal_tests::Backend::Sqlite => {
            format!("sqlite://{}?mode=rwc", dir.path().join("m.db").display())
        }
        skolportal_tests::Backend::Postgres => {
            skolportal_tests::app::fresh_postgres_database().await
        }
    };
    let db = Database::connect(&url).await.unwrap();
    let backend = db.get_database_backend();
    // Every migration before the keys' (later ones may follow it).
    let before = Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20261213_000100_person_keys")
        .expect("the keys' migration");
    Migrator::up(&db, Some(u32::try_from(before).unwrap()))
        .await
        .unwrap();
    let run = |sql: &'static str, values: Vec<Value>| {
        let db = db.clone();
        async move {
            db.execute(Statement::from_sql_and_values(
                backend,
                skolportal_backend::db::numbered_params(backend, sql),
                values,
            ))
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
    };
    let now = chrono::Utc::now();
    let (municipality, guardian, child, officer, gone) = (
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
    );
    run(
        "INSERT INTO municipality (id, code, name, settings, created_at) VALUES ($1, '9999', 'Provkommun', $2, $3)",
        vec![municipality.into(), json!({}).into(), now.into()],
    )
    .await;
    for (id, pnr, given) in [
        (guardian, "198001139297", "Gudrun"),
        (child, "201801252394", "Kim"),
        (officer, "197001239297", "Olle"),
    ] {
        run(
            "INSERT INTO person (id, municipality_id, personnummer, given_name, family_name, \
             birth_date, created_at, updated_at) VALUES ($1, $2, $3, $4, 'Prov', $5, $6, $6)",
            vec![
                id.into(),
                municipality.into(),
                pnr.into(),
                given.into(),
                chrono::NaiveDate::from_ymd_opt(2018, 1, 1).unwrap().into(),
                now.into(),
            ],
        )
        .await;
    }
    let document = Uuid::new_v4();
    let bytes = json!({"document_id": document, "fees": [{"child_id": child}]}).to_string();
    run(
        "INSERT INTO childcare_document (id, municipality_id, owner_person_id, child_id, kind, \
         status, payload, document_bytes, sign_text, created_at, signed_at) \
         VALUES ($1, $2, $3, $4, 'termination', 'signed', $5, $6, 'Kim Prov slutar', $7, $7)",
        vec![
            document.into(),
            municipality.into(),
            guardian.into(),
            child.into(),
            json!({}).into(),
            bytes.clone().into(),
            now.into(),
        ],
    )
    .await;
    run(
        "INSERT INTO signature_evidence (id, municipality_id, document_id, signer_person_id, \
         personnummer, text_shown, document_bytes, document_sha256, id_token, user_signature, \
         acr, auth_time, signed_at) VALUES ($1, $2, $3, $4, '198001139297', 'Kim Prov slutar', \
         $5, 'abc', 'a.b.c', 'sig', 'loa3', $6, $6)",
        vec![
            Uuid::new_v4().into(),
            municipality.into(),
            document.into(),
            guardian.into(),
            bytes.clone().into(),
            now.into(),
        ],
    )
    .await;
    for actor in [officer, gone] {
        run(
            "INSERT INTO access_log (id, municipality_id, occurred_at, actor_person_id, \
             subject_person_id, action, session_id) VALUES ($1, $2, $3, $4, $5, 'read_pupil_card', NULL)",
            vec![
                Uuid::new_v4().into(),
                municipality.into(),
                now.into(),
                actor.into(),
                child.into(),
            ],
        )
        .await;
    }

    Migrator::up(&db, None).await.unwrap();

    let count = |sql: &'static str| {
        let db = db.clone();
        async move { skolportal_tests::app::count(&db, sql).await }
    };
    assert_eq!(count("SELECT COUNT(*) FROM person_key").await, 3);
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM access_log a JOIN person_key s ON s.pseudonym = a.subject_pseudonym \
             JOIN person_key o ON o.pseudonym = a.actor_pseudonym"
        )
        .await,
        1,
        "the officer's read resolves"
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM access_log a JOIN person_key s ON s.pseudonym = a.subject_pseudonym \
             WHERE NOT EXISTS (SELECT 1 FROM person_key o WHERE o.pseudonym = a.actor_pseudonym)"
        )
        .await,
        1,
        "the deleted actor's pseudonym resolves to no one"
    );
    let opened = keys::evidence_of(&db, &[document]).await.unwrap();
    assert_eq!(opened.len(), 1);
    let e = &opened[0];
    assert_eq!(
        (
            e.signer_person_id,
            e.personnummer.as_str(),
            e.text_shown.as_str(),
            e.document_bytes.as_str(),
            e.document_sha256.as_str(),
            e.id_token.as_str(),
            e.user_signature.as_str(),
            e.acr.as_str(),
        ),
        (
            guardian,
            "198001139297",
            "Kim Prov slutar",
            bytes.as_str(),
            "abc",
            "a.b.c",
            "sig",
            "loa3"
        )
    );
    let needles = [("personnummer".to_owned(), b"198001139297".to_vec())];
    let app_like = scan_db(&db, &needles).await;
    assert_eq!(
        app_like,
        ["person.personnummer: personnummer (1 rows)"],
        "the signature's copy is sealed"
    );
    for sql in [
        "UPDATE access_log SET action = 'x'",
        "DELETE FROM access_log",
        "UPDATE signature_evidence SET acr = 'x'",
        "DELETE FROM signature_evidence",
    ] {
        assert!(
            db.execute_unprepared(sql).await.is_err(),
            "{sql} must be refused"
        );
    }
    // The child forgotten: the signature, sealed under the child's key too, no longer opens.
    let txn = db.begin().await.unwrap();
    forget_person(&txn, child, now).await.unwrap();
    txn.commit().await.unwrap();
    assert!(keys::evidence_of(&db, &[document])
        .await
        .unwrap()
        .is_empty());
}

/// An official marked after entering: their reads stay in the access log, but the family's
/// extract names no one ("(borttagen person)"), their session answers 401, and nothing
/// readable about them remains.
#[tokio::test]
async fn a_forgotten_officials_reads_stay_logged_without_naming_them() {
    let app = TestApp::spawn().await;
    app.turn_on_codes("maria").await;
    let ingrid = rename(&app, "Ingrid", "Wallin", ("Xaviera", "Pendlebury")).await;
    let alva = skolportal_tests::app::child(&app, "Alva").await;
    let officer = app.login("handlaggare").await;
    assert_eq!(
        officer.get(&format!("/api/pupils/{alva}")).await.status(),
        200
    );
    let maria = app.login("maria").await;
    let actors = |extract: &Value| -> Vec<String> {
        extract["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == alva.as_str())
            .unwrap()["access_log"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["actor_name"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, extract) = maria.get_json("/api/me/extract").await;
    assert_eq!(actors(&extract), ["Xaviera Pendlebury"]);

    let reports = forget(&app, &[ingrid.id]).await;
    assert!(reports[0].person_removed && reports[0].key_destroyed);

    assert_eq!(officer.get("/api/me").await.status(), 401);
    let (status, extract) = maria.get_json("/api/me/extract").await;
    assert_eq!(status, 200, "{extract}");
    assert_eq!(actors(&extract), ["(borttagen person)"]);
    let found = scan(&app, &needles(&ingrid)).await;
    assert!(found.is_empty(), "still readable: {found:#?}");
}
