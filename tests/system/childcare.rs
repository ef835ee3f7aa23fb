//! Childcare documents signed with BankID: the income statement with its maxtaxa fee, the
//! Signature Extension through the real test provider, evidence, and the password-session refusal.

use serde_json::{json, Value};
use skolportal_tests::app::TestOptions;
use skolportal_tests::{TestApp, UserClient};

async fn app() -> TestApp {
    TestApp::spawn_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await
}

async fn bankid_anna(app: &TestApp) -> (UserClient, String) {
    let pnr = app.personnummer_of("Anna", "Lindqvist").await;
    let client = app.anonymous();
    assert_eq!(client.bankid_login(&pnr, "loa3").await.status(), 302);
    (client, pnr)
}

fn statement(income: Option<i64>) -> Value {
    json!({"valid_from": "2026-12-01", "max_fee_accepted": income.is_none(), "gross_monthly_income": income})
}

async fn create(client: &UserClient, body: &Value) -> (u16, Value) {
    let r = client.post("/api/childcare/income-statements", body).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Signs document `id` through the provider; returns the portal callback's Location.
async fn sign(client: &UserClient, id: &str, pnr: &str) -> (String, String) {
    let r = client
        .post(&format!("/api/childcare/documents/{id}/sign"), &json!({}))
        .await;
    assert_eq!(r.status(), 200);
    let start: Value = r.json().await.unwrap();
    let url = start["redirect_url"].as_str().unwrap().to_owned();
    assert!(
        url.contains("https%3A%2F%2Fid.oidc.se%2Fscope%2Fsign")
            || url.contains("id.oidc.se/scope/sign")
    );
    let callback = client
        .walk_provider(&url, pnr, "loa3", "/api/sign/callback")
        .await;
    let done = client.http.get(&callback).send().await.unwrap();
    (
        callback,
        done.headers()["location"].to_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn a_guardian_files_and_signs_an_income_statement_with_bankid() {
    let app = app().await;
    let (anna, pnr) = bankid_anna(&app).await;

    let (status, basis) = anna.get_json("/api/childcare/fee-basis").await;
    assert_eq!(status, 200);
    let kinds: Vec<&str> = basis["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["care"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"preschool") && kinds.contains(&"fritidshem"),
        "{kinds:?}"
    );

    let (status, draft) = create(&anna, &statement(Some(45_000))).await;
    assert_eq!(status, 201, "{draft}");
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["permitted_actions"], json!(["sign", "delete"]));
    let text = draft["text"].as_str().unwrap();
    assert!(text.contains("45 000 kr"), "{text}");
    // The fee in the signed text is the shared function's answer for this household.
    let settings = skolportal_shared::fee::FeeSettings::swedish_defaults();
    let household = skolportal_shared::fee::Household {
        monthly_income: Some(45_000),
        children: basis["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| serde_json::from_value::<skolportal_shared::api::FeeChild>(c.clone()).unwrap())
            .map(|c| skolportal_shared::fee::ChildPlacement {
                child_id: c.child_id,
                birth_date: c.birth_date,
                care: c.care,
                hours_per_week: c.hours_per_week,
            })
            .collect(),
    };
    let fees = skolportal_shared::fee::monthly_fees(
        &settings,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        &household,
    )
    .unwrap();
    let total = fees.total.to_string();
    let total = if total.len() > 3 {
        format!(
            "{} {}",
            &total[..total.len() - 3],
            &total[total.len() - 3..]
        )
    } else {
        total
    };
    assert!(
        text.contains(&format!("Summa: {total} kr")),
        "expected total {total} in {text}"
    );

    let id = draft["id"].as_str().unwrap().to_owned();
    let (_, location) = sign(&anna, &id, &pnr).await;
    assert_eq!(location, format!("/barnomsorg/dokument/{id}?signerat=1"));
    let (_, signed) = anna
        .get_json(&format!("/api/childcare/documents/{id}"))
        .await;
    assert_eq!(signed["status"], "signed");
    assert_eq!(signed["signatures"].as_array().unwrap().len(), 1);
    assert_eq!(
        signed["signatures"][0]["acr"],
        "http://id.elegnamnden.se/loa/1.0/loa3"
    );
    assert_eq!(signed["permitted_actions"], json!([]));

    let receipt = anna
        .get(&format!("/api/childcare/documents/{id}/receipt"))
        .await;
    assert!(receipt.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let receipt: Value = receipt.json().await.unwrap();
    let evidence = &receipt["signatures"][0];
    let bytes = evidence["document_bytes"].as_str().unwrap();
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(bytes.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(evidence["document_sha256"], digest);
    assert_eq!(evidence["text_shown"], text);
    assert_eq!(evidence["signer_personnummer"], pnr);
    assert_eq!(
        evidence["id_token"].as_str().unwrap().split('.').count(),
        3,
        "the raw ID token (JWS) is kept"
    );
    assert!(!evidence["user_signature"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn the_evidence_is_stored_once_and_can_never_change() {
    use sea_orm::ConnectionTrait;
    let app = app().await;
    let (anna, pnr) = bankid_anna(&app).await;
    let (_, draft) = create(&anna, &statement(None)).await;
    let id = draft["id"].as_str().unwrap().to_owned();
    let (callback, _) = sign(&anna, &id, &pnr).await;
    // The same callback again (a reload, a lost response): refused, nothing doubled.
    let again = anna.http.get(&callback).send().await.unwrap();
    assert_eq!(again.headers()["location"], "/barnomsorg?fel=wrong_state");
    // Signing the signed document again is refused up front.
    let twice = anna
        .post(&format!("/api/childcare/documents/{id}/sign"), &json!({}))
        .await;
    assert_eq!(twice.status(), 409);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM signature_evidence").await,
        1
    );
    assert!(app
        .db
        .execute_unprepared("UPDATE signature_evidence SET acr = 'x'")
        .await
        .is_err());
    assert!(app
        .db
        .execute_unprepared("DELETE FROM signature_evidence")
        .await
        .is_err());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM signature_evidence").await,
        1
    );
}

#[tokio::test]
async fn a_password_session_sees_the_document_but_cannot_sign() {
    let app = app().await;
    let anna = app.login("anna").await;
    let (status, draft) = create(&anna, &statement(Some(30_000))).await;
    assert_eq!(status, 201);
    // Deleting one's own draft needs no BankID; signing does.
    assert_eq!(draft["permitted_actions"], json!(["delete"]));
    assert_eq!(draft["sign_blocked_reason"], "bankid_required");
    let id = draft["id"].as_str().unwrap();
    let refused = anna
        .post(&format!("/api/childcare/documents/{id}/sign"), &json!({}))
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(
        refused.json::<Value>().await.unwrap()["error"],
        "bankid_required"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pending_login").await,
        0,
        "no signature was started"
    );
}

#[tokio::test]
async fn bad_income_statements_are_refused_and_nothing_is_stored() {
    let app = app().await;
    let anna = app.login("anna").await;
    for (body, status, code) in [
        (
            json!({"valid_from": "2026-12-01", "max_fee_accepted": false, "gross_monthly_income": -5}),
            400,
            "invalid_income",
        ),
        (
            json!({"valid_from": "2026-12-01", "max_fee_accepted": false, "gross_monthly_income": 99_000_000_000i64}),
            400,
            "invalid_income",
        ),
        (
            json!({"valid_from": "2026-12-01", "max_fee_accepted": false}),
            400,
            "income_required",
        ),
        (
            json!({"valid_from": "2026-10-01", "max_fee_accepted": true}),
            422,
            "valid_from_in_past",
        ),
        (
            json!({"valid_from": "2026-12-15", "max_fee_accepted": true}),
            422,
            "not_first_of_month",
        ),
    ] {
        let (got, answer) = create(&anna, &body).await;
        assert_eq!(
            (got, answer["error"].as_str()),
            (status, Some(code)),
            "{body}"
        );
    }
    let (got, _) = create(
        &anna,
        &json!({"valid_from": "inte ett datum", "max_fee_accepted": true}),
    )
    .await;
    assert_eq!(got, 400);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM childcare_document").await,
        0
    );
}

#[tokio::test]
async fn someone_elses_document_does_not_exist() {
    let app = app().await;
    let anna = app.login("anna").await;
    let (_, draft) = create(&anna, &statement(Some(20_000))).await;
    let id = draft["id"].as_str().unwrap();
    let erik = app.login("erik").await;
    assert_eq!(
        erik.get(&format!("/api/childcare/documents/{id}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        erik.get(&format!("/api/childcare/documents/{id}/receipt"))
            .await
            .status(),
        404
    );
    assert_eq!(
        erik.post(&format!("/api/childcare/documents/{id}/sign"), &json!({}))
            .await
            .status(),
        404
    );
    let (_, list) = erik.get_json("/api/childcare/documents").await;
    assert_eq!(list, json!([]));
}

/// A child with two places (an accepted offer to another unit, starting while the current place
/// runs) is one child for the fee — not a server error.
#[tokio::test]
async fn a_child_with_a_second_place_is_counted_once_for_the_fee() {
    use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
    use skolportal_backend::entity::placement;
    let app = app().await;
    let pnr = app.personnummer_of("Ella", "Lindqvist").await;
    let current = placement::Entity::find().all(&app.db).await.unwrap();
    let ella_id = skolportal_backend::entity::person::Entity::find()
        .filter(skolportal_backend::entity::person::Column::Personnummer.eq(pnr))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let place = current.iter().find(|p| p.child_id == ella_id).unwrap();
    let other_unit = current
        .iter()
        .find(|p| p.kind == place.kind && p.unit_id != place.unit_id)
        .unwrap()
        .unit_id;
    placement::Entity::insert(placement::ActiveModel {
        id: Set(uuid::Uuid::new_v4()),
        municipality_id: Set(place.municipality_id),
        child_id: Set(ella_id),
        unit_id: Set(other_unit),
        group_id: Set(None),
        kind: Set(place.kind),
        start_date: Set(chrono::NaiveDate::from_ymd_opt(2027, 1, 7).unwrap()),
        end_date: Set(None),
        hours_per_week: Set(Some(30)),
    })
    .exec_without_returning(&app.db)
    .await
    .unwrap();

    let (anna, _) = bankid_anna(&app).await;
    let (status, basis) = anna.get_json("/api/childcare/fee-basis").await;
    assert_eq!(status, 200);
    let ellas: Vec<_> = basis["children"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["given_name"] == "Ella")
        .collect();
    assert_eq!(ellas.len(), 1, "{basis}");
    assert_eq!(
        ellas[0]["hours_per_week"],
        place.hours_per_week.unwrap_or(0)
    );
    let (status, body) = create(&anna, &statement(Some(30_000))).await;
    assert_eq!(status, 201, "{body}");
}

/// A second click on "Skicka", or a retry after a lost answer, gives back the same draft rather
/// than a second one; a different statement, or the same one much later, is a new draft.
#[tokio::test]
async fn a_retried_income_statement_is_one_draft() {
    let app = app().await;
    let (anna, _) = bankid_anna(&app).await;
    let drafts = "SELECT COUNT(*) FROM childcare_document WHERE kind = 'income_statement'";

    let (status, first) = create(&anna, &statement(Some(41_000))).await;
    assert_eq!(status, 201, "{first}");
    let (status, again) = create(&anna, &statement(Some(41_000))).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(first["id"], again["id"]);
    assert_eq!(app.count(drafts).await, 1);

    // Another statement replaces the unsigned draft (issue #13.4): one draft, the newest.
    let (_, other) = create(&anna, &statement(Some(52_000))).await;
    assert_ne!(other["id"], first["id"]);
    assert_eq!(app.count(drafts).await, 1);

    app.advance(chrono::Duration::minutes(16));
    let (_, later) = create(&anna, &statement(Some(41_000))).await;
    assert_ne!(later["id"], first["id"]);
    assert_eq!(app.count(drafts).await, 1);
}

/// Issue #13.4: an unsigned draft stayed beside the signed statement, looking the same. Now
/// the next statement replaces it, and its owner can delete it; a signed one stays.
#[tokio::test]
async fn an_unsigned_draft_is_replaced_or_deleted_and_a_signed_statement_stays() {
    let app = app().await;
    let (anna, pnr) = bankid_anna(&app).await;

    let (_, signed) = create(&anna, &statement(Some(41_000))).await;
    let signed_id = signed["id"].as_str().unwrap().to_owned();
    assert_eq!(signed["permitted_actions"], json!(["sign", "delete"]));
    sign(&anna, &signed_id, &pnr).await;
    let (_, stale) = create(&anna, &statement(Some(45_000))).await;
    let stale_id = stale["id"].as_str().unwrap().to_owned();
    app.advance(chrono::Duration::minutes(1));
    let (_, newest) = create(&anna, &statement(Some(47_000))).await;
    let newest_id = newest["id"].as_str().unwrap().to_owned();

    // The stale draft is gone; the signed statement and the newest draft remain.
    let (status, _) = anna
        .get_json(&format!("/api/childcare/documents/{stale_id}"))
        .await;
    assert_eq!(status, 404);
    let (_, list) = anna.get_json("/api/childcare/documents").await;
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [newest_id.as_str(), signed_id.as_str()]);

    // A signed statement cannot be deleted; nor can someone else delete a draft.
    let delete = |client: &UserClient, id: &str| {
        client.request(
            reqwest::Method::DELETE,
            &format!("/api/childcare/documents/{id}"),
        )
    };
    let r = delete(&anna, &signed_id).send().await.unwrap();
    assert_eq!(r.status(), 409);
    let (_, body) = (r.status(), r.json::<Value>().await.unwrap());
    assert_eq!(body["error"], "not_deletable");
    let erik = app.login("erik").await;
    assert_eq!(
        delete(&erik, &newest_id).send().await.unwrap().status(),
        404
    );
    // Its owner deletes the draft.
    assert_eq!(
        delete(&anna, &newest_id).send().await.unwrap().status(),
        204
    );
    let (_, list) = anna.get_json("/api/childcare/documents").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["status"], "signed");
    assert_eq!(list[0]["permitted_actions"], json!([]));
}

/// Issue #13.4: a foster parent (annan ansvarig vuxen) does not pay the child's fee, so is not
/// offered an income statement, and the server refuses one.
#[tokio::test]
async fn a_foster_parent_is_not_offered_an_income_statement() {
    let app = app().await;
    let karin = app.login("karin").await;
    let (status, basis) = karin.get_json("/api/childcare/fee-basis").await;
    assert_eq!(status, 200);
    assert_eq!(basis["pays_fee"], false);
    assert_eq!(basis["children"], json!([]));
    let (status, body) = create(&karin, &statement(Some(30_000))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("not_fee_payer"))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM childcare_document").await,
        0
    );
    let anna = app.login("anna").await;
    let (_, basis) = anna.get_json("/api/childcare/fee-basis").await;
    assert_eq!(basis["pays_fee"], true);
}
