//! Nothing lost, nothing doubled: the signing flow keeps all its state in the database, so a
//! server killed between the sign request and the callback loses nothing, and retries (a doubled
//! click, a replayed callback after a lost response) store nothing twice. The real `skolportal`
//! binary runs as a child process and is killed with SIGKILL mid-flow.

use chrono::{Datelike, NaiveDate, Utc};
use serde_json::{json, Value};
use skolportal_tests::process::Installation;
use skolportal_tests::UserClient;

/// The first day of next month: always a valid start for an income statement, whatever day the
/// (real, unfixed) clock of the server process says it is.
fn first_of_next_month() -> NaiveDate {
    let today = Utc::now().date_naive();
    let (year, month) = match today.month() {
        12 => (today.year() + 1, 1),
        m => (today.year(), m + 1),
    };
    NaiveDate::from_ymd_opt(year, month, 1).unwrap()
}

async fn start_signing(client: &UserClient, document: &str) -> reqwest::Response {
    client
        .post(
            &format!("/api/childcare/documents/{document}/sign"),
            &json!({}),
        )
        .await
}

/// Follows the broker's redirects as a browser would, until the provider shows its BankID page;
/// returns that page's address.
async fn open_at_provider(client: &UserClient, url: &str) -> String {
    let mut url = url::Url::parse(url).unwrap();
    for _ in 0..10 {
        let response = client.http.get(url.clone()).send().await.unwrap();
        if !response.status().is_redirection() {
            assert_eq!(response.status(), 200, "the provider's page at {url}");
            return url.to_string();
        }
        let next = response.headers()["location"].to_str().unwrap().to_owned();
        url = url.join(&next).unwrap();
    }
    panic!("the provider never showed its page");
}

/// (documents, signed documents, evidence rows) in the whole database: the installation is fresh,
/// so everything counted belongs to this test.
async fn stored(installation: &Installation) -> (i64, i64, i64) {
    (
        installation
            .count("SELECT COUNT(*) FROM childcare_document")
            .await,
        installation
            .count("SELECT COUNT(*) FROM childcare_document WHERE status = 'signed'")
            .await,
        installation
            .count("SELECT COUNT(*) FROM signature_evidence")
            .await,
    )
}

#[tokio::test]
async fn a_signature_survives_a_killed_server_and_retries_store_nothing_twice() {
    let mut installation = Installation::new().await;
    let first = installation.start().await;

    let pnr = installation.personnummer_of("Anna", "Lindqvist").await;
    let anna = installation.anonymous();
    assert_eq!(anna.bankid_login(&pnr, "loa3").await.status(), 302);
    let filed = anna
        .post(
            "/api/childcare/income-statements",
            &json!({"valid_from": first_of_next_month(), "max_fee_accepted": false, "gross_monthly_income": 41_000}),
        )
        .await;
    assert_eq!(filed.status(), 201);
    let document = filed.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // A double click on "Skriv under": two sign requests, each with its own pending state.
    let (one, two) = tokio::join!(
        start_signing(&anna, &document),
        start_signing(&anna, &document)
    );
    let mut urls = Vec::new();
    for started in [one, two] {
        assert_eq!(started.status(), 200);
        let body: Value = started.json().await.unwrap();
        urls.push(body["redirect_url"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        installation
            .count(
                "SELECT COUNT(*) FROM pending_login WHERE purpose = 'sign' AND consumed_at IS NULL"
            )
            .await,
        2
    );
    // The browser is at the provider, which has verified the portal's sign request.
    let at_provider = open_at_provider(&anna, &urls[0]).await;

    // The server dies without a chance to finish anything, and a new process takes its place.
    let killed = first.id();
    first.kill();
    assert!(
        anna.http
            .get(installation.address.clone() + "/api/health")
            .send()
            .await
            .is_err(),
        "process {killed} still answers after SIGKILL"
    );
    let second = installation.start().await;

    // The signer finishes at the provider, and the browser delivers the callback to the new
    // process twice at once (a retry while the first attempt is still under way).
    let callback = anna
        .walk_provider(&at_provider, &pnr, "loa3", "/api/sign/callback")
        .await;
    let (done, retry) = tokio::join!(
        anna.http.get(&callback).send(),
        anna.http.get(&callback).send()
    );
    let mut landed: Vec<String> = [done.unwrap(), retry.unwrap()]
        .iter()
        .map(|r| {
            assert_eq!(r.status(), 303);
            r.headers()["location"].to_str().unwrap().to_owned()
        })
        .collect();
    landed.sort();
    assert_eq!(
        landed,
        [
            format!("/barnomsorg/dokument/{document}?signerat=1"),
            "/barnomsorg?fel=wrong_state".to_owned(),
        ],
        "one delivery signs, the other finds its state used\n{}",
        second.log()
    );
    assert_eq!(
        stored(&installation).await,
        (1, 1, 1),
        "one document, signed, with one evidence row"
    );
    let (status, view) = anna
        .get_json(&format!("/api/childcare/documents/{document}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(view["status"], "signed");
    assert_eq!(view["signatures"].as_array().unwrap().len(), 1);

    // The response was lost and the browser retries the callback: refused, nothing new.
    let replayed = anna.http.get(&callback).send().await.unwrap();
    assert_eq!(replayed.status(), 303);
    assert_eq!(
        replayed.headers()["location"],
        "/barnomsorg?fel=wrong_state"
    );
    assert_eq!(stored(&installation).await, (1, 1, 1));

    // The other tab of the double click is signed later: the document is already signed.
    let other_tab = anna
        .walk_provider(&urls[1], &pnr, "loa3", "/api/sign/callback")
        .await;
    let late = anna.http.get(&other_tab).send().await.unwrap();
    assert_eq!(late.status(), 303);
    assert_eq!(
        late.headers()["location"],
        format!("/barnomsorg/dokument/{document}?fel=already_signed").as_str()
    );
    assert_eq!(stored(&installation).await, (1, 1, 1));

    // A double click on the signed document: both refused up front, nothing started.
    let (one, two) = tokio::join!(
        start_signing(&anna, &document),
        start_signing(&anna, &document)
    );
    for refused in [one, two] {
        assert_eq!(refused.status(), 409);
        assert_eq!(
            refused.json::<Value>().await.unwrap()["error"],
            "already_signed"
        );
    }
    assert_eq!(
        installation
            .count(
                "SELECT COUNT(*) FROM pending_login WHERE purpose = 'sign' AND consumed_at IS NULL"
            )
            .await,
        0
    );
    assert_eq!(stored(&installation).await, (1, 1, 1));
}
