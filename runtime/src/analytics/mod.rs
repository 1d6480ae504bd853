//! Lead-time figures for managers and the XES event-log format, without IO.
//!
//! Everything here works on [`CaseHistory`], a neutral description of what happened to one
//! case: when it started and ended, its term dates, its suspensions, the statuses it reached
//! and the tasks done for it. The database side builds these from stored cases; the XES side
//! builds them from event logs of other systems ([`xes::import`]) and writes them for process
//! mining tools ([`xes::export`]). [`figures::report`] turns a set of histories into the figures
//! a manager asks for: lead times gross and net of suspension, decisions within the legal term
//! and the service norm, time per status and per step, throughput and work in progress, and
//! the steps where work waits longest.
//!
//! Nothing in this module reads a clock, a file or a database: the caller passes `now` and the
//! bytes, and gets plain values back.

pub mod compact;
pub mod figures;
pub mod stats;
pub mod synthetic;
pub mod xes;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A name that many cases repeat (a process, status, step, team, worker or result): shared, so
/// that a report over a hundred thousand cases holds each name once instead of once per use.
pub type Name = Arc<str>;

pub use figures::{compare, render_comparison, render_table, report, Comparison, Filter, Report};
pub use stats::Stats;
pub use xes::{
    export, import, import_with, ImportOptions, ImportWarning, Imported, WarningKind, XesError,
};

/// What happened to one case, as far as the figures need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseHistory {
    /// The case's identification (zaak identificatie).
    pub reference: String,
    /// The process key the case ran under.
    pub process: Name,
    /// The process version the case is pinned to; 0 when unknown (e.g. an imported log).
    pub version: u32,
    pub started: DateTime<Utc>,
    /// When the case closed; none while it is open.
    pub ended: Option<DateTime<Utc>>,
    pub result: Option<Name>,
    /// The legal deadline (uiterlijke einddatum afdoening) as it stands, suspensions included.
    pub deadline: Option<NaiveDate>,
    /// The target date from the service norm (einddatum gepland), suspensions included.
    pub target: Option<NaiveDate>,
    /// Periods in which the term stood still: from, and until (none while still suspended).
    pub suspensions: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    /// Every status the case reached, in order, with when.
    pub statuses: Vec<(Name, DateTime<Utc>)>,
    pub tasks: Vec<TaskSpan>,
    /// Whether the case comes from an imported log rather than from this engine.
    pub historical: bool,
}

/// One task of a case, from creation through claim to completion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskSpan {
    /// The step the task belongs to.
    pub step: Name,
    pub team: Option<Name>,
    pub worker: Option<Name>,
    /// When the task appeared in the team's queue.
    pub created: DateTime<Utc>,
    /// When a worker took it.
    pub claimed: Option<DateTime<Utc>>,
    /// When a worker completed it; none while open (or when it was cancelled).
    pub completed: Option<DateTime<Utc>>,
}

/// Seconds from `from` to `to`, with sub-second precision.
pub(crate) fn seconds_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    let d = to - from;
    // Whole seconds plus the remaining nanoseconds, so that durations of years keep their
    // millisecond precision.
    d.num_seconds() as f64 + f64::from(d.subsec_nanos()) / 1e9
}
