//! The first paint before the WebAssembly arrives. The server writes into each app's HTML shell
//! what it knows without the app: the language chosen on this device (`<html lang dir>`), the
//! municipality's colour for the browser's chrome, and the municipality's public info as JSON,
//! which the app reads instead of fetching it, so its first render already shows the right name.
//! For the login page, the most visited first view, it also writes the page itself: the header,
//! the form and the footer, in the chosen language.
//!
//! Why a prerendered page and not Yew's server-side rendering with hydration: hydration needs the
//! app's whole tree (router, contexts, the session check) to render on the server and to match
//! node for node on the client, for one page whose content is static apart from the
//! municipality's name and the language. Here the markup mirrors `components::header`,
//! `pages::login` and `components::footer`; the app renders its own login page hidden, then takes
//! over in one step (`dom::take_over_prerender`), keeping what was typed and where the focus was.
//! The browser test `pages::the_login_page_is_painted_from_the_html_and_the_app_takes_over_in_place`
//! fails when the two drift apart in layout.

use skolportal_shared::api::MunicipalityInfo;
use skolportal_shared::lang::Lang;

/// The catalogue texts the prerender needs, in one language with Swedish as the fallback.
pub trait Texts {
    fn text(&self, lang: Lang, key: &str) -> String;
}

/// What the shell is written with.
pub struct ShellInputs<'a> {
    pub lang: Lang,
    pub municipality: Option<&'a MunicipalityInfo>,
    pub theme_colour: &'a str,
    pub login: Option<LoginPage>,
    /// API answers the page will ask for first, fetched while the app downloads (only for a
    /// browser that has a session; the answers are personal, so they are never in the HTML).
    pub preload: &'a [&'a str],
}

/// The login page's state that the server can see in its address.
pub struct LoginPage {
    /// `?utloggad=1`: the person has just logged out.
    pub logged_out: bool,
}

/// The element the prerendered page lives in; the app removes it when it takes over.
pub const PRERENDER_ID: &str = "prerender";
/// The `<script type="application/json">` holding the municipality's public info.
pub const MUNICIPALITY_ID: &str = "municipality-info";

/// `shell` (Trunk's minified HTML) with the inputs written in.
pub fn render(shell: &str, inputs: &ShellInputs<'_>, texts: &impl Texts) -> String {
    let mut html = shell.to_owned();
    let lang = inputs.lang;
    if let Some(start) = html.find("<html") {
        if let Some(end) = html[start..].find('>') {
            html.replace_range(
                start..start + end + 1,
                &format!("<html lang=\"{}\" dir=\"{}\">", lang.code(), lang.dir()),
            );
        }
    }
    let mut head = format!(
        "<meta name=\"theme-color\" content=\"{}\">",
        escape(inputs.theme_colour)
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
    insert_before(&mut html, "</head>", &head);
    if let Some(login) = &inputs.login {
        let title = texts
            .text(lang, "app.title_format")
            .replace("{page}", &texts.text(lang, "login.title"));
        if let (Some(start), Some(end)) = (html.find("<title>"), html.find("</title>")) {
            html.replace_range(
                start..end + "</title>".len(),
                &format!("<title>{}</title>", escape(&title)),
            );
        }
        insert_before(&mut html, "</body>", &login_page(inputs, login, texts));
    }
    html
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
    let logged_out = if login.logged_out {
        format!(
            "<p class=\"alert alert--success\">{}</p>",
            t("login.logged_out")
        )
    } else {
        String::new()
    };
    let field = |id: &str, kind: &str, autocomplete: &str| {
        format!(
            "<div class=\"field\"><label for=\"{id}\" class=\"field__label\">{}</label>\
             <input id=\"{id}\" name=\"{id}\" type=\"{kind}\" autocomplete=\"{autocomplete}\" \
             aria-required=\"true\" required class=\"field__input\"></div>",
            t(&format!("login.{id}"))
        )
    };
    // The buttons do nothing until the app takes over (a second or so on a slow phone); what was
    // typed is kept. A submit button would send the form before the app could: as a GET, with
    // the password in the address. Without one, Enter in a field sends nothing either.
    format!(
        "<div id=\"{PRERENDER_ID}\">\
         <a class=\"skip-link\" href=\"#main\">{skip}</a>\
         <header class=\"site-header\"><div class=\"site-header__bar\">\
         <a href=\"/\" class=\"brand\">{logo}<span class=\"brand__text\">\
         <span class=\"brand__name\">{name}</span><span class=\"brand__service\">{service}</span>\
         </span></a>\
         <div id=\"site-menu\" class=\"site-menu\"><div class=\"site-header__tools\">{switch}</div></div>\
         </div></header>\
         <main id=\"main\" class=\"site-main\" tabindex=\"-1\"><div class=\"page page--narrow\">\
         <h1>{title}</h1>\
         <div id=\"logged-out\" class=\"live-region\" role=\"status\" aria-live=\"polite\">{logged_out}</div>\
         <p class=\"lead\">{intro}</p>\
         <div id=\"login-error\" class=\"live-region\" role=\"alert\" aria-live=\"assertive\"></div>\
         <form class=\"form\" novalidate>{username}{password}\
         <button type=\"button\" class=\"button button--primary button--block\">{submit}</button></form>\
         <p class=\"divider\"><span>{or}</span></p>\
         <button type=\"button\" class=\"button button--secondary button--block\">{bankid}</button>\
         <p class=\"hint\">{hint}</p>\
         </div></main>\
         <footer class=\"site-footer\"><div class=\"site-footer__inner\">\
         <p class=\"site-footer__name\">{name}</p><p class=\"site-footer__text\">{footer}</p>\
         </div></footer></div>",
        skip = t("app.skip_to_content"),
        switch = language_switch(inputs, texts),
        title = t("login.title"),
        intro = t("login.intro"),
        username = field("username", "text", "username"),
        password = field("password", "password", "current-password"),
        submit = t("login.submit"),
        or = t("login.or"),
        bankid = t("login.bankid"),
        hint = t("login.bankid_hint"),
        footer = t("footer.service"),
    )
}

/// Mirrors `components::language_switch`: the offered languages (and the current one), each
/// named in itself.
fn language_switch(inputs: &ShellInputs<'_>, texts: &impl Texts) -> String {
    let current = inputs.lang;
    let offered: Vec<Lang> = inputs
        .municipality
        .map(|m| {
            m.languages
                .iter()
                .filter_map(|c| Lang::from_code(c))
                .collect::<Vec<_>>()
        })
        .filter(|langs| !langs.is_empty())
        .unwrap_or_else(|| Lang::ALL.to_vec());
    let shown: Vec<Lang> = Lang::ALL
        .into_iter()
        .filter(|lang| *lang == current || offered.contains(lang))
        .collect();
    if shown.len() < 2 {
        return String::new();
    }
    let buttons: String = shown
        .into_iter()
        .map(|lang| {
            format!(
                "<button type=\"button\" class=\"lang-switch__option\" lang=\"{code}\" dir=\"{dir}\" aria-pressed=\"{pressed}\">{name}</button>",
                code = lang.code(),
                dir = lang.dir(),
                pressed = lang == current,
                name = escape(&texts.text(Lang::Sv, &format!("lang.{}", lang.code()))),
            )
        })
        .collect();
    format!(
        "<div class=\"lang-switch\" role=\"group\" aria-label=\"{}\">{buttons}</div>",
        escape(&texts.text(current, "lang.switch_label"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Keys;
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
        }
    }

    #[test]
    fn the_language_and_the_municipality_are_written_into_every_shell() {
        let info = info("Solviks kommun</script><script>alert(1)");
        let html = render(
            SHELL,
            &ShellInputs {
                lang: Lang::Ar,
                municipality: Some(&info),
                theme_colour: "#1d4f91",
                login: None,
                preload: &["/api/me"],
            },
            &Keys,
        );
        assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
        assert!(html.contains("<meta name=\"theme-color\" content=\"#1d4f91\">"));
        assert!(html.contains("\\u003c/script>"), "{html}");
        assert_eq!(html.matches("</script>").count(), 1);
        assert!(!html.contains(PRERENDER_ID));
        assert!(html.contains("<link rel=\"preload\" href=\"/api/me\" as=\"fetch\" crossorigin>"));
    }

    #[test]
    fn the_login_page_is_written_in_the_chosen_language_and_escaped() {
        let info = info("Å & <b>");
        let html = render(
            SHELL,
            &ShellInputs {
                lang: Lang::Fi,
                municipality: Some(&info),
                theme_colour: "#1d4f91",
                login: Some(LoginPage { logged_out: true }),
                preload: &[],
            },
            &Keys,
        );
        assert!(html.contains("<h1>fi:login.title</h1>"));
        assert!(html.contains("Å &amp; &lt;b&gt;"));
        assert!(html.contains("fi:login.logged_out"));
        // Finnish is shown although the municipality offers only Swedish and English.
        assert_eq!(html.matches("lang-switch__option").count(), 3);
        // Nothing can be sent before the app takes over.
        assert!(!html.contains("type=\"submit\""));
        assert!(html.find(PRERENDER_ID) < html.find("</body>"));
        assert!(html.contains("<title>fi:app.title_format</title>"));
    }
}
