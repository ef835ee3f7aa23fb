use std::collections::{BTreeMap, BTreeSet};

use skolportal_shared::api::{PupilSummary, Role, UnitKind};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::app::Route;
use crate::components::{error_alert, link, loading, TextField};
use crate::dom;
use crate::hooks::{use_i18n, use_me, use_title, MeState};
use crate::i18n::I18n;

const SEARCH_ID: &str = "pupil-search";
/// The search is kept for the tab's session, so that it is still there after a pupil card.
const SEARCH_KEY: &str = "skolportal.pupil_search";
const COUNT_ID: &str = "pupil-count";

enum State {
    Loading,
    Loaded(Vec<PupilSummary>),
    Failed(ClientError),
}

/// `/staff`: greeting, "Mina elever" (the pupils and children of the person's classes, groups and
/// units, grouped by class, with an in-memory search) and the units where the person works, with
/// "Dagens barn" (the day sheet) at each preschool, fritidshem or family daycare for teachers and
/// preschool staff.
#[function_component]
pub fn StaffPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("staff.title"));
    let state = use_state(|| State::Loading);
    let query = use_state(|| dom::session_value(SEARCH_KEY).unwrap_or_default());
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                match api::pupils().await {
                    Ok(pupils) => state.set(State::Loaded(pupils)),
                    Err(err) => state.set(State::Failed(err)),
                }
            });
        });
    }
    let MeState::Ready(me) = use_me() else {
        return loading(&i18n);
    };
    let childcare_staff = me
        .roles
        .iter()
        .any(|role| matches!(role, Role::Teacher | Role::PreschoolStaff));
    let on_query = {
        let query = query.clone();
        Callback::from(move |value: String| {
            dom::set_session_value(SEARCH_KEY, &value);
            query.set(value)
        })
    };
    let pupils = match &*state {
        State::Loading => loading(&i18n),
        State::Failed(error) if error.is_unauthenticated() => loading(&i18n),
        State::Failed(error) => error_alert(&i18n, "pupils-error", Some(error), None),
        State::Loaded(pupils) if pupils.is_empty() => html! {
            <p class="empty-state">{ i18n.t("staff.no_pupils") }</p>
        },
        State::Loaded(pupils) => {
            let groups = group_pupils(pupils, &query);
            let shown: usize = groups.iter().map(|(_, pupils)| pupils.len()).sum();
            let count = if query.trim().is_empty() {
                None
            } else {
                Some(i18n.tn(
                    "staff.search_count",
                    pupils.len() as u64,
                    &[("shown", &i18n.number(shown as u64))],
                ))
            };
            html! {
                <>
                    <form class="search" role="search" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                        { TextField::new(
                            SEARCH_ID,
                            i18n.t("staff.search"),
                            (*query).clone(),
                            on_query,
                            "off",
                        )
                        .input_type("search")
                        .hint(i18n.t("staff.search_hint"))
                        .describedby(Some(COUNT_ID)) }
                    </form>
                    <div id={COUNT_ID} class="live-region" role="status" aria-live="polite">
                        if let Some(count) = count {
                            <p class="hint">{ count }</p>
                        }
                    </div>
                    if groups.is_empty() {
                        <p class="empty-state">
                            { i18n.tf("staff.search_empty", &[("query", query.trim())]) }
                        </p>
                    } else {
                        { for groups.iter().enumerate().map(|(index, (key, pupils))| {
                            group_html(&i18n, index, key, pupils)
                        }) }
                    }
                </>
            }
        }
    };
    html! {
        <div class="page">
            <h1>{ i18n.tf("staff.greeting", &[("name", &me.given_name)]) }</h1>
            <section class="section" aria-labelledby="pupils-heading">
                <h2 id="pupils-heading">{ i18n.t("staff.pupils_heading") }</h2>
                { pupils }
            </section>
            <section class="section" aria-labelledby="units-heading">
                <h2 id="units-heading">{ i18n.t("staff.units_heading") }</h2>
                if me.units.is_empty() {
                    <p class="empty-state">{ i18n.t("staff.no_units") }</p>
                } else {
                    <ul class="unit-list">
                        { for me.units.iter().map(|unit| html! {
                            <li class="unit-list__item" key={unit.id.to_string()}>
                                <span class="unit-list__name">{ unit.name.clone() }</span>
                                <span class="unit-list__kind">
                                    { match unit.kind {
                                        UnitKind::School => i18n.t("unit.school"),
                                        UnitKind::Preschool => i18n.t("unit.preschool"),
                                        UnitKind::Fritidshem => i18n.t("unit.fritidshem"),
                                        UnitKind::FamilyDaycare => i18n.t("unit.family_daycare"),
                                    } }
                                </span>
                                if childcare_staff && unit.kind != UnitKind::School {
                                    { link(Route::DaySheet { unit_id: unit.id }, "unit-list__link", html! { <>{ i18n.t("staff.day_sheet") }
                                        <span class="visually-hidden">{ format!(" – {}", unit.name) }</span></> }) }
                                }
                            </li>
                        }) }
                    </ul>
                    <p>{ link(Route::StaffLunch, "", html! { { i18n.t("lunch.title") } }) }</p>
                }
            </section>
        </div>
    }
}

fn group_html(i18n: &I18n, index: usize, key: &GroupKey, pupils: &[&PupilSummary]) -> Html {
    let heading_id = format!("pupil-group-{index}");
    let heading = match key {
        GroupKey::Class {
            others: false,
            name,
            ..
        } => i18n.tf("staff.mentor_class_heading", &[("class", name)]),
        GroupKey::Class { name, .. } => i18n.tf("staff.class_heading", &[("class", name)]),
        GroupKey::Units(names) => names.clone(),
        GroupKey::Other => i18n.t("staff.other_pupils").to_owned(),
    };
    html! {
        <section class="pupil-group" aria-labelledby={heading_id.clone()}>
            <h3 id={heading_id}>{ heading }</h3>
            <ul class="pupil-list">
                { for pupils.iter().map(|pupil| html! {
                    <li class="pupil-list__item" key={pupil.id.to_string()}>
                        { link(Route::Pupil { id: pupil.id }, "pupil-list__link", html! { <>{ format!("{} {}", pupil.given_name, pupil.family_name) }</> }) }
                    </li>
                }) }
            </ul>
        </section>
    }
}

/// Where a pupil is listed: under the class, else (preschool children) under the units, else
/// last among the others. The variant order is the order of the groups.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupKey {
    /// A class: the staff member's own mentor classes first (`others` false), then by school
    /// year (förskoleklass is year 0, before year 1; unknown last), then by name.
    Class {
        others: bool,
        year: i32,
        name: String,
    },
    Units(String),
    Other,
}

impl GroupKey {
    fn of(pupil: &PupilSummary, mentor_classes: &BTreeSet<&str>) -> Self {
        match (&pupil.class_name, pupil.units.is_empty()) {
            (Some(class), _) if !class.trim().is_empty() => GroupKey::Class {
                others: !mentor_classes.contains(class.as_str()),
                year: pupil.school_year.unwrap_or(i32::MAX),
                name: class.clone(),
            },
            (_, false) => GroupKey::Units(pupil.units.join(", ")),
            _ => GroupKey::Other,
        }
    }
}

/// The pupils matching `query`, grouped and sorted: every word of the query must occur in the
/// name, class or unit (ignoring case).
pub fn group_pupils<'a>(
    pupils: &'a [PupilSummary],
    query: &str,
) -> Vec<(GroupKey, Vec<&'a PupilSummary>)> {
    let words: Vec<String> = query.split_whitespace().map(fold_case).collect();
    let mentor_classes: BTreeSet<&str> = pupils
        .iter()
        .filter(|pupil| pupil.mentor)
        .filter_map(|pupil| pupil.class_name.as_deref())
        .collect();
    let mut groups: BTreeMap<GroupKey, Vec<&PupilSummary>> = BTreeMap::new();
    for pupil in pupils {
        let haystack = fold_case(&format!(
            "{} {} {} {}",
            pupil.given_name,
            pupil.family_name,
            pupil.class_name.as_deref().unwrap_or_default(),
            pupil.units.join(" ")
        ));
        if words.iter().all(|word| haystack.contains(word.as_str())) {
            groups
                .entry(GroupKey::of(pupil, &mentor_classes))
                .or_default()
                .push(pupil);
        }
    }
    groups
        .into_iter()
        .map(|(key, mut pupils)| {
            pupils
                .sort_by_cached_key(|p| (swedish_key(&p.given_name), swedish_key(&p.family_name)));
            (key, pupils)
        })
        .collect()
}

/// Lower case for the letters of names in Sweden (ASCII and Latin-1: Å, Ä, Ö, É, Ü …), without
/// the full Unicode tables, which would cost the wasm several kilobytes.
fn fold_char(c: char) -> char {
    match c {
        'A'..='Z' | 'À'..='Ö' | 'Ø'..='Þ' => char::from_u32(u32::from(c) + 32).unwrap_or(c),
        other => other,
    }
}

fn fold_case(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// A sort key in Swedish alphabetical order: case ignored, å ä ö last, in that order.
fn swedish_key(text: &str) -> Vec<u32> {
    text.chars()
        .map(|c| match fold_char(c) {
            'å' => u32::from('z') + 1,
            'ä' | 'æ' => u32::from('z') + 2,
            'ö' | 'ø' => u32::from('z') + 3,
            'é' | 'è' => u32::from('e'),
            'ü' => u32::from('y'),
            other => u32::from(other),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pupil(given: &str, family: &str, class: Option<&str>, units: &[&str]) -> PupilSummary {
        // "FA" is förskoleklass (year 0); "7B" year 7.
        let school_year = class.map(|class| match class.chars().next() {
            Some(digit @ '0'..='9') => i32::from(digit as u8 - b'0'),
            _ => 0,
        });
        PupilSummary {
            id: uuid::Uuid::nil(),
            given_name: given.into(),
            family_name: family.into(),
            class_name: class.map(Into::into),
            school_year,
            mentor: false,
            units: units.iter().map(|u| (*u).to_owned()).collect(),
        }
    }

    fn class(name: &str, year: i32, mentor: bool) -> GroupKey {
        GroupKey::Class {
            others: !mentor,
            year,
            name: name.into(),
        }
    }

    fn names(groups: &[(GroupKey, Vec<&PupilSummary>)]) -> Vec<(GroupKey, Vec<String>)> {
        groups
            .iter()
            .map(|(key, pupils)| {
                let names = pupils.iter().map(|p| p.given_name.clone()).collect();
                (key.clone(), names)
            })
            .collect()
    }

    #[test]
    fn classes_first_then_units_then_others_in_swedish_order() {
        let pupils = [
            pupil("Örjan", "Ek", Some("7B"), &["Solviks skola"]),
            pupil("Åsa", "Ek", Some("7B"), &["Solviks skola"]),
            pupil("Zelda", "Ek", Some("7B"), &[]),
            pupil("Ärlig", "Ek", Some("7B"), &[]),
            pupil("Bo", "Ek", None, &["Solbackens förskola"]),
            pupil("Al", "Ek", Some("1A"), &[]),
            pupil("Ced", "Ek", None, &[]),
        ];
        let groups = group_pupils(&pupils, "");
        assert_eq!(
            names(&groups),
            vec![
                (class("1A", 1, false), vec!["Al".to_owned()]),
                (
                    class("7B", 7, false),
                    vec!["Zelda".into(), "Åsa".into(), "Ärlig".into(), "Örjan".into()]
                ),
                (
                    GroupKey::Units("Solbackens förskola".into()),
                    vec!["Bo".into()]
                ),
                (GroupKey::Other, vec!["Ced".into()]),
            ]
        );
    }

    #[test]
    fn the_mentor_class_comes_first_and_forskoleklass_before_year_one() {
        let mut mentee = pupil("Mia", "Ek", Some("8A"), &[]);
        mentee.mentor = true;
        let pupils = [
            pupil("Bo", "Ek", Some("1A"), &[]),
            pupil("Ida", "Ek", Some("FA"), &[]),
            pupil("Ola", "Ek", Some("8A"), &[]),
            mentee,
        ];
        let keys: Vec<GroupKey> = group_pupils(&pupils, "")
            .into_iter()
            .map(|(key, _)| key)
            .collect();
        assert_eq!(
            keys,
            vec![
                class("8A", 8, true),
                class("FA", 0, false),
                class("1A", 1, false),
            ]
        );
    }

    #[test]
    fn the_filter_matches_every_word_in_any_case() {
        let pupils = [
            pupil("Alva", "Berg", Some("7B"), &[]),
            pupil("Alvin", "Dahl", Some("8A"), &[]),
            pupil("Bo", "Alvarsson", None, &["Solbackens förskola"]),
        ];
        let count = |query| {
            group_pupils(&pupils, query)
                .iter()
                .map(|(_, p)| p.len())
                .sum::<usize>()
        };
        assert_eq!(count("  "), 3);
        assert_eq!(count("ALV"), 3);
        assert_eq!(count("alv berg"), 1);
        assert_eq!(count("8a"), 1);
        assert_eq!(count("solbacken"), 1);
        assert_eq!(count("xyz"), 0);
        let swedish = [pupil("Åke", "Öberg", Some("ÄB"), &[])];
        assert_eq!(group_pupils(&swedish, "åKE ÖBERG äb").len(), 1);
    }
}
