//! Where generated people get their personnummer. The demo municipality uses only Skatteverket's
//! published test numbers (`backend/data/`), so no real person's number is ever stored. The
//! benchmark scale needs more people than that list holds: there numbers are made up (valid check
//! digit, never a test number) and go only into the benchmark's throwaway database.

use std::collections::BTreeMap;

use skolportal_shared::personnummer::luhn_check_digit;

use super::rng::Rng;

const TEST_NUMBERS: &str = include_str!("../../data/test-personnummer.txt");

#[derive(Debug, thiserror::Error)]
#[error("the test-personnummer list has no numbers left near birth year {0}")]
pub struct PoolExhausted(pub i32);

pub enum PersonnummerPool {
    /// Skatteverket's test numbers by birth year, shuffled once.
    TestNumbers(BTreeMap<i32, Vec<String>>),
    /// Synthetic numbers: next serial per birth date.
    Synthetic(BTreeMap<(i32, u32, u32), u32>),
}

impl PersonnummerPool {
    pub fn test_numbers(rng: &mut Rng) -> Self {
        let mut by_year: BTreeMap<i32, Vec<String>> = BTreeMap::new();
        for line in TEST_NUMBERS.lines() {
            let line = line.trim();
            if line.len() != 12 || !line.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            // Dates with unknown month or day (00) are valid but odd for demo people.
            if &line[4..6] == "00" || &line[6..8] == "00" {
                continue;
            }
            if let Ok(year) = line[..4].parse::<i32>() {
                by_year.entry(year).or_default().push(line.to_owned());
            }
        }
        for numbers in by_year.values_mut() {
            rng.shuffle(numbers);
        }
        Self::TestNumbers(by_year)
    }

    pub fn synthetic() -> Self {
        Self::Synthetic(BTreeMap::new())
    }

    /// A number for someone born in `year`, or as close to it as the pool allows.
    pub fn take(&mut self, year: i32, rng: &mut Rng) -> Result<String, PoolExhausted> {
        match self {
            Self::TestNumbers(by_year) => {
                let nearest = by_year
                    .iter()
                    .filter(|(_, v)| !v.is_empty())
                    .min_by_key(|(y, _)| ((**y - year).abs(), **y))
                    .map(|(y, _)| *y)
                    .ok_or(PoolExhausted(year))?;
                by_year
                    .get_mut(&nearest)
                    .and_then(Vec::pop)
                    .ok_or(PoolExhausted(year))
            }
            Self::Synthetic(serials) => {
                for _ in 0..64 {
                    let month = rng.below(12) as u32 + 1;
                    let day = rng.below(28) as u32 + 1;
                    let serial = serials.entry((year, month, day)).or_insert(0);
                    // Test numbers use serials 980–999; stay clear of them.
                    if *serial >= 979 {
                        continue;
                    }
                    *serial += 1;
                    let body = format!(
                        "{:02}{month:02}{day:02}{:03}",
                        year.rem_euclid(100),
                        *serial
                    );
                    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
                    let check = luhn_check_digit(&digits);
                    return Ok(format!("{year:04}{month:02}{day:02}{:03}{check}", *serial));
                }
                Err(PoolExhausted(year))
            }
        }
    }
}

impl PersonnummerPool {
    /// Returns numbers taken but not used.
    pub fn give_back(&mut self, numbers: Vec<String>) {
        if let Self::TestNumbers(by_year) = self {
            for n in numbers {
                if let Ok(year) = n[..4].parse::<i32>() {
                    by_year.entry(year).or_default().push(n);
                }
            }
        }
    }
}
