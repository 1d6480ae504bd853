//! Workflow nets compiled from Zaak processes: soundness, legal terms, and cases as a pure
//! state machine.
//!
//! Nothing here does IO, reads a clock or draws random numbers: every function takes what it
//! needs (the process, the case state, the current time) and returns what should happen.
//!
//! The public API is what ARCHITECTURE.md names for this crate; everything else is
//! `pub(crate)`, and `unreachable_pub` keeps it so.

#![warn(unreachable_pub)]

pub mod calendar;
pub mod case;
pub mod check;
pub mod compile;
pub mod diagram;
pub mod exec;
pub mod net;
pub mod pnml;
pub mod soundness;
pub mod term;
