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
//!
//! ```no_run
//! # async fn example(source: &str) -> zaak_runtime::Result<()> {
//! use zaak_runtime::{Data, Page, Redeploy, Runtime, RuntimeOptions, Syntax};
//!
//! let rt = Runtime::open("sqlite://zaken.db", RuntimeOptions::default()).await?;
//! rt.deploy(source, Syntax::Text, Redeploy::UnlessLatest).await?;
//! let case = rt.start_case("omgevingsvergunning", Data::new(), "balie", Some("form-1")).await?;
//! let _timers = rt.spawn_timer_loop(std::time::Duration::from_secs(30));
//! let queue = rt.worklist("vergunningen", Page::default()).await?;
//! if let Some(task) = queue.first() {
//!     rt.claim(task.id, "anna").await?;
//!     rt.complete(task.id, "anna", Some("volledig"), Data::new()).await?;
//! }
//! println!("{} is {:?}", case.reference, rt.case(case.id).await?.status);
//! # Ok(())
//! # }
//! ```

pub mod analytics;
mod clock;
mod commit;
mod directory;
mod error;
mod exec;
pub mod history;
pub mod lifecycle;
pub mod people;
mod runtime;
mod store;
mod types;

pub use clock::{Clock, ManualClock, SystemClock};
pub use directory::{token_hash, Member, NewUser, RemovedUser, Team};
pub use error::{Error, Result};
pub use lifecycle::TaskState;
pub use people::{Membership, NotEligible, User, UserRole, Viewer};
pub use runtime::{Durability, Redeploy, Runtime, RuntimeOptions};
pub use types::{
    Applied, AssignmentPolicy, CaseFilter, CaseId, CaseRef, CaseView, CommitStats, Deployed, Event,
    Page, ProcessVersion, StepCount, TaskId, TaskView, TimerState, TimerView,
};
pub use zaak_dsl::Syntax;
pub use zaak_engine::calendar::Calendar;
pub use zaak_engine::case::{Command, Data, Effect};
