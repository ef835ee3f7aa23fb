//! Builds the demo `Snapshot`. Pure apart from password hashing: the same options give the same
//! people, units and links.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveTime};

use super::names::{FAMILY, GIVEN_FEMALE, GIVEN_MALE, STREETS};
use super::pool::{PersonnummerPool, PoolExhausted};
use super::rng::Rng;
use super::{DemoError, DemoOptions, Scale, DEMO_PASSWORD, HANDED_OUT_PASSWORD};
use crate::entity::duty::DutyRole;
use crate::entity::group_membership::MembershipRole;
use crate::entity::guardianship::GuardianRelation;
use crate::entity::placement::PlacementKind;
use crate::entity::school_group::GroupType;
use crate::entity::school_term::TermKind;
use crate::entity::unit::UnitKind;
use crate::municipality::MunicipalitySettings;
use crate::population::admission::SecurityMarking;
use crate::population::snapshot::*;

/// A login printed by the run command.
#[derive(Clone, Debug)]
pub struct DemoAccount {
    pub username: String,
    pub password: &'static str,
    /// Who this is, in Swedish.
    pub description: String,
    pub must_change_password: bool,
    /// Staff log in with a password and a one-time code: their (demo) TOTP secret, base32.
    pub totp_secret: Option<&'static str>,
}

pub struct DemoMunicipality {
    pub snapshot: Snapshot,
    pub accounts: Vec<DemoAccount>,
    /// The source id of the child with protected identity, so tests can prove it never enters.
    pub protected_child_source_id: String,
}

struct Params {
    schools: usize,
    classes_per_year: usize,
    pupils_per_class: usize,
    preschools: usize,
    departments_per_preschool: usize,
    children_per_department: usize,
    /// Schools with a fritidshem (the first N).
    fritidshem: usize,
    officers: usize,
    /// Places per preschool and per fritidshem: a few free in the demo, so that the queue has
    /// something to offer.
    preschool_places: i32,
    fritidshem_places: i32,
    /// Synthetic numbers: the test list is far too small for this scale.
    synthetic_numbers: bool,
}

impl Params {
    fn of(scale: Scale) -> Self {
        match scale {
            Scale::Demo => Self {
                schools: 2,
                classes_per_year: 1,
                pupils_per_class: 10,
                preschools: 2,
                departments_per_preschool: 2,
                children_per_department: 25,
                fritidshem: 1,
                officers: 1,
                preschool_places: 54,
                fritidshem_places: 30,
                synthetic_numbers: false,
            },
            Scale::Stockholm => Self {
                schools: 200,
                classes_per_year: 2,
                pupils_per_class: 25,
                preschools: 625,
                departments_per_preschool: 4,
                children_per_department: 20,
                fritidshem: 200,
                officers: 20,
                preschool_places: 84,
                fritidshem_places: 110,
                synthetic_numbers: true,
            },
        }
    }
}

#[derive(Clone, Copy)]
enum Slot {
    Pupil {
        school: usize,
        year: i32,
        class: usize,
        fritids: bool,
    },
    Preschool {
        preschool: usize,
        department: usize,
    },
}

struct Generator {
    rng: Rng,
    pool: PersonnummerPool,
    snapshot: Snapshot,
    school_start: NaiveDate,
    next_id: u64,
    next_phone: u32,
    demo_hash: String,
    handed_out_hash: String,
    accounts: Vec<DemoAccount>,
    /// Each generated person's birth date by source id: a guardianship starts at the child's
    /// birth, and looking the child up among all persons made `--scale stockholm` quadratic.
    born: HashMap<String, NaiveDate>,
}

const CITY: &str = "Solvik";
const MAIL_DOMAIN: &str = "solvik.example.com";

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

fn ascii_slug(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'å' | 'ä' | 'Å' | 'Ä' => 'a',
            'ö' | 'Ö' => 'o',
            'é' | 'É' => 'e',
            c => c.to_ascii_lowercase(),
        })
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

impl Generator {
    /// A source id as SS 12000 gives them (a UUID), the same for the same seed; its first
    /// byte is the kind's letter (`p`erson, `u`nit, `g`roup) so a reader can tell them apart.
    fn id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        let kind = prefix.bytes().next().map_or(0, u128::from);
        uuid::Uuid::from_u128((kind << 120) | u128::from(self.next_id)).to_string()
    }

    fn address(&mut self) -> SourceAddress {
        let street = self.rng.pick(STREETS);
        SourceAddress {
            street: format!("{street} {}", self.rng.below(60) + 1),
            postal_code: format!("199 {:02}", self.rng.below(90) + 10),
            city: CITY.into(),
        }
    }

    /// PTS keeps 070-174 06 05 to 070-174 06 99 for fiction; demo phones stay inside it.
    fn phone(&mut self) -> String {
        let n = 5 + self.next_phone % 95;
        self.next_phone += 1;
        format!("070-174 06 {n:02}")
    }

    #[allow(clippy::too_many_arguments)]
    fn person(
        &mut self,
        birth_year: i32,
        female: bool,
        given: Option<&str>,
        family: &str,
        address: Option<SourceAddress>,
        adult: bool,
        marking: SecurityMarking,
    ) -> Result<String, PoolExhausted> {
        let personnummer = self.take_number(birth_year, female)?;
        let given = match given {
            Some(g) => g.to_owned(),
            None => {
                let names = if female { GIVEN_FEMALE } else { GIVEN_MALE };
                (*self.rng.pick(names)).to_owned()
            }
        };
        let id = self.id("p");
        let (email, phone) = if adult {
            let email = format!(
                "{}.{}{}@example.com",
                ascii_slug(&given),
                ascii_slug(family),
                self.next_id % 1000
            );
            (Some(email), Some(self.phone()))
        } else {
            (None, None)
        };
        if let Ok(number) = skolportal_shared::personnummer::Personnummer::parse(&personnummer) {
            self.born.insert(id.clone(), number.birth_date());
        }
        self.snapshot.persons.push(SourcePerson {
            source_id: id.clone(),
            personnummer,
            given_name: given,
            family_name: family.to_owned(),
            address,
            email,
            phone,
            school_email: None,
            security_marking: marking,
        });
        Ok(id)
    }

    /// A number whose gender digit (odd = male) matches the name we give.
    fn take_number(&mut self, year: i32, female: bool) -> Result<String, PoolExhausted> {
        let mut rejected = Vec::new();
        let mut found = None;
        for _ in 0..200 {
            let n = self.pool.take(year, &mut self.rng)?;
            let odd = n.as_bytes().get(10).is_some_and(|d| (d - b'0') % 2 == 1);
            if odd != female {
                found = Some(n);
                break;
            }
            rejected.push(n);
        }
        self.pool.give_back(rejected);
        found.ok_or(PoolExhausted(year))
    }

    fn account(&mut self, person: &str, username: &str, description: &str, handed_out: bool) {
        self.snapshot.accounts.push(SourceAccount {
            person: person.to_owned(),
            username: username.to_owned(),
            password_hash: if handed_out {
                self.handed_out_hash.clone()
            } else {
                self.demo_hash.clone()
            },
            must_change_password: handed_out,
        });
        self.accounts.push(DemoAccount {
            username: username.to_owned(),
            password: if handed_out {
                HANDED_OUT_PASSWORD
            } else {
                DEMO_PASSWORD
            },
            description: description.to_owned(),
            must_change_password: handed_out,
            totp_secret: super::STAFF_USERNAMES
                .contains(&username)
                .then_some(super::DEMO_TOTP_SECRET),
        });
    }

    fn school_year_start(&self) -> i32 {
        self.school_start.year()
    }

    /// The last day of this school year: class and teaching memberships end with it.
    fn school_year_end(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.school_start.year() + 1, 6, 30).unwrap_or(self.school_start)
    }

    /// A child's guardianship holds from birth: the birth date in the child's personnummer.
    fn guardianship(
        &self,
        child: &str,
        adult: &str,
        relation: GuardianRelation,
    ) -> SourceGuardianship {
        let born = self.born.get(child).copied().unwrap_or(self.school_start);
        SourceGuardianship {
            child: child.to_owned(),
            adult: adult.to_owned(),
            relation,
            start_date: born,
            end_date: None,
        }
    }

    /// A membership of this school year's class or teaching group.
    fn this_years_membership(
        &self,
        group: &str,
        person: &str,
        role: MembershipRole,
    ) -> SourceMembership {
        SourceMembership {
            group: group.to_owned(),
            person: person.to_owned(),
            role,
            start_date: self.school_start,
            end_date: Some(self.school_year_end()),
        }
    }

    fn birth_year(&self, slot: Slot) -> i32 {
        match slot {
            // Förskoleklass (year 0) starts the autumn the child turns six.
            Slot::Pupil { year, .. } => self.school_year_start() - 6 - year,
            Slot::Preschool { department, .. } => {
                self.school_year_start() - 1 - (department as i32 % 4) - 1
            }
        }
    }
}

struct Layout {
    schools: Vec<String>,
    /// [school][year][class] -> group source id
    classes: Vec<Vec<Vec<String>>>,
    preschools: Vec<String>,
    /// [preschool][department] -> group source id
    departments: Vec<Vec<String>>,
    fritidshem: Vec<Option<String>>,
}

/// One family: guardians at one address (or two, when separated) and their children.
struct Family<'a> {
    family_name: &'a str,
    guardians: Vec<(Option<&'a str>, bool)>,
    separated: bool,
    children: Vec<(Slot, Option<&'a str>, bool)>,
    marking: SecurityMarking,
}

pub fn generate(options: DemoOptions) -> Result<DemoMunicipality, DemoError> {
    let params = Params::of(options.scale);
    let mut rng = Rng::new(options.seed);
    let pool = if params.synthetic_numbers {
        PersonnummerPool::synthetic()
    } else {
        PersonnummerPool::test_numbers(&mut rng)
    };
    let start_year = if options.today.month() >= 8 {
        options.today.year()
    } else {
        options.today.year() - 1
    };
    let school_start = NaiveDate::from_ymd_opt(start_year, 8, 15).unwrap_or(options.today);
    let (demo_hash, handed_out_hash) = super::hashes()?;
    let mut g = Generator {
        rng,
        pool,
        snapshot: Snapshot::default(),
        school_start,
        next_id: 0,
        next_phone: 0,
        demo_hash,
        handed_out_hash,
        accounts: Vec::new(),
        born: HashMap::new(),
    };
    // The terms of last, this and next school year: autumn from mid-August to before
    // Christmas, spring from early January to mid-June.
    let terms = (start_year - 1..=start_year + 1)
        .flat_map(|year| {
            let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(options.today);
            [
                SourceTerm {
                    kind: TermKind::Autumn,
                    starts_on: day(year, 8, 15),
                    ends_on: day(year, 12, 20),
                },
                SourceTerm {
                    kind: TermKind::Spring,
                    starts_on: day(year + 1, 1, 8),
                    ends_on: day(year + 1, 6, 12),
                },
            ]
        })
        .collect();
    g.snapshot.municipality = Some(SourceMunicipality {
        code: "9999".into(),
        name: "Solviks kommun".into(),
        // Solvik lies in the Finnish administrative area (Finnish must be served) and offers the
        // languages its families speak most.
        settings: MunicipalitySettings {
            languages: ["sv", "en", "fi", "ar", "so", "uk"]
                .map(String::from)
                .to_vec(),
            ..MunicipalitySettings::default()
        },
        terms,
        // F–3: a child of seven is not asked for a one-time code to see their own absence.
        pupil_password_below_year: Some(4),
    });

    let layout = build_units(&mut g, &params);
    let mut slots = build_slots(&mut g, &params);

    // The families the product must get right, placed first so their slots are known.
    let take = |slots: &mut Vec<Slot>, want: &dyn Fn(&Slot) -> bool| -> Option<Slot> {
        let i = slots.iter().position(want)?;
        Some(slots.swap_remove(i))
    };
    let preschool_0 = take(&mut slots, &|s| {
        matches!(
            s,
            Slot::Preschool {
                preschool: 0,
                department: 0
            }
        )
    });
    let year5 = take(&mut slots, &|s| {
        matches!(
            s,
            Slot::Pupil {
                school: 0,
                year: 5,
                ..
            }
        )
    });
    let year1 = take(&mut slots, &|s| {
        matches!(
            s,
            Slot::Pupil {
                school: 0,
                year: 1,
                ..
            }
        )
    })
    .map(|s| match s {
        Slot::Pupil {
            school,
            year,
            class,
            ..
        } => Slot::Pupil {
            school,
            year,
            class,
            fritids: true,
        },
        other => other,
    });
    let year3 = take(&mut slots, &|s| {
        matches!(
            s,
            Slot::Pupil {
                school: 1,
                year: 3,
                ..
            }
        )
    });
    let year6 = take(&mut slots, &|s| {
        matches!(
            s,
            Slot::Pupil {
                school: 1,
                year: 6,
                ..
            }
        )
    });
    let year4 = take(&mut slots, &|s| {
        matches!(
            s,
            Slot::Pupil {
                school: 0,
                year: 4,
                ..
            }
        )
    });
    let year8 = take(&mut slots, &|s| {
        matches!(
            s,
            Slot::Pupil {
                school: 0,
                year: 8,
                class: 0,
                ..
            }
        )
    });

    let mut specials: Vec<(Family, Vec<&str>)> = Vec::new();
    if let (Some(p), Some(a), Some(b)) = (preschool_0, year5, year1) {
        specials.push((
            Family {
                family_name: "Lindqvist",
                guardians: vec![(Some("Anna"), true), (Some("Johan"), false)],
                separated: false,
                children: vec![
                    (p, Some("Ella"), true),
                    (a, Some("Nils"), false),
                    (b, Some("Saga"), true),
                ],
                marking: SecurityMarking::None,
            },
            vec!["anna"],
        ));
    }
    if let Some(s) = year3 {
        specials.push((
            Family {
                family_name: "Berg",
                guardians: vec![(Some("Erik"), false), (Some("Maria"), true)],
                separated: true,
                children: vec![(s, Some("Alva"), true)],
                marking: SecurityMarking::None,
            },
            vec!["erik", "maria"],
        ));
    }
    if let Some(s) = year4 {
        specials.push((
            Family {
                family_name: "Skyddad",
                guardians: vec![(None, true)],
                separated: false,
                children: vec![(s, None, false)],
                marking: SecurityMarking::ProtectedRegistration,
            },
            vec![],
        ));
    }
    if let Some(s) = year8 {
        specials.push((
            Family {
                family_name: "Sjöberg",
                guardians: vec![(None, true), (None, false)],
                separated: false,
                children: vec![(s, Some("Leo"), false)],
                marking: SecurityMarking::None,
            },
            vec![],
        ));
    }

    let mut protected_child_source_id = String::new();
    let mut elev = None;
    for (family, usernames) in specials {
        let marking = family.marking;
        // The demo pupil is the only child of the Sjöberg family, in class 8A.
        let is_demo_pupil_family = family.family_name == "Sjöberg";
        let (guardians, children) = make_family(&mut g, &layout, family)?;
        if marking != SecurityMarking::None {
            protected_child_source_id = children.first().cloned().unwrap_or_default();
        }
        for (guardian, username) in guardians.iter().zip(usernames) {
            let description = match username {
                "anna" => "Vårdnadshavare: tre barn i förskola, skola och fritidshem",
                _ => "Vårdnadshavare: gemensam vårdnad, olika adresser",
            };
            g.account(guardian, username, description, false);
        }
        if is_demo_pupil_family {
            elev = children.first().cloned();
        }
    }

    // A foster child: the foster parent is "other responsible adult", the parent keeps custody.
    if let Some(slot) = year6 {
        let home = g.address();
        let karin = g.person(
            1978,
            true,
            Some("Karin"),
            "Ek",
            Some(home.clone()),
            true,
            SecurityMarking::None,
        )?;
        let parent_address = Some(g.address());
        let parent = g.person(
            1985,
            false,
            Some("Sami"),
            "Hosseini",
            parent_address,
            true,
            SecurityMarking::None,
        )?;
        let child = add_child(
            &mut g,
            &layout,
            slot,
            Some("Amira"),
            true,
            "Hosseini",
            Some(home),
            SecurityMarking::None,
        )?;
        let link = g.guardianship(&child, &karin, GuardianRelation::OtherResponsibleAdult);
        g.snapshot.guardianships.push(link);
        let link = g.guardianship(&child, &parent, GuardianRelation::Guardian);
        g.snapshot.guardianships.push(link);
        g.account(
            &karin,
            "karin",
            "Familjehemsförälder (annan ansvarig vuxen)",
            false,
        );
    }

    // Everyone else: random families of one to three children.
    g.rng.shuffle(&mut slots);
    let mut first_family = true;
    let mut rest = slots.into_iter().peekable();
    while rest.peek().is_some() {
        let size = match g.rng.below(100) {
            0..=79 => 1,
            80..=96 => 2,
            _ => 3,
        };
        let children: Vec<(Slot, Option<&str>, bool)> = rest
            .by_ref()
            .take(size)
            .map(|s| (s, None, g.rng.chance(50)))
            .collect();
        let guardian_count = if g.rng.chance(92) { 2 } else { 1 };
        let family = Family {
            family_name: g.rng.pick::<&str>(FAMILY),
            guardians: (0..guardian_count).map(|i| (None, i == 0)).collect(),
            separated: g.rng.chance(8),
            children,
            marking: SecurityMarking::None,
        };
        let (guardians, _) = make_family(&mut g, &layout, family)?;
        if first_family {
            if let Some(first) = guardians.first() {
                g.account(
                    first,
                    "nyforalder",
                    "Vårdnadshavare med utdelat lösenord som måste bytas",
                    true,
                );
            }
            first_family = false;
        }
    }

    add_staff(&mut g, &layout, &params, elev.as_deref())?;

    let accounts = g.accounts;
    Ok(DemoMunicipality {
        snapshot: g.snapshot,
        accounts,
        protected_child_source_id,
    })
}

fn build_units(g: &mut Generator, params: &Params) -> Layout {
    let fixed_schools = ["Solviksskolan", "Ekbackens skola"];
    let fixed_preschools = ["Förskolan Lärkan", "Förskolan Ekorren"];
    let mut layout = Layout {
        schools: Vec::new(),
        classes: Vec::new(),
        preschools: Vec::new(),
        departments: Vec::new(),
        fritidshem: Vec::new(),
    };
    for s in 0..params.schools {
        let name = fixed_schools
            .get(s)
            .map(|n| (*n).to_owned())
            .unwrap_or_else(|| format!("Solviks skola {s:03}"));
        let id = g.id("u");
        let address = g.address();
        let phone = g.phone();
        g.snapshot.units.push(SourceUnit {
            source_id: id.clone(),
            name: name.clone(),
            kind: UnitKind::School,
            address,
            phone,
            opens_at: time(8, 0),
            closes_at: time(16, 0),
            schedule_lock_working_days: 2,
            capacity: None,
        });
        let mut years = Vec::new();
        for year in 0..=9 {
            let mut classes = Vec::new();
            for c in 0..params.classes_per_year {
                let letter = (b'A' + c as u8) as char;
                let label = if year == 0 {
                    format!("F{letter}")
                } else {
                    format!("{year}{letter}")
                };
                let gid = g.id("g");
                g.snapshot.groups.push(SourceGroup {
                    source_id: gid.clone(),
                    unit: id.clone(),
                    name: label,
                    group_type: GroupType::Class,
                    school_year: Some(year),
                });
                classes.push(gid);
            }
            years.push(classes);
        }
        layout.classes.push(years);
        let fritids = if s < params.fritidshem {
            let fid = g.id("u");
            let address = g.address();
            let phone = g.phone();
            g.snapshot.units.push(SourceUnit {
                source_id: fid.clone(),
                name: if s == 0 {
                    "Fritidshemmet Solstrålen".into()
                } else {
                    format!("Fritidshem vid {name}")
                },
                kind: UnitKind::Fritidshem,
                address,
                phone,
                opens_at: time(6, 30),
                closes_at: time(18, 0),
                schedule_lock_working_days: 2,
                capacity: Some(params.fritidshem_places),
            });
            Some(fid)
        } else {
            None
        };
        layout.fritidshem.push(fritids);
        layout.schools.push(id);
    }
    let department_names = ["Blåbär", "Lingon", "Hallon", "Smultron"];
    for p in 0..params.preschools {
        let name = fixed_preschools
            .get(p)
            .map(|n| (*n).to_owned())
            .unwrap_or_else(|| format!("Förskolan Solvik {p:03}"));
        let id = g.id("u");
        let address = g.address();
        let phone = g.phone();
        g.snapshot.units.push(SourceUnit {
            source_id: id.clone(),
            name,
            kind: UnitKind::Preschool,
            address,
            phone,
            opens_at: time(6, 30),
            closes_at: time(18, 0),
            schedule_lock_working_days: 2,
            capacity: Some(params.preschool_places),
        });
        let mut departments = Vec::new();
        for d in 0..params.departments_per_preschool {
            let gid = g.id("g");
            g.snapshot.groups.push(SourceGroup {
                source_id: gid.clone(),
                unit: id.clone(),
                name: department_names
                    .get(d)
                    .map(|n| (*n).to_owned())
                    .unwrap_or_else(|| format!("Avdelning {d}")),
                group_type: GroupType::Department,
                school_year: None,
            });
            departments.push(gid);
        }
        layout.departments.push(departments);
        layout.preschools.push(id);
    }
    layout
}

fn build_slots(g: &mut Generator, params: &Params) -> Vec<Slot> {
    let mut slots = Vec::new();
    for school in 0..params.schools {
        for year in 0..=9 {
            for class in 0..params.classes_per_year {
                for _ in 0..params.pupils_per_class {
                    let fritids = school < params.fritidshem && year <= 3 && g.rng.chance(50);
                    slots.push(Slot::Pupil {
                        school,
                        year,
                        class,
                        fritids,
                    });
                }
            }
        }
    }
    for preschool in 0..params.preschools {
        for department in 0..params.departments_per_preschool {
            for _ in 0..params.children_per_department {
                slots.push(Slot::Preschool {
                    preschool,
                    department,
                });
            }
        }
    }
    slots
}

#[allow(clippy::too_many_arguments)]
fn add_child(
    g: &mut Generator,
    layout: &Layout,
    slot: Slot,
    given: Option<&str>,
    female: bool,
    family: &str,
    address: Option<SourceAddress>,
    marking: SecurityMarking,
) -> Result<String, DemoError> {
    let birth_year = g.birth_year(slot);
    let id = g.person(birth_year, female, given, family, address, false, marking)?;
    let start = g.school_start;
    match slot {
        Slot::Pupil {
            school,
            year,
            class,
            fritids,
        } => {
            let unit = layout.schools[school].clone();
            if let Some(p) = g.snapshot.persons.last_mut() {
                if year >= 4 {
                    p.school_email = Some(format!(
                        "{}.{}.{}@elev.{MAIL_DOMAIN}",
                        ascii_slug(&p.given_name),
                        ascii_slug(&p.family_name),
                        &id[2..]
                    ));
                }
            }
            if year >= 6 {
                let phone = g.phone();
                if let Some(p) = g.snapshot.persons.last_mut() {
                    p.phone = Some(phone);
                }
            }
            g.snapshot.enrolments.push(SourceEnrolment {
                pupil: id.clone(),
                unit,
                school_year: year,
                start_date: start,
            });
            let membership = g.this_years_membership(
                &layout.classes[school][year as usize][class],
                &id,
                MembershipRole::Pupil,
            );
            g.snapshot.memberships.push(membership);
            if let (true, Some(Some(f))) = (fritids, layout.fritidshem.get(school)) {
                g.snapshot.placements.push(SourcePlacement {
                    child: id.clone(),
                    unit: f.clone(),
                    group: None,
                    kind: PlacementKind::Fritidshem,
                    start_date: start,
                    hours_per_week: Some(15),
                });
            }
        }
        Slot::Preschool {
            preschool,
            department,
        } => {
            let hours = [25, 30, 35, 40][g.rng.below(4)];
            let group = layout.departments[preschool][department].clone();
            g.snapshot.placements.push(SourcePlacement {
                child: id.clone(),
                unit: layout.preschools[preschool].clone(),
                group: Some(group.clone()),
                kind: PlacementKind::Preschool,
                start_date: start,
                hours_per_week: Some(hours),
            });
            // A child belongs to its department's group, as a pupil to its class.
            g.snapshot.memberships.push(SourceMembership {
                group,
                person: id.clone(),
                role: MembershipRole::Pupil,
                start_date: start,
                end_date: None,
            });
        }
    }
    Ok(id)
}

/// Returns the guardians' and the children's source ids.
fn make_family(
    g: &mut Generator,
    layout: &Layout,
    family: Family,
) -> Result<(Vec<String>, Vec<String>), DemoError> {
    let home = g.address();
    let mut guardians = Vec::new();
    for (i, (given, female)) in family.guardians.iter().enumerate() {
        let address = if family.separated && i > 0 {
            g.address()
        } else {
            home.clone()
        };
        // A second guardian often has a family name of their own.
        let family_name = if i > 0 && (family.separated || g.rng.chance(30)) {
            *g.rng.pick(FAMILY)
        } else {
            family.family_name
        };
        let birth_year = 1975 + g.rng.below(20) as i32;
        let id = g.person(
            birth_year,
            *female,
            *given,
            family_name,
            Some(address),
            true,
            family.marking,
        )?;
        guardians.push(id);
    }
    let mut children = Vec::new();
    for (slot, given, female) in family.children {
        let id = add_child(
            g,
            layout,
            slot,
            given,
            female,
            family.family_name,
            Some(home.clone()),
            family.marking,
        )?;
        for guardian in &guardians {
            let link = g.guardianship(&id, guardian, GuardianRelation::Guardian);
            g.snapshot.guardianships.push(link);
        }
        children.push(id);
    }
    Ok((guardians, children))
}

/// A staff member: the person's id and their work e-mail.
#[derive(Clone)]
struct StaffMember {
    id: String,
    work_email: String,
}

fn staff_member(
    g: &mut Generator,
    given: Option<&str>,
    female: bool,
    family: Option<&str>,
) -> Result<StaffMember, DemoError> {
    let family = family
        .map(str::to_owned)
        .unwrap_or_else(|| (*g.rng.pick(FAMILY)).to_owned());
    let birth_year = 1965 + g.rng.below(30) as i32;
    let address = Some(g.address());
    let id = g.person(
        birth_year,
        female,
        given,
        &family,
        address,
        true,
        SecurityMarking::None,
    )?;
    // Staff are reached at work: the e-mail is the work address.
    let mut work_email = String::new();
    if let Some(p) = g.snapshot.persons.last_mut() {
        work_email = format!(
            "{}.{}@{MAIL_DOMAIN}",
            ascii_slug(&p.given_name),
            ascii_slug(&p.family_name)
        );
        p.email = Some(work_email.clone());
    }
    Ok(StaffMember { id, work_email })
}

/// A duty at `unit` with the staff member's work e-mail and a work phone (the municipality's
/// switchboard series, 08-123 4x xx). The number comes from the person's id, not the generator's
/// random stream, so that adding it left every other demo person as they were.
fn duty(
    g: &mut Generator,
    member: &StaffMember,
    unit: Option<String>,
    role: DutyRole,
) -> SourceDuty {
    let extension = member
        .id
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        % 1000;
    SourceDuty {
        person: member.id.clone(),
        unit,
        role,
        start_date: g.school_start,
        work_phone: Some(format!(
            "08-123 4{:01} {:02}",
            extension / 100 % 10,
            extension % 100
        )),
        work_email: Some(member.work_email.clone()),
    }
}

fn add_staff(
    g: &mut Generator,
    layout: &Layout,
    params: &Params,
    elev: Option<&str>,
) -> Result<(), DemoError> {
    let start = g.school_start;
    for (s, school) in layout.schools.clone().iter().enumerate() {
        let classes: Vec<String> = layout.classes[s].iter().flatten().cloned().collect();
        // Enough teachers that a full week of lessons needs no one in two rooms at once.
        let teacher_count = classes.len() * 3 / 2 + 2;
        let mut teachers = Vec::new();
        for t in 0..teacher_count {
            // The demo teacher mentors class 8A at the first school, where the demo pupil is.
            let fixed = s == 0 && t == 0;
            let id = if fixed {
                staff_member(g, Some("Lena"), true, Some("Strand"))?
            } else {
                let female = g.rng.chance(60);
                staff_member(g, None, female, None)?
            };
            let duty = duty(g, &id, Some(school.clone()), DutyRole::Teacher);
            g.snapshot.duties.push(duty);
            let id = id.id;
            if fixed {
                g.account(
                    &id,
                    "larare",
                    "Lärare och mentor för klass 8A, Solviksskolan",
                    false,
                );
            }
            teachers.push(id);
        }
        for (c, class) in classes.iter().enumerate() {
            // Class 8A (index 8 * classes_per_year) gets the demo teacher as mentor.
            let mentor = if s == 0 && c == 8 * params.classes_per_year {
                0
            } else {
                1 + c % (teacher_count - 1)
            };
            let membership =
                g.this_years_membership(class, &teachers[mentor], MembershipRole::Mentor);
            g.snapshot.memberships.push(membership);
            for k in 0..2 {
                let t = (c + k * 3 + 1) % teacher_count;
                if t != mentor {
                    let membership =
                        g.this_years_membership(class, &teachers[t], MembershipRole::Teacher);
                    g.snapshot.memberships.push(membership);
                }
            }
        }
        if let Some(Some(fritids)) = layout.fritidshem.get(s) {
            for _ in 0..2 {
                let female = g.rng.chance(60);
                let member = staff_member(g, None, female, None)?;
                let duty = duty(g, &member, Some(fritids.clone()), DutyRole::PreschoolStaff);
                g.snapshot.duties.push(duty);
            }
        }
    }
    if let Some(pupil) = elev {
        g.account(pupil, "elev", "Elev i klass 8A, Solviksskolan", false);
    }
    for (p, preschool) in layout.preschools.clone().iter().enumerate() {
        for (d, department) in layout.departments[p].clone().iter().enumerate() {
            for k in 0..2 {
                let fixed = p == 0 && d == 0 && k == 0;
                let id = if fixed {
                    staff_member(g, Some("Sofia"), true, Some("Nyström"))?
                } else {
                    let female = g.rng.chance(80);
                    staff_member(g, None, female, None)?
                };
                let duty = duty(g, &id, Some(preschool.clone()), DutyRole::PreschoolStaff);
                g.snapshot.duties.push(duty);
                let id = id.id;
                // A department's staff stay from year to year.
                g.snapshot.memberships.push(SourceMembership {
                    group: department.clone(),
                    person: id.clone(),
                    role: MembershipRole::Teacher,
                    start_date: start,
                    end_date: None,
                });
                if fixed {
                    g.account(
                        &id,
                        "forskola",
                        "Förskolepersonal, Förskolan Lärkan (avdelning Blåbär)",
                        false,
                    );
                }
            }
        }
    }
    for o in 0..params.officers {
        let id = if o == 0 {
            staff_member(g, Some("Ingrid"), true, Some("Wallin"))?
        } else {
            let female = g.rng.chance(50);
            staff_member(g, None, female, None)?
        };
        let duty = duty(g, &id, None, DutyRole::Officer);
        g.snapshot.duties.push(duty);
        let id = id.id;
        if o == 0 {
            g.account(&id, "handlaggare", "Handläggare på kommunen", false);
        }
    }
    // Each school's principal (rektor), who decides the leave its mentors may not; made last, so
    // that the people generated before keep their names. The demo's two first schools share
    // one, as small schools often do.
    let mut shared_principal = None;
    for (s, school) in layout.schools.clone().iter().enumerate() {
        let member = match (s, &shared_principal) {
            (1, Some(first)) => StaffMember::clone(first),
            (0, _) => staff_member(g, Some("Göran"), false, Some("Ek"))?,
            _ => {
                let female = g.rng.chance(50);
                staff_member(g, None, female, None)?
            }
        };
        let duty = duty(g, &member, Some(school.clone()), DutyRole::Principal);
        g.snapshot.duties.push(duty);
        if s == 0 {
            g.account(
                &member.id,
                "rektor",
                "Rektor för Solviksskolan och Ekbackens skola",
                false,
            );
            shared_principal = Some(member);
        }
    }
    // The municipality's administrator, who changes its settings: a person of the
    // municipality's office with no duty from the source (the role is the portal's own).
    let admin = staff_member(g, Some("Agneta"), true, Some("Sundin"))?;
    g.account(
        &admin.id,
        super::ADMINISTRATOR_USERNAME,
        "Kommunadministratör: ändrar kommunens och enheternas inställningar",
        false,
    );
    Ok(())
}
