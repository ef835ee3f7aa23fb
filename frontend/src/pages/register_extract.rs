use skolportal_shared::api::{
    AuthMethod, ExtractAccount, ExtractChild, ExtractPerson, ExtractPlacement, ExtractSession,
    RegisterExtract,
};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{
    access_log_table, address_lines, cell, data_table, error_alert, fact, loading, relation_text,
    roles_text, school_year_text, time_html, unit_kind_text,
};
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;

enum State {
    Loading,
    Loaded(Box<RegisterExtract>),
    Failed(ClientError),
}

/// `/uppgifter` ("Mina uppgifter"): the register extract (registerutdrag, GDPR art. 15) — what the
/// portal stores about the person and their children, and who has read it — with a download of
/// the same extract as a JSON file.
#[function_component]
pub fn RegisterExtractPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("extract.title"));
    let state = use_state(|| State::Loading);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                match api::register_extract().await {
                    Ok(extract) => state.set(State::Loaded(Box::new(extract))),
                    Err(err) => state.set(State::Failed(err)),
                }
            });
        });
    }
    let body = match &*state {
        State::Loading => loading(&i18n),
        State::Failed(error) if error.is_unauthenticated() => loading(&i18n),
        State::Failed(error) => error_alert(&i18n, "extract-error", Some(error), None),
        State::Loaded(extract) => extract_html(&i18n, extract),
    };
    html! {
        <div class="page extract">
            <h1>{ i18n.t("extract.title") }</h1>
            <p class="lead">{ i18n.t("extract.intro") }</p>
            { body }
        </div>
    }
}

fn extract_html(i18n: &I18n, extract: &RegisterExtract) -> Html {
    html! {
        <>
            <p class="hint">
                { i18n.t("extract.generated_at") }{ " " }{ time_html(i18n, extract.generated_at) }
            </p>
            <p class="extract__download">
                <a class="button button--secondary" href={api::EXTRACT_DOWNLOAD} download="">
                    { i18n.t("extract.download") }
                </a>
            </p>
            <p class="hint">{ i18n.t("extract.download_hint") }</p>

            <section class="section" aria-labelledby="extract-person-heading">
                <h2 id="extract-person-heading">{ i18n.t("extract.person_heading") }</h2>
                <div class="card">
                    <dl class="facts">
                        { person_facts(i18n, &extract.person) }
                        { fact(i18n.t("extract.roles"), html! { { roles_text(i18n, &extract.roles) } }) }
                    </dl>
                </div>
            </section>

            <section class="section" aria-labelledby="extract-account-heading">
                <h2 id="extract-account-heading">{ i18n.t("extract.account_heading") }</h2>
                { account_html(i18n, extract.account.as_ref()) }
                <h3 id="extract-sessions-heading">{ i18n.t("extract.sessions_heading") }</h3>
                { sessions_html(i18n, &extract.sessions) }
            </section>

            { for extract.children.iter().map(|child| child_html(i18n, child)) }

            <section class="section" aria-labelledby="extract-own-log-heading">
                <h2 id="extract-own-log-heading">{ i18n.t("extract.own_log_heading") }</h2>
                <p>{ i18n.t("extract.own_log_intro") }</p>
                { access_log_table(i18n, "extract-own-log-heading", &extract.access_log, true) }
            </section>
        </>
    }
}

/// Name, personnummer, birth date and contact details: for the person and for each child.
fn person_facts(i18n: &I18n, person: &ExtractPerson) -> Html {
    let missing = || html! { <>{ i18n.t("common.not_registered") }</> };
    html! {
        <>
            { fact(i18n.t("extract.name"), html! { { format!("{} {}", person.given_name, person.family_name) } }) }
            { fact(i18n.t("extract.personnummer"), html! { { personnummer_text(&person.personnummer) } }) }
            { fact(i18n.t("child.birth_date"), html! { { i18n.date(person.birth_date) } }) }
            { fact(i18n.t("child.address"), html! { { person.address.as_ref().map_or_else(missing, address_lines) } }) }
            { fact(i18n.t("extract.email"), html! { { person.email.as_ref().map_or_else(missing, |email| html! {
                    <span class="break">{ email.clone() }</span>
                }) } }) }
            { fact(i18n.t("child.phone"), html! { { person.phone.as_ref().map_or_else(missing, |phone| html! { { phone.clone() } }) } }) }
            if let Some(email) = &person.school_email {
                { fact(i18n.t("child.school_email"), html! { <span class="break">{ email.clone() }</span> }) }
            }
        </>
    }
}

fn account_html(i18n: &I18n, account: Option<&ExtractAccount>) -> Html {
    let Some(account) = account else {
        return html! { <p>{ i18n.t("extract.no_account") }</p> };
    };
    let never = || html! { <>{ i18n.t("extract.never") }</> };
    html! {
        <div class="card">
            <dl class="facts">
                { fact(i18n.t("extract.username"), html! { <span class="break">{ account.username.clone() }</span> }) }
                { fact(i18n.t("extract.account_created"), html! { { time_html(i18n, account.created_at) } }) }
                { fact(i18n.t("extract.last_login"), html! { { account.last_login_at.map_or_else(never, |at| time_html(i18n, at)) } }) }
                { fact(i18n.t("extract.password_changed"), html! { { account.password_changed_at.map_or_else(never, |at| time_html(i18n, at)) } }) }
            </dl>
        </div>
    }
}

fn sessions_html(i18n: &I18n, sessions: &[ExtractSession]) -> Html {
    if sessions.is_empty() {
        return html! { <p class="empty-state">{ i18n.t("extract.no_sessions") }</p> };
    }
    let (started, seen, ended, method) = (
        i18n.t("extract.session_started"),
        i18n.t("extract.session_last_seen"),
        i18n.t("extract.session_ended"),
        i18n.t("extract.session_method"),
    );
    let rows = html! {
        { for sessions.iter().map(|session| html! {
            <tr class="data-table__row session-entry" role="row">
                { cell(started, time_html(i18n, session.created_at)) }
                { cell(seen, time_html(i18n, session.last_seen_at)) }
                { cell(ended, session.ended_at.map_or_else(
                    || html! { <>{ i18n.t("extract.session_not_ended") }</> },
                    |at| time_html(i18n, at),
                )) }
                { cell(method, html! { { match session.auth_method {
                    AuthMethod::Password => i18n.t("extract.method_password"),
                    AuthMethod::Bankid => i18n.t("extract.method_bankid"),
                } } }) }
            </tr>
        }) }
    };
    data_table(
        "extract-sessions-heading",
        "sessions",
        &[started, seen, ended, method],
        rows,
    )
}

/// One child: the register data, placements, groups, responsible adults and who has read them.
fn child_html(i18n: &I18n, child: &ExtractChild) -> Html {
    let id = child.id;
    let heading = format!("extract-child-{id}");
    let placements = format!("extract-child-{id}-placements");
    let groups = format!("extract-child-{id}-groups");
    let adults = format!("extract-child-{id}-adults");
    let log = format!("extract-child-{id}-log");
    let name = format!("{} {}", child.person.given_name, child.person.family_name);
    html! {
        <section class="section extract-child" key={id.to_string()} aria-labelledby={heading.clone()}>
            <h2 id={heading}>{ i18n.tf("extract.child_heading", &[("name", &name)]) }</h2>
            <div class="card">
                <dl class="facts">
                    { person_facts(i18n, &child.person) }
                    { fact(i18n.t("child.relation"), html! { { relation_text(i18n, child.relation) } }) }
                </dl>
            </div>

            <h3 id={placements.clone()}>{ i18n.t("extract.placements_heading") }</h3>
            if child.placements.is_empty() {
                <p>{ i18n.t("extract.no_placements") }</p>
            } else {
                <ul class="item-list" aria-labelledby={placements}>
                    { for child.placements.iter().map(|placement| placement_html(i18n, placement)) }
                </ul>
            }

            <h3 id={groups.clone()}>{ i18n.t("extract.groups_heading") }</h3>
            if child.groups.is_empty() {
                <p>{ i18n.t("extract.no_groups") }</p>
            } else {
                <ul class="item-list" aria-labelledby={groups}>
                    { for child.groups.iter().map(|group| html! {
                        <li class="item-list__item">{ group.clone() }</li>
                    }) }
                </ul>
            }

            <h3 id={adults.clone()}>{ i18n.t("extract.adults_heading") }</h3>
            if child.responsible_adults.is_empty() {
                <p>{ i18n.t("extract.no_adults") }</p>
            } else {
                <ul class="item-list" aria-labelledby={adults}>
                    { for child.responsible_adults.iter().map(|adult| html! {
                        <li class="item-list__item">
                            <span class="item-list__name">
                                { format!("{} {}", adult.given_name, adult.family_name) }
                            </span>
                            <span class="item-list__detail">{ relation_text(i18n, adult.relation) }</span>
                        </li>
                    }) }
                </ul>
            }

            <h3 id={log.clone()}>{ i18n.t("extract.child_log_heading") }</h3>
            { access_log_table(i18n, &log, &child.access_log, false) }
        </section>
    }
}

/// "Solbackens förskola – Förskola", then the period, school year and hours.
fn placement_html(i18n: &I18n, placement: &ExtractPlacement) -> Html {
    let start = i18n.date(placement.start_date);
    let period = match placement.end_date {
        Some(end) => i18n.tf(
            "extract.period",
            &[("start", &start), ("end", &i18n.date(end))],
        ),
        None => i18n.tf("extract.period_open", &[("start", &start)]),
    };
    let mut details = vec![period];
    if let Some(year) = placement.school_year {
        details.push(if year == 0 {
            school_year_text(i18n, year)
        } else {
            i18n.tf("extract.school_year", &[("year", &year.to_string())])
        });
    }
    if let Some(hours) = placement.hours_per_week {
        details.push(i18n.tf("extract.hours_per_week", &[("hours", &hours.to_string())]));
    }
    html! {
        <li class="item-list__item">
            <span class="item-list__name">{ placement.unit.clone() }</span>
            <span class="item-list__detail">{ unit_kind_text(i18n, &placement.kind) }</span>
            { for details.into_iter().map(|detail| html! {
                <span class="item-list__detail">{ detail }</span>
            }) }
        </li>
    }
}

/// `199308012385` as `19930801-2385`, the way it is usually written; anything else as it came.
fn personnummer_text(personnummer: &str) -> String {
    match personnummer.split_at_checked(8) {
        Some((date, number))
            if personnummer.len() == 12 && personnummer.bytes().all(|b| b.is_ascii_digit()) =>
        {
            format!("{date}-{number}")
        }
        _ => personnummer.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personnummer_gets_its_dash() {
        assert_eq!(personnummer_text("199308012385"), "19930801-2385");
        assert_eq!(personnummer_text("19930801-2385"), "19930801-2385");
        assert_eq!(personnummer_text("åäö"), "åäö");
    }
}
