//! The application layer: every front end (the REST API, the command line, the web pages, the
//! ZGW APIs) is a thin adapter over [`App`], which owns who may do what ([`policy`]), what each
//! user sees (the runtime's [`zaak_runtime::Viewer`] rule, applied in SQL before paging), and
//! how input is read ([`input`]). A rule written here is written once; a front end decides only
//! how to say its answers.
//!
//! Every operation takes the acting [`User`] (from [`App::authenticate`]) and answers with
//! domain values or an [`AppError`] whose [`ErrorKind`] the front end maps (an HTTP status, an
//! exit code). Confidential cases a user may not see are answered as unknown everywhere, never
//! as forbidden, so that their existence does not leak.

mod analytics;
mod cases;
mod citizen;
mod error;
pub mod input;
pub mod policy;
mod processes;
mod tasks;
mod teams;
mod users;

pub use analytics::{parse_moment, ReportQuery, AT_RISK};
pub use cases::{page, CaseCommand, CaseDetail, StartCase, IDEMPOTENCY_KEY_MAX};
pub use citizen::{CitizenStatus, CitizenStep, EXTENDED_TEXT, SUSPENDED_TEXT};
pub use error::{AppError, AppResult, ErrorKind};
pub use input::{CaseKey, RawData};
pub use processes::{DiagramQuery, ProcessDetail, ProcessInfo};
pub use tasks::{TaskDetail, WorkItem, WorklistQuery, WorklistState};
pub use teams::MemberChange;
pub use users::UserSummary;

use zaak_runtime::{Runtime, User};

/// The application: the runtime and the rules around it. Cheap to clone.
#[derive(Clone)]
pub struct App {
    runtime: Runtime,
}

impl App {
    pub fn new(runtime: Runtime) -> App {
        App { runtime }
    }

    /// The runtime beneath, for what is not a user's operation (the timer loop, shutting down).
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// The user an API token belongs to.
    pub async fn authenticate(&self, token: &str) -> AppResult<User> {
        let token = token.trim();
        if token.is_empty() {
            return Err(AppError::unauthenticated());
        }
        self.runtime
            .authenticate(token)
            .await?
            .ok_or_else(AppError::unauthenticated)
    }
}
