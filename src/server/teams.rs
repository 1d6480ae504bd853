//! Teams over HTTP: `GET /api/teams/{team}` shows its policy, members and their process roles;
//! `PUT /api/teams/{team}/policy` and `/members` set how its work is assigned and to whom;
//! `PUT` and `DELETE /api/teams/{team}/members/{user}` make a user a member with process roles
//! or take them out. Who may: the application layer's table (members, managers and admins
//! read; the team's coordinator and admins change).

use super::auth::Caller;
use super::error::{ApiResult, Problem};
use super::json::{Body, Id};
use super::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zaak_app::policy::{require, Action};
use zaak_app::MemberChange;
use zaak_runtime::Team;

/// A member of a team.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberInfo {
    pub name: String,
    /// The process roles they hold in the team (behandelaar, beslisser, ...).
    pub roles: Vec<String>,
    /// Whether automatic assignment gives them the team's tasks.
    pub receives_work: bool,
}

/// A team's policy and members.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamView {
    pub team: String,
    /// `manual`, `round_robin` or `least_loaded`.
    pub policy: String,
    /// The members automatic assignment chooses from, in name order.
    pub members: Vec<String>,
    /// Every member with their process roles, in name order.
    pub memberships: Vec<MemberInfo>,
}

impl From<Team> for TeamView {
    fn from(t: Team) -> TeamView {
        TeamView {
            team: t.name,
            policy: t.policy.as_str().to_string(),
            members: t
                .members
                .iter()
                .filter(|m| m.receives_work)
                .map(|m| m.name.clone())
                .collect(),
            memberships: t
                .members
                .into_iter()
                .map(|m| MemberInfo {
                    name: m.name,
                    roles: m.roles,
                    receives_work: m.receives_work,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyRequest {
    pub policy: PolicyName,
}

/// How a team's new tasks find a worker.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyName {
    /// They wait in the queue until someone claims them or a coordinator assigns them.
    Manual,
    /// Each goes to the next member in name order.
    #[serde(alias = "round-robin")]
    RoundRobin,
    /// Each goes to the member who holds the fewest tasks.
    #[serde(alias = "least-loaded")]
    LeastLoaded,
}

impl PolicyName {
    fn as_str(self) -> &'static str {
        match self {
            PolicyName::Manual => "manual",
            PolicyName::RoundRobin => "round_robin",
            PolicyName::LeastLoaded => "least_loaded",
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembersRequest {
    /// The members automatic assignment may give the team's tasks to; the whole list. Each
    /// must be a member of the team.
    #[schema(inline, value_type = Vec<String>)]
    pub members: Vec<Name>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    /// The process roles the member holds in the team; the whole set.
    #[serde(default)]
    #[schema(inline, value_type = Vec<String>)]
    pub roles: Vec<Name>,
    /// Whether automatic assignment may give them the team's tasks; yes when left out.
    #[serde(default = "yes")]
    pub receives_work: bool,
}

/// A name of a user, team or role: letters, digits, `-`, `_` and `.`, at most 64.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, pattern = r"^[A-Za-z0-9._-]{1,64}$")]
pub struct Name(pub String);

fn yes() -> bool {
    true
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
    Ok(Json(state.app.team(&user, &team).await?.into()))
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
    require(&user, Action::ManageTeam)?;
    let req: PolicyRequest = body.read()?;
    let team = state
        .app
        .set_team_policy(&user, &team, req.policy.as_str())
        .await?;
    Ok(Json(team.into()))
}

/// Sets which members automatic assignment chooses from.
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
    require(&user, Action::ManageTeam)?;
    let req: MembersRequest = body.read()?;
    let members: Vec<String> = req.members.into_iter().map(|n| n.0).collect();
    let team = state.app.set_work_pool(&user, &team, &members).await?;
    Ok(Json(team.into()))
}

/// Makes a user a member of the team with these process roles.
#[utoipa::path(put, operation_id = "put_team_member", path = "/api/teams/{team}/members/{user}", tag = "teams",
    security(("bearer" = [])),
    params(
        ("team" = String, Path, description = "The team's name"),
        ("user" = String, Path, description = "The user's name"),
    ),
    request_body = MemberRequest,
    responses(
        (status = 200, body = TeamView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_member(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id((team, member)): Id<(String, String)>,
    body: Body,
) -> ApiResult<Json<TeamView>> {
    require(&user, Action::ManageTeam)?;
    let req: MemberRequest = body.read()?;
    let change = MemberChange {
        roles: req.roles.into_iter().map(|n| n.0).collect(),
        receives_work: req.receives_work,
    };
    let team = state.app.set_member(&user, &team, &member, &change).await?;
    Ok(Json(team.into()))
}

/// Takes a user out of the team, with the process roles they held there.
#[utoipa::path(delete, operation_id = "remove_team_member", path = "/api/teams/{team}/members/{user}", tag = "teams",
    security(("bearer" = [])),
    params(
        ("team" = String, Path, description = "The team's name"),
        ("user" = String, Path, description = "The user's name"),
    ),
    responses(
        (status = 200, body = TeamView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn remove_member(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id((team, member)): Id<(String, String)>,
) -> ApiResult<Json<TeamView>> {
    let team = state.app.remove_member(&user, &team, &member).await?;
    Ok(Json(team.into()))
}
