//! Cases: start, list, read, history, and the commands that move them.

use super::auth::{require, require_team, Action, Caller};
use super::error::{ApiError, ApiResult, Problem};
use super::json::{Body, Id, Params};
use super::processes::latest;
use super::views::*;
use super::{log_case, AppState};
use crate::users::User;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::Value;
use zaak_dsl::{Confidentiality, DataField, Duration, ProcessModel};
use zaak_runtime::{CaseFilter, CaseId, CaseView, Command, Data, Page, TaskState, TaskView};

/// The longest idempotency key accepted.
const IDEMPOTENCY_KEY_MAX: usize = 200;

/// Checks data against the fields that may be given. Unknown fields, values of the wrong type
/// and choices outside the list are refused, naming the field; with `all_required`, so is a
/// required field left out.
pub(crate) fn check_data(
    fields: &[&DataField],
    data: &Data,
    prefix: &str,
    all_required: bool,
) -> ApiResult<()> {
    for (name, value) in data {
        let path = format!("{prefix}.{name}");
        let Some(field) = fields.iter().find(|f| f.name.name == *name) else {
            return Err(ApiError::invalid_field(
                path,
                format!("`{name}` is not a field that can be given here"),
            ));
        };
        let fits = match value {
            Value::Null if field.required => Err(zaak_dsl::value::ValueError::WrongType {
                expected: "a value: the field is required".into(),
            }),
            _ => zaak_dsl::value::check(&field.ty, value),
        };
        if let Err(problem) = fits {
            return Err(ApiError::invalid_field(
                path,
                format!("`{name}`: {problem}"),
            ));
        }
    }
    if all_required {
        if let Some(missing) = fields
            .iter()
            .find(|f| f.required && !data.contains_key(&f.name.name))
        {
            let name = &missing.name.name;
            return Err(ApiError::invalid_field(
                format!("{prefix}.{name}"),
                format!("`{name}` is required"),
            ));
        }
    }
    Ok(())
}

/// A case together with what decides who may see it.
pub(crate) struct Visible {
    pub case: CaseView,
    pub model: ProcessModel,
    pub tasks: Vec<TaskView>,
}

impl Visible {
    /// Whether one of the user's teams has or had a task on the case.
    pub fn involves(&self, user: &User) -> bool {
        self.tasks.iter().any(|t| user.in_team(&t.team))
    }

    pub fn require_involved(&self, user: &User) -> ApiResult<()> {
        require_team(user, self.tasks.iter().map(|t| t.team.as_str()))
    }
}

/// Whether a user may see a case of this process at all.
fn may_see(user: &User, model: &ProcessModel, involved: impl FnOnce() -> bool) -> bool {
    user.is_admin() || model.confidentiality == Confidentiality::Openbaar || involved()
}

fn unknown_case(id: i64) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "unknown_case",
        format!("no case {id}"),
    )
}

/// Loads a case the user may see. A confidential case the user's teams are not involved in is
/// answered as unknown, so that its existence does not leak either.
pub(crate) async fn visible(state: &AppState, user: &User, id: i64) -> ApiResult<Visible> {
    let case = match state.runtime.case(CaseId(id)).await {
        Ok(c) => c,
        Err(zaak_runtime::Error::UnknownCase(_)) => return Err(unknown_case(id)),
        Err(e) => return Err(e.into()),
    };
    let model = state
        .runtime
        .model(&case.process_key, case.process_version)
        .await?;
    let tasks = state.runtime.case_tasks(case.id).await?;
    let v = Visible { case, model, tasks };
    if !may_see(user, &v.model, || v.involves(user)) {
        return Err(unknown_case(id));
    }
    log_case(&v.case.reference);
    Ok(v)
}

/// Starts a case of the latest version of a process. With an `Idempotency-Key` header, a retry
/// with the same key answers with the case the first request started and starts no other.
#[utoipa::path(post, operation_id = "start_case", path = "/api/cases", tag = "cases",
    security(("bearer" = [])),
    request_body = StartCaseRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the same case")),
    responses(
        (status = 201, body = CaseCreated),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn start(
    State(state): State<AppState>,
    Caller(user): Caller,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<impl IntoResponse> {
    require(&user, Action::StartCase)?;
    let req: StartCaseRequest = body.read()?;
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => match v.to_str() {
            Ok(k) if !k.is_empty() && k.len() <= IDEMPOTENCY_KEY_MAX => Some(k.to_string()),
            _ => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_idempotency_key",
                    format!("the Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters"),
                )
                .with_field("Idempotency-Key"))
            }
        },
    };
    let (_, model) = match latest(&state, &req.process).await {
        Ok(found) => found,
        Err(e) if e.code() == "unknown_process" => {
            return Err(ApiError::invalid_field(
                "process",
                format!("no process `{}` is deployed", req.process),
            ))
        }
        Err(e) => return Err(e),
    };
    let fields: Vec<&DataField> = model.data.iter().collect();
    check_data(&fields, &req.data, "data", true)?;
    // The user's name is the actor in the history; the key is scoped to the user, so that two
    // callers who happen to pick the same key do not see each other's case.
    let scoped = key.map(|k| format!("{}:{k}", user.name));
    let started = state
        .runtime
        .start_case(&req.process, req.data, &user.name, scoped.as_deref())
        .await;
    let started = match started {
        Ok(s) => s,
        Err(e) => {
            let e = ApiError::from(e);
            state.metrics.command("start", e.code());
            return Err(e);
        }
    };
    log_case(&started.reference);
    if started.created {
        state.metrics.case_started();
        state.metrics.command("start", "ok");
        tracing::info!(case = %started.reference, "case started");
    }
    let mut response = (
        StatusCode::CREATED,
        Json(CaseCreated {
            id: started.id.0,
            reference: started.reference,
            public_token: started.public_token,
        }),
    )
        .into_response();
    if !started.created {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// Cases, oldest first, a page at a time. Confidential cases your teams are not involved in are
/// left out, so a page can hold fewer cases than the limit; ask for the next offset until a
/// page comes back empty.
#[utoipa::path(get, operation_id = "list_cases", path = "/api/cases", tag = "cases",
    security(("bearer" = [])),
    params(CaseQuery),
    responses(
        (status = 200, body = Vec<CaseSummary>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
    Params(q): Params<CaseQuery>,
) -> ApiResult<Json<Vec<CaseSummary>>> {
    require(&user, Action::ReadCases)?;
    let filter = CaseFilter {
        process_key: q.process,
        process_version: None,
        open: q.open,
        status: q.status,
        parent: q.parent.map(CaseId),
    };
    let page = Page {
        limit: q.limit.unwrap_or(50).clamp(1, 200),
        offset: q.offset.unwrap_or(0),
    };
    let mut out = Vec::new();
    for case in state.runtime.cases(&filter, page).await? {
        let model = state
            .runtime
            .model(&case.process_key, case.process_version)
            .await?;
        let visible = if may_see(&user, &model, || false) {
            true
        } else {
            let tasks = state.runtime.case_tasks(case.id).await?;
            tasks.iter().any(|t| user.in_team(&t.team))
        };
        if visible {
            out.push(CaseSummary::from(&case));
        }
    }
    Ok(Json(out))
}

/// A case: data, status, result, term clock, where its tokens rest and its open tasks.
#[utoipa::path(get, operation_id = "show_case", path = "/api/cases/{id}", tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The case id")),
    responses(
        (status = 200, body = CaseDetail),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn show(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(id): Id<i64>,
) -> ApiResult<Json<CaseDetail>> {
    require(&user, Action::ReadCases)?;
    let v = visible(&state, &user, id).await?;
    let tokens = state
        .runtime
        .case_tokens(v.case.id)
        .await?
        .into_iter()
        .map(|(node, count)| TokenCount { node, count })
        .collect();
    Ok(Json(CaseDetail {
        summary: CaseSummary::from(&v.case),
        confidentiality: v.model.confidentiality.as_str().to_string(),
        data: v.case.state.data.clone(),
        status_history: v
            .case
            .state
            .status_history
            .iter()
            .map(|s| StatusEntry {
                status: s.status.clone(),
                at: s.at,
            })
            .collect(),
        term: TermInfo::of(&v.case),
        tokens,
        open_tasks: v
            .tasks
            .iter()
            .filter(|t| matches!(t.state, TaskState::Open | TaskState::Claimed))
            .map(TaskSummary::from)
            .collect(),
    }))
}

/// A case's history, in order.
#[utoipa::path(get, operation_id = "case_events", path = "/api/cases/{id}/events", tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The case id")),
    responses(
        (status = 200, body = Vec<EventInfo>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn events(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(id): Id<i64>,
) -> ApiResult<Json<Vec<EventInfo>>> {
    require(&user, Action::ReadCases)?;
    let v = visible(&state, &user, id).await?;
    let events = state.runtime.events(v.case.id).await?;
    Ok(Json(events.into_iter().map(EventInfo::from).collect()))
}

/// Applies a command for a user who may change the case.
async fn apply(
    state: &AppState,
    user: &User,
    id: i64,
    action: Action,
    name: &str,
    command: impl FnOnce(&Visible) -> ApiResult<Command>,
) -> ApiResult<Json<CommandResult>> {
    require(user, action)?;
    let v = visible(state, user, id).await?;
    v.require_involved(user)?;
    let command = command(&v)?;
    match state.runtime.command(v.case.id, command, &user.name).await {
        Ok(a) => {
            state.metrics.command(name, "ok");
            tracing::info!(command = name, "command applied");
            Ok(Json(CommandResult {
                case: a.case.0,
                status: a.status,
                result: a.result,
                open: a.open,
            }))
        }
        Err(e) => {
            let e = ApiError::from(e);
            state.metrics.command(name, e.code());
            Err(e)
        }
    }
}

fn reason(reason: String) -> ApiResult<String> {
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(ApiError::invalid_field("reason", "give a reason"));
    }
    Ok(reason)
}

/// Delivers a message the case waits for (e.g. `aanvulling_ontvangen`).
#[utoipa::path(post, operation_id = "deliver_message", path = "/api/cases/{id}/messages", tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The case id")),
    request_body = MessageRequest,
    responses(
        (status = 200, body = CommandResult),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Nobody waits for this message now"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn message(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(id): Id<i64>,
    body: Body,
) -> ApiResult<Json<CommandResult>> {
    apply(&state, &user, id, Action::ChangeCase, "message", |v| {
        let req: MessageRequest = body.read()?;
        if !v.model.messages.iter().any(|m| m.name.name == req.name) {
            return Err(ApiError::invalid_field(
                "name",
                format!("the process has no message `{}`", req.name),
            ));
        }
        Ok(Command::DeliverMessage {
            name: req.name,
            data: req.data,
        })
    })
    .await
}

/// Suspends the legal term (Awb 4:15).
#[utoipa::path(post, operation_id = "suspend_case", path = "/api/cases/{id}/suspend", tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The case id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, body = CommandResult),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn suspend(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(id): Id<i64>,
    body: Body,
) -> ApiResult<Json<CommandResult>> {
    apply(&state, &user, id, Action::ChangeCase, "suspend", |_| {
        let req: ReasonRequest = body.read()?;
        Ok(Command::Suspend {
            reason: reason(req.reason)?,
        })
    })
    .await
}

/// Resumes a suspended term; the days suspended are added to the dates.
#[utoipa::path(post, operation_id = "resume_case", path = "/api/cases/{id}/resume", tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The case id")),
    responses(
        (status = 200, body = CommandResult),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn resume(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(id): Id<i64>,
) -> ApiResult<Json<CommandResult>> {
    apply(&state, &user, id, Action::ChangeCase, "resume", |_| {
        Ok(Command::Resume)
    })
    .await
}

/// Extends the legal term once (Awb 4:14).
#[utoipa::path(post, operation_id = "extend_case", path = "/api/cases/{id}/extend", tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The case id")),
    request_body = ExtendRequest,
    responses(
        (status = 200, body = CommandResult),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn extend(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(id): Id<i64>,
    body: Body,
) -> ApiResult<Json<CommandResult>> {
    apply(&state, &user, id, Action::ChangeCase, "extend", |_| {
        let req: ExtendRequest = body.read()?;
        let duration: Duration = req.duration.parse().map_err(|e: zaak_dsl::DurationError| {
            ApiError::invalid_field("duration", e.to_string())
        })?;
        Ok(Command::Extend {
            reason: reason(req.reason)?,
            duration,
        })
    })
    .await
}

/// Cancels a case (e.g. registered in error).
#[utoipa::path(post, operation_id = "cancel_case", path = "/api/cases/{id}/cancel", tag = "cases",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The case id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, body = CommandResult),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(id): Id<i64>,
    body: Body,
) -> ApiResult<Json<CommandResult>> {
    apply(&state, &user, id, Action::CancelCase, "cancel", |_| {
        let req: ReasonRequest = body.read()?;
        Ok(Command::Cancel {
            reason: reason(req.reason)?,
        })
    })
    .await
}
