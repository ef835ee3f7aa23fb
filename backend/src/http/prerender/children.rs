//! "Mina barn", a guardian's start page, written by the server: the page a guardian sees first
//! after every login, on a phone that has not yet started (or downloaded) the families' app, and
//! whenever the menu leads back to it. Above the children's cards: what waits for the guardian,
//! today and this week (`start`). Without a network the families' app draws the cards the
//! guardian kept on the phone (`pages::children`).

use skolportal_shared::api::{Address, ChildCard, FamilyStart};
use skolportal_shared::lang::format_date;
use skolportal_shared::pages::NavEntry;

use super::start as start_page;
use super::{escape, footer, header, language_switch, ShellInputs, SignedIn, Texts};

/// What the page shows.
#[derive(Debug)]
pub struct ChildrenPage {
    /// The address it is served at (`/` or `/children`), which the language links load again.
    pub path: String,
    /// The person's menu (`pages::main_nav`).
    pub nav: Vec<NavEntry>,
    /// The start page's answer (`GET /api/start`): the children and their day and week.
    pub start: FamilyStart,
}

/// The menu entry this page is.
const MENU_ENTRY: &str = skolportal_shared::pages::path::CHILDREN;

pub(super) fn page(inputs: &ShellInputs<'_>, page: &ChildrenPage, texts: &impl Texts) -> String {
    let lang = inputs.lang;
    let t = |key: &str| escape(&texts.text(lang, key));
    let switch = language_switch(inputs, texts, |code| format!("{}?lang={code}", page.path));
    let signed_in = SignedIn {
        nav: &page.nav,
        current: MENU_ENTRY,
    };
    let children = &page.start.children;
    let body = if children.is_empty() {
        format!("<p class=\"empty-state\">{}</p>", t("children.empty"))
    } else {
        let text = |key: &str| texts.text(lang, key);
        let mut sections = String::new();
        for part in start_page::sections(&page.start, &start_page::Texts { lang, text: &text }) {
            part.write_html(&mut sections);
        }
        let cards: String = children
            .iter()
            .map(|child| format!("<li>{}</li>", card(inputs, child, texts)))
            .collect();
        // Hidden until the page's script can act on it: kept answers are the service worker's.
        format!(
            "{sections}<ul class=\"card-list\">{cards}</ul>\
             <div class=\"checkbox keep-offline\" hidden>\
             <input class=\"checkbox__input\" type=\"checkbox\" id=\"keep-offline\" aria-describedby=\"keep-offline-hint\">\
             <label class=\"checkbox__label\" for=\"keep-offline\">{keep}</label>\
             <p id=\"keep-offline-hint\" class=\"field__hint keep-offline__hint\">{hint}</p></div>",
            keep = t("children.keep_offline"),
            hint = t("children.keep_offline_hint"),
        )
    };
    format!(
        "{header}<main id=\"main\" class=\"site-main\" tabindex=\"-1\"><div class=\"page page--wide\">\
         <h1>{title}</h1><p class=\"lead\">{intro}</p>{body}</div></main>{footer}\
         <script>{script}</script>",
        header = header(inputs, texts, &switch, Some(signed_in)),
        title = t("children.title"),
        intro = t("children.intro"),
        footer = footer(inputs, texts),
        script = super::PAGE_SCRIPT,
    )
}

/// One child, as `components::child_card` writes it.
fn card(inputs: &ShellInputs<'_>, child: &ChildCard, texts: &impl Texts) -> String {
    let lang = inputs.lang;
    let t = |key: &str| escape(&texts.text(lang, key));
    let fact = |label: &str, value: String| {
        format!(
            "<div class=\"facts__row\"><dt class=\"facts__label\">{}</dt>\
             <dd class=\"facts__value\">{value}</dd></div>",
            t(label)
        )
    };
    let mut facts = fact("child.birth_date", format_date(lang, child.birth_date));
    if let Some(class_name) = &child.class_name {
        facts.push_str(&fact("child.class", escape(class_name)));
    }
    if let Some(year) = child.school_year {
        let year = if year == 0 {
            t("child.preschool_class")
        } else {
            year.to_string()
        };
        facts.push_str(&fact("child.school_year", year));
    }
    if !child.units.is_empty() {
        let units: String = child
            .units
            .iter()
            .map(|unit| format!("<li>{}</li>", escape(unit)))
            .collect();
        facts.push_str(&fact(
            "child.units",
            format!("<ul class=\"plain-list\">{units}</ul>"),
        ));
    }
    let address = child
        .address
        .as_ref()
        .map_or_else(|| t("common.not_registered"), address_lines);
    facts.push_str(&fact("child.address", address));
    if let Some(phone) = &child.phone {
        facts.push_str(&fact(
            "child.phone",
            format!(
                "<a href=\"tel:{}\">{}</a>",
                escape(&phone.replace(' ', "")),
                escape(phone)
            ),
        ));
    }
    if let Some(email) = &child.school_email {
        facts.push_str(&fact(
            "child.school_email",
            format!(
                "<a class=\"break\" href=\"mailto:{0}\">{0}</a>",
                escape(email)
            ),
        ));
    }
    facts.push_str(&fact("child.relation", t(child.relation.text_key())));
    let id = format!("child-{}", child.id);
    format!(
        "<article class=\"card\" aria-labelledby=\"{id}\"><h2 class=\"card__title\" id=\"{id}\">{} {}</h2>\
         <dl class=\"facts\">{facts}</dl></article>",
        escape(&child.given_name),
        escape(&child.family_name),
    )
}

/// Street, then postal code and city, each isolated (`<bdi>`) as in `components::address_lines`.
fn address_lines(address: &Address) -> String {
    format!(
        "<span class=\"line\"><bdi>{}</bdi></span><span class=\"line\"><bdi>{} {}</bdi></span>",
        escape(&address.street),
        escape(&address.postal_code),
        escape(&address.city)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use skolportal_shared::api::Relation;
    use skolportal_shared::lang::Lang;

    use crate::http::prerender::tests::Keys;

    fn child(given_name: &str) -> ChildCard {
        ChildCard {
            id: uuid::Uuid::from_u128(7),
            given_name: given_name.into(),
            family_name: "Ek".into(),
            birth_date: chrono::NaiveDate::from_ymd_opt(2019, 3, 4).unwrap_or_default(),
            relation: Relation::OtherResponsibleAdult,
            address: Some(Address {
                street: "Storgatan 1".into(),
                postal_code: "123 45".into(),
                city: "Solvik".into(),
            }),
            phone: None,
            school_email: None,
            class_name: Some("2B".into()),
            school_year: Some(0),
            units: vec!["Solviksskolan & fritids".into()],
            permitted_actions: Vec::new(),
        }
    }

    fn render(lang: Lang, children: Vec<ChildCard>) -> String {
        let inputs = ShellInputs {
            lang,
            municipality: None,
            theme_colour: "#000",
            page: None,
            preload: &[],
            frame_origins: &[],
        };
        let page = ChildrenPage {
            path: "/".into(),
            nav: vec![
                NavEntry {
                    path: "/children",
                    label: "nav.children",
                },
                NavEntry {
                    path: "/barnomsorg",
                    label: "nav.childcare",
                },
            ],
            start: FamilyStart {
                today: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default(),
                week_start: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
                children,
                days: Vec::new(),
                tasks: Vec::new(),
                talks: Vec::new(),
            },
        };
        super::page(&inputs, &page, &Keys)
    }

    #[test]
    fn each_child_is_a_card_with_the_facts_in_the_chosen_language() {
        let html = render(Lang::Fi, vec![child("<Ida>")]);
        assert!(html.contains("<h1>fi:children.title</h1>"));
        assert!(
            html.contains("id=\"child-00000000-0000-0000-0000-000000000007\">&lt;Ida&gt; Ek</h2>")
        );
        assert!(
            html.contains("<dd class=\"facts__value\">4.03.2019</dd>"),
            "{html}"
        );
        assert!(html.contains("fi:child.preschool_class"));
        assert!(html.contains("<li>Solviksskolan &amp; fritids</li>"));
        assert!(html.contains("fi:relation.other_responsible_adult"));
        assert!(html.contains("<bdi>123 45 Solvik</bdi>"));
        // The menu marks this page, the logout is a form, and the languages reload this address.
        assert!(html.contains(
            "<a class=\"main-nav__link main-nav__link--current\" href=\"/children\" aria-current=\"page\">fi:nav.children</a>"
        ));
        assert!(html.contains("<a class=\"main-nav__link\" href=\"/barnomsorg\">"));
        assert!(html.contains("action=\"/api/auth/logout/form\""));
        assert!(html.contains("href=\"/?lang=sv\""));
        assert!(html.contains("id=\"keep-offline\""));
    }

    #[test]
    fn no_children_says_so_and_offers_nothing_to_keep() {
        let html = render(Lang::Sv, Vec::new());
        assert!(html.contains("sv:children.empty"));
        assert!(!html.contains("id=\"keep-offline\""));
    }
}
