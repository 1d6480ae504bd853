//! Team work queues and the task lifecycle, as thin adapters over the application layer.

use super::auth::Caller;
use super::error::{ApiResult, Problem};
use super::json::{Body, Id, Params};
use super::views::*;
use super::{log_case, AppState};
use axum::extract::State;
use axum::Json;
use zaak_app::policy::{require, Action};
use zaak_app::{page, WorklistQuery, WorklistState};
use zaak_runtime::TaskId;

/// The worklist: the open tasks of your teams in queue order; with `state=claimed` the tasks
/// members of your teams hold (who works on what); with `assignee=me` the tasks you hold.
#[utoipa::path(get, operation_id = "list_tasks", path = "/api/tasks", tag = "tasks",
    security(("bearer" = [])),
    params(TaskQuery),
    responses(
        (status = 200, body = Vec<TaskSummary>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
    Params(q): Params<TaskQuery>,
) -> ApiResult<Json<Vec<TaskSummary>>> {
    let list = q.state.map(|s| match s {
        TaskListState::Open => WorklistState::Open,
        TaskListState::Claimed => WorklistState::Claimed,
    });
    let query = WorklistQuery {
        team: q.team,
        assignee: q.assignee,
        state: list,
        page: page(q.limit, q.offset)?,
    };
    let items = state.app.worklist(&user, &query).await?;
    Ok(Json(
        items
            .iter()
            .map(|i| TaskSummary::from(&i.task).not_yours(i.not_yours.clone()))
            .collect(),
    ))
}

/// A task, with the outcomes and form fields the worker must fill in to complete it.
#[utoipa::path(get, operation_id = "show_task", path = "/api/tasks/{id}", tag = "tasks",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The task id")),
    responses(
        (status = 200, body = TaskDetail),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn show(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(id): Id<i64>,
) -> ApiResult<Json<TaskDetail>> {
    let t = state.app.task(&user, TaskId(id)).await?;
    log_case(&t.case_reference);
    let (outcomes, fields) = match &t.step {
        Some(s) => (
            s.outcomes
                .iter()
                .map(|o| OutcomeInfo {
                    name: o.name.name.clone(),
                    label: o.label.clone(),
                })
                .collect(),
            s.fields.iter().map(FieldInfo::from).collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    Ok(Json(TaskDetail {
        summary: TaskSummary::from(&t.task).not_yours(t.not_yours.clone()),
        case_reference: t.case_reference,
        outcome: t.task.outcome.clone(),
        outcomes,
        fields,
    }))
}

fn record<T>(state: &AppState, action: &str, result: &zaak_app::AppResult<T>) {
    let outcome = match result {
        Ok(_) => "ok",
        Err(e) => e.code,
    };
    state.metrics.task_action(action, outcome);
}

/// Takes an open task from the queue.
#[utoipa::path(post, operation_id = "claim_task", path = "/api/tasks/{id}/claim", tag = "tasks",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The task id")),
    responses(
        (status = 200, body = TaskSummary),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Claimed by someone else, or no longer open"),
    ))]
pub async fn claim(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(id): Id<i64>,
) -> ApiResult<Json<TaskSummary>> {
    let result = state.app.claim(&user, TaskId(id)).await;
    record(&state, "claim", &result);
    Ok(Json(TaskSummary::from(&result?)))
}

/// Puts a task you hold back in its team's queue.
#[utoipa::path(post, operation_id = "release_task", path = "/api/tasks/{id}/release", tag = "tasks",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The task id")),
    responses(
        (status = 200, body = TaskSummary),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "You do not hold it"),
    ))]
pub async fn release(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(id): Id<i64>,
) -> ApiResult<Json<TaskSummary>> {
    let result = state.app.release(&user, TaskId(id)).await;
    record(&state, "release", &result);
    Ok(Json(TaskSummary::from(&result?)))
}

/// Gives a task to a member of its team, with a reason that lands in the case history.
#[utoipa::path(post, operation_id = "assign_task", path = "/api/tasks/{id}/assign", tag = "tasks",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The task id")),
    request_body = AssignRequest,
    responses(
        (status = 200, body = TaskSummary),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn assign(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(id): Id<i64>,
    body: Body,
) -> ApiResult<Json<TaskSummary>> {
    require(&user, Action::AssignTasks)?;
    // A task of another team is unknown to the caller, whatever the body.
    state.app.task(&user, TaskId(id)).await?;
    let req: AssignRequest = body.read()?;
    let result = state
        .app
        .assign(&user, TaskId(id), &req.user, &req.reason)
        .await;
    record(&state, "assign", &result);
    Ok(Json(TaskSummary::from(&result?)))
}

/// Completes a task you hold, with an outcome and the form data, and moves the case on.
#[utoipa::path(post, operation_id = "complete_task", path = "/api/tasks/{id}/complete", tag = "tasks",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The task id")),
    request_body = CompleteRequest,
    responses(
        (status = 200, body = CommandResult),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Not held by you, or already done"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn complete(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(id): Id<i64>,
    body: Body,
) -> ApiResult<Json<CommandResult>> {
    require(&user, Action::WorkTasks)?;
    // A task of another team is unknown to the caller, whatever the body.
    state.app.task(&user, TaskId(id)).await?;
    let req: CompleteRequest = body.read()?;
    let result = state
        .app
        .complete(&user, TaskId(id), req.outcome.as_deref(), &req.data)
        .await;
    record(&state, "complete", &result);
    let applied = result?;
    Ok(Json(CommandResult {
        case: applied.case.0,
        status: applied.status,
        result: applied.result,
        open: applied.open,
    }))
}
