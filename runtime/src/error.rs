//! The errors the runtime returns, in words a caller can act on.

use zaak_dsl::Diagnostic;

/// Why a runtime call did not do what was asked.
///
/// In every case nothing was changed. `Invalid`, `BadRequest` and `KeyReused` are the caller's
/// input; `UnknownProcess`, `UnknownCase` and `UnknownTask` name nothing stored; `Rejected` is
/// the engine's refusal, which [`zaak_engine::exec::EngineError`] classifies; `Conflict` says
/// the task or case is not in a state for this; `Forbidden` and `NotEligible` say who may not;
/// `Stopped` means shutting down; `Database`, `Migrate` and `Corrupt` are the server's problem
/// and their text should not be shown to users.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The process source has errors; nothing was deployed.
    #[error(
        "the process has {} error(s); nothing was deployed{}",
        .0.iter().filter(|d| d.is_error()).count(),
        .0.iter().find(|d| d.is_error()).map(|d| format!(" (first: {})", d.message)).unwrap_or_default()
    )]
    Invalid(Vec<Diagnostic>),
    /// The database URL names no backend this runtime knows.
    #[error("unsupported database URL `{0}`: use sqlite://path or postgres://...")]
    UnsupportedUrl(String),
    #[error("no process `{0}` is deployed")]
    UnknownProcess(String),
    #[error("no case {0}")]
    UnknownCase(i64),
    #[error("no task {0}")]
    UnknownTask(i64),
    #[error("there is no user named `{0}`")]
    UnknownUser(String),
    /// The engine refused the command for the case's current state (e.g. a task that is not
    /// open, a message nobody waits for, a second extension).
    #[error("the case cannot do that now: {0}")]
    Rejected(#[from] zaak_engine::exec::EngineError),
    /// The action collides with what someone else did first: the task is already claimed,
    /// done or cancelled, or belongs to another worker. Nothing was changed.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The user may not do this.
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// The user may not hold this task: not a member of its team, or without the process role
    /// it names (see [`crate::people::eligibility`]).
    #[error("{0}")]
    NotEligible(#[from] crate::people::NotEligible),
    /// An idempotency key came again with another request than the first time.
    #[error("this idempotency key was used for another request; use a new key for a new case")]
    KeyReused,
    /// A required input is missing or malformed (e.g. an assignment without a reason).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The runtime is shutting down or its committer stopped.
    #[error("the runtime is not running")]
    Stopped,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Stored data could not be read back (a bug or a hand-edited database).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl Error {
    /// Whether the database asked to retry the transaction (deadlock, serialization failure,
    /// busy SQLite file): the command had no effect and may run again.
    pub(crate) fn is_retryable(&self) -> bool {
        match self {
            Error::Database(sqlx::Error::Database(db)) => {
                matches!(
                    db.code().as_deref(),
                    Some("40001") | Some("40P01") | Some("5") | Some("6") | Some("517")
                )
            }
            _ => false,
        }
    }

    /// Whether the database refused a row because a unique key already exists.
    pub(crate) fn is_unique_violation(&self) -> bool {
        match self {
            Error::Database(sqlx::Error::Database(db)) => db.is_unique_violation(),
            _ => false,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
