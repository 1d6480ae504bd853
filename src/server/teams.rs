//! A team's automatic assignment over HTTP: `GET /api/teams/{team}` shows its policy and
//! members, `PUT /api/teams/{team}/policy` and `PUT /api/teams/{team}/members` change them, as
//! `zaak team` does on the database.
//!
//! Who may: anyone of the team, a manager or an admin reads; a coordinator of the team or an
//! admin changes. A member must be a user of the team, so that automatic assignment never gives
//! a task to someone whose queue would not show it.

use super::auth::{require, require_team, Action, Caller};
use super::error::{ApiError, ApiResult, Problem};
use super::json::{Body, Id};
use super::AppState;
use crate::users::Role;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zaak_runtime::AssignmentPolicy;

/// A team's policy and the members automatic assignment chooses from.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamView {
    pub team: String,
    /// `manual`, `round_robin` or `least_loaded`.
    pub policy: String,
    /// In name order.
    pub members: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyRequest {
    /// `manual`, `round_robin` (or `round-robin`) or `least_loaded`.
    pub policy: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembersRequest {
    /// The users automatic assignment may give the team's tasks to; the whole list.
    pub members: Vec<String>,
}

/// Refuses with 403 unless the user may change the team's assignment: its coordinator, or an
/// admin.
fn may_change(user: &crate::users::User, team: &str) -> ApiResult<()> {
    require(user, Action::AssignTasks)?;
    require_team(user, std::iter::once(team))
}

async fn view(state: &AppState, team: &str) -> ApiResult<TeamView> {
    Ok(TeamView {
        team: team.to_string(),
        policy: state.runtime.team_policy(team).await?.as_str().to_string(),
        members: state.runtime.team_members(team).await?,
    })
}

/// The team's assignment policy and members.
#[utoipa::path(get, operation_id = "show_team", path = "/api/teams/{team}", tag = "teams",
    security(("bearer" = [])),
    params(("team" = String, Path, description = "The team's name")),
    responses(
        (status = 200, body = TeamView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn show(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(team): Id<String>,
) -> ApiResult<Json<TeamView>> {
    if user.role != Role::Manager {
        require_team(&user, std::iter::once(team.as_str()))?;
    }
    Ok(Json(view(&state, &team).await?))
}

/// Sets how the team's new tasks find a worker.
#[utoipa::path(put, operation_id = "set_team_policy", path = "/api/teams/{team}/policy", tag = "teams",
    security(("bearer" = [])),
    params(("team" = String, Path, description = "The team's name")),
    request_body = PolicyRequest,
    responses(
        (status = 200, body = TeamView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set_policy(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(team): Id<String>,
    body: Body,
) -> ApiResult<Json<TeamView>> {
    may_change(&user, &team)?;
    let req: PolicyRequest = body.read()?;
    let policy = AssignmentPolicy::parse(&req.policy).ok_or_else(|| {
        ApiError::invalid_field(
            "policy",
            format!(
                "`{}` is not a policy; use manual, round_robin or least_loaded",
                req.policy
            ),
        )
    })?;
    state.runtime.set_team_policy(&team, policy).await?;
    tracing::info!(team = %team, policy = policy.as_str(), "team policy set");
    Ok(Json(view(&state, &team).await?))
}

/// Replaces the members automatic assignment chooses from. Each must be a user of the team.
#[utoipa::path(put, operation_id = "set_team_members", path = "/api/teams/{team}/members", tag = "teams",
    security(("bearer" = [])),
    params(("team" = String, Path, description = "The team's name")),
    request_body = MembersRequest,
    responses(
        (status = 200, body = TeamView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set_members(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(team): Id<String>,
    body: Body,
) -> ApiResult<Json<TeamView>> {
    may_change(&user, &team)?;
    let req: MembersRequest = body.read()?;
    for (i, name) in req.members.iter().enumerate() {
        let in_team = state
            .users
            .get(name)
            .await?
            .is_some_and(|member| member.teams.contains(&team));
        if !in_team {
            return Err(ApiError::invalid_field(
                format!("members[{i}]"),
                format!("`{name}` is not a user of team {team}"),
            ));
        }
    }
    state.runtime.set_team_members(&team, &req.members).await?;
    tracing::info!(team = %team, members = req.members.len(), "team members set");
    Ok(Json(view(&state, &team).await?))
}
