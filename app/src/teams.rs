//! Teams: their members with the process roles they hold, and how their work is assigned.
//! A coordinator manages their own team; an admin any.

use crate::error::{AppError, AppResult};
use crate::policy::{require_in, Action};
use crate::App;
use zaak_runtime::{AssignmentPolicy, Team, User};

/// A member's place in a team as a coordinator sets it.
#[derive(Debug, Clone)]
pub struct MemberChange {
    /// The process roles the member holds in the team (behandelaar, beslisser); the whole set.
    pub roles: Vec<String>,
    /// Whether automatic assignment may give the team's tasks to them.
    pub receives_work: bool,
}

impl App {
    /// A team's policy and members: for its members, managers and admins.
    pub async fn team(&self, user: &User, team: &str) -> AppResult<Team> {
        require_in(user, Action::ReadTeam, std::iter::once(team))?;
        Ok(self.runtime.team(team).await?)
    }

    /// Sets how the team's new tasks find a worker: `manual`, `round_robin` or `least_loaded`.
    pub async fn set_team_policy(&self, user: &User, team: &str, policy: &str) -> AppResult<Team> {
        require_in(user, Action::ManageTeam, std::iter::once(team))?;
        let policy = AssignmentPolicy::parse(policy).ok_or_else(|| {
            AppError::invalid(
                "policy",
                format!("`{policy}` is not a policy; use manual, round_robin or least_loaded"),
            )
        })?;
        self.runtime.set_team_policy(team, policy).await?;
        tracing::info!(team = %team, policy = policy.as_str(), by = %user.name, "team policy set");
        Ok(self.runtime.team(team).await?)
    }

    /// Makes these members the ones automatic assignment gives the team's tasks to. Each must
    /// be a member of the team, so that no task goes to someone whose queue would not show it.
    pub async fn set_work_pool(
        &self,
        user: &User,
        team: &str,
        members: &[String],
    ) -> AppResult<Team> {
        require_in(user, Action::ManageTeam, std::iter::once(team))?;
        let current = self.runtime.team(team).await?;
        for (i, name) in members.iter().enumerate() {
            if !current.members.iter().any(|m| &m.name == name) {
                return Err(AppError::invalid(
                    format!("members[{i}]"),
                    format!("`{name}` is not a member of team {team}"),
                ));
            }
        }
        self.runtime.set_work_pool(team, members).await?;
        tracing::info!(team = %team, members = members.len(), by = %user.name, "team work pool set");
        Ok(self.runtime.team(team).await?)
    }

    /// Makes a user a member of the team with these process roles.
    pub async fn set_member(
        &self,
        user: &User,
        team: &str,
        member: &str,
        change: &MemberChange,
    ) -> AppResult<Team> {
        require_in(user, Action::ManageTeam, std::iter::once(team))?;
        self.runtime
            .set_membership(team, member, &change.roles, change.receives_work)
            .await
            .map_err(|e| match e {
                zaak_runtime::Error::BadRequest(m) => AppError::invalid("roles", m),
                other => other.into(),
            })?;
        tracing::info!(team = %team, member = %member, roles = ?change.roles, by = %user.name, "membership set");
        Ok(self.runtime.team(team).await?)
    }

    /// Takes a user out of the team, with the roles they held there.
    pub async fn remove_member(&self, user: &User, team: &str, member: &str) -> AppResult<Team> {
        require_in(user, Action::ManageTeam, std::iter::once(team))?;
        if !self.runtime.remove_membership(team, member).await? {
            return Err(AppError::not_found(
                "unknown_member",
                format!("`{member}` is not a member of team {team}"),
            ));
        }
        tracing::info!(team = %team, member = %member, by = %user.name, "membership removed");
        Ok(self.runtime.team(team).await?)
    }
}
