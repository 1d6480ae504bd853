//! Cases: start, find, list, history, and the commands that move them.

use crate::error::{AppError, AppResult};
use crate::input::{reason, CaseKey, RawData};
use crate::policy::{require, require_in, Action};
use crate::App;
use zaak_dsl::{Duration, ProcessModel};
use zaak_engine::case::Command;
use zaak_runtime::{Applied, CaseFilter, CaseRef, CaseView, Event, Page, TaskView, User};

/// The longest idempotency key accepted.
pub const IDEMPOTENCY_KEY_MAX: usize = 200;

/// A case to start.
#[derive(Debug)]
pub struct StartCase {
    /// The key of the process; its latest version runs the case.
    pub process: String,
    pub data: RawData,
    /// A retry with the same key answers with the case the first request started.
    pub idempotency_key: Option<String>,
}

/// A case with what its reader needs around it.
#[derive(Debug, Clone)]
pub struct CaseDetail {
    pub case: CaseView,
    /// The process version the case runs under.
    pub model: ProcessModel,
    /// Every task the case ever had, in order.
    pub tasks: Vec<TaskView>,
    /// Where its tokens rest, by place (none once closed).
    pub tokens: Vec<(String, i64)>,
}

/// What a person can do to a case besides working its tasks.
#[derive(Debug)]
pub enum CaseCommand {
    /// A message the case waits for (`aanvulling_ontvangen`).
    Message { name: String, data: RawData },
    /// Suspend the legal term (Awb 4:15).
    Suspend { reason: String },
    /// Resume a suspended term; the days suspended are added to the dates.
    Resume,
    /// Extend the legal term once (Awb 4:14): `6 weeks` or `P6W`.
    Extend { reason: String, duration: String },
    /// Cancel a case (registered in error).
    Cancel { reason: String },
}

impl CaseCommand {
    /// The name the command goes by in metrics and logs.
    pub fn name(&self) -> &'static str {
        match self {
            CaseCommand::Message { .. } => "message",
            CaseCommand::Suspend { .. } => "suspend",
            CaseCommand::Resume => "resume",
            CaseCommand::Extend { .. } => "extend",
            CaseCommand::Cancel { .. } => "cancel",
        }
    }
}

/// A page of a long list: at most 200 at a time.
pub fn page(limit: Option<u32>, offset: Option<u32>) -> AppResult<Page> {
    let limit = limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::bad_query("limit", "a limit from 1 to 200"));
    }
    let offset = offset.unwrap_or(0);
    if offset > i32::MAX as u32 {
        return Err(AppError::bad_query(
            "offset",
            "an offset from 0 to 2147483647",
        ));
    }
    Ok(Page { limit, offset })
}

fn unknown_case(key: &CaseKey) -> AppError {
    AppError::not_found("unknown_case", format!("no case {key}"))
}

impl App {
    /// Logs a warning when the case's legal deadline lies in a year no known Royal Decree
    /// covers (Awt art. 3(3)): a day set equal to a holiday there would move it, and the
    /// municipality should add that decree to its calendar file.
    async fn warn_past_decrees(&self, started: &CaseRef) {
        let Ok(case) = self.runtime.case(started.id).await else {
            return;
        };
        if let Some(deadline) = case.deadline {
            let calendar = self.runtime.calendar();
            if calendar.is_past_decrees(deadline) {
                tracing::warn!(
                    case = %started.reference,
                    deadline = %deadline,
                    last_decreed_year = ?calendar.last_decreed_year(),
                    "the legal deadline lies past the years the known decrees cover; add the next Besluit gelijkstelling dagen to the calendar file (zaak serve --calendar)"
                );
            }
        }
    }

    /// Starts a case of the latest version of a process. The data is checked by the engine
    /// against the process's fields (types, choices, required); a mistake names its field.
    pub async fn start_case(&self, user: &User, start: StartCase) -> AppResult<CaseRef> {
        require(user, Action::StartCase)?;
        let key = match start.idempotency_key.as_deref() {
            None => None,
            Some(k)
                if !k.is_empty()
                    && k.len() <= IDEMPOTENCY_KEY_MAX
                    && k.bytes().all(|b| b.is_ascii_graphic()) =>
            {
                // Scoped to the user: two callers who pick the same key do not see each
                // other's case.
                Some(format!("{}:{k}", user.name))
            }
            Some(_) => {
                return Err(AppError::new(
                    crate::ErrorKind::BadQuery,
                    "invalid_idempotency_key",
                    format!(
                        "the Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters"
                    ),
                )
                .with_field("Idempotency-Key"))
            }
        };
        if self.latest(&start.process).await.is_err() {
            return Err(AppError::invalid(
                "process",
                format!("no process `{}` is deployed", start.process),
            ));
        }
        let data = start.data.read("data")?;
        let started = self
            .runtime
            .start_case(&start.process, data, &user.name, key.as_deref())
            .await?;
        if started.created {
            tracing::info!(case = %started.reference, "case started");
            self.warn_past_decrees(&started).await;
        }
        Ok(started)
    }

    /// The cases the user may see that match the filter, oldest first. Cases hidden from the
    /// user are left out before paging: a page is never short because of them.
    pub async fn cases(
        &self,
        user: &User,
        filter: &CaseFilter,
        page: Page,
    ) -> AppResult<Vec<CaseView>> {
        require(user, Action::ReadCases)?;
        Ok(self.runtime.cases_for(&user.viewer(), filter, page).await?)
    }

    /// A case the user may see, by number or reference; any other is unknown.
    pub async fn case(&self, user: &User, key: &CaseKey) -> AppResult<CaseDetail> {
        require(user, Action::ReadCases)?;
        let viewer = user.viewer();
        let case = match key {
            CaseKey::Id(id) => {
                self.runtime
                    .case_for(&viewer, zaak_runtime::CaseId(*id))
                    .await?
            }
            CaseKey::Reference(r) => self.runtime.case_by_reference_for(&viewer, r).await?,
        }
        .ok_or_else(|| unknown_case(key))?;
        let model = self
            .runtime
            .model(&case.process_key, case.process_version)
            .await?;
        let tasks = self.runtime.case_tasks(case.id).await?;
        let tokens = self.runtime.case_tokens(case.id).await?;
        Ok(CaseDetail {
            case,
            model,
            tasks,
            tokens,
        })
    }

    /// A case's history, in order.
    pub async fn case_events(&self, user: &User, key: &CaseKey) -> AppResult<Vec<Event>> {
        let detail = self.case(user, key).await?;
        Ok(self.runtime.events(detail.case.id).await?)
    }

    /// Applies a command to a case one of the user's teams is involved in.
    pub async fn case_command(
        &self,
        user: &User,
        key: &CaseKey,
        command: CaseCommand,
    ) -> AppResult<Applied> {
        let action = match command {
            CaseCommand::Cancel { .. } => Action::CancelCase,
            _ => Action::ChangeCase,
        };
        require(user, action)?;
        let detail = self.case(user, key).await?;
        require_in(user, action, detail.tasks.iter().map(|t| t.team.as_str()))?;
        let command = match command {
            CaseCommand::Message { name, data } => {
                if !detail.model.messages.iter().any(|m| m.name.name == name) {
                    return Err(AppError::invalid(
                        "name",
                        format!("the process has no message `{name}`"),
                    ));
                }
                Command::DeliverMessage {
                    name,
                    data: data.read("data")?,
                }
            }
            CaseCommand::Suspend { reason: r } => Command::Suspend {
                reason: reason(&r)?,
            },
            CaseCommand::Resume => Command::Resume,
            CaseCommand::Extend {
                reason: r,
                duration,
            } => {
                let reason = reason(&r)?;
                let duration: Duration =
                    duration.parse().map_err(|e: zaak_dsl::DurationError| {
                        AppError::invalid("duration", e.to_string())
                    })?;
                Command::Extend { reason, duration }
            }
            CaseCommand::Cancel { reason: r } => Command::Cancel {
                reason: reason(&r)?,
            },
        };
        let applied = self
            .runtime
            .command(detail.case.id, command, &user.name)
            .await?;
        Ok(applied)
    }
}
