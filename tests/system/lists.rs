//! Class, group and staff lists through the API: who sees which (the members, their families,
//! the group's teachers; nobody else), what a list carries (names and classes; work contacts),
//! and that a teacher's read is in the access log while a family's is not.

use serde_json::Value;
use skolportal_tests::app::{unit, uuid_of};
use skolportal_tests::TestApp;

async fn group(app: &TestApp, unit_name: &str, group_name: &str) -> String {
    uuid_of(
        app,
        &format!(
            "SELECT g.id FROM school_group g JOIN unit u ON u.id = g.unit_id \
             WHERE u.name = '{unit_name}' AND g.name = '{group_name}' AND g.group_type = 'class'"
        ),
    )
    .await
}

/// The class a demo child is in, by given and family name.
async fn class_of(app: &TestApp, given: &str, family: &str) -> String {
    uuid_of(
        app,
        &format!(
            "SELECT g.id FROM school_group g JOIN group_membership m ON m.group_id = g.id \
             JOIN person p ON p.id = m.person_id \
             WHERE p.given_name = '{given}' AND p.family_name = '{family}' \
             AND m.role = 'pupil' AND g.group_type = 'class'"
        ),
    )
    .await
}

fn names(list: &Value, part: &str) -> Vec<String> {
    list[part]
        .as_array()
        .unwrap_or_else(|| panic!("no {part} in {list}"))
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p["given_name"].as_str().unwrap(),
                p["family_name"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn a_pupil_and_a_guardian_see_their_own_groups_and_schools_and_nothing_is_logged() {
    let app = TestApp::spawn().await;
    let class_8a = group(&app, "Solviksskolan", "8A").await;
    let nils_class = class_of(&app, "Nils", "Lindqvist").await;
    let solvik = unit(&app, "Solviksskolan").await;
    let before = app.count("SELECT COUNT(*) FROM access_log").await;

    // The pupil: her class and her school.
    let elev = app.login("elev").await;
    let (status, lists) = elev.get_json("/api/lists").await;
    assert_eq!(status, 200, "{lists}");
    let groups = lists["groups"].as_array().unwrap();
    assert!(
        groups
            .iter()
            .any(|g| g["id"] == class_8a.as_str() && g["kind"] == "class"),
        "{lists}"
    );
    assert!(
        groups
            .iter()
            .all(|g| g["children"] == serde_json::json!([])),
        "{lists}"
    );
    assert_eq!(lists["schools"][0]["name"], "Solviksskolan", "{lists}");
    let (status, list) = elev.get_json(&format!("/api/groups/{class_8a}/list")).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["name"], "8A");
    let pupils = names(&list, "pupils");
    assert!(pupils.iter().any(|n| n.starts_with("Leo ")), "{list}");
    assert!(pupils.len() >= 5, "a whole class: {list}");
    // Names and class only: no personnummer, address, birth date or contact of a classmate.
    for pupil in list["pupils"].as_array().unwrap() {
        let keys: Vec<&String> = pupil.as_object().unwrap().keys().collect();
        assert!(
            keys.iter()
                .all(|k| ["given_name", "family_name", "class_name"].contains(&k.as_str())),
            "{pupil}"
        );
    }
    assert!(
        list["staff"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["family_name"] == "Strand" && s["role"] == "mentor"),
        "{list}"
    );
    // Another class is not hers.
    assert_eq!(
        elev.get(&format!("/api/groups/{nils_class}/list"))
            .await
            .status(),
        404
    );

    // The school's staff list: roles and how to reach each at work.
    let (status, staff) = elev.get_json(&format!("/api/units/{solvik}/staff")).await;
    assert_eq!(status, 200, "{staff}");
    let lena = staff["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["given_name"] == "Lena" && s["family_name"] == "Strand")
        .unwrap_or_else(|| panic!("the mentor on the staff list: {staff}"));
    assert_eq!(lena["role"], "teacher");
    assert!(
        lena["work_phone"].as_str().unwrap().starts_with("08-123 4"),
        "{lena}"
    );
    assert!(lena["work_email"].as_str().unwrap().contains('@'), "{lena}");

    // A guardian: each child's class, marked with whose it is, and the children's school.
    let anna = app.login("anna").await;
    let (_, lists) = anna.get_json("/api/lists").await;
    let nils = lists["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == nils_class.as_str())
        .unwrap_or_else(|| panic!("Nils's class among Anna's lists: {lists}"));
    assert_eq!(nils["children"], serde_json::json!(["Nils"]));
    assert!(
        lists["groups"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["id"] != class_8a.as_str()),
        "{lists}"
    );
    let (status, list) = anna
        .get_json(&format!("/api/groups/{nils_class}/list"))
        .await;
    assert_eq!(status, 200);
    assert!(
        names(&list, "pupils").contains(&"Nils Lindqvist".to_owned()),
        "{list}"
    );
    assert_eq!(
        anna.get(&format!("/api/groups/{class_8a}/list"))
            .await
            .status(),
        404
    );
    assert_eq!(
        anna.get(&format!("/api/units/{solvik}/staff"))
            .await
            .status(),
        200
    );

    assert_eq!(
        app.count("SELECT COUNT(*) FROM access_log").await,
        before,
        "a pupil's and a family's reads of their own lists are not logged"
    );
}

#[tokio::test]
async fn a_teacher_sees_her_groups_and_her_school_and_her_reads_are_logged() {
    let app = TestApp::spawn().await;
    let class_8a = group(&app, "Solviksskolan", "8A").await;
    let solvik = unit(&app, "Solviksskolan").await;
    let larare = app.login("larare").await;
    let (status, lists) = larare.get_json("/api/lists").await;
    assert_eq!(status, 200, "{lists}");
    assert!(
        lists["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["id"] == class_8a.as_str()),
        "{lists}"
    );
    assert!(
        lists["schools"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == solvik.as_str()),
        "{lists}"
    );

    let before = app
        .count("SELECT COUNT(*) FROM access_log WHERE action = 'read_group_list'")
        .await;
    let (status, list) = larare
        .get_json(&format!("/api/groups/{class_8a}/list"))
        .await;
    assert_eq!(status, 200);
    let shown = list["pupils"].as_array().unwrap().len() as i64;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM access_log WHERE action = 'read_group_list'")
            .await,
        before + shown,
        "one line per pupil the teacher's list showed"
    );
    // The staff list is staff at work, not a child's data: not logged.
    let all = app.count("SELECT COUNT(*) FROM access_log").await;
    assert_eq!(
        larare
            .get(&format!("/api/units/{solvik}/staff"))
            .await
            .status(),
        200
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM access_log").await, all);

    // Her duty's work contact is in her register extract.
    let (_, extract) = larare.get_json("/api/me/extract").await;
    let duty = extract["duties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["unit_name"] == "Solviksskolan")
        .unwrap_or_else(|| panic!("her duty in the extract: {}", extract["duties"]));
    assert_eq!(duty["role"], "teacher");
    assert!(
        duty["work_phone"].as_str().unwrap().starts_with("08-123 4"),
        "{duty}"
    );
}

#[tokio::test]
async fn nobody_sees_a_list_of_a_group_they_or_their_child_are_not_in() {
    let app = TestApp::spawn().await;
    let class_8a = group(&app, "Solviksskolan", "8A").await;
    let ekbacken_9 = uuid_of(
        &app,
        "SELECT g.id FROM school_group g JOIN unit u ON u.id = g.unit_id \
         WHERE u.name = 'Ekbackens skola' AND g.group_type = 'class' AND g.school_year = 9 LIMIT 1",
    )
    .await;
    let solvik = unit(&app, "Solviksskolan").await;
    let preschool = unit(&app, "Förskolan Lärkan").await;
    for (who, path) in [
        ("larare", format!("/api/groups/{ekbacken_9}/list")),
        ("forskola", format!("/api/groups/{class_8a}/list")),
        ("forskola", format!("/api/units/{solvik}/staff")),
        ("handlaggare", format!("/api/groups/{class_8a}/list")),
        ("handlaggare", format!("/api/units/{solvik}/staff")),
        ("elev", format!("/api/groups/{ekbacken_9}/list")),
        ("elev", format!("/api/units/{preschool}/staff")),
        ("karin", format!("/api/groups/{class_8a}/list")),
    ] {
        let response = app.login(who).await.get(&path).await;
        assert_eq!(response.status(), 404, "{who}: {path}");
    }
    // The preschool's own staff see its staff list.
    assert_eq!(
        app.login("forskola")
            .await
            .get(&format!("/api/units/{preschool}/staff"))
            .await
            .status(),
        200
    );

    // A membership that ended yesterday is no longer a way in.
    let elev = app.login("elev").await;
    assert_eq!(
        elev.get(&format!("/api/groups/{class_8a}/list"))
            .await
            .status(),
        200
    );
    app.execute(
        "UPDATE group_membership SET end_date = $1 WHERE group_id = $2 AND role = 'pupil' \
         AND person_id IN (SELECT id FROM person WHERE given_name = 'Leo' AND family_name = 'Sjöberg')",
        [
            skolportal_tests::app::demo_today().pred_opt().unwrap().into(),
            uuid::Uuid::parse_str(&class_8a).unwrap().into(),
        ],
    )
    .await;
    assert_eq!(
        elev.get(&format!("/api/groups/{class_8a}/list"))
            .await
            .status(),
        404
    );
    let (_, lists) = elev.get_json("/api/lists").await;
    assert!(
        lists["groups"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["id"] != class_8a.as_str()),
        "{lists}"
    );
}

/// In a browser on a phone: a guardian finds her son's class list and the school's staff list
/// from "Klasser och personal", and a teacher opens her mentor class's list in the staff's app;
/// each page fits 360 px and passes axe at both widths.
#[tokio::test]
async fn a_guardian_and_a_teacher_open_the_lists_on_a_phone() {
    use crate::ui::{app_with_spa, browser, check_fits, password_login, step_up, wait_for_text};
    use skolportal_tests::browser::Viewport;
    let app = app_with_spa(false).await;
    let nils_class = class_of(&app, "Nils", "Lindqvist").await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".site-header .menu-button").await.unwrap();
    browser.goto(&app.url("/listor")).await.unwrap();
    wait_for_text(&browser, "h1", "Klasser och personal").await;
    let entry = wait_for_text(&browser, "#groups-heading + .item-list", "Nils").await;
    assert!(entry.contains("Klass · Solviksskolan"), "{entry}");
    check_fits(&browser, "lists-family").await;

    browser
        .click(&format!("a[href='/listor/grupp/{nils_class}']"))
        .await
        .unwrap();
    wait_for_text(&browser, "h1", "Klasslista").await;
    wait_for_text(&browser, ".name-list", "Nils Lindqvist").await;
    assert!(
        browser.text(".page").await.unwrap().contains("Mentor"),
        "the class's mentor is named"
    );
    check_fits(&browser, "group-list-family").await;

    browser.goto(&app.url("/listor")).await.unwrap();
    wait_for_text(&browser, "h1", "Klasser och personal").await;
    browser
        .click("#schools-heading + .item-list a")
        .await
        .unwrap();
    wait_for_text(&browser, "h1", "Personal på Solviksskolan").await;
    browser
        .wait_for(".contact-list__link[href^='tel:08123']")
        .await
        .expect("a work phone to call");
    wait_for_text(&browser, ".contact-list", "Lena Strand").await;
    check_fits(&browser, "staff-list-family").await;
    browser.close().await.unwrap();

    let browser = crate::ui::browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "larare", app.password_of("larare")).await;
    step_up(&browser, &app, "larare").await;
    browser.goto(&app.url("/personal/listor")).await.unwrap();
    wait_for_text(&browser, "h1", "Grupper och personal").await;
    browser
        .click("#groups-heading + .item-list a")
        .await
        .unwrap();
    wait_for_text(&browser, "h1", "Klasslista").await;
    wait_for_text(&browser, ".logged-note", "loggen").await;
    check_fits(&browser, "group-list-teacher").await;
    browser.close().await.unwrap();
}
