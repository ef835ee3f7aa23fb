//! The guardians' childcare-place pages in headless Chromium against the real backend and the
//! BankID test provider: applying for a place, answering an offer (alone, and as one of two
//! guardians at different addresses), an offer that lapses, and terminating a place within and
//! outside the notice period. Every new page is checked with axe-core at 360 px and desktop width
//! and saved as a screenshot.

use chrono::Duration;
use serde_json::{json, Value};
use skolportal_tests::browser::{Browser, Viewport};
use skolportal_tests::{TestApp, UserClient};

use crate::ui::{app_with_spa, browser, check_page, password_login, wait_for_text};

/// [`check_page`], and nothing on the page is wider than a 360 px phone.
async fn check_new_page(browser: &Browser, name: &str) {
    check_page(browser, name).await;
    let overflow = browser
        .client()
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        overflow,
        Value::Bool(false),
        "{name} scrolls sideways at 360 px"
    );
}

/// Sets an input's or select's value as a person choosing in the browser's own picker would, and
/// fires the events the page listens to. (Typing into a date input depends on the browser's
/// locale; the picker itself cannot be driven.)
/// The personnummer of a demo account, to sign in with BankID as its person.
pub(crate) async fn personnummer(app: &TestApp, username: &str) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let sql = format!(
        "SELECT p.personnummer FROM person p JOIN user_account a ON a.person_id = p.id WHERE a.username = '{username}'"
    );
    let row = app
        .db
        .query_one(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no demo account {username}"));
    row.try_get_by_index::<String>(0).unwrap()
}

/// Logs in through the provider's BankID page and waits for "Mina barn".
async fn bankid_login(browser: &Browser, app: &TestApp, username: &str) {
    let pnr = personnummer(app, username).await;
    browser.goto(&app.url("/login")).await.unwrap();
    browser
        .click("a.button--secondary")
        .await
        .expect("Logga in med BankID");
    browser
        .fill("#personnummer", &pnr)
        .await
        .expect("the provider's BankID page");
    browser.click("#bankid-login").await.unwrap();
    browser
        .wait_for(".card__title")
        .await
        .expect("Mina barn after BankID");
}

/// On a document page: signs it through the provider's page (BankID again, then the text to
/// sign) and waits for the receipt, which names the signer.
async fn sign_document(browser: &Browser, app: &TestApp, username: &str, given: &str, text: &str) {
    let pnr = personnummer(app, username).await;
    browser.click("#sign-button").await.unwrap();
    browser
        .fill("#personnummer", &pnr)
        .await
        .expect("the provider's login for signing");
    browser.click("#bankid-login").await.unwrap();
    wait_for_text(browser, "#sign-message", text).await;
    browser.click("#bankid-sign").await.unwrap();
    browser
        .wait_for("#receipt")
        .await
        .expect("the receipt after signing");
    wait_for_text(browser, "#receipt", given).await;
}

async fn id_of(list: &Value, field: &str, value: &str) -> String {
    list.as_array()
        .unwrap()
        .iter()
        .find(|item| item[field] == value)
        .unwrap_or_else(|| panic!("no {field} = {value} in {list}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub(crate) async fn child_id(client: &UserClient, given: &str) -> String {
    let (_, children) = client.get_json("/api/children").await;
    id_of(&children, "given_name", given).await
}

pub(crate) async fn unit_id(client: &UserClient, name: &str) -> String {
    let (_, units) = client.get_json("/api/childcare/units").await;
    id_of(&units, "name", name).await
}

/// An application made through the API and an officer's offer of `unit` for it; the offer's id.
pub(crate) async fn offered(app: &TestApp, guardian: &str, child: &str, unit: &str) -> String {
    let client = app.login(guardian).await;
    let child = child_id(&client, child).await;
    let unit = unit_id(&client, unit).await;
    let application: Value = client
        .post(
            "/api/childcare/applications",
            &json!({"child_id": child, "wished_start": "2027-01-11", "unit_ids": [unit], "hours_per_week": 30}),
        )
        .await
        .json()
        .await
        .unwrap();
    let officer = app.login("handlaggare").await;
    let response = officer
        .post(
            "/api/childcare/offers",
            &json!({"application_id": application["id"], "unit_id": unit, "start_date": "2027-01-11"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let offer: Value = response.json().await.unwrap();
    offer["id"].as_str().unwrap().to_owned()
}

async fn has_place(app: &TestApp, guardian: &str, child: &str, unit: &str) -> bool {
    let client = app.login(guardian).await;
    let child = child_id(&client, child).await;
    let (_, places) = client.get_json("/api/childcare/placements").await;
    places
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["child_id"] == child.as_str() && p["unit"]["name"] == unit)
}

#[tokio::test]
async fn a_guardian_applies_for_a_place_and_sees_her_place_in_the_queue() {
    let app = app_with_spa(false).await;
    let anna = app.login("anna").await;
    let ella = child_id(&anna, "Ella").await;
    let ekorren = unit_id(&anna, "Förskolan Ekorren").await;
    let larkan = unit_id(&anna, "Förskolan Lärkan").await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();

    // From the Barnomsorg overview.
    browser.goto(&app.url("/barnomsorg")).await.unwrap();
    wait_for_text(&browser, "main", "Plats i barnomsorg").await;
    check_new_page(&browser, "childcare-overview").await;
    browser
        .click("a[href='/barnomsorg/ansokan']")
        .await
        .expect("Ansök om plats on the overview");
    browser.wait_for("#apply-form").await.expect("the form");
    wait_for_text(&browser, "main", "Du har inga ansökningar").await;
    check_new_page(&browser, "apply").await;

    // Sending nothing names what is missing; wrong answers are explained as they are typed.
    browser.click("#apply-submit").await.unwrap();
    wait_for_text(&browser, "#apply-error", "Rätta uppgifterna").await;
    wait_for_text(&browser, "#apply-form", "Välj vilket barn").await;
    wait_for_text(&browser, "#apply-form", "Välj minst en").await;
    check_new_page(&browser, "apply-errors").await;
    browser.fill("#hours", "61").await.unwrap();
    wait_for_text(&browser, "#hours-error", "mellan 1 och 60").await;
    // Long past by any clock (the page checks with the device's, the server with its own).
    browser
        .set_value("#wished-start", "2020-01-01")
        .await
        .unwrap();
    wait_for_text(&browser, "#wished-start-error", "redan passerat").await;
    browser.set_value("#unit-1", &ekorren).await.unwrap();
    browser.set_value("#unit-2", &ekorren).await.unwrap();
    wait_for_text(&browser, "#unit-choices-error", "samma enhet").await;

    browser.click(&format!("#child-{ella}")).await.unwrap();
    browser
        .set_value("#wished-start", "2027-01-11")
        .await
        .unwrap();
    browser.set_value("#unit-2", &larkan).await.unwrap();
    browser.fill("#hours", "30").await.unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM childcare_application")
            .await,
        0,
        "nothing is sent while the form is wrong"
    );
    browser.click("#apply-submit").await.unwrap();
    let status = wait_for_text(&browser, "#apply-status", "Plats i kön: 1").await;
    assert!(status.contains("2027-03-24"), "{status}");
    let card = wait_for_text(&browser, ".application", "I kö").await;
    for expected in [
        "Ella",
        "Plats i kön",
        "Plats erbjuds senast",
        "2027-03-24",
        "Förskolan Ekorren, Förskolan Lärkan",
    ] {
        assert!(card.contains(expected), "{expected} missing from {card}");
    }
    check_new_page(&browser, "apply-sent").await;

    // The server's refusal, in Swedish: one application per child in the queue.
    browser.click(&format!("#child-{ella}")).await.unwrap();
    browser
        .set_value("#wished-start", "2027-02-01")
        .await
        .unwrap();
    browser.set_value("#unit-1", &larkan).await.unwrap();
    browser.fill("#hours", "20").await.unwrap();
    browser.click("#apply-submit").await.unwrap();
    wait_for_text(&browser, "#apply-error", "redan en ansökan i kön").await;
    browser.close().await.unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM childcare_application")
            .await,
        1
    );
}

#[tokio::test]
async fn an_offer_accepted_and_signed_with_bankid_gives_the_child_a_place() {
    let app = app_with_spa(true).await;
    let offer = offered(&app, "anna", "Ella", "Förskolan Ekorren").await;
    assert!(!has_place(&app, "anna", "Ella", "Förskolan Ekorren").await);
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    bankid_login(&browser, &app, "anna").await;

    browser.goto(&app.url("/barnomsorg")).await.unwrap();
    browser
        .click("a[href='/barnomsorg/erbjudanden']")
        .await
        .expect("Platserbjudanden on the overview");
    let card = wait_for_text(&browser, ".offer", "Väntar på svar").await;
    for expected in [
        "Ella",
        "Förskolan Ekorren",
        "2027-01-11",
        "30",
        "Svara senast",
    ] {
        assert!(card.contains(expected), "{expected} missing from {card}");
    }
    // The last day to answer, as a date: not the minute the officer made the offer.
    assert!(
        card.contains("2026-12-08") && !card.contains("kl."),
        "the deadline is a date: {card}"
    );
    check_new_page(&browser, "offers").await;

    browser.click(&format!("#accept-{offer}")).await.unwrap();
    wait_for_text(&browser, "#document-text", "Jag tackar ja till platsen.").await;
    check_new_page(&browser, "offer-answer-draft").await;
    sign_document(&browser, &app, "anna", "Anna", "Jag tackar ja").await;
    wait_for_text(&browser, "#sign-status", "Dokumentet är underskrivet.").await;
    check_new_page(&browser, "offer-answer-signed").await;

    browser
        .goto(&app.url("/barnomsorg/erbjudanden"))
        .await
        .unwrap();
    wait_for_text(&browser, ".offer", "Accepterat").await;
    browser.close().await.unwrap();
    assert!(
        has_place(&app, "anna", "Ella", "Förskolan Ekorren").await,
        "the signed answer created the place"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM signature_evidence").await,
        1
    );
}

#[tokio::test]
async fn separated_guardians_both_sign_and_each_sees_the_answer_wait_for_the_other() {
    let app = app_with_spa(true).await;
    let offer = offered(&app, "erik", "Alva", "Fritidshemmet Solstrålen").await;

    // Erik answers first and signs his part.
    let erik = browser().await;
    erik.resize(Viewport::PHONE).await.unwrap();
    bankid_login(&erik, &app, "erik").await;
    erik.goto(&app.url("/barnomsorg/erbjudanden"))
        .await
        .unwrap();
    erik.click(&format!("#accept-{offer}")).await.unwrap();
    wait_for_text(&erik, "#document-text", "båda ska skriva under").await;
    sign_document(&erik, &app, "erik", "Erik", "Jag tackar ja").await;
    wait_for_text(
        &erik,
        "#sign-status",
        "väntar det på den andra vårdnadshavarens",
    )
    .await;
    wait_for_text(
        &erik,
        ".document-facts",
        "Väntar på den andra vårdnadshavaren",
    )
    .await;
    wait_for_text(
        &erik,
        "#document-state-note",
        "den andra vårdnadshavaren också",
    )
    .await;
    check_new_page(&erik, "offer-answer-waiting-first").await;
    erik.goto(&app.url("/barnomsorg/erbjudanden"))
        .await
        .unwrap();
    wait_for_text(&erik, ".offer__waiting", "Du har skrivit under svaret").await;
    wait_for_text(
        &erik,
        ".offer__waiting",
        "Väntar på den andra vårdnadshavaren",
    )
    .await;
    assert!(
        erik.client()
            .find(fantoccini::Locator::Css(&format!("#accept-{offer}")))
            .await
            .is_err(),
        "no second answer while one waits"
    );
    check_new_page(&erik, "offers-waiting-first").await;
    erik.close().await.unwrap();
    assert!(!has_place(&app, "erik", "Alva", "Fritidshemmet Solstrålen").await);

    // Maria sees that it waits for her, and signs.
    let maria = browser().await;
    maria.resize(Viewport::PHONE).await.unwrap();
    bankid_login(&maria, &app, "maria").await;
    maria
        .goto(&app.url("/barnomsorg/erbjudanden"))
        .await
        .unwrap();
    wait_for_text(
        &maria,
        ".offer__waiting",
        "Den andra vårdnadshavaren har skrivit under",
    )
    .await;
    wait_for_text(
        &maria,
        ".offer__waiting",
        "Väntar på den andra vårdnadshavaren",
    )
    .await;
    check_new_page(&maria, "offers-waiting-second").await;
    maria
        .click(".offer a[href^='/barnomsorg/dokument/']")
        .await
        .unwrap();
    wait_for_text(
        &maria,
        "#document-state-note",
        "när du också har skrivit under",
    )
    .await;
    check_new_page(&maria, "offer-answer-second-guardian").await;
    sign_document(&maria, &app, "maria", "Maria", "Jag tackar ja").await;
    wait_for_text(&maria, "#sign-status", "Dokumentet är underskrivet.").await;
    let receipt = wait_for_text(&maria, "#receipt", "Erik").await;
    assert!(receipt.contains("Maria"), "{receipt}");
    wait_for_text(&maria, ".document-facts", "Signerad").await;
    maria
        .goto(&app.url("/barnomsorg/erbjudanden"))
        .await
        .unwrap();
    wait_for_text(&maria, ".offer", "Accepterat").await;
    assert!(
        has_place(&app, "erik", "Alva", "Fritidshemmet Solstrålen").await,
        "the place exists once both have signed"
    );

    // Maria terminates the new place and signs; until Erik signs too, the termination page
    // shows it waiting, for both, and the place cannot be terminated a second time.
    maria
        .goto(&app.url("/barnomsorg/uppsagning"))
        .await
        .unwrap();
    wait_for_text(&maria, "#terminate-place", "Fritidshemmet Solstrålen").await;
    maria.click("#terminate-place input").await.unwrap();
    maria.set_value("#last-day", "2027-03-31").await.unwrap();
    maria.click("#terminate-submit").await.unwrap();
    wait_for_text(&maria, "#document-text", "Sista dag: 2027-03-31").await;
    sign_document(&maria, &app, "maria", "Maria", "2027-03-31").await;
    wait_for_text(
        &maria,
        "#sign-status",
        "väntar det på den andra vårdnadshavarens",
    )
    .await;
    maria.close().await.unwrap();
    let erik = browser().await;
    bankid_login(&erik, &app, "erik").await;
    erik.goto(&app.url("/barnomsorg/uppsagning")).await.unwrap();
    wait_for_text(
        &erik,
        "#pending-terminations",
        "Fritidshemmet Solstrålen (Fritidshem): sista dag 2027-03-31",
    )
    .await;
    assert!(
        erik.client()
            .find(fantoccini::Locator::Css("#terminate-place"))
            .await
            .is_err(),
        "the waiting place is not offered for a second termination"
    );
    check_new_page(&erik, "terminate-waiting").await;
    erik.close().await.unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM signature_evidence").await,
        3,
        "both answers to the offer and Maria's termination"
    );
}

#[tokio::test]
async fn an_offer_not_answered_in_time_shows_as_lapsed() {
    let app = app_with_spa(false).await;
    let offer = offered(&app, "anna", "Ella", "Förskolan Ekorren").await;
    app.advance(Duration::days(15));
    // The server's own periodic run may get there first; either way the offer has lapsed.
    let _ = skolportal_backend::childcare::offers::lapse_due(&app.db, app.clock.now())
        .await
        .unwrap();
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();
    browser
        .goto(&app.url("/barnomsorg/erbjudanden"))
        .await
        .unwrap();
    wait_for_text(&browser, ".offer", "Förfallet").await;
    assert!(
        browser
            .client()
            .find(fantoccini::Locator::Css(&format!("#accept-{offer}")))
            .await
            .is_err(),
        "a lapsed offer cannot be answered"
    );
    check_new_page(&browser, "offers-lapsed").await;
    browser.goto(&app.url("/barnomsorg/ansokan")).await.unwrap();
    wait_for_text(&browser, ".application", "Avslutad").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_last_day_inside_the_notice_period_is_explained_and_a_later_one_is_signed() {
    let app = app_with_spa(true).await;
    let anna = app.login("anna").await;
    let ella = child_id(&anna, "Ella").await;
    let (_, places) = anna.get_json("/api/childcare/placements").await;
    let place = id_of(&places, "child_id", &ella).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    bankid_login(&browser, &app, "anna").await;
    browser.goto(&app.url("/barnomsorg")).await.unwrap();
    browser
        .click("a[href='/barnomsorg/uppsagning']")
        .await
        .expect("Säg upp plats on the overview");
    browser.wait_for("#terminate-form").await.unwrap();
    wait_for_text(
        &browser,
        "#terminate-place",
        "Ella Lindqvist – Förskolan Lärkan",
    )
    .await;
    check_new_page(&browser, "terminate").await;

    browser.click(&format!("#place-{place}")).await.unwrap();
    wait_for_text(&browser, "#last-day-hint", "Tidigast 2027-01-24").await;
    let min = browser
        .wait_for("#last-day")
        .await
        .unwrap()
        .attr("min")
        .await
        .unwrap();
    assert_eq!(
        min.as_deref(),
        Some("2027-01-24"),
        "the picker starts there"
    );
    browser.set_value("#last-day", "2027-01-23").await.unwrap();
    wait_for_text(
        &browser,
        "#last-day-error",
        "Sista dagen kan tidigast vara 2027-01-24",
    )
    .await;
    browser.click("#terminate-submit").await.unwrap();
    wait_for_text(&browser, "#termination-error", "Rätta uppgifterna").await;
    check_new_page(&browser, "terminate-too-early").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM childcare_document").await,
        0,
        "a last day inside the notice period stores nothing"
    );

    browser.set_value("#last-day", "2027-01-31").await.unwrap();
    browser.click("#terminate-submit").await.unwrap();
    wait_for_text(&browser, "#document-text", "Sista dag: 2027-01-31").await;
    check_new_page(&browser, "termination-draft").await;
    sign_document(&browser, &app, "anna", "Anna", "2027-01-31").await;
    wait_for_text(&browser, "#sign-status", "Dokumentet är underskrivet.").await;
    check_new_page(&browser, "termination-signed").await;
    // Issue #13.4: the receipt is a printable page: a print button, and a print stylesheet that
    // drops the portal's header, navigation and buttons around the signed text.
    browser
        .wait_for("#receipt-print")
        .await
        .expect("Skriv ut kvittot");
    let print_rules = browser
        .client()
        .execute(
            "return [...document.styleSheets].flatMap(s => [...s.cssRules]) \
             .filter(r => r.media && r.media.mediaText === 'print').map(r => r.cssText).join(' ');",
            vec![],
        )
        .await
        .unwrap();
    let print_rules = print_rules.as_str().unwrap_or_default().to_owned();
    for hidden in [".site-header", ".main-nav", ".button"] {
        assert!(
            print_rules.contains(hidden),
            "{hidden} in print: {print_rules}"
        );
    }
    browser
        .goto(&app.url("/barnomsorg/uppsagning"))
        .await
        .unwrap();
    wait_for_text(
        &browser,
        "#ended-places",
        "Förskolan Lärkan (Förskola): sista dag 2027-01-31",
    )
    .await;
    check_new_page(&browser, "terminate-ended").await;
    browser.close().await.unwrap();
}

/// Issues #13.2 and #13.4 in the browser: the form refuses a preschool for an 11-year-old in
/// Swedish before sending (the same rule as the server), takes fritidshem, and the guardian
/// withdraws the application after confirming.
#[tokio::test]
async fn the_form_refuses_a_preschool_for_a_schoolchild_and_an_application_is_withdrawn() {
    let app = app_with_spa(false).await;
    let anna = app.login("anna").await;
    let nils = child_id(&anna, "Nils").await;
    let ekorren = unit_id(&anna, "Förskolan Ekorren").await;
    let fritids = unit_id(&anna, "Fritidshemmet Solstrålen").await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();
    browser.goto(&app.url("/barnomsorg/ansokan")).await.unwrap();
    browser.wait_for("#apply-form").await.expect("the form");

    browser.click(&format!("#child-{nils}")).await.unwrap();
    browser
        .set_value("#wished-start", "2027-01-11")
        .await
        .unwrap();
    browser.set_value("#unit-1", &ekorren).await.unwrap();
    browser.fill("#hours", "15").await.unwrap();
    wait_for_text(
        &browser,
        "#unit-choices-error",
        "Förskola är till förskoleklass",
    )
    .await;
    browser.click("#apply-submit").await.unwrap();
    wait_for_text(&browser, "#apply-error", "Rätta uppgifterna").await;
    check_new_page(&browser, "apply-not-eligible").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM childcare_application")
            .await,
        0,
        "nothing is sent"
    );

    browser.set_value("#unit-1", &fritids).await.unwrap();
    browser.click("#apply-submit").await.unwrap();
    wait_for_text(&browser, "#apply-status", "Plats i kön: 1").await;
    let card = wait_for_text(&browser, ".application", "I kö").await;
    assert!(card.contains("Nils"), "{card}");

    // Withdraw: asked once more, then out of the queue.
    browser
        .click(".application button[id^='withdraw-']")
        .await
        .unwrap();
    wait_for_text(
        &browser,
        ".withdraw-confirm",
        "Vill du återkalla ansökan för Nils",
    )
    .await;
    check_new_page(&browser, "apply-withdraw-confirm").await;
    browser
        .click(".withdraw-confirm button.button--primary")
        .await
        .unwrap();
    wait_for_text(&browser, "#withdraw-status", "är återkallad").await;
    wait_for_text(&browser, ".application", "Återkallad").await;
    check_new_page(&browser, "apply-withdrawn").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM childcare_application WHERE status = 'withdrawn'")
            .await,
        1
    );
    browser.close().await.unwrap();
}
