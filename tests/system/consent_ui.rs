//! Consents in a real browser, with axe-core at 360 px and at desktop width (`/samtycken`):
//! Erik gives the talks consent and it waits for Maria; Maria gives it on her phone and it is in
//! force; she withdraws it, is told first what that closes and when the talk material is deleted,
//! confirms, and the history shows all three decisions.

use crate::ui::{browser, check_fits, password_login, wait_for_text};
use skolportal_tests::browser::Viewport;

#[tokio::test]
async fn both_guardians_consent_and_one_withdrawal_closes_it_after_a_warning() {
    let app = crate::ui::app_with_spa(false).await;
    let erik = app.login("erik").await;
    let (_, children) = erik.get_json("/api/children").await;
    let alva = children
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["given_name"] == "Alva")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = erik
        .put(
            &format!("/api/children/{alva}/consents/utvecklingssamtal"),
            &serde_json::json!({ "decision": "given" }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let card = format!("#consent-{alva}-utvecklingssamtal");

    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "maria", app.password_of("maria")).await;
    browser.wait_for(".card__title").await.unwrap();
    browser.goto(&app.url("/samtycken")).await.unwrap();
    browser.wait_for(&card).await.unwrap();
    wait_for_text(&browser, "main", "Väntar på den andra vårdnadshavaren").await;
    check_fits(&browser, "consents").await;

    // Maria gives it: in force.
    browser.click(&format!("{card}-give")).await.unwrap();
    wait_for_text(&browser, "#consent-status", "Samtycket är sparat").await;
    wait_for_text(&browser, "main", "Gäller").await;

    // Withdrawing asks first, with what it closes and when the material is deleted.
    browser.click(&format!("{card}-withdraw")).await.unwrap();
    wait_for_text(&browser, "main", "raderas efter 30 dagar").await;
    check_fits(&browser, "consents-withdraw").await;
    browser
        .click(&format!("{card}-confirm-withdraw"))
        .await
        .unwrap();
    wait_for_text(&browser, "#consent-status", "Ditt nej är sparat").await;
    wait_for_text(&browser, "main", "Återkallat").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM consent_decision WHERE decision = 'withdrawn'")
            .await,
        1
    );
    let (_, view) = erik
        .get_json(&format!("/api/children/{alva}/consents"))
        .await;
    let talks = view["consents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"]["key"] == "utvecklingssamtal")
        .unwrap();
    assert_eq!(talks["state"], "withdrawn");
    assert_eq!(talks["history"].as_array().unwrap().len(), 3);
}
