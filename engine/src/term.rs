//! The term clock of a case: legal deadline, target date, suspensions and extension.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The dates that bound a case, derived from what happened to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TermClock {
    pub start: Option<NaiveDate>,
    /// Uiterlijke einddatum afdoening.
    pub deadline: Option<NaiveDate>,
    /// Einddatum gepland (from the service norm).
    pub target: Option<NaiveDate>,
}
