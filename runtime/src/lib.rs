//! Durable cases on SQLite (embedded, the default) or PostgreSQL: process versions, cases and
//! their history, team work queues, and timers that fire exactly once.
//!
//! The engine decides what a command does to a case; this crate makes it last. Each command is
//! one step of the engine applied in one transaction together with everything the step asked
//! for (tasks, timers, history), and a caller hears that it happened only after the commit.
//!
//! ```text
//! Runtime ── mpsc ──> committer ── StoreTx (SQLite | PostgreSQL)
//!    │                    └── exec::step (the engine)
//!    └── queries ──────────── Store (pool)
//! ```
//!
//! [`analytics`] reads case histories for lead times and process mining (XES).

pub mod analytics;
mod clock;
mod commit;
mod error;
mod exec;
mod runtime;
mod store;
mod types;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{Error, Result};
pub use runtime::{Durability, Runtime, RuntimeOptions};
pub use types::*;
pub use zaak_dsl::Syntax;
pub use zaak_engine::calendar::Calendar;
pub use zaak_engine::case::{Command, Data, Effect};
