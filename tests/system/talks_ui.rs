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
