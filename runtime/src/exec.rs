//! The one place the runtime calls the engine: compiling a process version and taking a step.
//!
//! Everything else in the runtime sees only [`Compiled`], [`PlaceInfo`] and [`step`], so the
//! engine's executor can change behind this module without the storage layer noticing.

use chrono::{DateTime, Utc};
use zaak_dsl::{Diagnostic, ProcessModel};
use zaak_engine::calendar::Calendar;
use zaak_engine::case::{CaseState, Command, Outcome};
use zaak_engine::exec::{EngineError, Process};

/// A place of a compiled net, by `PlaceId` index.
#[derive(Debug, Clone)]
pub(crate) struct PlaceInfo {
    pub name: String,
    pub step: Option<String>,
}

/// A process version ready to run cases, with the names of its net's places for the token
/// table.
#[derive(Debug)]
pub(crate) struct Compiled {
    process: Process,
    pub places: Vec<PlaceInfo>,
}

impl Compiled {
    pub fn model(&self) -> &ProcessModel {
        &self.process.model
    }
}

/// Compiles a validated model to its net, or says why it cannot run.
pub(crate) fn compile(model: ProcessModel) -> Result<Compiled, Vec<Diagnostic>> {
    let process = Process::new(model)?;
    let places = process
        .net
        .places
        .iter()
        .map(|p| PlaceInfo {
            name: p.name.clone(),
            step: p.step.clone(),
        })
        .collect();
    Ok(Compiled { process, places })
}

/// Takes one step of a case: the new state and the effects, or why the command is refused.
pub(crate) fn step(
    process: &Compiled,
    calendar: &Calendar,
    state: Option<&CaseState>,
    command: Command,
    now: DateTime<Utc>,
) -> Result<Outcome, EngineError> {
    zaak_engine::exec::step(&process.process, calendar, state, command, now)
}
