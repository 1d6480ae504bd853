//! The one error of the application layer, in kinds every front end maps the same way.
//!
//! A front end decides only how a kind is said (an HTTP status, a CLI exit code, a message on a
//! web page); what kind a refusal is, is decided here, once.

use std::fmt;
use zaak_dsl::Diagnostic;
use zaak_engine::exec::EngineError;
use zaak_engine::term::TermError;

/// What kind of refusal, for the caller to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// No valid credentials.
    Unauthenticated,
    /// Known, but not allowed.
    Forbidden,
    /// Nothing there, or nothing the caller may see: the two are never told apart.
    NotFound,
    /// A value the caller gave cannot be accepted; `field` names it.
    Invalid,
    /// A query parameter cannot be read; `field` names it.
    BadQuery,
    /// The case or task is not in a state for this (done twice, claimed by another).
    Conflict,
    /// Shutting down.
    Unavailable,
    /// A fault of the server: logged, never shown.
    Internal,
}

/// Why an operation did not happen. Nothing was changed.
#[derive(Debug, Clone)]
pub struct AppError {
    pub kind: ErrorKind,
    /// Stable and machine-readable: `unknown_case`, `invalid_field`, `not_eligible`, ...
    pub code: &'static str,
    pub message: String,
    /// The input the error is about, as a path (`data.aantal`, `outcome`).
    pub field: Option<String>,
    /// For a process that does not check: every diagnostic.
    pub diagnostics: Vec<Diagnostic>,
}

impl AppError {
    pub fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> AppError {
        AppError {
            kind,
            code,
            message: message.into(),
            field: None,
            diagnostics: Vec::new(),
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> AppError {
        self.field = Some(field.into());
        self
    }

    pub fn unauthenticated() -> AppError {
        AppError::new(
            ErrorKind::Unauthenticated,
            "unauthorized",
            "send a valid API token as `Authorization: Bearer <token>`",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Forbidden, "forbidden", message)
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::NotFound, code, message)
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Invalid, "invalid_field", message).with_field(field)
    }

    pub fn bad_query(field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::BadQuery, "invalid_query", message).with_field(field)
    }

    pub fn conflict(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Conflict, "conflict", message)
    }

    /// A fault of the server. The cause is logged here; the caller hears only that it failed.
    pub fn internal(cause: impl fmt::Display) -> AppError {
        tracing::error!(error = %cause, "request failed");
        AppError::new(
            ErrorKind::Internal,
            "internal",
            "the server could not handle this request; the fault is logged",
        )
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(field) = &self.field {
            write!(f, " ({field})")?;
        }
        Ok(())
    }
}

impl std::error::Error for AppError {}

pub type AppResult<T> = Result<T, AppError>;

/// What a refusal of the engine is: the caller's data, a state that does not allow it, or a
/// fault. A process that reached the engine passed every check, so a condition that cannot be
/// evaluated or a state that does not fit its net is a bug, not the caller's mistake.
pub(crate) fn engine_refusal(e: EngineError) -> AppError {
    use EngineError as E;
    let message = e.to_string();
    match e {
        E::InvalidData { field, .. } => AppError::invalid(format!("data.{field}"), message),
        E::TimerDate { field, .. } => AppError::invalid(format!("data.{field}"), message),
        E::UnknownOutcome { .. } | E::OutcomeRequired { .. } | E::NoOutcomes { .. } => {
            AppError::invalid("outcome", message)
        }
        E::Term(TermError::ExtensionTooLong { .. }) => AppError::invalid("duration", message),
        E::Term(TermError::BeforeStart { .. }) => AppError::invalid("received", message),
        E::CaseClosed
        | E::TaskNotOpen { .. }
        | E::NoWaitingFor { .. }
        | E::UnknownTimer { .. }
        | E::NoSubcase { .. }
        | E::Term(_) => AppError::new(ErrorKind::Conflict, "rejected", message),
        E::NotStarted
        | E::AlreadyStarted
        | E::Condition { .. }
        | E::SetFailed { .. }
        | E::Livelock(_)
        | E::Inconsistent(_) => AppError::internal(message),
    }
}

impl From<zaak_runtime::Error> for AppError {
    fn from(e: zaak_runtime::Error) -> AppError {
        use zaak_runtime::Error as E;
        match e {
            E::Invalid(diagnostics) => {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                AppError {
                    kind: ErrorKind::Invalid,
                    code: "invalid_process",
                    message: format!("the process has {errors} error(s); nothing was deployed"),
                    field: Some("source".into()),
                    diagnostics,
                }
            }
            E::UnknownProcess(p) => {
                AppError::not_found("unknown_process", format!("no process `{p}` is deployed"))
            }
            E::UnknownCase(id) => AppError::not_found("unknown_case", format!("no case {id}")),
            E::UnknownTask(id) => AppError::not_found("unknown_task", format!("no task {id}")),
            E::UnknownUser(name) => {
                AppError::invalid("user", format!("there is no user named `{name}`"))
            }
            E::Rejected(refusal) => engine_refusal(refusal),
            E::Conflict(m) => AppError::conflict(m),
            E::Forbidden(m) => AppError::forbidden(m),
            E::NotEligible(n) => AppError::new(ErrorKind::Forbidden, "not_eligible", n.to_string()),
            E::KeyReused => {
                AppError::new(ErrorKind::Invalid, "idempotency_key_reused", e.to_string())
                    .with_field("Idempotency-Key")
            }
            E::BadRequest(m) => AppError::new(ErrorKind::Invalid, "invalid_request", m),
            E::Stopped => AppError::new(
                ErrorKind::Unavailable,
                "unavailable",
                "the server is shutting down",
            ),
            other => AppError::internal(other),
        }
    }
}
