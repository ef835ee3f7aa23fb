//! What the server writes into the pages before any WebAssembly runs. Into each app's HTML shell:
//! the language chosen on this device (`<html lang dir>`), the municipality's colour for the
//! browser's chrome, and the municipality's public info as JSON, which the app reads instead of
//! fetching it, so its first render already shows the right name.
//!
//! The two most visited first views are the server's pages alone, with no app: the login page
//! (a form that posts to `POST /api/auth/password/form`, a link into the BankID flow) and a
//! guardian's start page, "Mina barn" (`children`, with the family's day and week from `start`).
//! They are usable as soon as their HTML and CSS
//! are there, on any phone and with scripts off, and a phone on a slow connection does not spend
//! its first seconds on a bundle the page does not need. Once such a page has loaded, its one
//! small script ([`PAGE_SCRIPT`]) registers the service worker, which fetches the families' app,
//! so that the next page starts at once; their links lead into the app. Their markup uses the
//! app's classes and mirrors `components::header`, `components::footer` and `pages::children`;
//! the system tests `pwa::the_login_page_works_without_the_app` and
//! `pages::mina_barn_is_the_servers_page_and_the_menu_leads_back_to_it` hold them to that.

mod children;
mod markup;
mod start;
mod widgets;

pub use children::ChildrenPage;
pub use widgets::{FeeChildRow, FeeForm, WidgetPage, CARE_CODES, FEE_ROWS, KIND_CODES};

use skolportal_shared::api::MunicipalityInfo;
use skolportal_shared::lang::{plural_category, shown_languages, Lang};
use skolportal_shared::pages::NavEntry;
use skolportal_shared::paths::encode_query_value;

/// The catalogue texts the server writes, in one language with Swedish as the fallback.
pub trait Texts {
    /// The text for `key`; the key itself when no catalogue has it.
    fn text(&self, lang: Lang, key: &str) -> String;

    /// The text for `count` of something: `<key>.<plural category>` (or `<key>.other`) with
    /// `{count}` filled in.
    fn counted(&self, lang: Lang, key: &str, count: u64) -> String {
        let exact = format!("{key}.{}", plural_category(lang, count));
        let mut text = self.text(lang, &exact);
        if text == exact {
            text = self.text(lang, &format!("{key}.other"));
        }
        text.replace("{count}", &count.to_string())
    }
}

/// What the shell is written with.
pub struct ShellInputs<'a> {
    pub lang: Lang,
    pub municipality: Option<&'a MunicipalityInfo>,
    pub theme_colour: &'a str,
    /// The page the server writes itself, without the app; `None` for the app's own pages.
    pub page: Option<ServerPage>,
    /// API answers the page will ask for first, fetched while the app downloads (only for a
    /// browser that has a session; the answers are personal, so they are never in the HTML).
    pub preload: &'a [&'a str],
    /// The origins the page may tell its height when it is framed in embed mode (`*`: any, for
    /// the public widgets); the embed script ([`FRAMED_SCRIPT`]) reads them.
    pub frame_origins: &'a [String],
}

/// Embed mode, in the head of every page the server writes, inline (allowed by its hash) so that
/// a framed page hides its header before the first paint: see the script's own comment.
pub const FRAMED_SCRIPT: &str = include_str!("embed/framed.js");

/// The `<meta>` naming the origins a framed page tells its height.
const FRAME_ORIGINS_META: &str = "skolportal-frame-origins";

/// A page the server writes whole.
#[derive(Debug)]
pub enum ServerPage {
    Login(LoginPage),
    Children(ChildrenPage),
    /// A public widget for the municipality's website: no header, no footer, always embedded.
    Widget(WidgetPage),
}

impl ServerPage {
    fn title_key(&self) -> &'static str {
        match self {
            ServerPage::Login(_) => "login.title",
            ServerPage::Children(_) => "children.title",
            ServerPage::Widget(widget) => widget.title_key(),
        }
    }
}

/// The login page's state: what its address says and, after a refused form, why.
#[derive(Debug, Default)]
pub struct LoginPage {
    /// `?utloggad=1`: the person has just logged out.
    pub logged_out: bool,
    /// `?return_to=`: the page to go on to after login, already checked to be one of this site.
    pub return_to: Option<String>,
    /// What was typed as the username, written back after a refusal. Never the password.
    pub username: String,
    pub problem: Option<LoginProblem>,
}

/// Why a login form was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginProblem {
    /// One or both fields were empty.
    Missing {
        username: bool,
        password: bool,
    },
    InvalidCredentials,
    Throttled {
        retry_after_seconds: u64,
    },
}

/// Where the login form posts (`api::auth`).
pub const LOGIN_FORM_ACTION: &str = "/api/auth/password/form";
/// The BankID flow's start (`api::bankid`).
const BANKID_START: &str = "/api/auth/bankid/start";
/// The `<script type="application/json">` holding the municipality's public info.
pub const MUNICIPALITY_ID: &str = "municipality-info";

/// `shell` (Trunk's minified HTML) with the inputs written in.
pub fn render(shell: &str, inputs: &ShellInputs<'_>, texts: &impl Texts) -> String {
    let mut html = shell.to_owned();
    let lang = inputs.lang;
    // A widget is embedded whether or not its address says so.
    let embedded = if matches!(inputs.page, Some(ServerPage::Widget(_))) {
        " data-embed"
    } else {
        ""
    };
    if let Some(start) = html.find("<html") {
        if let Some(end) = html[start..].find('>') {
            html.replace_range(
                start..start + end + 1,
                &format!(
                    "<html lang=\"{}\" dir=\"{}\"{embedded}>",
                    lang.code(),
                    lang.dir()
                ),
            );
        }
    }
    let mut head = format!(
        "<meta name=\"theme-color\" content=\"{}\">\
         <meta name=\"{FRAME_ORIGINS_META}\" content=\"{}\"><script>{FRAMED_SCRIPT}</script>",
        escape(inputs.theme_colour),
        escape(&inputs.frame_origins.join(" ")),
    );
    if let Some(info) = inputs.municipality {
        // `<` is escaped so that no value can close the script element.
        let json = serde_json::to_string(info)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        head.push_str(&format!(
            "<script type=\"application/json\" id=\"{MUNICIPALITY_ID}\">{json}</script>"
        ));
    }
    for path in inputs.preload {
        // `crossorigin` (anonymous) is the credentials mode of the app's own `fetch`, which the
        // browser needs to hand it the preloaded answer; same-origin, so the cookie goes along.
        head.push_str(&format!(
            "<link rel=\"preload\" href=\"{}\" as=\"fetch\" crossorigin>",
            escape(path)
        ));
    }
    if let Some(page) = &inputs.page {
        // A server page runs no app: its module script and preloads go, and what they named is
        // fetched into the cache once the page has loaded.
        let files = strip_app(&mut html);
        head.push_str(&format!(
            "<meta name=\"{APP_FILES_META}\" content=\"{}\">",
            escape(&files.join(" "))
        ));
        insert_before(&mut html, "</head>", &head);
        let title = texts
            .text(lang, "app.title_format")
            .replace("{page}", &texts.text(lang, page.title_key()));
        if let (Some(start), Some(end)) = (html.find("<title>"), html.find("</title>")) {
            html.replace_range(
                start..end + "</title>".len(),
                &format!("<title>{}</title>", escape(&title)),
            );
        }
        let body = match page {
            ServerPage::Login(login) => login_page(inputs, login, texts),
            ServerPage::Children(children) => children::page(inputs, children, texts),
            ServerPage::Widget(widget) => widgets::page(inputs, widget, texts),
        };
        insert_before(&mut html, "</body>", &body);
    } else {
        insert_before(&mut html, "</head>", &head);
    }
    html
}

/// The `<meta>` naming the families' app files that the login page fetches ahead.
const APP_FILES_META: &str = "skolportal-app-files";

/// The server pages' only script. At once, before the first paint: on a logged-in page it folds
/// the menu behind its "Meny" button (as `components::header` does; without scripts the menu
/// stays open) and shows "Mina barn"'s keep-offline choice, which it stores as the app does
/// (`dom::set_keeps_offline`) and which a logout forgets. Once the page has loaded: registers the
/// service worker (`/sw.js`), which keeps the login page and the families' app for the next page
/// and for a start without a network; a browser without one fetches the app into its HTTP cache
/// instead (both at once would download it twice). Inline, allowed by its hash.
pub const PAGE_SCRIPT: &str = "(function(){var d=document,K=\"skolportal.keep_offline\",\
b=d.querySelector(\".menu-button\"),m=d.getElementById(\"site-menu\"),k=d.getElementById(\"keep-offline\"),\
o=d.getElementById(\"logout-form\");\
function s(x){b.setAttribute(\"aria-expanded\",x?\"true\":\"false\");m.classList.toggle(\"site-menu--open\",x)}\
function keep(){[\"/api/me\",\"/api/children\"].forEach(function(u){\
fetch(u,{headers:{\"X-Skolportal-Keep-Offline\":\"1\"}}).catch(function(){})})}\
function kept(){try{return localStorage.getItem(K)===\"true\"}catch(e){return false}}\
if(b&&m){b.hidden=false;m.classList.add(\"site-menu--collapsible\");\
b.addEventListener(\"click\",function(){s(b.getAttribute(\"aria-expanded\")!==\"true\")});\
b.parentNode.addEventListener(\"focusout\",function(e){if(!e.currentTarget.contains(e.relatedTarget))s(false)})}\
if(k){k.parentNode.hidden=false;k.checked=kept();k.addEventListener(\"change\",function(){try{\
if(k.checked){localStorage.setItem(K,\"true\");keep()}else{localStorage.removeItem(K);\
if(window.caches)caches.delete(\"skolportal-personal\")}}catch(e){}})}\
if(o)o.addEventListener(\"submit\",function(){try{localStorage.removeItem(K)}catch(e){}});\
addEventListener(\"load\",function(){if(k&&k.checked)keep();\
if(\"serviceWorker\"in navigator){navigator.serviceWorker.register(\"/sw.js\").catch(function(){});return}\
var a=d.querySelector('meta[name=\"skolportal-app-files\"]');\
if(a&&a.content){a.content.split(\" \").forEach(function(h){var l=d.createElement(\"link\");\
l.rel=\"prefetch\";l.href=h;l.crossOrigin=\"anonymous\";d.head.appendChild(l)})}})})()";

/// Removes the app's module script and its preloads from a Trunk shell; returns the files they
/// named (the JavaScript glue and the WebAssembly).
fn strip_app(html: &mut String) -> Vec<String> {
    let mut files = Vec::new();
    while let Some(start) = html.find("<script type=module>") {
        let Some(length) = html[start..].find("</script>") else {
            break;
        };
        html.replace_range(start..start + length + "</script>".len(), "");
    }
    let mut from = 0;
    while let Some(found) = html[from..].find("<link ") {
        let start = from + found;
        let Some(length) = html[start..].find('>') else {
            break;
        };
        let tag = &html[start..=start + length];
        let is_app_file = tag.contains("rel=modulepreload") || tag.contains("rel=preload");
        if is_app_file {
            if let Some(href) = attribute(tag, "href") {
                files.push(href);
            }
            html.replace_range(start..=start + length, "");
            from = start;
        } else {
            from = start + length;
        }
    }
    files
}

/// An attribute's value in a minified tag (`name=value`, `name="value"`, `name='value'`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!(" {name}="))? + name.len() + 2;
    let rest = &tag[at..];
    let value = match rest.chars().next()? {
        quote @ ('"' | '\'') => rest[1..].split(quote).next()?,
        _ => rest.split([' ', '>']).next()?,
    };
    Some(value.to_owned())
}

fn insert_before(html: &mut String, marker: &str, content: &str) {
    if let Some(at) = html.rfind(marker) {
        html.insert_str(at, content);
    }
}

/// Text and attribute values, escaped for HTML.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn login_page(inputs: &ShellInputs<'_>, login: &LoginPage, texts: &impl Texts) -> String {
    let lang = inputs.lang;
    let t = |key: &str| escape(&texts.text(lang, key));
    let logged_out = if login.logged_out && login.problem.is_none() {
        format!(
            "<p class=\"alert alert--success\">{}</p>",
            t("login.logged_out")
        )
    } else {
        String::new()
    };
    let (missing_username, missing_password) = match login.problem {
        Some(LoginProblem::Missing { username, password }) => (username, password),
        _ => (false, false),
    };
    let error = match login.problem {
        None => None,
        Some(LoginProblem::Missing { .. }) => Some(t("form.check_fields")),
        Some(LoginProblem::InvalidCredentials) => Some(t("error.invalid_credentials")),
        Some(LoginProblem::Throttled {
            retry_after_seconds,
        }) => Some(escape(&texts.counted(
            lang,
            "error.throttled_minutes",
            retry_after_seconds.div_ceil(60).max(1),
        ))),
    };
    let error_alert = error
        .map(|text| format!("<p class=\"alert alert--error\">{text}</p>"))
        .unwrap_or_default();
    // The field's own error sits between its label and its input, as in `components::form`.
    // `focus`: after a refusal the focus goes where the person has to act.
    let field = |id: &str,
                 kind: &str,
                 autocomplete: &str,
                 value: &str,
                 missing: bool,
                 focus: bool| {
        let (class, message, invalid) = if missing {
            (
                "field field--error",
                format!(
                    "<p id=\"{id}-error\" class=\"field__error\">{}</p>",
                    t(&format!("login.{id}_missing"))
                ),
                format!(" aria-invalid=\"true\" aria-describedby=\"{id}-error {ERROR_ID}\""),
            )
        } else if login.problem.is_some() {
            (
                "field",
                String::new(),
                format!(" aria-describedby=\"{ERROR_ID}\""),
            )
        } else {
            ("field", String::new(), String::new())
        };
        let value = if value.is_empty() {
            String::new()
        } else {
            format!(" value=\"{}\"", escape(value))
        };
        let autofocus = if focus { " autofocus" } else { "" };
        format!(
            "<div class=\"{class}\"><label for=\"{id}\" class=\"field__label\">{}</label>{message}\
             <input id=\"{id}\" name=\"{id}\" type=\"{kind}\" autocomplete=\"{autocomplete}\"{value} \
             aria-required=\"true\" required{autofocus}{invalid} class=\"field__input\"></div>",
            t(&format!("login.{id}"))
        )
    };
    // The first empty field, or the password to type again.
    let focus_password = !missing_username && login.problem.is_some();
    let return_to = login.return_to.as_deref().unwrap_or("/");
    let hidden_return = login
        .return_to
        .as_deref()
        .map(|path| {
            format!(
                "<input type=\"hidden\" name=\"return_to\" value=\"{}\">",
                escape(path)
            )
        })
        .unwrap_or_default();
    let return_query = login
        .return_to
        .as_deref()
        .map(|path| format!("&return_to={}", encode_query_value(path)))
        .unwrap_or_default();
    let switch = language_switch(inputs, texts, |code| {
        format!("/login?lang={code}{return_query}")
    });
    format!(
        "{header}\
         <main id=\"main\" class=\"site-main\" tabindex=\"-1\"><div class=\"page page--narrow\">\
         <h1>{title}</h1>\
         <div id=\"logged-out\" class=\"live-region\" role=\"status\" aria-live=\"polite\">{logged_out}</div>\
         <p class=\"lead\">{intro}</p>\
         <div id=\"{ERROR_ID}\" class=\"live-region\" role=\"alert\" aria-live=\"assertive\">{error_alert}</div>\
         <form class=\"form\" method=\"post\" action=\"{LOGIN_FORM_ACTION}\" novalidate>{hidden_return}{username}{password}\
         <button type=\"submit\" class=\"button button--primary button--block\">{submit}</button></form>\
         <p class=\"divider\"><span>{or}</span></p>\
         <a class=\"button button--secondary button--block\" href=\"{bankid_href}\">{bankid}</a>\
         <p class=\"hint\">{hint}</p>\
         </div></main>{footer}<script>{PAGE_SCRIPT}</script>",
        header = header(inputs, texts, &switch, None),
        footer = footer(inputs, texts),
        title = t("login.title"),
        intro = t("login.intro"),
        username = field(
            "username",
            "text",
            "username",
            &login.username,
            missing_username,
            missing_username
        ),
        password = field(
            "password",
            "password",
            "current-password",
            "",
            missing_password,
            focus_password
        ),
        submit = t("login.submit"),
        or = t("login.or"),
        bankid_href = escape(&format!(
            "{BANKID_START}?return_to={}",
            encode_query_value(return_to)
        )),
        bankid = t("login.bankid"),
        hint = t("login.bankid_hint"),
    )
}

/// The form's error region, which the fields point at after a refusal.
const ERROR_ID: &str = "login-error";

/// What a logged-in person's header has besides the name and the languages.
pub struct SignedIn<'a> {
    /// Their menu (`pages::main_nav`).
    pub nav: &'a [NavEntry],
    /// The menu entry of the page shown.
    pub current: &'a str,
}

/// Where the logout button posts (`api::auth`).
const LOGOUT_FORM_ACTION: &str = "/api/auth/logout/form";

/// The skip link and the header, as `components::header` writes them: the municipality's name,
/// the language switch, and for a logged-in person the logout button and the menu, folded
/// behind "Meny" on a phone by [`PAGE_SCRIPT`] (the button is hidden until then).
fn header(
    inputs: &ShellInputs<'_>,
    texts: &impl Texts,
    switch: &str,
    signed_in: Option<SignedIn<'_>>,
) -> String {
    let lang = inputs.lang;
    let t = |key: &str| escape(&texts.text(lang, key));
    let service = t("app.name");
    let name = inputs
        .municipality
        .map_or_else(|| service.clone(), |m| escape(&m.name));
    let logo = inputs
        .municipality
        .and_then(|m| m.logo_url.as_deref())
        .map(|src| {
            format!(
                "<img class=\"brand__logo\" src=\"{}\" alt=\"\">",
                escape(src)
            )
        })
        .unwrap_or_default();
    let (button, logout, nav) = match signed_in {
        None => Default::default(),
        Some(signed_in) => {
            let links: String = signed_in
                .nav
                .iter()
                .map(|entry| {
                    let current = entry.path == signed_in.current;
                    format!(
                        "<li><a class=\"main-nav__link{}\" href=\"{}\"{}>{}</a></li>",
                        if current {
                            " main-nav__link--current"
                        } else {
                            ""
                        },
                        entry.path,
                        if current {
                            " aria-current=\"page\""
                        } else {
                            ""
                        },
                        t(entry.label),
                    )
                })
                .collect();
            (
                format!(
                    "<button type=\"button\" class=\"button button--on-primary menu-button\" \
                     aria-expanded=\"false\" aria-controls=\"site-menu\" hidden>{}</button>",
                    t("header.menu")
                ),
                format!(
                    "<form id=\"logout-form\" class=\"logout-form\" method=\"post\" \
                     action=\"{LOGOUT_FORM_ACTION}\"><button type=\"submit\" \
                     class=\"button button--on-primary\">{}</button></form>",
                    t("header.logout")
                ),
                format!(
                    "<nav class=\"main-nav\" aria-label=\"{}\"><ul class=\"main-nav__list\">{links}</ul></nav>",
                    t("nav.label")
                ),
            )
        }
    };
    format!(
        "<a class=\"skip-link\" href=\"#main\">{skip}</a>\
         <header class=\"site-header\"><div class=\"site-header__bar\">\
         <a href=\"/\" class=\"brand\">{logo}<span class=\"brand__text\">\
         <span class=\"brand__name\">{name}</span><span class=\"brand__service\">{service}</span>\
         </span></a>{button}\
         <div id=\"site-menu\" class=\"site-menu\"><div class=\"site-header__tools\">{switch}{logout}</div>{nav}</div>\
         </div></header>",
        skip = t("app.skip_to_content"),
    )
}

/// The footer, as `components::footer` writes it.
fn footer(inputs: &ShellInputs<'_>, texts: &impl Texts) -> String {
    let t = |key: &str| escape(&texts.text(inputs.lang, key));
    let name = inputs
        .municipality
        .map_or_else(|| t("app.name"), |m| escape(&m.name));
    format!(
        "<footer class=\"site-footer\"><div class=\"site-footer__inner\">\
         <p class=\"site-footer__name\">{name}</p><p class=\"site-footer__text\">{}</p>\
         </div></footer>",
        t("footer.service")
    )
}

/// The languages as links that load this page again in another one (`href` of a language code:
/// an address with `?lang=`, which the server remembers in the language cookie). Each is named
/// in itself, as in `components::language_switch`.
fn language_switch(
    inputs: &ShellInputs<'_>,
    texts: &impl Texts,
    href: impl Fn(&str) -> String,
) -> String {
    let current = inputs.lang;
    let offered = inputs
        .municipality
        .map_or(&[][..], |m| m.languages.as_slice());
    let shown = shown_languages(current, offered);
    if shown.is_empty() {
        return String::new();
    }
    let links: String = shown
        .into_iter()
        .map(|lang| {
            let current = if lang == current {
                " aria-current=\"true\""
            } else {
                ""
            };
            format!(
                "<a class=\"lang-switch__option\" href=\"{href}\" \
                 hreflang=\"{code}\" lang=\"{code}\" dir=\"{dir}\"{current}>{name}</a>",
                code = lang.code(),
                dir = lang.dir(),
                href = escape(&href(lang.code())),
                name = escape(&texts.text(Lang::Sv, &format!("lang.{}", lang.code()))),
            )
        })
        .collect();
    format!(
        "<nav class=\"lang-switch\" aria-label=\"{}\">{links}</nav>",
        escape(&texts.text(current, "lang.switch_label"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts as their keys, prefixed with the language: what a page asked for, and in which.
    pub(super) struct Keys;
    impl Texts for Keys {
        fn text(&self, lang: Lang, key: &str) -> String {
            format!("{}:{key}", lang.code())
        }
    }

    const SHELL: &str = "<!doctype html><html lang=sv><title>Skolportalen</title></head><body><noscript>x</noscript></body></html>";

    fn info(name: &str) -> MunicipalityInfo {
        MunicipalityInfo {
            id: uuid::Uuid::nil(),
            code: "9999".into(),
            name: name.into(),
            logo_url: None,
            theme: crate::municipality::MunicipalitySettings::default().theme,
            languages: vec!["sv".into(), "en".into()],
            frame_origins: Vec::new(),
        }
    }

    const TRUNK_HEAD: &str = "<script type=module>import init from '/app-1.js';await init({ module_or_path: '/app-1_bg.wasm' });</script><link crossorigin href=/app-1.js integrity=sha384-x rel=modulepreload><link as=fetch crossorigin href=/app-1_bg.wasm rel=preload type=application/wasm><link href=/main.css rel=stylesheet>";

    fn shell() -> String {
        SHELL.replace("</head>", &format!("{TRUNK_HEAD}</head>"))
    }

    #[test]
    fn the_language_and_the_municipality_are_written_into_every_shell() {
        let info = info("Solviks kommun</script><script>alert(1)");
        let html = render(
            &shell(),
            &ShellInputs {
                lang: Lang::Ar,
                municipality: Some(&info),
                theme_colour: "#1d4f91",
                page: None,
                preload: &["/api/me"],
                frame_origins: &[],
            },
            &Keys,
        );
        assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
        assert!(html.contains("<meta name=\"theme-color\" content=\"#1d4f91\">"));
        assert!(html.contains("\\u003c/script>"), "{html}");
        // The app's own script and the embed script stay; nothing else can close a script
        // element.
        assert_eq!(html.matches("</script>").count(), 3);
        assert!(html.contains(FRAMED_SCRIPT));
        assert!(html.contains("rel=modulepreload"));
        assert!(!html.contains("<form"));
        assert!(html.contains("<link rel=\"preload\" href=\"/api/me\" as=\"fetch\" crossorigin>"));
    }

    fn login(page: LoginPage) -> String {
        let info = info("Å & <b>");
        render(
            &shell(),
            &ShellInputs {
                lang: Lang::Fi,
                municipality: Some(&info),
                theme_colour: "#1d4f91",
                page: Some(ServerPage::Login(page)),
                preload: &[],
                frame_origins: &[],
            },
            &Keys,
        )
    }

    #[test]
    fn the_login_page_is_a_form_in_the_chosen_language_without_the_app() {
        let html = login(LoginPage {
            logged_out: true,
            return_to: Some("/children?x=1&y=2".into()),
            ..LoginPage::default()
        });
        assert!(html.contains("<h1>fi:login.title</h1>"));
        assert!(html.contains("Å &amp; &lt;b&gt;"));
        assert!(html.contains("fi:login.logged_out"));
        // Finnish is offered although the municipality offers only Swedish and English.
        assert_eq!(html.matches("class=\"lang-switch__option\"").count(), 3);
        assert!(html.contains("href=\"/login?lang=sv&amp;return_to=/children%3Fx%3D1%26y%3D2\""));
        assert!(html.contains("<title>fi:app.title_format</title>"));
        // The form posts itself; the return address goes along, and to BankID too.
        assert!(html.contains(&format!("method=\"post\" action=\"{LOGIN_FORM_ACTION}\"")));
        assert!(html.contains("type=\"submit\""));
        assert!(html.contains("name=\"return_to\" value=\"/children?x=1&amp;y=2\""));
        assert!(
            html.contains("href=\"/api/auth/bankid/start?return_to=/children%3Fx%3D1%26y%3D2\"")
        );
        // No app: its script and preloads are gone, and what they named is fetched ahead.
        assert!(!html.contains("type=module") && !html.contains("rel=modulepreload"));
        assert!(
            html.contains("content=\"/app-1.js /app-1_bg.wasm\""),
            "{html}"
        );
        assert!(html.contains("<link href=/main.css rel=stylesheet>"));
        assert!(html.contains(PAGE_SCRIPT));
    }

    #[test]
    fn a_refused_login_says_why_keeps_the_username_and_not_the_password() {
        let html = login(LoginPage {
            username: "anna\"><script>".into(),
            problem: Some(LoginProblem::Missing {
                username: false,
                password: true,
            }),
            ..LoginPage::default()
        });
        assert!(html.contains("value=\"anna&quot;&gt;&lt;script&gt;\""));
        assert!(html.contains("fi:login.password_missing"));
        assert!(!html.contains("fi:login.username_missing"));
        assert!(html.contains("fi:form.check_fields"));
        assert!(
            html.contains("aria-invalid=\"true\" aria-describedby=\"password-error login-error\"")
        );
        let password = &html[html.find("id=\"password\"").unwrap()..];
        assert!(password[..password.find('>').unwrap()].contains("autofocus"));

        let html = login(LoginPage {
            problem: Some(LoginProblem::Throttled {
                retry_after_seconds: 61,
            }),
            ..LoginPage::default()
        });
        assert!(html.contains("fi:error.throttled_minutes.other"), "{html}");
        assert!(!html.contains("fi:login.logged_out"));
    }
}
