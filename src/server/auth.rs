//! Who is calling, and what their role and teams allow.
//!
//! | action                               | worker | coordinator | designer | manager | admin |
//! |--------------------------------------|--------|-------------|----------|---------|-------|
//! | read processes and diagrams          | yes    | yes         | yes      | yes     | yes   |
//! | deploy a process                     | -      | -           | yes      | -       | yes   |
//! | start a case                         | yes    | yes         | -        | -       | yes   |
//! | read cases and their history         | yes    | yes         | yes      | yes     | yes   |
//! | messages, suspend, resume, extend    | team   | team        | -        | -       | yes   |
//! | cancel a case                        | -      | team        | -        | -       | yes   |
//! | read the worklist and tasks          | team   | team        | -        | -       | yes   |
//! | claim, release, complete a task      | team   | team        | -        | -       | yes   |
//! | assign a task                        | -      | team        | -        | -       | yes   |
//!
//! "team" means: only where one of the user's teams is involved (for a task, its team; for a
//! case, a team that has or had a task on it). A confidential case (confidentiality above
//! `openbaar`) is visible only to the users of the teams involved and to admins; to everyone
//! else it does not exist (404, so that its existence does not leak either).

use super::error::ApiError;
use super::AppState;
use crate::users::{Role, User};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

/// The authenticated user of a request.
pub struct Caller(pub User);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|t| !t.is_empty())
            .ok_or_else(ApiError::unauthorized)?;
        let user = state
            .users
            .authenticate(token)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        tracing::Span::current().record("user", user.name.as_str());
        Ok(Caller(user))
    }
}

/// The actions the table above speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ReadProcesses,
    Deploy,
    StartCase,
    ReadCases,
    ChangeCase,
    CancelCase,
    WorkTasks,
    AssignTasks,
}

/// Whether the role may take the action at all; team rules come on top.
pub fn role_allows(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    matches!(
        (role, action),
        (Admin, _)
            | (_, ReadProcesses | ReadCases)
            | (Designer, Deploy)
            | (Worker | Coordinator, StartCase | ChangeCase | WorkTasks)
            | (Coordinator, CancelCase | AssignTasks)
    )
}

/// Refuses with 403 unless the role allows the action.
pub fn require(user: &User, action: Action) -> Result<(), ApiError> {
    if role_allows(user.role, action) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "the role {} may not do this",
            user.role
        )))
    }
}

/// Refuses with 403 unless the user is an admin or a member of one of the teams.
pub fn require_team<'a>(
    user: &User,
    mut teams: impl Iterator<Item = &'a str>,
) -> Result<(), ApiError> {
    if user.is_admin() || teams.any(|t| user.in_team(t)) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "none of your teams is involved in this",
        ))
    }
}
