//! The family's start page through the API (`GET /api/start`): "Idag" and "Den här veckan" for
//! all of a guardian's children together, each child's day once even for twins in one class, and
//! what waits for each guardian (an offer to answer, a document to sign) once.

use serde_json::{json, Value};
use skolportal_tests::app::{child, unit, uuids_of};
use skolportal_tests::TestApp;

use crate::applications::{app, apply, bankid, offer, post, sign};

fn day<'a>(start: &'a Value, date: &str) -> &'a Value {
    start["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == date)
        .unwrap_or_else(|| panic!("no {date} in {start}"))
}

fn entries(day: &Value) -> &Vec<Value> {
    day["entries"].as_array().unwrap()
}

/// The entries of `kind` naming `child`.
fn entries_of<'a>(day: &'a Value, kind: &str, child: &str) -> Vec<&'a Value> {
    entries(day)
        .iter()
        .filter(|e| e["kind"] == kind && e["child_ids"].as_array().unwrap().contains(&json!(child)))
        .collect()
}

#[tokio::test]
async fn a_guardian_sees_each_childs_day_and_week_on_one_page() {
    let app = TestApp::spawn().await;
    let anna = app.login("anna").await;
    let (status, start) = anna.get_json("/api/start").await;
    assert_eq!(status, 200, "{start}");
    assert_eq!(start["today"], "2026-11-24");
    assert_eq!(start["week_start"], "2026-11-23");
    assert_eq!(start["children"].as_array().unwrap().len(), 3);
    assert_eq!(start["days"].as_array().unwrap().len(), 5);
    let (ella, nils, saga) = (
        child(&app, "Ella").await,
        child(&app, "Nils").await,
        child(&app, "Saga").await,
    );
    let today = day(&start, "2026-11-24");

    // The two school children: their lessons today, in time order, as the timetable has them.
    for pupil in [&nils, &saga] {
        let school = entries_of(today, "school", pupil);
        assert_eq!(school.len(), 1, "{today}");
        assert_eq!(school[0]["school_day"], "school_day");
        let lessons = school[0]["lessons"].as_array().unwrap();
        assert!(lessons.len() >= 4, "{}", school[0]);
        let starts: Vec<&str> = lessons
            .iter()
            .map(|l| l["starts_at"].as_str().unwrap())
            .collect();
        let mut sorted = starts.clone();
        sorted.sort();
        assert_eq!(starts, sorted);
        let (_, week) = anna
            .get_json(&format!("/api/timetable/pupils/{pupil}"))
            .await;
        let timetable_today = week["days"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["date"] == "2026-11-24")
            .unwrap();
        // The same lessons as the schedule, which names the lunch's dish too (the start page
        // shows the day's lunch on its own).
        let mut scheduled = timetable_today["lessons"].clone();
        for lesson in scheduled.as_array_mut().unwrap() {
            let lesson = lesson.as_object_mut().unwrap();
            lesson.remove("dish");
            lesson.remove("vegetarian_dish");
        }
        assert_eq!(
            school[0]["lessons"], scheduled,
            "the start page shows the day as the schedule does"
        );
        // Today's hours, as the lessons held make them; another day of the week carries its
        // hours and changes, not its lessons.
        let held: Vec<&Value> = lessons
            .iter()
            .filter(|l| {
                !l["change"]["kinds"]
                    .as_array()
                    .is_some_and(|k| k.contains(&Value::from("cancelled")))
            })
            .collect();
        assert_eq!(
            school[0]["starts_at"],
            held.iter()
                .map(|l| l["starts_at"].as_str().unwrap())
                .min()
                .unwrap()
        );
        assert_eq!(
            school[0]["ends_at"],
            held.iter()
                .map(|l| l["ends_at"].as_str().unwrap())
                .max()
                .unwrap()
        );
        let thursday = entries_of(day(&start, "2026-11-26"), "school", pupil);
        assert_eq!(thursday[0]["lessons"], json!([]), "{}", thursday[0]);
        assert!(
            thursday[0]["starts_at"]
                .as_str()
                .is_some_and(|t| t.len() == 5),
            "{}",
            thursday[0]
        );
    }
    // The preschool child: her drop-off and pick-up, or that the day is not planned yet.
    let care = entries_of(today, "childcare", &ella);
    assert_eq!(care.len(), 1, "{today}");
    assert!(care[0]["unit_name"].as_str().is_some());
    assert!(entries_of(today, "school", &ella).is_empty());
    let ella_today = "FROM schedule_day s JOIN person p ON p.id = s.child_id \
        WHERE p.given_name = 'Ella' AND p.family_name = 'Lindqvist' AND s.date = '2026-11-24'";
    let planned = app.count(&format!("SELECT COUNT(*) {ella_today}")).await;
    let with_times = app
        .count(&format!(
            "SELECT COUNT(*) {ella_today} AND s.drop_off IS NOT NULL"
        ))
        .await;
    assert_eq!(care[0]["care_planned"], planned == 1, "{}", care[0]);
    assert_eq!(
        care[0]["drop_off"].as_str().is_some_and(|t| t.len() == 5),
        with_times == 1,
        "{}",
        care[0]
    );
    // A change a teacher of the class records now is on the page at once, also when another
    // instance of the portal, behind the same load balancer, records it (each instance keeps
    // the groups' weeks it has shown, `school::group_weeks`).
    let lesson = &entries_of(today, "school", &nils)[0]["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["change"].is_null() && l["activity"] != "lunch")
        .expect("a lesson without a change today")
        .clone();
    let lesson_id = lesson["lesson_id"].as_str().unwrap();
    let teacher = app.login("larare").await;
    let (_, me) = teacher.get_json("/api/me").await;
    app.execute(
        "INSERT INTO group_membership (id, municipality_id, group_id, person_id, role, start_date, end_date) \
         SELECT $1, municipality_id, group_id, $2, 'teacher', '2026-08-17', NULL FROM lesson WHERE id = $3",
        [
            uuid::Uuid::new_v4().into(),
            me["person_id"].as_str().unwrap().parse::<uuid::Uuid>().unwrap().into(),
            lesson_id.parse::<uuid::Uuid>().unwrap().into(),
        ],
    )
    .await;
    let (other_instance, _handle) = app.second_instance().await;
    let teacher_elsewhere = teacher.with_base(&other_instance);
    let change_path = format!("/api/timetable/lessons/{lesson_id}/changes/2026-11-24");
    let recorded = teacher_elsewhere
        .put(
            &change_path,
            &json!({"cancelled": true, "note": "Läraren är sjuk"}),
        )
        .await;
    assert!(
        recorded.status().is_success(),
        "{:?}",
        recorded.text().await
    );
    let (_, after) = anna.get_json("/api/start").await;
    let changed = entries_of(day(&after, "2026-11-24"), "school", &nils)[0]["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["lesson_id"] == lesson_id)
        .unwrap()
        .clone();
    assert_eq!(
        changed["change"]["kinds"],
        json!(["cancelled"]),
        "{changed}"
    );
    // Undone on the other instance, the lesson is as planned again here.
    let undone = teacher_elsewhere
        .request(reqwest::Method::DELETE, &change_path)
        .send()
        .await
        .unwrap();
    assert_eq!(undone.status(), 204);
    let (_, after) = anna.get_json("/api/start").await;
    let planned = entries_of(day(&after, "2026-11-24"), "school", &nils)[0]["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["lesson_id"] == lesson_id)
        .unwrap()
        .clone();
    assert!(planned["change"].is_null(), "{planned}");

    // Another adult's family is not on her page, and without a session there is no page.
    let (_, maria) = app.login("maria").await.get_json("/api/start").await;
    let maria_children: Vec<&str> = maria["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(!maria_children.contains(&nils.as_str()));
    assert_eq!(app.anonymous().get("/api/start").await.status(), 401);
}

#[tokio::test]
async fn twins_in_one_class_are_one_entry_for_each_day() {
    let app = TestApp::spawn().await;
    let nils = child(&app, "Nils").await;
    // A twin of Nils, in his class and with his guardians, as the school administration system
    // would deliver her.
    let nora = "0b5e3c2a-1d4f-4e6a-9b7c-8d9e0f1a2b3c";
    app.execute(
        "INSERT INTO person (id, municipality_id, external_id, personnummer, given_name, family_name, birth_date, street, postal_code, city, email, phone, school_email, created_at, updated_at) \
         SELECT $1, municipality_id, NULL, '201503129990', 'Nora', family_name, birth_date, street, postal_code, city, NULL, NULL, NULL, created_at, updated_at FROM person WHERE id = $2",
        [nora.parse::<uuid::Uuid>().unwrap().into(), nils.parse::<uuid::Uuid>().unwrap().into()],
    )
    .await;
    for (table, columns) in [
        (
            "guardianship",
            "municipality_id, child_id, adult_id, relation, start_date, end_date",
        ),
        (
            "group_membership",
            "municipality_id, group_id, person_id, role, start_date, end_date",
        ),
        (
            "enrolment",
            "municipality_id, pupil_id, unit_id, school_year, start_date, end_date",
        ),
    ] {
        let person_column = match table {
            "guardianship" => "child_id",
            "group_membership" => "person_id",
            _ => "pupil_id",
        };
        let select = columns.replace(person_column, "$1");
        // One new row per row of Nils's, with a fresh id each.
        let ids = uuids_of(
            &app,
            &format!(
                "SELECT id FROM {table} WHERE {person_column} = \
                 (SELECT id FROM person WHERE given_name = 'Nils' AND family_name = 'Lindqvist')"
            ),
        )
        .await;
        assert!(!ids.is_empty(), "{table}");
        for id in ids {
            app.execute(
                &format!(
                    "INSERT INTO {table} (id, {columns}) SELECT $2, {select} FROM {table} WHERE id = $3"
                ),
                [
                    nora.parse::<uuid::Uuid>().unwrap().into(),
                    uuid::Uuid::new_v4().into(),
                    id.into(),
                ],
            )
            .await;
        }
    }

    let (status, start) = app.login("anna").await.get_json("/api/start").await;
    assert_eq!(status, 200, "{start}");
    assert_eq!(start["children"].as_array().unwrap().len(), 4);
    for d in start["days"].as_array().unwrap() {
        let with_nils = entries_of(d, "school", &nils);
        assert_eq!(with_nils.len(), 1, "{d}");
        assert_eq!(
            with_nils[0]["child_ids"].as_array().unwrap().len(),
            2,
            "Nils and Nora share one entry: {d}"
        );
        assert_eq!(
            entries_of(d, "school", nora).len(),
            1,
            "no second entry for Nora"
        );
    }
}

#[tokio::test]
async fn what_waits_is_shown_once_to_each_guardian_until_it_is_done() {
    let app = app().await;
    let (erik, erik_pnr) = bankid(&app, "erik").await;
    let (maria, maria_pnr) = bankid(&app, "maria").await;
    let officer = app.login("handlaggare").await;
    let alva = child(&app, "Alva").await;
    let fritids = unit(&app, "Fritidshemmet Solstrålen").await;
    let application = apply(&erik, &alva, &[&fritids], "2027-01-04").await;
    let made = offer(&officer, &application, &fritids, "2027-01-04").await;
    let offer_id = made["id"].as_str().unwrap();

    // Both guardians are asked to answer the offer, once each.
    for guardian in [&erik, &maria] {
        let (_, start) = guardian.get_json("/api/start").await;
        assert_eq!(
            start["tasks"],
            json!([{"kind": "answer_offer", "id": offer_id, "child_id": alva, "answer_by": made["answer_deadline"].as_str().unwrap().get(..10).unwrap()}]),
        );
    }

    // Erik accepts and signs; now it waits for Maria's signature, and the offer is not asked
    // for a second time beside it.
    let (status, doc) = post(
        &erik,
        &format!("/api/childcare/offers/{offer_id}/accept"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 201, "{doc}");
    let doc_id = doc["id"].as_str().unwrap();
    sign(&erik, doc_id, &erik_pnr).await;
    let (_, erik_start) = erik.get_json("/api/start").await;
    assert_eq!(
        erik_start["tasks"],
        json!([{"kind": "awaiting_other_guardian", "id": doc_id, "child_id": alva, "document_kind": "placement_offer_answer"}])
    );
    let (_, maria_start) = maria.get_json("/api/start").await;
    assert_eq!(
        maria_start["tasks"],
        json!([{"kind": "sign_document", "id": doc_id, "child_id": alva, "document_kind": "placement_offer_answer"}])
    );

    // When Maria has signed, nothing waits for either.
    sign(&maria, doc_id, &maria_pnr).await;
    for guardian in [&erik, &maria] {
        let (_, start) = guardian.get_json("/api/start").await;
        assert_eq!(start["tasks"], json!([]));
    }
}

/// Issue 15.6 in a browser: a guardian with three children logs in on a phone and her first page
/// shows each child's day — the two pupils' lessons, the preschool child's care — once, and the
/// week below it, in Swedish and right to left, without sideways scrolling.
#[tokio::test]
async fn a_guardian_with_three_children_sees_one_start_page_with_each_childs_day() {
    use crate::ui::{app_with_spa, browser, check_fits, password_login, wait_for_text};
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser
        .resize(skolportal_tests::browser::Viewport::PHONE)
        .await
        .unwrap();
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    wait_for_text(&browser, "#start-today", "Idag").await;
    let today = browser.text("#start-today ~ .day-entries").await.unwrap();
    for heading in [
        "Lektioner för Nils",
        "Lektioner för Saga",
        "Barnomsorg för Ella",
    ] {
        assert_eq!(
            today.matches(heading).count(),
            1,
            "{heading} once in: {today}"
        );
    }
    let week = browser.text(".week-days").await.unwrap();
    assert!(week.contains("tisdag 24 november"), "{week}");
    assert!(week.contains("idag"), "{week}");
    check_fits(&browser, "start-family").await;

    // The same page right to left.
    browser.goto(&app.url("/?lang=ar")).await.unwrap();
    browser.wait_for("#start-today").await.unwrap();
    check_fits(&browser, "start-family-ar").await;
    browser.close().await.unwrap();
}

/// Concurrent start pages are answered in batches, with one policy statement for the batch
/// (`policy::permitted_actions_of_many`): each session must still get exactly its own page, and a
/// password session sharing a batch with a BankID session must not gain what only BankID allows.
#[tokio::test]
async fn concurrent_start_pages_are_each_exactly_the_sessions_own() {
    let app = app().await;
    let mut readers = Vec::new();
    for user in ["anna", "maria", "karin", "larare"] {
        readers.push((user, std::sync::Arc::new(app.login(user).await)));
    }
    let (erik, _) = bankid(&app, "erik").await;
    readers.push(("erik (BankID)", std::sync::Arc::new(erik)));
    let mut alone = Vec::new();
    for (user, client) in &readers {
        let (status, page) = client.get_json("/api/start").await;
        assert_eq!(status, 200, "{user}: {page}");
        alone.push(page);
    }
    // Every reader but the teacher has children, so every batch asks the policy for several.
    for (page, (user, _)) in alone.iter().zip(&readers) {
        let children = page["children"].as_array().map_or(0, Vec::len);
        assert_eq!(children > 0, *user != "larare", "{user}: {page}");
    }

    let mut requests = tokio::task::JoinSet::new();
    for round in 0..30 {
        for (i, (_, client)) in readers.iter().enumerate() {
            let client = client.clone();
            requests.spawn(async move { (round, i, client.get_json("/api/start").await) });
        }
    }
    while let Some(done) = requests.join_next().await {
        let (round, i, (status, page)) = done.expect("the request task");
        let user = readers[i].0;
        assert_eq!(status, 200, "{user} in round {round}: {page}");
        assert_eq!(page, alone[i], "{user} in round {round}");
    }
}
