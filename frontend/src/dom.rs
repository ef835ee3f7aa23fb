//! The few direct DOM and storage touches the shell needs. Each one fails quietly: a missing
//! `window` or a refused storage only loses a nicety, never the page.

use chrono::{DateTime, NaiveDate, Utc};
use skolportal_shared::api::{MunicipalityInfo, Theme};
use skolportal_shared::lang::LANG_COOKIE;
use wasm_bindgen::prelude::{wasm_bindgen, Closure};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlDocument, HtmlElement, MouseEvent, Storage};

use crate::i18n::{swedish_time, Lang};

#[wasm_bindgen]
extern "C" {
    /// `Date.now()`: milliseconds since the epoch by the device's clock. Bound here rather than
    /// through `js-sys` or chrono's `wasmbind`, which would add a dependency for one call.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

const LANG_KEY: &str = "skolportal.lang";
const EMBED_KEY: &str = "skolportal.embed";
/// The ids the server's shell uses (the backend's `http::prerender`).
const APP_ID: &str = "app";
const MUNICIPALITY_INFO_ID: &str = "municipality-info";
const KEEP_OFFLINE_KEY: &str = "skolportal.keep_offline";
/// The service worker's cache of kept answers (`frontend/assets/sw.js`, `PERSONAL`).
const KEPT_CACHE: &str = "skolportal-personal";
/// Asks the service worker to keep this answer for starts without a network.
pub const KEEP_OFFLINE_HEADER: &str = "X-Skolportal-Keep-Offline";

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|window| window.document())
}

fn root_element() -> Option<HtmlElement> {
    document()?
        .document_element()?
        .dyn_into::<HtmlElement>()
        .ok()
}

/// Sets `document.title`.
pub fn set_title(title: &str) {
    if let Some(document) = document() {
        document.set_title(title);
    }
}

/// Sets `<html lang>` so screen readers pronounce the page right, and `<html dir>` so that
/// Arabic is laid out right to left (the stylesheet's logical properties follow it).
pub fn set_html_lang(lang: Lang) {
    if let Some(root) = root_element() {
        // Setting an attribute on the root element cannot fail for a valid name.
        let _ = root.set_attribute("lang", lang.code());
        let _ = root.set_attribute("dir", lang.dir());
    }
}

/// `localStorage`, or `sessionStorage` when `session`; `None` where storage is refused (private
/// browsing may): the choice then lasts for this page only.
fn storage(session: bool) -> Option<Storage> {
    let window = web_sys::window()?;
    let storage = if session {
        window.session_storage()
    } else {
        window.local_storage()
    };
    storage.ok().flatten()
}

fn stored(session: bool, key: &str) -> Option<String> {
    let value = storage(session)?.get_item(key).ok().flatten()?;
    // Earlier versions stored JSON strings ("\"en\"").
    Some(value.trim_matches('"').to_owned())
}

fn store(session: bool, key: &str, value: &str) {
    if let Some(storage) = storage(session) {
        let _ = storage.set_item(key, value);
    }
}

/// A value kept on this device (`localStorage`): the kiosk's queue of taps made offline.
pub fn local_value(key: &str) -> Option<String> {
    storage(false)?.get_item(key).ok().flatten()
}

pub fn set_local_value(key: &str, value: &str) {
    store(false, key, value);
}

/// A value kept for this tab's session (`sessionStorage`).
pub fn session_value(key: &str) -> Option<String> {
    stored(true, key)
}

pub fn set_session_value(key: &str, value: &str) {
    store(true, key, value);
}

/// The language chosen earlier on this device, if any. The cookie wins: the login page, which
/// runs no app, remembers a choice there only.
pub fn stored_lang() -> Option<Lang> {
    lang_cookie()
        .or_else(|| stored(false, LANG_KEY))
        .and_then(|code| Lang::from_code(&code))
}

fn lang_cookie() -> Option<String> {
    let cookies = document()?.dyn_into::<HtmlDocument>().ok()?.cookie().ok()?;
    cookies
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .map(|(_, value)| value.to_owned())
}

pub fn store_lang(lang: Lang) {
    store(false, LANG_KEY, lang.code());
    // The server reads the cookie to paint the login page in this language before the app runs.
    let cookie = skolportal_shared::lang::lang_cookie(lang);
    if let Some(document) = document().and_then(|d| d.dyn_into::<HtmlDocument>().ok()) {
        let _ = document.set_cookie(&cookie);
    }
}

/// The municipality's public info, which the server writes into the page
/// (`<script type="application/json" id="municipality-info">`), so that the first render shows
/// its name without a request.
pub fn embedded_municipality() -> Option<MunicipalityInfo> {
    let text = document()?
        .get_element_by_id(MUNICIPALITY_INFO_ID)?
        .text_content()?;
    crate::json::from_str(&text)
}

/// The element the app renders into, `<div id="app">` at the end of the body, made if the page
/// has none. The stylesheet lays its children out as the body's own.
pub fn app_root() -> Option<Element> {
    let document = document()?;
    if let Some(root) = document.get_element_by_id(APP_ID) {
        return Some(root);
    }
    let root = document.create_element("div").ok()?;
    root.set_id(APP_ID);
    document.body()?.append_child(&root).ok()?;
    Some(root)
}

/// Installs the service worker (`/sw.js`), which keeps the app for starts without a network.
/// Browsers without one, or that refuse it, simply go without.
pub fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().service_worker().register("/sw.js");
    }
}

/// A random id (`crypto.randomUUID`), such as a submit's `submission_id`. `None` where the
/// browser has none (an insecure context), and then the caller sends nothing it cannot retry.
pub fn random_uuid() -> Option<uuid::Uuid> {
    let text = web_sys::window()?.crypto().ok()?.random_uuid();
    uuid::Uuid::parse_str(&text).ok()
}

/// What the service worker's outbox (`assets/sw.js`) says to the page, and the page to it.
const OUTBOX_FLUSH: &str = "skolportal-outbox-flush";
const OUTBOX_SENT: &str = "skolportal-outbox-sent";
/// Sent, but the server refused some of it for good.
const OUTBOX_REFUSED: &str = "skolportal-outbox-refused";
/// How often an open page asks the worker to try its outbox again, for the browsers without
/// Background Sync and for a network that came back without an `online` event.
const OUTBOX_RETRY_MS: i32 = 10_000;

/// The open page's listener for what the outbox sent.
type OutboxListener = std::rc::Rc<dyn Fn(bool)>;

thread_local! {
    static OUTBOX_LISTENER: std::cell::RefCell<Option<OutboxListener>> =
        const { std::cell::RefCell::new(None) };
    static OUTBOX_WATCHED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Asks the service worker to send what its outbox keeps, now.
pub fn flush_outbox() {
    let Some(worker) = web_sys::window().and_then(|w| w.navigator().service_worker().controller())
    else {
        return;
    };
    let _ = worker.post_message(&OUTBOX_FLUSH.into());
}

/// Calls `on_sent` when the service worker has sent something its outbox kept (with `true` when
/// the server refused some of it for good), until [`unwatch_outbox`]; meanwhile asks it to try
/// again now, when the browser comes online, and every few seconds.
pub fn watch_outbox(on_sent: impl Fn(bool) + 'static) {
    OUTBOX_LISTENER.with(|slot| *slot.borrow_mut() = Some(std::rc::Rc::new(on_sent)));
    flush_outbox();
    if OUTBOX_WATCHED.with(|watched| watched.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let heard = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
        let refused = match event.data().as_string().as_deref() {
            Some(OUTBOX_SENT) => false,
            Some(OUTBOX_REFUSED) => true,
            _ => return,
        };
        let listener = OUTBOX_LISTENER.with(|slot| slot.borrow().clone());
        if let Some(listener) = listener {
            listener(refused);
        }
    });
    let _ = window
        .navigator()
        .service_worker()
        .add_event_listener_with_callback("message", heard.as_ref().unchecked_ref());
    let retry = Closure::<dyn Fn()>::new(|| {
        if OUTBOX_LISTENER.with(|slot| slot.borrow().is_some()) {
            flush_outbox();
        }
    });
    let _ = window.add_event_listener_with_callback("online", retry.as_ref().unchecked_ref());
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
        retry.as_ref().unchecked_ref(),
        OUTBOX_RETRY_MS,
    );
    heard.forget();
    retry.forget();
}

/// Stops calling the listener [`watch_outbox`] set (its page is gone).
pub fn unwatch_outbox() {
    OUTBOX_LISTENER.with(|slot| *slot.borrow_mut() = None);
}

/// Whether the person chose, on this device, to see their start page without a network: the
/// app then asks the service worker to keep its answers (`KEEP_OFFLINE_HEADER`). Off unless
/// chosen, and off again at every login and logout.
pub fn keeps_offline() -> bool {
    stored(false, KEEP_OFFLINE_KEY).as_deref() == Some("true")
}

/// Turns keeping on or off; off also deletes what was kept.
pub fn set_keeps_offline(keep: bool) {
    if keep {
        store(false, KEEP_OFFLINE_KEY, "true");
        return;
    }
    if let Some(storage) = storage(false) {
        let _ = storage.remove_item(KEEP_OFFLINE_KEY);
    }
    if let Some(caches) = web_sys::window().and_then(|window| window.caches().ok()) {
        let _ = caches.delete(KEPT_CACHE);
    }
}

/// Whether the browser believes it has a network.
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}

/// The header the service worker puts on an answer it gives from what this device kept, which
/// it does only when the network failed (`assets/sw.js`, `KEPT_AT`).
pub const KEPT_AT_HEADER: &str = "x-skolportal-kept-at";

/// Raised on the window when an answer came from what was kept ([`KEPT_EVENT`]) or, after such
/// an answer, from the network again ([`FRESH_EVENT`]).
const KEPT_EVENT: &str = "skolportal-kept";
const FRESH_EVENT: &str = "skolportal-fresh";

thread_local! {
    static ANSWERED_FROM_KEPT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Notes where an API answer came from. `navigator.onLine` says online on a network that
/// answers nothing, so an answer the service worker gave from what was kept is what tells the
/// app that it is offline.
pub fn note_answer(kept: bool) {
    let was = ANSWERED_FROM_KEPT.with(|cell| cell.replace(kept));
    if was == kept {
        return;
    }
    if let (Some(window), Ok(event)) = (
        web_sys::window(),
        web_sys::Event::new(if kept { KEPT_EVENT } else { FRESH_EVENT }),
    ) {
        let _ = window.dispatch_event(&event);
    }
}

/// Calls `on_change` with the new state whenever the browser goes on- or offline, or an answer
/// shows that it is ([`note_answer`]). The listeners live as long as the page.
pub fn watch_online(on_change: impl Fn(bool) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_change = std::rc::Rc::new(on_change);
    let state = {
        let on_change = on_change.clone();
        Closure::<dyn Fn()>::new(move || {
            on_change(is_online() && !ANSWERED_FROM_KEPT.with(std::cell::Cell::get))
        })
    };
    for event in ["online", "offline", FRESH_EVENT] {
        let _ = window.add_event_listener_with_callback(event, state.as_ref().unchecked_ref());
    }
    let kept = Closure::<dyn Fn()>::new(move || on_change(false));
    let _ = window.add_event_listener_with_callback(KEPT_EVENT, kept.as_ref().unchecked_ref());
    state.forget();
    kept.forget();
}

/// Whether the portal runs embedded in another site (`?embed=1`), remembered for the session so
/// that navigation inside the SPA keeps it. `?embed=0` turns it off again. Only inside a frame:
/// a page opened at the top level (a login from another site's frame comes back to the page
/// that was framed, `?embed=1` and all) has its header, as the server's embed script decides too.
pub fn embed_mode() -> bool {
    if !is_framed() {
        return false;
    }
    let search = web_sys::window()
        .and_then(|window| window.location().search().ok())
        .unwrap_or_default();
    match embed_from_query(&search) {
        Some(embed) => {
            store(true, EMBED_KEY, if embed { "true" } else { "false" });
            embed
        }
        None => stored(true, EMBED_KEY).as_deref() == Some("true"),
    }
}

/// Whether the page is shown inside another page's frame (also another origin's: comparing the
/// window proxies is allowed across origins).
fn is_framed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    match window.top() {
        Ok(Some(top)) => wasm_bindgen::JsValue::from(top) != wasm_bindgen::JsValue::from(window),
        _ => false,
    }
}

/// The device's clock. Only for what the person sees (a default month, an early warning); the
/// server decides with its own clock. Calls into JavaScript, so never from native tests.
pub fn now() -> Option<DateTime<Utc>> {
    // Whole milliseconds since 1970: the float holds an integer that fits an i64.
    let millis = date_now() as i64;
    DateTime::from_timestamp_millis(millis)
}

/// Today's date in Sweden by the device's clock.
pub fn today_in_sweden() -> Option<NaiveDate> {
    now().map(|at| swedish_time(at).date())
}

/// The value of `key` in a query string such as `?a=1&fel=cancelled`; the first one wins.
pub fn query_value<'a>(search: &'a str, key: &str) -> Option<&'a str> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == key)
        .map(|(_, value)| value)
}

// The return-address rule and the query values are the server's too.
pub use skolportal_shared::paths::{decode_query_value, encode_query_value, safe_return_to};

/// `Some(true)` for `embed=1`, `Some(false)` for `embed=0`, `None` when the query does not say.
pub fn embed_from_query(search: &str) -> Option<bool> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "embed")
        .map(|(_, value)| value == "1" || value == "true")
}

/// Applies the municipality's colours as CSS custom properties on `<html>` (allowed by the CSP,
/// unlike inline `style` attributes). Values that are not `#rgb`/`#rrggbb` are ignored, so the
/// stylesheet's defaults stay.
pub fn apply_theme(theme: &Theme) {
    let Some(root) = root_element() else { return };
    let style = root.style();
    for (property, value) in [
        ("--color-primary", &theme.primary),
        ("--color-on-primary", &theme.on_primary),
        ("--color-background", &theme.background),
        ("--color-text", &theme.text),
        ("--color-accent", &theme.accent),
    ] {
        if is_hex_colour(value) {
            let _ = style.set_property(property, value);
        }
    }
}

pub fn is_hex_colour(value: &str) -> bool {
    let Some(digits) = value.strip_prefix('#') else {
        return false;
    };
    matches!(digits.len(), 3 | 6) && digits.chars().all(|c| c.is_ascii_hexdigit())
}

/// A full page load, for flows the server drives (BankID).
pub fn navigate_away(url: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(url);
    }
}

/// Opens the browser's print dialog (the print stylesheet shapes the page).
pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// Moves focus to the element with `id`, if there is one: after a change that removes the
/// focused control (a confirmation answered, a person removed from a list).
pub fn focus(id: &str) {
    let target = document()
        .and_then(|document| document.get_element_by_id(id))
        .and_then(|element| element.dyn_into::<HtmlElement>().ok());
    if let Some(target) = target {
        let _ = target.focus();
    }
}

/// Whether a link's `href` is a page of the app (`/…`), rather than an API address (a BankID
/// start, a file), another site, `tel:`, `mailto:` or an anchor.
pub fn is_app_path(href: &str) -> bool {
    href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/api/")
}

/// The path of the in-app link a plain click landed on: the main button without modifier keys, on
/// an `<a>` to a page of the app ([`is_app_path`]) that is not a download or for another window.
/// `None` leaves the click to the browser (a new tab, a full page load).
/// Loads `path` as a new page, replacing this one in the history: another app's page, which the
/// server answers with that app.
pub fn load_page(path: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(path);
    }
}

pub fn in_app_link(event: &MouseEvent) -> Option<String> {
    let modified = event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key();
    if event.default_prevented() || event.button() != 0 || modified {
        return None;
    }
    let target = event.target()?.dyn_into::<Element>().ok()?;
    let link = target.closest("a[href]").ok()??;
    if link.has_attribute("download") || link.has_attribute("target") {
        return None;
    }
    link.get_attribute("href").filter(|href| is_app_path(href))
}

/// After an in-app navigation the person started (focus is on a link or button, not on the
/// body), moves focus to the element with `id`, as a page load would. Automatic redirects leave
/// focus alone, so the skip link stays first on a fresh load.
pub fn focus_after_navigation(id: &str) {
    let Some(document) = document() else { return };
    let user_started = document
        .active_element()
        .is_some_and(|active| !active.tag_name().eq_ignore_ascii_case("body"));
    if user_started {
        focus(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_query() {
        assert_eq!(embed_from_query("?embed=1"), Some(true));
        assert_eq!(embed_from_query("?a=b&embed=0"), Some(false));
        assert_eq!(embed_from_query(""), None);
        assert_eq!(embed_from_query("?embedded=1"), None);
    }

    #[test]
    fn query_values() {
        assert_eq!(query_value("?signerat=1", "signerat"), Some("1"));
        assert_eq!(query_value("?a=b&fel=cancelled", "fel"), Some("cancelled"));
        assert_eq!(query_value("fel=x&fel=y", "fel"), Some("x"));
        assert_eq!(query_value("?felaktig=1", "fel"), None);
        assert_eq!(query_value("", "fel"), None);
    }

    #[test]
    fn app_paths() {
        assert!(is_app_path(
            "/barnomsorg/schema/00000000-0000-0000-0000-000000000001"
        ));
        assert!(is_app_path("/"));
        for other in [
            "/api/auth/bankid/start",
            "/api/me/extract?download=true",
            "//example.com/x",
            "https://example.com/",
            "tel:+46701740605",
            "mailto:a@b.se",
            "#main",
        ] {
            assert!(!is_app_path(other), "{other}");
        }
    }

    #[test]
    fn hex_colours() {
        assert!(is_hex_colour("#1d4f91"));
        assert!(is_hex_colour("#FFF"));
        assert!(!is_hex_colour("red"));
        assert!(!is_hex_colour("#12345"));
        assert!(!is_hex_colour("#1d4f91;background:url(x)"));
    }
}

/// Why this browser does not take push notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushProblem {
    /// No service worker or Push API (an old browser, or iOS outside an installed app).
    Unsupported,
    /// The person, or the browser's settings, blocked notifications for the portal.
    Denied,
    /// The push service could not be reached, or something else went wrong.
    Failed,
}

/// A browser's push subscription as `PushSubscription.toJSON()` gives it.
#[derive(Debug, Clone, serde::Deserialize)]
struct SubscriptionJson {
    endpoint: String,
    keys: SubscriptionKeys,
}

#[derive(Debug, Clone, serde::Deserialize)]
struct SubscriptionKeys {
    p256dh: String,
    auth: String,
}

#[cfg(target_arch = "wasm32")]
mod push {
    use super::{PushProblem, SubscriptionJson};
    use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    fn get(target: &JsValue, key: &str) -> Option<JsValue> {
        Reflect::get(target, &key.into())
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    async fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
        let function: Function = get(target, method)
            .ok_or(JsValue::NULL)?
            .dyn_into()
            .map_err(|_| JsValue::NULL)?;
        let array = args.iter().collect::<js_sys::Array>();
        let promise: Promise = function.apply(target, &array)?.dyn_into()?;
        JsFuture::from(promise).await
    }

    /// The service worker's `PushManager`, once the worker is ready.
    async fn push_manager() -> Result<JsValue, PushProblem> {
        let window = web_sys::window().ok_or(PushProblem::Unsupported)?;
        let container: JsValue = window.navigator().service_worker().into();
        if get(&window, "PushManager").is_none() {
            return Err(PushProblem::Unsupported);
        }
        let ready = get(&container, "ready").ok_or(PushProblem::Unsupported)?;
        let registration = JsFuture::from(Promise::from(ready))
            .await
            .map_err(|_| PushProblem::Unsupported)?;
        get(&registration, "pushManager").ok_or(PushProblem::Unsupported)
    }

    fn permission_denied() -> bool {
        web_sys::window()
            .and_then(|w| get(&w, "Notification"))
            .and_then(|n| get(&n, "permission"))
            .and_then(|p| p.as_string())
            .as_deref()
            == Some("denied")
    }

    fn as_json(subscription: &JsValue) -> Option<SubscriptionJson> {
        let to_json: Function = get(subscription, "toJSON")?.dyn_into().ok()?;
        let json = to_json.call0(subscription).ok()?;
        serde_wasm_bindgen::from_value(json).ok()
    }

    pub async fn subscribe(key: &[u8]) -> Result<SubscriptionJson, PushProblem> {
        let manager = push_manager().await?;
        let options = Object::new();
        let _ = Reflect::set(&options, &"userVisibleOnly".into(), &JsValue::TRUE);
        let _ = Reflect::set(
            &options,
            &"applicationServerKey".into(),
            &Uint8Array::from(key).into(),
        );
        match call(&manager, "subscribe", &[options.into()]).await {
            Ok(subscription) => as_json(&subscription).ok_or(PushProblem::Failed),
            Err(_) if permission_denied() => Err(PushProblem::Denied),
            Err(_) => Err(PushProblem::Failed),
        }
    }

    pub async fn current() -> Option<SubscriptionJson> {
        let manager = push_manager().await.ok()?;
        let subscription = call(&manager, "getSubscription", &[]).await.ok()?;
        if subscription.is_null() || subscription.is_undefined() {
            return None;
        }
        as_json(&subscription)
    }

    pub async fn unsubscribe() -> Option<String> {
        let manager = push_manager().await.ok()?;
        let subscription = call(&manager, "getSubscription", &[]).await.ok()?;
        let endpoint = as_json(&subscription)?.endpoint;
        call(&subscription, "unsubscribe", &[]).await.ok()?;
        Some(endpoint)
    }
}

/// Subscribes this browser to push with the server's VAPID key (base64url): the browser asks
/// the person first. Gives what the server stores.
pub async fn push_subscribe(
    key: &str,
) -> Result<skolportal_shared::api::PushSubscriptionInput, PushProblem> {
    let key = base64url_decode(key).ok_or(PushProblem::Failed)?;
    #[cfg(target_arch = "wasm32")]
    {
        let json = push::subscribe(&key).await?;
        Ok(skolportal_shared::api::PushSubscriptionInput {
            endpoint: json.endpoint,
            p256dh: json.keys.p256dh,
            auth: json.keys.auth,
        })
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = key;
        Err(PushProblem::Unsupported)
    }
}

/// This browser's push endpoint, when it has subscribed.
pub async fn push_endpoint() -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        push::current().await.map(|s| s.endpoint)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// Ends this browser's push subscription; gives its endpoint for the server to forget.
pub async fn push_unsubscribe() -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        push::unsubscribe().await
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// Base64url without padding, as the VAPID key is sent.
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        })
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.trim_end_matches('=').bytes() {
        buffer = (buffer << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod push_tests {
    #[test]
    fn base64url_decodes_a_vapid_key() {
        assert_eq!(
            super::base64url_decode("AQID_-8"),
            Some(vec![1, 2, 3, 255, 239])
        );
        assert_eq!(super::base64url_decode("a+b"), None);
    }
}
