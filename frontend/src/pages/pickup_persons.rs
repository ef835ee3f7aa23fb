use skolportal_shared::api::{NewPickupPerson, PickupPerson};
use skolportal_shared::contact::Phone;
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, ClientError, ErrorCode, Pending};
use crate::app::Route;
use crate::components::{back_link, error_alert, loading, status_message, TextField};
use crate::dom;
use crate::hooks::{use_fee_basis, use_i18n, use_model, use_title, FeeBasisState, Model};

const ERROR_ID: &str = "add-pickup-error";
const LIST_HEADING_ID: &str = "pickup-list-heading";
const CONFIRM_ID: &str = "confirm-remove";
/// The longest name the server takes, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// What is wrong with the name of a new pick-up person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    /// Over [`MAX_NAME_CHARS`], or with control characters.
    Invalid,
}

/// The name as the server will take it: trimmed, 1–100 characters, no control characters.
pub fn check_name(name: &str) -> Result<&str, NameProblem> {
    let name = name.trim();
    if name.is_empty() {
        Err(NameProblem::Empty)
    } else if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        Err(NameProblem::Invalid)
    } else {
        Ok(name)
    }
}

/// A `tel:` link for a phone number as written: only the digits and a leading `+` are kept.
pub fn tel_href(phone: &str) -> String {
    let mut href = String::from("tel:");
    href.extend(phone.chars().filter(|c| c.is_ascii_digit() || *c == '+'));
    href
}

/// What the page last did, for the status message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Added(String),
    Removed(String),
}

/// Everything the pick-up page shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pickups {
    pub child: Uuid,
    /// `None` while loading.
    pub persons: Option<Result<Vec<PickupPerson>, ClientError>>,
    pub name: String,
    pub phone: String,
    /// Add was pressed: every problem shows.
    pub sent: bool,
    pub busy: bool,
    /// The server refused to add or to remove.
    pub error: Option<ClientError>,
    pub done: Option<Done>,
    /// The person whose removal waits for "Ja, ta bort".
    pub confirming: Option<Uuid>,
    /// The element to move focus to after the next render (a control that went away).
    pub focus: Option<String>,
}

pub enum Msg {
    Load,
    Loaded(Result<Vec<PickupPerson>, ClientError>),
    Name(String),
    Phone(String),
    Add,
    Added(Result<PickupPerson, ClientError>),
    /// "Ta bort" was pressed: ask first.
    Ask(Uuid),
    /// "Avbryt".
    Cancel,
    Remove(Uuid),
    Removed(Uuid, Result<(), ClientError>),
}

pub enum Task {
    Load(Uuid),
    Add(Uuid, NewPickupPerson),
    Remove(Uuid, Uuid),
}

impl Pickups {
    /// The new person, when both fields are valid.
    pub fn new_person(&self) -> Option<NewPickupPerson> {
        Some(NewPickupPerson {
            name: check_name(&self.name).ok()?.to_owned(),
            phone: Phone::parse(&self.phone).ok()?.as_str().to_owned(),
        })
    }

    fn name_of(&self, id: Uuid) -> String {
        match &self.persons {
            Some(Ok(persons)) => persons
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            _ => String::new(),
        }
    }
}

impl Model for Pickups {
    type Msg = Msg;
    type Task = Task;

    fn update(&mut self, msg: Msg) -> Option<Task> {
        match msg {
            Msg::Load => return Some(Task::Load(self.child)),
            Msg::Loaded(result) => self.persons = Some(result),
            Msg::Name(value) => {
                self.name = value;
                self.error = None;
            }
            Msg::Phone(value) => {
                self.phone = value;
                self.error = None;
            }
            Msg::Add if self.busy => {}
            Msg::Add => {
                self.sent = true;
                self.error = None;
                self.done = None;
                let person = self.new_person()?;
                self.busy = true;
                return Some(Task::Add(self.child, person));
            }
            Msg::Added(result) => {
                self.busy = false;
                match result {
                    Ok(person) => {
                        self.done = Some(Done::Added(person.name.clone()));
                        if let Some(Ok(persons)) = &mut self.persons {
                            persons.push(person);
                        }
                        self.name.clear();
                        self.phone.clear();
                        self.sent = false;
                    }
                    Err(err) => self.error = Some(err),
                }
            }
            Msg::Ask(id) => {
                self.confirming = Some(id);
                self.error = None;
                self.focus = Some(CONFIRM_ID.to_owned());
            }
            Msg::Cancel => {
                self.focus = self.confirming.take().map(|id| format!("remove-{id}"));
            }
            // The question goes at once, so that a second press sends nothing more.
            Msg::Remove(id) if self.confirming == Some(id) => {
                self.confirming = None;
                return Some(Task::Remove(self.child, id));
            }
            Msg::Remove(_) => {}
            Msg::Removed(id, result) => {
                match result {
                    Ok(()) => {
                        self.done = Some(Done::Removed(self.name_of(id)));
                        if let Some(Ok(persons)) = &mut self.persons {
                            persons.retain(|p| p.id != id);
                        }
                    }
                    Err(err) => self.error = Some(err),
                }
                self.focus = Some(LIST_HEADING_ID.to_owned());
            }
        }
        None
    }

    fn run(task: Task) -> Pending<Msg> {
        match task {
            Task::Load(child) => api::pickup_persons(child).then(Msg::Loaded),
            Task::Add(child, person) => api::add_pickup_person(child, &person).then(Msg::Added),
            Task::Remove(child, id) => {
                api::remove_pickup_person(child, id).then(move |done| Msg::Removed(id, done))
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct PickupPersonsPageProps {
    pub id: Uuid,
}

/// `/barnomsorg/hamtare/:id` ("Hämtare"): the people besides the guardians who may collect the
/// child, each with a phone number the staff can call; removing one asks first. The form adds a
/// person with the server's own checks (`Phone::parse`) run before sending.
#[function_component]
pub fn PickupPersonsPage(props: &PickupPersonsPageProps) -> Html {
    let i18n = use_i18n();
    let id = props.id;
    let basis = use_fee_basis();
    let title = match &*basis {
        FeeBasisState::Ready(basis) => basis.children.iter().find(|c| c.child_id == id),
        _ => None,
    }
    .map_or_else(
        || i18n.t("childcare.pickup_link").to_owned(),
        |child| i18n.tf("pickup.title_child", &[("name", &child.given_name)]),
    );
    use_title(&title);
    let model = use_model(
        || Pickups {
            child: id,
            ..Pickups::default()
        },
        Msg::Load,
    );
    {
        // Focus moves after the render that removed the focused control.
        let model = model.clone();
        use_effect(move || {
            let target = model.peek_mut().focus.take();
            if let Some(target) = target {
                dom::focus(&target);
            }
        });
    }
    let page = model.get();

    // Field errors only for the form's own problems, not for a refused removal.
    let code = page.error.as_ref().and_then(|err| err.code().cloned());
    let name_error = match check_name(&page.name) {
        Err(NameProblem::Empty) if page.sent => Some(i18n.t("pickup.name_empty")),
        Err(NameProblem::Invalid) => Some(i18n.t("error.invalid_name")),
        _ if matches!(&code, Some(ErrorCode::Other(c)) if c == "invalid_name") => {
            Some(i18n.t("error.invalid_name"))
        }
        _ => None,
    };
    let phone_error = if page.phone.trim().is_empty() {
        page.sent.then(|| i18n.t("pickup.phone_empty"))
    } else if (page.sent && Phone::parse(&page.phone).is_err())
        || code == Some(ErrorCode::InvalidPhone)
    {
        Some(i18n.t("error.invalid_phone"))
    } else {
        None
    };
    let invalid = name_error.is_some() || phone_error.is_some();
    let summary = invalid.then(|| i18n.t("form.check_fields"));
    let form_error = (page.error.is_some() || invalid).then_some(AttrValue::Static(ERROR_ID));
    let status = page.done.as_ref().map(|done| match done {
        Done::Added(name) => i18n.tf("pickup.added", &[("name", name)]),
        Done::Removed(name) => i18n.tf("pickup.removed", &[("name", name)]),
    });

    let list = match &page.persons {
        None => loading(&i18n),
        Some(Err(error)) if error.is_unauthenticated() => loading(&i18n),
        Some(Err(error)) => error_alert(&i18n, "pickup-load-error", Some(error), None),
        Some(Ok(persons)) if persons.is_empty() => html! {
            <p class="empty-state">{ i18n.t("pickup.empty") }</p>
        },
        Some(Ok(persons)) => html! {
            <ul class="item-list" aria-labelledby={LIST_HEADING_ID}>
                { for persons.iter().map(|person| {
                    let person_id = person.id;
                    let asking = page.confirming == Some(person_id);
                    html! {
                        <li class="item-list__item pickup-person" key={person_id.to_string()}>
                            <span class="item-list__name">{ person.name.clone() }</span>
                            <a href={tel_href(&person.phone)}>{ person.phone.clone() }</a>
                            if asking {
                                <p class="confirm" id="confirm-question">
                                    { i18n.tf("pickup.confirm", &[("name", &person.name)]) }
                                </p>
                            }
                            <div class="confirm__actions">
                                if asking {
                                    <button type="button" id={CONFIRM_ID} class="button button--primary" aria-describedby="confirm-question" onclick={model.callback(move |_: MouseEvent| Msg::Remove(person_id))}>
                                        { i18n.t("pickup.confirm_yes") }
                                    </button>
                                }
                                <button
                                    type="button"
                                    id={if asking { "cancel-remove".to_owned() } else { format!("remove-{person_id}") }}
                                    class="button button--secondary"
                                    aria-label={(!asking).then(|| i18n.tf("pickup.remove_name", &[("name", &person.name)]))}
                                    onclick={model.callback(move |_: MouseEvent| if asking { Msg::Cancel } else { Msg::Ask(person_id) })}
                                >
                                    { if asking { i18n.t("pickup.confirm_no") } else { i18n.t("pickup.remove") } }
                                </button>
                            </div>
                        </li>
                    }
                }) }
            </ul>
        },
    };

    html! {
        <div class="page page--narrow pickup-page">
            { back_link(Route::Childcare, i18n.t("childcare.back")) }
            <h1>{ title.clone() }</h1>
            <p class="lead">{ i18n.t("pickup.intro") }</p>
            { status_message("pickup-status", status.as_deref()) }
            // One error region for adding and removing, above both (an error summary).
            { error_alert(&i18n, ERROR_ID, page.error.as_ref(), summary) }
            <h2 id={LIST_HEADING_ID} tabindex="-1">{ i18n.t("pickup.list_heading") }</h2>
            { list }
            <h2>{ i18n.t("pickup.add_heading") }</h2>
            <form class="form" id="add-pickup" novalidate=true onsubmit={model.callback(|e: SubmitEvent| {
                e.prevent_default();
                Msg::Add
            })}>
                { TextField::new(
                    "pickup-name",
                    i18n.t("pickup.name"),
                    page.name.clone(),
                    model.callback(Msg::Name),
                    "off",
                )
                .error(name_error)
                .describedby(form_error.clone())
                .required() }
                { TextField::new(
                    "pickup-phone",
                    i18n.t("pickup.phone"),
                    page.phone.clone(),
                    model.callback(Msg::Phone),
                    "off",
                )
                .input_type("tel")
                .hint(i18n.t("contact.phone_hint"))
                .error(phone_error)
                .describedby(form_error)
                .required() }
                <button type="submit" id="add-pickup-submit" class="button button--primary" aria-busy={page.busy.then_some("true")}>
                    { if page.busy { i18n.t("pickup.adding") } else { i18n.t("pickup.add") } }
                </button>
            </form>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_the_server_takes_them() {
        assert_eq!(check_name("  Britt Berg "), Ok("Britt Berg"));
        assert_eq!(check_name(" "), Err(NameProblem::Empty));
        assert_eq!(check_name(&"a".repeat(100)), Ok("a".repeat(100).as_str()));
        assert_eq!(check_name(&"å".repeat(101)), Err(NameProblem::Invalid));
        assert_eq!(check_name("Britt\u{7}"), Err(NameProblem::Invalid));
    }

    fn person(n: u128, name: &str) -> PickupPerson {
        PickupPerson {
            id: Uuid::from_u128(n),
            name: name.into(),
            phone: "070-174 06 05".into(),
        }
    }

    #[test]
    fn adding_checks_first_and_removing_asks_first() {
        let mut page = Pickups::default();
        page.update(Msg::Loaded(Ok(vec![person(1, "Britt Berg")])));
        assert!(page.update(Msg::Add).is_none());
        assert!(page.sent);
        page.update(Msg::Name(" Cecilia Ek ".into()));
        page.update(Msg::Phone("070-12".into()));
        assert!(page.update(Msg::Add).is_none());
        page.update(Msg::Phone("070-123 45 67".into()));
        let Some(Task::Add(_, new)) = page.update(Msg::Add) else {
            panic!("a valid person is sent");
        };
        assert_eq!(new.name, "Cecilia Ek");
        assert!(page.busy);
        page.update(Msg::Added(Ok(person(2, "Cecilia Ek"))));
        assert_eq!(page.done, Some(Done::Added("Cecilia Ek".into())));
        assert!(page.name.is_empty() && !page.sent && !page.busy);

        page.update(Msg::Ask(Uuid::from_u128(1)));
        assert_eq!(page.focus.as_deref(), Some(CONFIRM_ID));
        page.update(Msg::Cancel);
        assert_eq!(page.confirming, None);
        assert_eq!(page.focus, Some(format!("remove-{}", Uuid::from_u128(1))));
        page.update(Msg::Ask(Uuid::from_u128(1)));
        assert!(matches!(
            page.update(Msg::Remove(Uuid::from_u128(1))),
            Some(Task::Remove(_, _))
        ));
        // A second press while the removal is on its way sends nothing.
        assert!(page.update(Msg::Remove(Uuid::from_u128(1))).is_none());
        page.update(Msg::Removed(Uuid::from_u128(1), Ok(())));
        assert_eq!(page.done, Some(Done::Removed("Britt Berg".into())));
        let names: Vec<String> = match &page.persons {
            Some(Ok(persons)) => persons.iter().map(|p| p.name.clone()).collect(),
            _ => Vec::new(),
        };
        assert_eq!(names, vec!["Cecilia Ek".to_owned()]);
        assert_eq!(page.focus.as_deref(), Some(LIST_HEADING_ID));
    }

    #[test]
    fn phone_links_keep_digits_and_plus() {
        assert_eq!(tel_href("+46 70-174 06 05"), "tel:+46701740605");
        assert_eq!(tel_href("070-174 06 05"), "tel:0701740605");
    }
}
