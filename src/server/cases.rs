//! Cases: start, list, read, history, and the commands that move them. Each handler reads the
//! request, calls the application layer and says its answer; the rules are the layer's.

use super::auth::Caller;
use super::error::{ApiError, ApiResult, Problem};
use super::json::{Body, Id, Params};
use super::views::*;
use super::{log_case, AppState};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use zaak_app::policy::{require, Action};
use zaak_app::{page, CaseCommand, CaseKey, StartCase};
use zaak_runtime::User;
use zaak_runtime::{CaseFilter, CaseId, TaskState};

/// Starts a case of the latest version of a process. With an `Idempotency-Key` header, a retry
/// with the same key answers with the case the first request started and starts no other.
#[utoipa::path(post, operation_id = "start_case", path = "/api/cases", tag = "cases",
    security(("bearer" = [])),
    request_body = StartCaseRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry with the same request return the same case; another request with it is refused", pattern = r"^[!-~]{1,200}$")),
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
        Some(v) => Some(v.to_str().map(str::to_string).map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_idempotency_key",
                "the Idempotency-Key must be visible ASCII characters",
            )
            .with_field("Idempotency-Key")
        })?),
    };
    let started = state
        .app
        .start_case(
            &user,
            StartCase {
                process: req.process,
                data: req.data,
                idempotency_key: key,
            },
        )
        .await;
    let started = match started {
        Ok(s) => s,
        Err(e) => {
            state.metrics.command("start", e.code);
            return Err(e.into());
        }
    };
    log_case(&started.reference);
    if started.created {
        state.metrics.case_started();
        state.metrics.command("start", "ok");
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
    let filter = CaseFilter {
        process_key: q.process,
        process_version: None,
        open: q.open,
        status: q.status,
        parent: q.parent.map(CaseId),
    };
    let page = page(q.limit, q.offset)?;
    let cases = state.app.cases(&user, &filter, page).await?;
    Ok(Json(cases.iter().map(CaseSummary::from).collect()))
}

/// A case: data, status, result, term clock, where its tokens rest and its open tasks.
#[utoipa::path(get, operation_id = "show_case", path = "/api/cases/{id}", tag = "cases",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The case number or its reference (ZAAK-2026-000001)")),
    responses(
        (status = 200, body = CaseDetail),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn show(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(key): Id<String>,
) -> ApiResult<Json<CaseDetail>> {
    let key: CaseKey = key.parse()?;
    let v = state.app.case(&user, &key).await?;
    log_case(&v.case.reference);
    Ok(Json(CaseDetail {
        summary: CaseSummary::from(&v.case),
        confidentiality: v.case.confidentiality.as_str().to_string(),
        started_by: v.case.started_by.clone(),
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
        tokens: v
            .tokens
            .into_iter()
            .map(|(node, count)| TokenCount { node, count })
            .collect(),
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
    params(("id" = String, Path, description = "The case number or its reference (ZAAK-2026-000001)")),
    responses(
        (status = 200, body = Vec<EventInfo>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn events(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(key): Id<String>,
) -> ApiResult<Json<Vec<EventInfo>>> {
    let key: CaseKey = key.parse()?;
    let events = state.app.case_events(&user, &key).await?;
    Ok(Json(events.into_iter().map(EventInfo::from).collect()))
}

/// The case named in the path, if the caller may see it: checked before a body is read, so
/// that a case hidden from the caller is unknown whatever they sent.
async fn visible(state: &AppState, user: &User, key: String) -> ApiResult<String> {
    let parsed: CaseKey = key.parse()?;
    state.app.case(user, &parsed).await?;
    Ok(key)
}

/// Applies a command to a case through the application layer, counting it for `/metrics`.
async fn apply(
    state: &AppState,
    user: &User,
    key: String,
    command: CaseCommand,
) -> ApiResult<Json<CommandResult>> {
    let name = command.name();
    let key: CaseKey = key.parse()?;
    match state.app.case_command(user, &key, command).await {
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
            state.metrics.command(name, e.code);
            Err(e.into())
        }
    }
}

/// Delivers a message the case waits for (e.g. `aanvulling_ontvangen`).
#[utoipa::path(post, operation_id = "deliver_message", path = "/api/cases/{id}/messages", tag = "cases",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The case number or its reference (ZAAK-2026-000001)")),
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
    Id(id): Id<String>,
    body: Body,
) -> ApiResult<Json<CommandResult>> {
    require(&user, Action::ChangeCase)?;
    let id = visible(&state, &user, id).await?;
    let req: MessageRequest = body.read()?;
    let command = CaseCommand::Message {
        name: req.name,
        data: req.data,
    };
    apply(&state, &user, id, command).await
}

/// Suspends the legal term (Awb 4:15).
#[utoipa::path(post, operation_id = "suspend_case", path = "/api/cases/{id}/suspend", tag = "cases",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The case number or its reference (ZAAK-2026-000001)")),
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
    Id(id): Id<String>,
    body: Body,
) -> ApiResult<Json<CommandResult>> {
    require(&user, Action::ChangeCase)?;
    let id = visible(&state, &user, id).await?;
    let req: ReasonRequest = body.read()?;
    apply(
        &state,
        &user,
        id,
        CaseCommand::Suspend { reason: req.reason },
    )
    .await
}

/// Resumes a suspended term; the days suspended are added to the dates.
#[utoipa::path(post, operation_id = "resume_case", path = "/api/cases/{id}/resume", tag = "cases",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The case number or its reference (ZAAK-2026-000001)")),
    responses(
        (status = 200, body = CommandResult),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn resume(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(id): Id<String>,
) -> ApiResult<Json<CommandResult>> {
    apply(&state, &user, id, CaseCommand::Resume).await
}

/// Extends the legal term once (Awb 4:14).
#[utoipa::path(post, operation_id = "extend_case", path = "/api/cases/{id}/extend", tag = "cases",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The case number or its reference (ZAAK-2026-000001)")),
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
    Id(id): Id<String>,
    body: Body,
) -> ApiResult<Json<CommandResult>> {
    require(&user, Action::ChangeCase)?;
    let id = visible(&state, &user, id).await?;
    let req: ExtendRequest = body.read()?;
    let command = CaseCommand::Extend {
        reason: req.reason,
        duration: req.duration,
    };
    apply(&state, &user, id, command).await
}

/// Cancels a case (e.g. registered in error).
#[utoipa::path(post, operation_id = "cancel_case", path = "/api/cases/{id}/cancel", tag = "cases",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The case number or its reference (ZAAK-2026-000001)")),
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
    Id(id): Id<String>,
    body: Body,
) -> ApiResult<Json<CommandResult>> {
    require(&user, Action::CancelCase)?;
    let id = visible(&state, &user, id).await?;
    let req: ReasonRequest = body.read()?;
    apply(
        &state,
        &user,
        id,
        CaseCommand::Cancel { reason: req.reason },
    )
    .await
}
