//! Talk material in a real browser, with axe-core at 360 px and at desktop width
//! (`/samtal/{pupil}`): the mentor of 8A, after a one-time code, finds a pupil's material closed
//! with the reason; once both guardians have consented (through the API, with BankID) she reads
//! the pupil's published part, writes her own as a draft and publishes it.

use skolportal_tests::browser::Viewport;

use crate::ui::{browser, check_fits, password_login, step_up, wait_for_text};

#[tokio::test]
async fn the_mentor_finds_it_closed_then_writes_and_publishes_her_part_on_a_phone() {
    let app = crate::ui::app_with_spa(true).await;
    let leo = crate::talks::leo(&app).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "larare", app.password_of("larare")).await;
    step_up(&browser, &app, "larare").await;
    browser
        .goto(&app.url(&format!("/samtal/{}", leo.id)))
        .await
        .unwrap();
    wait_for_text(&browser, "main", "Samtalsunderlaget är stängt").await;
    check_fits(&browser, "talks-closed").await;

    for guardian in &leo.guardians {
        crate::talks::consent(guardian, &leo.id, "given").await;
    }
    crate::talks::write(&leo.pupil, &leo.id, "Jag läser mer", true).await;
    browser
        .goto(&app.url(&format!("/samtal/{}", leo.id)))
        .await
        .unwrap();
    browser.wait_for("#talk-going_well").await.unwrap();
    wait_for_text(&browser, "main", "Jag läser mer").await;
    browser
        .fill("#talk-going_well", "Tar ansvar för läxorna")
        .await
        .unwrap();
    browser.click("#talk-save-draft").await.unwrap();
    wait_for_text(&browser, "main", "Bara du ser det").await;
    let (_, seen) = leo.guardians[0]
        .get_json(&format!("/api/pupils/{}/talk-material", leo.id))
        .await;
    assert_eq!(
        seen["parts"].as_array().unwrap().len(),
        1,
        "a draft: {seen}"
    );
    browser.click("#talk-publish").await.unwrap();
    wait_for_text(&browser, "main", "Din del är publicerad").await;
    check_fits(&browser, "talks").await;
    let (_, seen) = leo.guardians[0]
        .get_json(&format!("/api/pupils/{}/talk-material", leo.id))
        .await;
    assert_eq!(seen["parts"].as_array().unwrap().len(), 2, "{seen}");
}

/// The four roles in their own browsers: the pupil (a one-time code is not his; BankID is), a
/// guardian and a subject teacher, each with BankID, and the mentor after a one-time code, each
/// publish their part; the pupil, the guardian and the mentor read all four, the teacher only
/// her own.
#[tokio::test]
async fn the_four_roles_publish_their_parts_and_each_sees_what_they_should() {
    let app = crate::ui::app_with_spa(true).await;
    let leo = crate::talks::leo(&app).await;
    for guardian in &leo.guardians {
        crate::talks::consent(guardian, &leo.id, "given").await;
    }
    let page = format!("/samtal/{}", leo.id);
    let pnr_of = |sql: &'static str| {
        let app = &app;
        async move { crate::talks::personnummer(app, sql).await }
    };
    let guardian_pnr = pnr_of(
        "SELECT p.personnummer FROM guardianship g JOIN person p ON p.id = g.adult_id \
         JOIN person c ON c.id = g.child_id WHERE c.given_name = 'Leo' \
         AND c.family_name = 'Sjöberg' AND g.relation = 'guardian' \
         ORDER BY p.personnummer LIMIT 1",
    )
    .await;
    let teacher_pnr = pnr_of(
        "SELECT p.personnummer FROM person leo \
         JOIN group_membership l ON l.person_id = leo.id AND l.role = 'pupil' \
         JOIN group_membership t ON t.group_id = l.group_id AND t.role = 'teacher' \
         JOIN person p ON p.id = t.person_id \
         WHERE leo.given_name = 'Leo' AND leo.family_name = 'Sjöberg' AND t.person_id NOT IN \
           (SELECT m.person_id FROM group_membership m JOIN group_membership x \
            ON x.group_id = m.group_id AND x.person_id = leo.id WHERE m.role = 'mentor') \
         ORDER BY p.personnummer LIMIT 1",
    )
    .await;
    let pupil_pnr = app.personnummer_of("Leo", "Sjöberg").await;

    let mut family_and_teacher = Vec::new();
    for (pnr, text) in [
        (&pupil_pnr, "Jag har börjat läsa mer"),
        (&guardian_pnr, "Leo läser varje kväll"),
        (&teacher_pnr, "Leo resonerar väl i matematik"),
    ] {
        let browser = crate::grades_ui::bankid_in_browser(&app, pnr).await;
        browser.goto(&app.url(&page)).await.unwrap();
        browser.fill("#talk-going_well", text).await.unwrap();
        browser.click("#talk-publish").await.unwrap();
        wait_for_text(&browser, "main", "Din del är publicerad").await;
        family_and_teacher.push(browser);
    }
    let mentor = browser().await;
    mentor.resize(Viewport::PHONE).await.unwrap();
    password_login(&mentor, &app, "larare", app.password_of("larare")).await;
    crate::ui::landed(&mentor, &app).await;
    mentor.goto(&app.url(&page)).await.unwrap();
    step_up(&mentor, &app, "larare").await;
    mentor
        .fill("#talk-going_well", "Leo tar ansvar för sitt lärande")
        .await
        .unwrap();
    mentor.click("#talk-publish").await.unwrap();
    wait_for_text(&mentor, "main", "Din del är publicerad").await;

    let all = [
        "Jag har börjat läsa mer",
        "Leo läser varje kväll",
        "Leo resonerar väl i matematik",
        "Leo tar ansvar för sitt lärande",
    ];
    // The pupil and the guardian look again and see all four; so does the mentor.
    // (Each one's own part stands in their form, the others' as published parts.)
    for (browser, own, name) in [
        (&family_and_teacher[0], 0, "talks-pupil"),
        (&family_and_teacher[1], 1, "talks-guardian"),
        (&mentor, 3, "talks-mentor-all"),
    ] {
        browser.goto(&app.url(&page)).await.unwrap();
        let others: Vec<&str> = (0..4).filter(|i| *i != own).map(|i| all[i]).collect();
        let main = wait_for_text(browser, "main", others[0]).await;
        for text in others {
            assert!(main.contains(text), "{name}: {text} in {main}");
        }
        let mine = browser
            .client()
            .execute(
                "return document.querySelector('#talk-going_well').value;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(mine, serde_json::json!(all[own]), "{name}");
        check_fits(browser, name).await;
    }
    // The teacher sees her own part only.
    let teacher = &family_and_teacher[2];
    teacher.goto(&app.url(&page)).await.unwrap();
    let main = wait_for_text(teacher, "main", "Publicerad").await;
    let mine = teacher
        .client()
        .execute(
            "return document.querySelector('#talk-going_well').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(mine, serde_json::json!(all[2]));
    for text in [all[0], all[1], all[3]] {
        assert!(!main.contains(text), "the teacher sees {text}: {main}");
    }
    check_fits(teacher, "talks-teacher").await;
}
