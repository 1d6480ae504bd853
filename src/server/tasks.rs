//! The team work queues and what workers and coordinators do with tasks.

use super::auth::{require, require_team, Action, Caller};
use super::cases::check_data;
use super::error::{ApiError, ApiResult, Problem};
use super::json::{Body, Id, Params};
use super::views::*;
use super::{log_case, AppState};
use crate::users::{Role, User};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use zaak_dsl::{DataField, StepKind, TaskStep};
use zaak_runtime::{Page, TaskId, TaskView};

fn unknown_task(id: i64) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "unknown_task",
        format!("no task {id}"),
    )
}

/// Loads a task of one of the user's teams (any team for an admin).
async fn team_task(state: &AppState, user: &User, id: i64) -> ApiResult<TaskView> {
    require(user, Action::WorkTasks)?;
    let task = match state.runtime.task(TaskId(id)).await {
        Ok(t) => t,
        Err(zaak_runtime::Error::UnknownTask(_)) => return Err(unknown_task(id)),
        Err(e) => return Err(e.into()),
    };
    require_team(user, std::iter::once(task.team.as_str()))?;
    Ok(task)
}

/// The task step of the process a task belongs to, and the case's reference.
async fn step_of(state: &AppState, task: &TaskView) -> ApiResult<(String, Option<TaskStep>)> {
    let case = state.runtime.case(task.case_id).await?;
    log_case(&case.reference);
    let model = state
        .runtime
        .model(&case.process_key, case.process_version)
        .await?;
    let step = model.step(&task.step).and_then(|s| match &s.kind {
        StepKind::Task(t) => Some(t.clone()),
        _ => None,
    });
    Ok((case.reference, step))
}

/// The order of the queues: the earliest of due date and legal deadline, then higher priority,
/// then older. Used to merge the queues of several teams.
fn queue_order(
    t: &TaskView,
) -> (
    bool,
    Option<chrono::NaiveDate>,
    i32,
    chrono::DateTime<chrono::Utc>,
    i64,
) {
    let date = match (t.due, t.case_deadline) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    (date.is_none(), date, -t.priority, t.created_at, t.id.0)
}

/// The teams a task list covers: the one named, which must be one of the user's, or all of
/// the user's teams.
fn listed_teams(user: &User, team: Option<&String>) -> ApiResult<Vec<String>> {
    match team {
        Some(team) => {
            require_team(user, std::iter::once(team.as_str()))?;
            Ok(vec![team.clone()])
        }
        None if user.teams.is_empty() => Err(ApiError::bad_query(
            "team",
            "you are in no team: name the team whose tasks you want",
        )),
        None => Ok(user.teams.clone()),
    }
}

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
    require(&user, Action::WorkTasks)?;
    let page = Page {
        limit: q.limit.unwrap_or(50).clamp(1, 200),
        offset: q.offset.unwrap_or(0),
    };
    let state_filter = q.state.as_deref().unwrap_or(match q.assignee {
        Some(_) => "claimed",
        None => "open",
    });
    let tasks = match (q.assignee.as_deref(), state_filter) {
        (Some(who), "claimed") => {
            let name = if who == "me" { user.name.as_str() } else { who };
            if name != user.name && !matches!(user.role, Role::Coordinator | Role::Admin) {
                return Err(ApiError::forbidden(
                    "only coordinators see the tasks of others",
                ));
            }
            let mut tasks = state.runtime.my_tasks(name, page).await?;
            if name != user.name && !user.is_admin() {
                tasks.retain(|t| user.in_team(&t.team));
            }
            if let Some(team) = &q.team {
                tasks.retain(|t| &t.team == team);
            }
            tasks
        }
        (None, "claimed") => {
            // Who works on what in the user's teams: the tasks every user holds, kept to
            // those teams. The runtime keeps claimed tasks by worker, not by team.
            let teams = listed_teams(&user, q.team.as_ref())?;
            let each = Page {
                limit: page.limit.saturating_add(page.offset),
                offset: 0,
            };
            let mut all = Vec::new();
            for name in state.users.names().await? {
                let held = state.runtime.my_tasks(&name, each).await?;
                all.extend(held.into_iter().filter(|t| teams.contains(&t.team)));
            }
            all.sort_by_key(queue_order);
            all.into_iter()
                .skip(page.offset as usize)
                .take(page.limit as usize)
                .collect()
        }
        (None, "open") => {
            let teams = listed_teams(&user, q.team.as_ref())?;
            if teams.len() == 1 {
                state.runtime.worklist(&teams[0], page).await?
            } else {
                // Each queue's first `offset + limit` tasks hold the merged page.
                let each = Page {
                    limit: page.limit.saturating_add(page.offset),
                    offset: 0,
                };
                let mut all = Vec::new();
                for team in &teams {
                    all.extend(state.runtime.worklist(team, each).await?);
                }
                all.sort_by_key(queue_order);
                all.into_iter()
                    .skip(page.offset as usize)
                    .take(page.limit as usize)
                    .collect()
            }
        }
        _ => {
            return Err(ApiError::bad_query(
                "state",
                "list `state=open` (the queue) or `state=claimed` (the tasks held)",
            ))
        }
    };
    Ok(Json(tasks.iter().map(TaskSummary::from).collect()))
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
    let task = team_task(&state, &user, id).await?;
    let (case_reference, step) = step_of(&state, &task).await?;
    let (outcomes, fields) = match &step {
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
        summary: TaskSummary::from(&task),
        case_reference,
        outcome: task.outcome.clone(),
        outcomes,
        fields,
    }))
}

fn record(state: &AppState, action: &str, result: &ApiResult<TaskView>) {
    let outcome = match result {
        Ok(_) => "ok",
        Err(e) => e.code(),
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
    let task = team_task(&state, &user, id).await?;
    step_of(&state, &task).await?;
    // An admin works as a member of the task's team.
    let teams = if user.is_admin() {
        vec![task.team.clone()]
    } else {
        user.teams.clone()
    };
    let result = state
        .runtime
        .claim(task.id, &user.name, &teams)
        .await
        .map_err(ApiError::from);
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
    let task = team_task(&state, &user, id).await?;
    step_of(&state, &task).await?;
    let result = state
        .runtime
        .release(task.id, &user.name)
        .await
        .map_err(ApiError::from);
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
    let task = team_task(&state, &user, id).await?;
    step_of(&state, &task).await?;
    let req: AssignRequest = body.read()?;
    if req.reason.trim().is_empty() {
        return Err(ApiError::invalid_field("reason", "give a reason"));
    }
    let member = state.users.get(&req.user).await?;
    match member {
        Some(m) if m.in_team(&task.team) => {}
        Some(_) => {
            return Err(ApiError::invalid_field(
                "user",
                format!("`{}` is not a member of team {}", req.user, task.team),
            ))
        }
        None => {
            return Err(ApiError::invalid_field(
                "user",
                format!("there is no user `{}`", req.user),
            ))
        }
    }
    let result = state
        .runtime
        .assign(task.id, &req.user, req.reason.trim(), &user.name)
        .await
        .map_err(ApiError::from);
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
    let task = team_task(&state, &user, id).await?;
    let (_, step) = step_of(&state, &task).await?;
    let req: CompleteRequest = body.read()?;
    if let Some(step) = &step {
        match (&req.outcome, step.outcomes.is_empty()) {
            (Some(o), false) if !step.outcomes.iter().any(|x| x.name.name == *o) => {
                let names: Vec<&str> = step.outcomes.iter().map(|x| x.name.as_str()).collect();
                return Err(ApiError::invalid_field(
                    "outcome",
                    format!(
                        "`{o}` is not an outcome of this task; choose one of {}",
                        names.join(", ")
                    ),
                ));
            }
            (None, false) => {
                let names: Vec<&str> = step.outcomes.iter().map(|x| x.name.as_str()).collect();
                return Err(ApiError::invalid_field(
                    "outcome",
                    format!("choose an outcome: one of {}", names.join(", ")),
                ));
            }
            (Some(_), true) => {
                return Err(ApiError::invalid_field(
                    "outcome",
                    "this task has no outcomes to choose from",
                ))
            }
            _ => {}
        }
        let fields: Vec<&DataField> = step.fields.iter().collect();
        check_data(&fields, &req.data, "data", true)?;
    }
    let result = state
        .runtime
        .complete(task.id, &user.name, req.outcome.as_deref(), req.data)
        .await
        .map_err(ApiError::from);
    let outcome = match &result {
        Ok(_) => "ok",
        Err(e) => e.code(),
    };
    state.metrics.task_action("complete", outcome);
    let applied = result?;
    tracing::info!(task = id, "task completed");
    Ok(Json(CommandResult {
        case: applied.case.0,
        status: applied.status,
        result: applied.result,
        open: applied.open,
    }))
}
