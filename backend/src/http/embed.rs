//! The portal on the municipality's website. Three parts:
//!
//! - **Embed mode** of the portal itself: `prerender::FRAMED_SCRIPT`, in the head of every page
//!   the server writes. Framed with `?embed`, a page hides its header and footer, tells its
//!   height to the parent only if the parent's origin is one of the municipality's
//!   (`frame_origins`, the same list as the `frame-ancestors` the edge writes), opens links that
//!   leave the portal and the BankID flow at the top level, and on another site's page (where
//!   the `SameSite=Lax` session cookie cannot work in a frame) logs in at the top level. The
//!   cookie is never weakened to `SameSite=None`.
//! - **The parent's script**, `/embed.js` ([`PARENT_SCRIPT`]): the municipality's page includes
//!   it, and each `<iframe data-skolportal>` grows with the page inside it. It trusts messages
//!   from the portal's own origin only.
//! - **The public widgets** under `/widget/` ([`WidgetEndpoint`]): the fee calculator, the units
//!   and a login button. No session is read and no cookie is set, nothing in them is about a
//!   person, and anyone may frame them.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use poem::http::{header, HeaderValue, Method, StatusCode};
use poem::{Endpoint, Request, Response};
use sha2::{Digest, Sha256};
use skolportal_shared::fee::{monthly_fees, ChildPlacement, FeeError, FeeSettings, Household};
use skolportal_shared::lang::Lang;
use uuid::Uuid;

use super::middleware::FramePolicy;
use super::prerender::{self, FeeChildRow, FeeForm, ServerPage, ShellInputs, WidgetPage, FEE_ROWS};
use super::pwa::Colours;
use super::spa::{self, SpaAssets};
use crate::municipality::{self, MunicipalitySettings};
use crate::state::AppState;

/// Where the parent's script is served.
pub const PARENT_SCRIPT_PATH: &str = "/embed.js";

/// The script the municipality's page includes to let the portal's frames grow.
pub const PARENT_SCRIPT: &str = include_str!("embed/parent.js");

/// `GET /embed.js`.
pub fn parent_script(_req: Request) -> Response {
    Response::builder()
        .content_type("application/javascript; charset=utf-8")
        .header(header::CACHE_CONTROL, "public, max-age=3600")
        .body(PARENT_SCRIPT)
}

/// The highest income the calculator takes, as the income statement (`childcare::income`).
const MAX_MONTHLY_INCOME: u32 = 10_000_000;

/// The public widgets, under `/widget/`.
#[derive(Clone)]
pub struct WidgetEndpoint {
    state: AppState,
    assets: Arc<SpaAssets>,
}

impl WidgetEndpoint {
    pub fn new(state: AppState, assets: Arc<SpaAssets>) -> Self {
        Self { state, assets }
    }
}

impl Endpoint for WidgetEndpoint {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        if req.method() != Method::GET && req.method() != Method::HEAD {
            return Err(poem::Error::from_status(StatusCode::METHOD_NOT_ALLOWED));
        }
        let query: Vec<(String, String)> = req
            .uri()
            .query()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        let value = |key: &str| {
            query
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        let state = &self.state;
        let model = municipality::current(
            &state.db,
            state.settings.server.municipality_code.as_deref(),
        )
        .await
        .map_err(|_| poem::Error::from_status(StatusCode::SERVICE_UNAVAILABLE))?;
        let info = municipality::public_info(&model).ok();
        let lang = Lang::from_code(&value("lang")).unwrap_or_default();
        let page = match req.uri().path().trim_matches('/') {
            "avgift" => {
                let settings = MunicipalitySettings::of(&model).unwrap_or_default();
                WidgetPage::Fee(fee_form(&value, settings, state.clock.today()))
            }
            "enheter" => {
                let kind = prerender::KIND_CODES
                    .iter()
                    .find(|(_, code)| *code == value("typ"))
                    .map(|(kind, _)| *kind);
                let units = crate::public_units::list(&state.db, model.id, state.clock.today())
                    .await
                    .map_err(|_| poem::Error::from_status(StatusCode::SERVICE_UNAVAILABLE))?;
                WidgetPage::Units { units, kind }
            }
            "logga-in" => WidgetPage::Login,
            _ => return Err(poem::Error::from_status(StatusCode::NOT_FOUND)),
        };
        let Some(shell) = self.assets.shell_asset() else {
            return Err(poem::Error::from_status(StatusCode::SERVICE_UNAVAILABLE));
        };
        let colours = Colours::of(info.as_ref().map(|i| &i.theme));
        let html = prerender::render(
            &String::from_utf8_lossy(&shell.raw),
            &ShellInputs {
                lang,
                municipality: info.as_ref(),
                theme_colour: &colours.primary,
                page: Some(ServerPage::Widget(page)),
                preload: &[],
                frame_origins: &["*".to_owned()],
            },
            self.assets.as_ref(),
        );
        let raw = html.into_bytes();
        let etag = format!("\"{}\"", spa::hex_prefix(&Sha256::digest(&raw)));
        let mut response = spa::respond(&req, shell, raw, etag, Some(4));
        // A widget reads no cookie, so it varies with nothing but the address.
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        if !value("inkomst").is_empty() {
            // The income typed is the family's own business: kept by no cache.
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        response.extensions_mut().insert(FramePolicy::Anyone);
        Ok(response)
    }
}

/// The calculator's form read from the address, and when it was sent and is whole, the fees
/// computed as the income statement computes them (`shared::fee::monthly_fees` with the
/// municipality's dated fee periods).
fn fee_form(
    value: &impl Fn(&str) -> String,
    settings: MunicipalitySettings,
    today: NaiveDate,
) -> FeeForm {
    let this_month = today.with_day(1).unwrap_or(today);
    let sent = !value("manad").is_empty() || !value("inkomst").is_empty();
    let mut form = FeeForm {
        income: value("inkomst"),
        max_fee: value("hogsta") == "1",
        month: if sent {
            value("manad")
        } else {
            this_month.format("%Y-%m").to_string()
        },
        ..FeeForm::default()
    };
    let mut problems: Vec<(String, &'static str)> = Vec::new();
    let income = if form.max_fee {
        None
    } else {
        let digits: String = form
            .income
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
            .collect();
        match digits.parse::<u32>() {
            Ok(income) if income <= MAX_MONTHLY_INCOME => Some(income),
            _ if digits.is_empty() => {
                problems.push(("inkomst".into(), "widget.fee.income_missing"));
                None
            }
            _ => {
                problems.push(("inkomst".into(), "widget.fee.income_invalid"));
                None
            }
        }
    };
    let month = NaiveDate::parse_from_str(&format!("{}-01", form.month), "%Y-%m-%d").ok();
    if month.is_none() {
        problems.push(("manad".into(), "widget.fee.month_invalid"));
    }
    let mut children = Vec::new();
    for n in 1..=FEE_ROWS {
        let row = FeeChildRow {
            birth_date: value(&format!("fodd{n}")),
            care: prerender::CARE_CODES
                .iter()
                .find(|(_, code)| *code == value(&format!("omsorg{n}")))
                .map(|(care, _)| *care),
            hours: value(&format!("timmar{n}")),
        };
        if let Some(care) = row.care {
            let birth = NaiveDate::parse_from_str(&row.birth_date, "%Y-%m-%d")
                .ok()
                .filter(|b| *b <= today && today.year() - b.year() <= 13);
            let hours = row
                .hours
                .parse::<u32>()
                .ok()
                .filter(|h| (1..=60).contains(h));
            match birth {
                None => problems.push((format!("fodd{n}"), "widget.fee.birth_invalid")),
                Some(_) if hours.is_none() => {
                    problems.push((format!("timmar{n}"), "widget.fee.hours_invalid"))
                }
                Some(birth_date) => children.push(ChildPlacement {
                    child_id: Uuid::from_u128(n as u128),
                    birth_date,
                    care,
                    hours_per_week: hours.unwrap_or_default(),
                }),
            }
        }
        form.children.push(row);
    }
    if sent && children.is_empty() && !problems.iter().any(|(f, _)| f.starts_with("fodd")) {
        problems.push(("omsorg1".into(), "widget.fee.no_children"));
    }
    if !sent {
        return form;
    }
    form.problems = problems;
    if !form.problems.is_empty() {
        return form;
    }
    let Some(month) = month else {
        return form;
    };
    let household = Household {
        monthly_income: income,
        children,
    };
    match FeeSettings::new(settings.fee_periods)
        .map_err(|_| ())
        .and_then(|s| monthly_fees(&s, month, &household).map_err(|_: FeeError| ()))
    {
        Ok(breakdown) => form.answer = Some(breakdown),
        Err(()) => form.no_period = true,
    }
    form
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FeeForm {
        let value = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
                .unwrap_or_default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        fee_form(&value, MunicipalitySettings::default(), today)
    }

    #[test]
    fn an_unsent_form_has_no_answer_and_no_problems() {
        let f = form(&[]);
        assert!(f.answer.is_none() && f.problems.is_empty());
        assert_eq!(f.month, "2026-12");
        assert_eq!(f.children.len(), FEE_ROWS);
    }

    #[test]
    fn a_whole_form_is_computed_with_the_fee_function() {
        let f = form(&[
            ("inkomst", "30 000"),
            ("manad", "2027-01"),
            ("fodd1", "2024-03-01"),
            ("omsorg1", "forskola"),
            ("timmar1", "40"),
        ]);
        let answer = f.answer.expect("computed");
        assert_eq!(answer.children.len(), 1);
        assert!(answer.total > 0);
    }

    #[test]
    fn each_problem_is_named_by_its_field() {
        let f = form(&[
            ("inkomst", "tusen"),
            ("manad", "januari"),
            ("fodd1", "2030-01-01"),
            ("omsorg1", "forskola"),
            ("timmar1", "40"),
            ("fodd2", "2022-01-01"),
            ("omsorg2", "fritidshem"),
            ("timmar2", "0"),
        ]);
        let fields: Vec<&str> = f.problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["inkomst", "manad", "fodd1", "timmar2"]);
        assert!(f.answer.is_none());
        let empty = form(&[("inkomst", "1000"), ("manad", "2027-01")]);
        assert_eq!(
            empty.problems,
            [("omsorg1".to_owned(), "widget.fee.no_children")]
        );
    }
}
