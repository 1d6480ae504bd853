//! Runs cases as a pure state machine: a command and the case's state in, the new state and the
//! effects the runtime must carry out back.
//!
//! [`Process`] is built once per process version: it holds the compiled net and everything the
//! hot path needs precomputed (compiled conditions and `set` values per transition, the role of
//! every place, the automatic transitions that take tokens from each place), so that running a
//! case only touches integers, the case's data and the effects it emits.
//!
//! [`step`] never changes the state it is given. It works on a copy and returns it with the
//! effects; when a command is illegal it returns a typed [`EngineError`] and nothing happened.
//!
//! After every command the case runs to quiescence: automatic transitions fire, in a fixed order,
//! until only tokens that wait for the outside world (a task, a message, a timer, a deelzaak) or
//! the end remain. Only transitions whose input places gained a token are looked at again, first
//! come first served, so parallel branches advance in the order they were written.
//!
//! Effects come in the order things happened: a transition's actions (status, result, letters),
//! then what its output places ask for (a task with its start status, a timer, a deelzaak, a
//! suspended term). The legal term's own timers (target warning, deadline warning, deadline)
//! follow the term clock: when a command moved its dates, the pending ones are cancelled at the
//! end of the command and new ones scheduled, unless the term stands still or the case closed.
//! A case that closes cancels every open task and pending timer.
//!
//! A token leaving a place other than by its own trigger cleans up after itself: a task whose
//! token is taken is cancelled, a wait's timeout is cancelled when its message came, and the term
//! a wait suspended resumes whichever way the wait ends.
//!
//! The module is split by concern: `plan.rs` prepares a process version for running
//! ([`Process`]), `data.rs` checks the data a command brings ([`validate_data`]), `run.rs` is
//! the interpreter that applies one command, and `error.rs` says why a command was refused
//! ([`EngineError`]).

mod data;
mod error;
mod plan;
mod run;

pub use data::validate_data;
pub use error::{DataProblem, EngineError};
pub use plan::Process;

use crate::calendar::Calendar;
use crate::case::{CaseState, Command, Outcome};
use chrono::{DateTime, Utc};

/// Automatic firings allowed for one command. A process whose automatic steps loop without end
/// would otherwise hang the engine; a real process needs a few dozen.
pub(crate) const MAX_FIRINGS_PER_COMMAND: u32 = 10_000;

/// The share of the legal term that has passed when the deadline warning comes: a fifth left,
/// as case systems in use flag it.
pub(crate) const DEADLINE_WARNING_SHARE: f64 = 0.8;

/// Takes one step of a case: applies `command` to `state` (None only for [`Command::Start`]) at
/// time `now`, runs the case to quiescence and returns the new state with the effects, in order.
pub fn step(
    process: &Process,
    calendar: &Calendar,
    state: Option<&CaseState>,
    command: Command,
    now: DateTime<Utc>,
) -> Result<Outcome, EngineError> {
    let mut run = match (state, &command) {
        (None, Command::Start { .. }) => {
            run::Run::new(process, calendar, run::new_state(process), now)
        }
        (None, _) => return Err(EngineError::NotStarted),
        (Some(s), _) if s.closed.is_some() => return Err(EngineError::CaseClosed),
        (Some(_), Command::Start { .. }) => return Err(EngineError::AlreadyStarted),
        // A case stays pinned to the version it started under; a marking of another net
        // would point at the wrong places.
        (Some(s), _) if s.marking.0.len() != process.net.places.len() => {
            return Err(EngineError::Inconsistent(format!(
                "the case's marking has {} places, the net of {} version {} has {}",
                s.marking.0.len(),
                process.net.process,
                process.net.version,
                process.net.places.len()
            )))
        }
        (Some(s), _) => run::Run::new(process, calendar, s.clone(), now),
    };
    run.apply(command)?;
    Ok(run.finish())
}
