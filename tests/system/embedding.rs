//! The portal on the municipality's website: the public widgets (no login, no cookie, framed by
//! anyone), the units' free places and queue time, the websites the administrator lets frame the
//! portal, and in Chromium with real host names: the portal framed on the same site (logged in
//! inside the frame, which grows with its page), on another site (login at the top level), and
//! on a site that is not listed (blocked).

use chrono::{NaiveDate, TimeZone, Utc};
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::web::Html;
use poem::{get, handler, EndpointExt, Route, Server};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set, Statement};
use serde_json::{json, Value};
use skolportal_backend::entity::{childcare_application, placement_offer};
use skolportal_shared::api::{ApplicationStatus, OfferStatus};
use skolportal_tests::app::TestOptions;
use skolportal_tests::browser::{Browser, Viewport};
use skolportal_tests::TestApp;
use uuid::Uuid;

use crate::administration::{administrator, one};
use crate::ui::{check_fits, no_sideways_scroll_at, submit_login, wait_for_text};

/// The narrowest phone the widgets are made for.
const NARROWEST: Viewport = Viewport {
    width: 320,
    height: 640,
};

const EMBEDDING: &str = "/api/admin/settings/embedding";

async fn app(spa: bool) -> TestApp {
    TestApp::spawn_with(TestOptions {
        bankid: true,
        static_dir: spa.then(crate::ui::dist),
        ..Default::default()
    })
    .await
}

/// The header value `name` of `response`, or "".
fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The unit of the child's first placement.
async fn preschool_of(app: &TestApp, given: &str, family: &str) -> Uuid {
    let child = crate::schedule::child(app, given, family).await;
    one(
        app,
        "SELECT unit_id FROM placement WHERE child_id = $1",
        child,
    )
    .await
}

/// An application made `applied` for a start `wished`, offered a place at `unit` on `offered`.
async fn offer(app: &TestApp, unit: Uuid, applied: &str, wished: &str, offered: &str) {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let child = crate::schedule::child(app, "Ella", "Lindqvist").await;
    let anna = crate::schedule::child(app, "Anna", "Lindqvist").await;
    let municipality: Uuid = one(app, "SELECT municipality_id FROM unit WHERE id = $1", unit).await;
    let at = Utc.from_utc_datetime(&day(offered).and_hms_opt(9, 0, 0).unwrap());
    let application = childcare_application::ActiveModel {
        id: Set(Uuid::new_v4()),
        municipality_id: Set(municipality),
        child_id: Set(child),
        applicant_person_id: Set(anna),
        wished_start: Set(day(wished)),
        first_unit_id: Set(unit),
        second_unit_id: Set(None),
        third_unit_id: Set(None),
        hours_per_week: Set(40),
        applied_on: Set(day(applied)),
        status: Set(ApplicationStatus::Placed),
        created_at: Set(at),
    }
    .insert(&app.db)
    .await
    .unwrap();
    placement_offer::ActiveModel {
        id: Set(Uuid::new_v4()),
        municipality_id: Set(municipality),
        application_id: Set(application.id),
        child_id: Set(child),
        unit_id: Set(unit),
        start_date: Set(day(wished)),
        hours_per_week: Set(40),
        answer_deadline: Set(at + chrono::Duration::days(14)),
        status: Set(OfferStatus::Accepted),
        answer_document_id: Set(None),
        placement_id: Set(None),
        offered_by_person_id: Set(anna),
        created_at: Set(at),
        answered_at: Set(Some(at)),
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// The public units as the API lists them, by id.
async fn public_unit(app: &TestApp, unit: Uuid) -> Value {
    let (status, units) = app.anonymous().get_json("/api/public/units").await;
    assert_eq!(status, 200, "{units}");
    units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == unit.to_string())
        .cloned()
        .unwrap_or_else(|| panic!("{unit} not among {units}"))
}

/// The widgets need no login, set no cookie and say nothing about the person who has one; any
/// site may frame them. A unit's free places are its places less today's placements, and its
/// queue time is the median wait of the last year's offers, told from three offers on.
#[tokio::test]
async fn the_widgets_are_public_and_the_units_tell_free_places_and_queue_time() {
    let app = app(true).await;
    let (anonymous, anna) = (app.anonymous(), app.login("anna").await);
    for path in ["/widget/avgift", "/widget/enheter", "/widget/logga-in"] {
        for client in [&anonymous, &anna] {
            let response = client.get(path).await;
            assert_eq!(response.status(), 200, "{path}");
            assert!(header(&response, "content-type").starts_with("text/html"));
            assert!(response.headers().get("set-cookie").is_none(), "{path}");
            let csp = header(&response, "content-security-policy");
            assert!(csp.contains("frame-ancestors *"), "{path}: {csp}");
            let body = response.text().await.unwrap();
            assert!(!body.contains("Lindqvist"), "{path} names a person");
            assert!(!body.contains("/api/me"), "{path} asks for the session");
        }
    }
    // The portal's own pages may be framed by the listed origins only.
    let login = app.anonymous().get("/login").await;
    let csp = header(&login, "content-security-policy");
    assert!(
        csp.contains("frame-ancestors 'self'") && !csp.contains('*'),
        "{csp}"
    );
    assert_eq!(app.anonymous().get("/widget/okand").await.status(), 404);
    let script = app.anonymous().get("/embed.js").await;
    assert_eq!(script.status(), 200);
    assert!(header(&script, "content-type").starts_with("application/javascript"));

    // What is typed wrong is named, in Swedish, at the field; nothing fails.
    let wrong = app
        .anonymous()
        .get("/widget/avgift?inkomst=tusen&manad=jan&fodd1=2030-01-01&omsorg1=forskola&timmar1=40")
        .await;
    assert_eq!(wrong.status(), 200);
    assert_eq!(header(&wrong, "cache-control"), "no-store");
    let body = wrong.text().await.unwrap();
    for text in [
        "Skriv inkomsten i hela kronor",
        "Skriv år och månad",
        "Skriv barnets födelsedatum",
        "aria-invalid=\"true\" aria-describedby=\"inkomst-error\"",
    ] {
        assert!(body.contains(text), "{text} missing");
    }
    assert!(!body.contains("data-fee-total"));

    // Free places: the places less the children placed today.
    let unit = preschool_of(&app, "Ella", "Lindqvist").await;
    let listed = public_unit(&app, unit).await;
    let capacity: i32 = {
        let backend = app.db.get_database_backend();
        let row = app
            .db
            .query_one(Statement::from_sql_and_values(
                backend,
                skolportal_backend::db::numbered_params(
                    backend,
                    "SELECT capacity, (SELECT COUNT(*) FROM placement p WHERE p.unit_id = $1 \
                     AND p.start_date <= $2 AND (p.end_date IS NULL OR p.end_date >= $2)) \
                     FROM unit WHERE id = $1",
                ),
                [unit.into(), skolportal_tests::app::demo_today().into()],
            ))
            .await
            .unwrap()
            .unwrap();
        let capacity: i32 = row.try_get_by_index(0).unwrap();
        let placed: i64 = row.try_get_by_index(1).unwrap();
        capacity - placed as i32
    };
    assert_eq!(listed["free_places"], json!(capacity), "{listed}");
    assert!(
        listed.get("queue_days").is_none(),
        "no offers yet: {listed}"
    );
    let (_, all) = app.anonymous().get_json("/api/public/units").await;
    let school = all
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["kind"] == "school")
        .expect("a school");
    assert!(school.get("free_places").is_none() && school.get("queue_days").is_none());

    // Two offers are too few to tell; the third gives the median wait: 10, 20 and 40 days (the
    // last counted from four months before the wished start, not from the application).
    offer(&app, unit, "2026-08-01", "2026-09-01", "2026-08-11").await;
    offer(&app, unit, "2026-06-01", "2026-08-15", "2026-06-21").await;
    assert!(public_unit(&app, unit).await.get("queue_days").is_none());
    offer(&app, unit, "2025-12-01", "2026-09-01", "2026-06-10").await;
    assert_eq!(public_unit(&app, unit).await["queue_days"], 20);
    let widget = app
        .anonymous()
        .get("/widget/enheter?typ=forskola")
        .await
        .text()
        .await
        .unwrap();
    assert!(widget.contains("ungefär 3 veckor"), "{widget}");
    assert!(!widget.contains("Skola</p>"), "only preschools: {widget}");
}

/// The administrator lists the websites that may frame the portal: anything but an origin is
/// refused with nothing stored, a saved list is in the pages' frame-ancestors and the history,
/// and nobody else may change it.
#[tokio::test]
async fn the_administrator_lists_the_websites_that_may_frame_the_portal() {
    let app = app(false).await;
    let admin = administrator(&app).await;
    for wrong in [
        json!({"frame_origins": ["http://www.solvik.se"]}),
        json!({"frame_origins": ["https://www.solvik.se/skola"]}),
        json!({"frame_origins": ["https://www.solvik.se; script-src *"]}),
    ] {
        let response = admin.put(EMBEDDING, &wrong).await;
        assert_eq!(response.status(), 422, "{wrong}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "frame_origin_invalid", "{body}");
    }
    // Not a list at all: the body is malformed.
    let malformed = json!({"frame_origins": "https://www.solvik.se"});
    assert_eq!(admin.put(EMBEDDING, &malformed).await.status(), 400);
    let (_, view) = admin.get_json("/api/admin/settings").await;
    assert_eq!(view["embedding"]["frame_origins"], json!([]));

    let saved = admin
        .put(
            EMBEDDING,
            &json!({"frame_origins": ["HTTPS://www.Solvik.se/", "https://www.solvik.se\nhttps://skola.solvik.se"]}),
        )
        .await;
    assert_eq!(saved.status(), 204);
    let (_, view) = admin.get_json("/api/admin/settings").await;
    assert_eq!(
        view["embedding"]["frame_origins"],
        json!(["https://www.solvik.se", "https://skola.solvik.se"])
    );
    let login = app.anonymous().get("/login").await;
    let csp = header(&login, "content-security-policy");
    assert!(
        csp.contains("frame-ancestors 'self' https://www.solvik.se https://skola.solvik.se"),
        "{csp}"
    );
    let (_, history) = admin.get_json("/api/admin/settings/history").await;
    assert_eq!(history[0]["setting"], "frame_origins", "{history}");
    assert!(history[0]["new_value"]
        .as_str()
        .unwrap()
        .contains("skola.solvik.se"));

    // The case officer and a guardian have no such setting; a password session is asked for
    // BankID; nothing changed.
    for who in ["handlaggare", "anna"] {
        let client = app.login(who).await;
        let response = client.put(EMBEDDING, &json!({"frame_origins": []})).await;
        assert_eq!(response.status(), 404, "{who}");
    }
    let weak = app.login("admin").await;
    let response = weak.put(EMBEDDING, &json!({"frame_origins": []})).await;
    assert_eq!(response.status(), 403);
    let (_, view) = admin.get_json("/api/admin/settings").await;
    assert_eq!(
        view["embedding"]["frame_origins"].as_array().unwrap().len(),
        2
    );
}

/// The municipality's website: one page that frames `src` and lets it grow with `/embed.js`,
/// answered on every host name that reaches it.
struct Website {
    port: u16,
    handle: tokio::task::JoinHandle<()>,
}

impl Drop for Website {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

#[handler]
fn website_page(poem::web::Data(page): poem::web::Data<&String>) -> Html<String> {
    Html(page.clone())
}

async fn website(portal: &str, src: &str) -> Website {
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .expect("bind");
    let port = acceptor.local_addr()[0]
        .as_socket_addr()
        .expect("addr")
        .port();
    let page = format!(
        "<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Förskola och skola – Solviks kommun</title></head>\
         <body><header><p>Solviks kommun</p></header><main><h1>Förskola och skola</h1>\
         <iframe data-skolportal src=\"{portal}{src}\" title=\"Skolportalen\" \
         style=\"width:100%;border:0\"></iframe></main>\
         <script src=\"{portal}/embed.js\"></script></body></html>"
    );
    let route = Route::new().at("/", get(website_page)).data(page);
    let handle = tokio::spawn(async move {
        let _ = Server::new_with_acceptor(acceptor).run(route).await;
    });
    Website { port, handle }
}

/// Runs `script` in the current frame and returns its value.
async fn js(browser: &Browser, script: &str) -> Value {
    browser
        .client()
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Waits until `script` returns `true` in the current frame.
async fn until(browser: &Browser, script: &str, what: &str) {
    for _ in 0..75 {
        if js(browser, script).await == Value::Bool(true) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("never true: {what} ({script})");
}

/// The address of the whole window once it satisfies `wanted` (or the last one seen, after 15 s).
async fn top_url_until(browser: &Browser, wanted: impl Fn(&str) -> bool) -> String {
    let mut top = String::new();
    for _ in 0..75 {
        top = browser.current_url().await.unwrap_or_default();
        if wanted(&top) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    top
}

/// The frame's height in the page around it equals the framed page's own height. Both are read
/// again on every look: a loaded machine may still be laying out the framed page, and the frame
/// follows where the page ends up, not where it was first measured.
async fn frame_follows(browser: &Browser, what: &str) -> f64 {
    let mut seen = (0.0, 0.0);
    for _ in 0..75 {
        browser.client().enter_frame(0).await.unwrap();
        let inner = js(
            browser,
            "return Math.ceil(document.body.getBoundingClientRect().height)",
        )
        .await
        .as_f64()
        .unwrap();
        browser.client().enter_parent_frame().await.unwrap();
        let outer = js(
            browser,
            "return document.querySelector('iframe').getBoundingClientRect().height",
        )
        .await
        .as_f64()
        .unwrap();
        if (outer - inner).abs() < 2.0 {
            return inner;
        }
        seen = (inner, outer);
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!(
        "{what}: the page is {} px high, its frame {} px",
        seen.0, seen.1
    );
}

/// axe-core on the page in the current frame, at 360 px and desktop (the window around it
/// resized), with a screenshot of the whole window.
async fn framed_page_is_accessible(browser: &Browser, name: &str) {
    for viewport in [Viewport::PHONE, Viewport::DESKTOP] {
        browser.resize(viewport).await.unwrap();
        browser
            .assert_accessible(&format!("{name} ({} px)", viewport.width))
            .await;
        let _ = browser
            .screenshot(crate::ui::screenshot_dir().join(format!("{name}-{}.png", viewport.width)))
            .await;
    }
    browser.resize(Viewport::PHONE).await.unwrap();
}

/// The portal framed on the municipality's site, in Chromium with real host names
/// (`*.localhost` is loopback): on the same site it hides its header, logs in inside the frame
/// and grows the frame with its page; on another site it logs in at the top level; a site not
/// listed cannot frame it at all.
#[tokio::test]
async fn the_portal_is_framed_on_the_municipalitys_site_and_nowhere_else() {
    let app = app(true).await;
    let port = app.address.rsplit(':').next().unwrap().to_owned();
    let portal = format!("http://skolportal.solvik.localhost:{port}");
    let site = website(&portal, "/login?embed=1").await;
    // Another site's page that frames a page behind the login (the absence report).
    let deep = website(&portal, "/franvaro?embed=1").await;
    let admin = administrator(&app).await;
    let listed = json!({"frame_origins": [
        format!("http://www.solvik.localhost:{}", site.port),
        format!("http://127.0.0.1:{}", deep.port),
    ]});
    assert_eq!(admin.put(EMBEDDING, &listed).await.status(), 204);

    // The same site: www.solvik.localhost frames skolportal.solvik.localhost.
    let browser = crate::ui::browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    browser
        .goto(&format!("http://www.solvik.localhost:{}/", site.port))
        .await
        .unwrap();
    browser.client().enter_frame(0).await.unwrap();
    browser.wait_for("#username").await.unwrap();
    until(
        &browser,
        "return document.documentElement.getAttribute('data-embed') === '' && \
         getComputedStyle(document.querySelector('.site-header')).display === 'none'",
        "the framed login page hides its header",
    )
    .await;
    framed_page_is_accessible(&browser, "embed-login-same-site").await;
    browser.client().enter_parent_frame().await.unwrap();
    let first = frame_follows(&browser, "the frame has the login page's height").await;
    assert!(first > 300.0, "{first}");
    browser
        .screenshot(crate::ui::screenshot_dir().join("embed-same-site-360.png"))
        .await
        .unwrap();

    // The page inside grows: so does the frame, without a scroll bar of its own.
    browser.client().enter_frame(0).await.unwrap();
    js(
        &browser,
        "const d = document.createElement('div'); d.style.height = '900px'; \
         document.body.appendChild(d); return true",
    )
    .await;
    browser.client().enter_parent_frame().await.unwrap();
    let grown = frame_follows(&browser, "the frame grows with its page").await;
    assert!(grown > first + 850.0, "{first} -> {grown}");

    // Logged in inside the frame: the session cookie (SameSite=Lax) works on the same site.
    browser.client().enter_frame(0).await.unwrap();
    submit_login(&browser, "anna", app.password_of("anna")).await;
    let page = wait_for_text(&browser, "main", "Ella").await;
    assert!(
        page.contains("Mina barn") || page.contains("Ella"),
        "{page}"
    );
    until(
        &browser,
        "return location.hostname === 'skolportal.solvik.localhost' && \
         getComputedStyle(document.querySelector('.site-header')).display === 'none'",
        "still framed, still without the header",
    )
    .await;
    framed_page_is_accessible(&browser, "embed-start-same-site").await;
    // A link that leaves the portal opens at the top level, not inside the frame.
    let away = format!("http://www.solvik.localhost:{}/?fran=portalen", site.port);
    js(
        &browser,
        &format!(
            "const a = document.createElement('a'); a.id = 'away'; a.href = '{away}'; \
             a.textContent = 'Kommunens webbplats'; document.querySelector('main').appendChild(a); \
             return true"
        ),
    )
    .await;
    browser.click("#away").await.unwrap();
    let top = top_url_until(&browser, |url| url == away).await;
    assert_eq!(top, away, "the link opened inside the frame");
    browser.close().await.unwrap();

    // Another site (127.0.0.1 is not solvik.localhost) frames the absence report: the frame
    // cannot keep the Lax cookie, so it asks for the login, which goes to the top level and
    // comes back to the page that was framed, logged in there.
    let browser = crate::ui::browser().await;
    browser
        .goto(&format!("http://127.0.0.1:{}/", deep.port))
        .await
        .unwrap();
    browser.client().enter_frame(0).await.unwrap();
    browser.wait_for("#username").await.unwrap();
    until(
        &browser,
        "return document.documentElement.getAttribute('data-embed') === 'cross-site'",
        "the frame knows it is on another site",
    )
    .await;
    framed_page_is_accessible(&browser, "embed-login-cross-site").await;
    submit_login(&browser, "anna", app.password_of("anna")).await;
    let top = top_url_until(&browser, |url| {
        url.starts_with(&portal) && !url.contains("/login")
    })
    .await;
    assert!(top.starts_with(&format!("{portal}/franvaro")), "{top}");
    browser.client().enter_parent_frame().await.ok();
    wait_for_text(&browser, "h1", "Frånvaro").await;
    assert!(
        js(
            &browser,
            "return getComputedStyle(document.querySelector('.site-header')).display !== 'none'"
        )
        .await
            == Value::Bool(true)
    );
    browser.close().await.unwrap();

    // A site that is not listed: the browser refuses to show the portal in its frame.
    let browser = crate::ui::browser().await;
    browser
        .goto(&format!("http://localhost:{}/", site.port))
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    browser.client().enter_frame(0).await.unwrap();
    let shown = js(&browser, "return location.href").await;
    assert!(
        shown
            .as_str()
            .unwrap_or_default()
            .starts_with("chrome-error://"),
        "an unlisted site framed the portal: {shown}"
    );
    assert!(js(&browser, "return !document.getElementById('username')").await == Value::Bool(true));
    browser.close().await.unwrap();
}

/// The widgets in Chromium at 320 px, 360 px and desktop with axe: the fee calculator's answer
/// equals the income statement's preview for the same family, the units list and the login
/// button opens the portal, all in the municipality's colour; and the administrator's page shows
/// each widget's code and preview.
#[tokio::test]
async fn the_fee_widget_answers_as_the_income_statement_and_the_widgets_fit_a_phone() {
    let app = app(true).await;
    let anna = app.login("anna").await;
    let (status, basis) = anna.get_json("/api/childcare/fee-basis").await;
    assert_eq!(status, 200, "{basis}");
    let children = basis["children"].as_array().unwrap().clone();
    assert!(!children.is_empty() && children.len() <= 3, "{basis}");

    // The guardian's preview for January with 38 500 kr a month.
    let browser = crate::ui::browser().await;
    crate::ui::password_login(&browser, &app, "anna", app.password_of("anna")).await;
    crate::ui::landed(&browser, &app).await;
    browser.goto(&app.url("/barnomsorg/inkomst")).await.unwrap();
    browser.set_value("#valid-from", "2027-01").await.unwrap();
    browser.fill("#income", "38500").await.unwrap();
    let preview = wait_for_text(&browser, "#fee-total", "kr").await;
    browser.close().await.unwrap();

    // The municipality's own colour, as the administrator sets it: the widgets wear it too.
    let admin = administrator(&app).await;
    let (_, settings) = admin.get_json("/api/admin/settings").await;
    let mut look = settings["look"].clone();
    look["theme"]["primary"] = json!("#5b2a86");
    assert_eq!(
        admin.put("/api/admin/settings/look", &look).await.status(),
        204
    );

    // The widget, filled in by hand for the same household.
    let browser = crate::ui::browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    browser.goto(&app.url("/widget/avgift")).await.unwrap();
    check_fits(&browser, "widget-fee").await;
    until(
        &browser,
        "return getComputedStyle(document.querySelector('form.widget-fee button[type=submit]'))\
         .backgroundColor === 'rgb(91, 42, 134)'",
        "the fee widget's button has the municipality's colour",
    )
    .await;
    browser.fill("#inkomst", "38 500").await.unwrap();
    browser.set_value("#manad", "2027-01").await.unwrap();
    let code = |care: &str| match care {
        "preschool" => "forskola",
        "family_daycare" => "pedagogisk-omsorg",
        _ => "fritidshem",
    };
    for (i, child) in children.iter().enumerate() {
        let n = i + 1;
        browser
            .set_value(&format!("#fodd{n}"), child["birth_date"].as_str().unwrap())
            .await
            .unwrap();
        browser
            .set_value(
                &format!("#omsorg{n}"),
                code(child["care"].as_str().unwrap()),
            )
            .await
            .unwrap();
        browser
            .fill(
                &format!("#timmar{n}"),
                &child["hours_per_week"].as_u64().unwrap().to_string(),
            )
            .await
            .unwrap();
    }
    browser
        .click("form.widget-fee button[type=submit]")
        .await
        .unwrap();
    let answer = wait_for_text(&browser, "#widget-fee-answer", "kr").await;
    let amount = |text: &str| -> String {
        let at = text.find("Summa:").map(|i| &text[i..]).unwrap_or(text);
        at.chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(|c| c.is_ascii_digit() || c.is_whitespace())
            .filter(char::is_ascii_digit)
            .collect()
    };
    assert!(!amount(&preview).is_empty(), "{preview}");
    assert_eq!(
        amount(&answer),
        amount(&preview),
        "widget {answer:?} vs preview {preview:?}"
    );
    check_fits(&browser, "widget-fee-answer").await;
    // The narrowest phone the widgets are made for: no sideways scroll, axe-core and the
    // focus walk at 320 px itself.
    no_sideways_scroll_at(&browser, NARROWEST, "widget-fee-answer (320 px)").await;
    browser
        .assert_accessible("widget-fee-answer (320 px)")
        .await;
    let walk = browser.focus_walk(None, 30).await.unwrap();
    assert!(walk.problems.is_empty(), "{:?}", walk.problems);

    for (path, name, needle) in [
        ("/widget/enheter", "widget-units", "Öppet"),
        ("/widget/logga-in", "widget-login", "Logga in"),
    ] {
        browser.resize(Viewport::PHONE).await.unwrap();
        browser.goto(&app.url(path)).await.unwrap();
        wait_for_text(&browser, "main", needle).await;
        check_fits(&browser, name).await;
        no_sideways_scroll_at(&browser, NARROWEST, &format!("{name} (320 px)")).await;
        browser.assert_accessible(&format!("{name} (320 px)")).await;
        let _ = browser
            .screenshot(crate::ui::screenshot_dir().join(format!("{name}-320.png")))
            .await;
    }
    until(
        &browser,
        "return getComputedStyle(document.querySelector('.widget-login a'))\
         .backgroundColor === 'rgb(91, 42, 134)'",
        "the login widget's button has the municipality's colour",
    )
    .await;
    let target = browser
        .wait_for(".widget-login a")
        .await
        .unwrap()
        .attr("target")
        .await
        .unwrap();
    assert_eq!(target.as_deref(), Some("_top"));
    browser.click(".widget-login a").await.unwrap();
    browser.wait_for("#username").await.unwrap();
    browser.close().await.unwrap();

    // The administrator's page: the websites, each widget's code and a live preview.
    let pnr = app.personnummer_of("Agneta", "Sundin").await;
    let browser = crate::grades_ui::bankid_in_browser(&app, &pnr).await;
    wait_for_text(&browser, "#settings-widgets-heading", "Widgetar").await;
    let code = browser
        .wait_for("#widget-fee-code")
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        code.contains(&format!("{}/widget/avgift", app.address)) && code.contains("/embed.js"),
        "{code}"
    );
    browser
        .fill("#embedding-origins", "http://www.kommun.se")
        .await
        .unwrap();
    wait_for_text(
        &browser,
        "section[aria-labelledby='settings-embedding-heading']",
        "Skriv varje webbplats",
    )
    .await;
    browser
        .fill("#embedding-origins", "https://www.solvik.se")
        .await
        .unwrap();
    browser
        .click("section[aria-labelledby='settings-embedding-heading'] button[type=submit]")
        .await
        .unwrap();
    wait_for_text(&browser, "#settings-embedding-status", "sparade").await;
    browser
        .cdp(
            "Runtime.evaluate",
            json!({"expression": "document.getElementById('settings-widgets-heading').scrollIntoView()"}),
        )
        .await
        .unwrap();
    check_fits(&browser, "admin-settings-widgets").await;
    // The preview is the widget itself.
    browser.client().enter_frame(0).await.unwrap();
    wait_for_text(&browser, "h1", "Räkna ut avgiften").await;
    browser.client().enter_parent_frame().await.unwrap();
    browser.close().await.unwrap();
    let (_, view) = administrator(&app)
        .await
        .get_json("/api/admin/settings")
        .await;
    assert_eq!(
        view["embedding"]["frame_origins"],
        json!(["https://www.solvik.se"])
    );
}
