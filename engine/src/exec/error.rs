//! Why a command was refused: a typed error, with the data field and the problem where the
//! command brought data that does not fit.

use crate::case::{TaskKey, TimerKey};
use crate::term::TermError;
use std::fmt;

/// Why a command was refused. The case did not change.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    #[error("the case has not started yet: the first command must be `start`")]
    NotStarted,
    #[error("the case has already started")]
    AlreadyStarted,
    #[error("the case is closed; no command can change it any more")]
    CaseClosed,
    #[error("field `{field}`: {problem}")]
    InvalidData { field: String, problem: DataProblem },
    #[error("task #{} is not open (it was completed, cancelled or never existed)", .task.0)]
    TaskNotOpen { task: TaskKey },
    #[error("task `{step}` has no outcome `{outcome}`; choose one of: {}", .allowed.join(", "))]
    UnknownOutcome {
        step: String,
        outcome: String,
        allowed: Vec<String>,
    },
    #[error("task `{step}` needs an outcome; choose one of: {}", .allowed.join(", "))]
    OutcomeRequired { step: String, allowed: Vec<String> },
    #[error("task `{step}` has no outcomes, but `{outcome}` was given")]
    NoOutcomes { step: String, outcome: String },
    #[error("no step of this case is waiting for message `{message}`")]
    NoWaitingFor { message: String },
    #[error("timer #{} is not pending (it fired, was cancelled or never existed)", .timer.0)]
    UnknownTimer { timer: TimerKey },
    #[error("no deelzaak started by step `{step}` is open")]
    NoSubcase { step: String },
    #[error("the condition of `{transition}` could not be evaluated: {message}")]
    Condition { transition: String, message: String },
    #[error("step `{step}` could not compute field `{field}`: {message}")]
    SetFailed {
        step: String,
        field: String,
        message: String,
    },
    #[error("timer step `{step}` waits until field `{field}`, which holds no date (YYYY-MM-DD)")]
    TimerDate { step: String, field: String },
    #[error(transparent)]
    Term(#[from] TermError),
    #[error("automatic steps fired {0} times without coming to rest; the process loops")]
    Livelock(u32),
    #[error("the case's state does not fit its process: {0}")]
    Inconsistent(String),
}

/// What is wrong with one data field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataProblem {
    Missing,
    Unknown,
    /// The value does not fit the field's type (see [`zaak_dsl::value`]).
    Invalid(zaak_dsl::value::ValueError),
}

impl fmt::Display for DataProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataProblem::Missing => f.write_str("required, but missing"),
            DataProblem::Unknown => f.write_str("not a field here"),
            DataProblem::Invalid(e) => write!(f, "{e}"),
        }
    }
}
