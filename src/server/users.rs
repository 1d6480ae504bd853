//! `GET /api/me`: who the caller is, what they may see and the teams they work in.

use super::auth::Caller;
use super::error::{ApiResult, Problem};
use super::AppState;
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// A team the caller works in.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyTeam {
    pub team: String,
    /// The process roles held there.
    pub roles: Vec<String>,
    pub receives_work: bool,
}

/// The caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub name: String,
    /// `worker`, `coordinator`, `designer`, `manager` or `admin`.
    pub role: String,
    /// The most confidential cases the caller sees without being involved in them.
    pub clearance: String,
    pub teams: Vec<MyTeam>,
}

/// Who the caller is.
#[utoipa::path(get, operation_id = "me", path = "/api/me", tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Me),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn me(State(state): State<AppState>, Caller(user): Caller) -> ApiResult<Json<Me>> {
    let me = state.app.me(&user);
    let clearance = me.viewer().clearance.as_str().to_string();
    Ok(Json(Me {
        name: me.name,
        role: me.role.as_str().to_string(),
        clearance,
        teams: me
            .memberships
            .into_iter()
            .map(|m| MyTeam {
                team: m.team,
                roles: m.roles,
                receives_work: m.receives_work,
            })
            .collect(),
    }))
}
