//! The citizen's view of their case: no login, only what the initiator may see.
//!
//! The public token is the only key. Everything shown is picked field by field from the case
//! and its process: the statuses' citizen texts, the dates, the result, and the data fields
//! the process marks `citizen`. Reasons a worker wrote for colleagues (why the term was
//! suspended or extended) are never shown: the citizen reads a fixed sentence instead.

use crate::error::{AppError, AppResult};
use crate::App;
use chrono::NaiveDate;
use zaak_engine::calendar::local_date;
use zaak_engine::case::Data;

/// What a citizen reads for every suspension of the term.
pub const SUSPENDED_TEXT: &str = "De termijn waarin wij moeten beslissen, stond stil.";
/// What a citizen reads for an extension of the term.
pub const EXTENDED_TEXT: &str = "Wij hebben de termijn waarin wij moeten beslissen, verlengd.";

/// A status the case reached, as the citizen reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct CitizenStep {
    pub text: String,
    pub reached_on: NaiveDate,
}

/// Where a case stands, for its initiator.
#[derive(Debug, Clone, PartialEq)]
pub struct CitizenStatus {
    pub reference: String,
    /// The kind of case (zaaktype), in words.
    pub case_type: String,
    pub statuses: Vec<CitizenStep>,
    /// Einddatum gepland.
    pub expected_end_date: Option<NaiveDate>,
    /// Uiterlijke einddatum afdoening.
    pub legal_deadline: Option<NaiveDate>,
    pub suspended: bool,
    /// From, to (none while it lasts), and [`SUSPENDED_TEXT`].
    pub suspensions: Vec<(NaiveDate, Option<NaiveDate>, &'static str)>,
    /// The extension's length and [`EXTENDED_TEXT`].
    pub extension: Option<(String, &'static str)>,
    pub open: bool,
    pub closed_on: Option<NaiveDate>,
    /// Whether the case was decided within the legal term; none while it is open in time or
    /// has no term.
    pub term_met: Option<bool>,
    /// The result and its label.
    pub result: Option<(String, Option<String>)>,
    /// Only the case data fields the process marks as visible to the citizen.
    pub data: Data,
}

impl App {
    /// The case a public token opens. Malformed, unknown and revoked tokens get one answer.
    pub async fn citizen_status(&self, token: &str) -> AppResult<CitizenStatus> {
        let unknown =
            || AppError::not_found("unknown_status_token", "no case belongs to this link");
        // The lookup is one indexed query whether or not the token exists, and a token is long
        // and random: the answer's timing tells nothing worth knowing about other tokens.
        let Some(case) = self.runtime.case_by_public_token(token).await? else {
            return Err(unknown());
        };
        let model = self
            .runtime
            .model(&case.process_key, case.process_version)
            .await?;
        let term = &case.state.term;
        let deadline = case.deadline.or(term.deadline);
        let closed_on = case.closed_at.map(local_date);
        let today = local_date(self.runtime.clock().now());
        let term_met = match (deadline, closed_on) {
            (Some(deadline), Some(closed)) => Some(closed <= deadline),
            (Some(deadline), None) if today > deadline => Some(false),
            _ => None,
        };
        Ok(CitizenStatus {
            reference: case.reference.clone(),
            case_type: model.title.clone(),
            statuses: case
                .state
                .status_history
                .iter()
                .map(|s| CitizenStep {
                    text: model
                        .status(&s.status)
                        .map(|d| d.citizen_text.clone())
                        .unwrap_or_default(),
                    reached_on: local_date(s.at),
                })
                .collect(),
            expected_end_date: case.target.or(term.target),
            legal_deadline: deadline,
            suspended: term.is_suspended(),
            suspensions: term
                .suspensions
                .iter()
                .map(|s| (s.from, s.to, SUSPENDED_TEXT))
                .collect(),
            extension: term
                .extension
                .as_ref()
                .map(|e| (e.duration.to_string(), EXTENDED_TEXT)),
            open: case.open,
            closed_on,
            term_met,
            result: case
                .result
                .as_ref()
                .map(|r| (r.clone(), model.result(r).and_then(|d| d.label.clone()))),
            data: case
                .state
                .data
                .iter()
                .filter(|(name, _)| model.field(name).is_some_and(|f| f.citizen))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        })
    }
}
