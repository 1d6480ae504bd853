//! A case as the engine sees it, the commands that move it and the effects it asks for.
//!
//! This is the contract between the pure engine and the runtime that persists cases and carries
//! out effects: `exec::step(process, calendar, state, command, now)` returns the new state and the
//! effects, or a typed error for an illegal command. The state is plain serde data so the
//! runtime can store it as it is.

use crate::net::Marking;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use zaak_dsl::Duration;

/// Case data: field name to JSON value (text, number, bool, date as `YYYY-MM-DD`).
pub type Data = Map<String, Value>;

/// A task's number within its case; unique for the case's lifetime, never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TaskKey(pub u32);

/// A timer's number within its case; unique for the case's lifetime, never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TimerKey(pub u32);

/// Everything the engine needs to know about one case to take its next step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseState {
    pub marking: Marking,
    pub data: Data,
    /// The outcome each task last completed with, and the result each deelzaak closed with, by
    /// step name (for conditions: `outcome.<step>`).
    pub outcomes: BTreeMap<String, String>,
    pub status: Option<String>,
    /// Every status the case reached, in order, with when.
    pub status_history: Vec<StatusReached>,
    pub result: Option<String>,
    pub open_tasks: Vec<OpenTask>,
    pub timers: Vec<PendingTimer>,
    pub subcases: Vec<PendingSubcase>,
    pub term: crate::term::TermClock,
    pub closed: Option<Closed>,
    /// The wait step that suspended the term, if one did; it resumes the term when it ends.
    #[serde(default)]
    pub suspended_by: Option<String>,
    /// The next number for a task or timer of this case.
    pub next_key: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusReached {
    pub status: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenTask {
    pub key: TaskKey,
    pub step: String,
    pub created_at: DateTime<Utc>,
    pub due: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimerPurpose {
    /// A timer step's wait.
    Step,
    /// A wait step's timeout.
    Timeout,
    /// The target date (einddatum gepland, from the service norm) is near or reached.
    TargetWarning,
    /// The legal deadline (uiterlijke einddatum afdoening) is near.
    DeadlineWarning,
    /// The legal deadline passed: apply the process's `on_deadline`.
    Deadline,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingTimer {
    pub key: TimerKey,
    /// The step that set it (for `Step` and `Timeout`).
    pub step: Option<String>,
    pub purpose: TimerPurpose,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingSubcase {
    pub step: String,
    pub process: String,
    /// Whether this case waits for it.
    pub wait: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closed {
    pub at: DateTime<Utc>,
    pub how: Closure,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Closure {
    /// The case reached an end step.
    Completed,
    /// The initiator withdrew the request.
    Withdrawn { reason: String },
    /// The municipality cancelled the case (e.g. registered in error).
    Cancelled { reason: String },
}

/// What can happen to a case from outside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum Command {
    /// Start a new case with its initial data (validated against the process's data fields).
    Start { data: Data },
    /// A worker completed a task, with an outcome (one of the task's) and form data.
    CompleteTask {
        task: TaskKey,
        outcome: Option<String>,
        data: Data,
    },
    /// A message arrived for the case (e.g. `aanvulling_ontvangen`), with data.
    DeliverMessage { name: String, data: Data },
    /// A timer the engine scheduled went off.
    TimerFired { timer: TimerKey },
    /// A deelzaak started by `step` closed with a result.
    SubcaseClosed {
        step: String,
        result: Option<String>,
    },
    /// Suspend the legal term (Awb 4:15), with a reason.
    Suspend { reason: String },
    /// Resume a suspended term; the days suspended are added to the deadlines.
    Resume,
    /// Extend the legal term once (Awb 4:14), before it passes, up to the process's maximum.
    Extend { reason: String, duration: Duration },
    /// The initiator withdrew the request.
    Withdraw { reason: String },
    /// The municipality cancelled the case.
    Cancel { reason: String },
    /// The initiator gave notice of default (ingebrekestelling) after the term passed (Awb 4:17).
    NoticeOfDefault { received: NaiveDate },
}

/// What the engine asks the runtime to do. Effects are data; the runtime performs them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "effect")]
pub enum Effect {
    CreateTask {
        task: TaskKey,
        step: String,
        label: Option<String>,
        team: String,
        role: Option<String>,
        due: Option<NaiveDate>,
        priority: i32,
    },
    CancelTask {
        task: TaskKey,
    },
    ScheduleTimer {
        timer: TimerKey,
        at: DateTime<Utc>,
        purpose: TimerPurpose,
    },
    CancelTimer {
        timer: TimerKey,
    },
    SetStatus {
        status: String,
        /// Tell the initiator (the status's `notify`).
        notify: bool,
        citizen_text: String,
    },
    SetResult {
        result: String,
    },
    /// An automatic step computed a field. Data that came with a command (start data, form
    /// data, message data) is merged into the state without an effect: the command carries it.
    SetData {
        field: String,
        value: Value,
    },
    SendLetter {
        template: String,
    },
    SendNotification {
        name: String,
    },
    StartSubcase {
        step: String,
        process: String,
        data: Data,
    },
    /// The term clock changed (start, suspension, resumption, extension): new dates.
    TermChanged {
        deadline: Option<NaiveDate>,
        target: Option<NaiveDate>,
        reason: String,
    },
    /// A warning for the teams involved: the target date or legal deadline is near or passed.
    DeadlineWarning {
        purpose: TimerPurpose,
        date: NaiveDate,
    },
    CloseCase {
        how: Closure,
    },
}

/// The engine's answer to a command.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub state: CaseState,
    pub effects: Vec<Effect>,
}
