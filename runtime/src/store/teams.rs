//! Teams: their members with the process roles they hold, and how the team's new tasks are
//! assigned.

use crate::error::{Error, Result};
use crate::types::AssignmentPolicy;
use async_trait::async_trait;

/// How a team assigns its new tasks, as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct TeamPolicyRow {
    pub policy: String,
    pub last_assigned: Option<String>,
}

impl TeamPolicyRow {
    pub fn policy(&self) -> Result<AssignmentPolicy> {
        AssignmentPolicy::parse(&self.policy)
            .ok_or_else(|| Error::Corrupt(format!("assignment policy `{}`", self.policy)))
    }
}

/// A team member and how many tasks they hold now.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct MemberLoad {
    pub member: String,
    pub claimed: i64,
}

/// A member of a team as stored: the roles come comma-separated.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct MemberRow {
    pub member: String,
    pub receives_work: bool,
    pub roles: Option<String>,
}

/// Comma-separated process roles as a sorted list.
pub(crate) fn split_roles(roles: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = roles
        .unwrap_or("")
        .split(',')
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    out.sort();
    out
}

#[async_trait]
pub(crate) trait TeamStore {
    async fn team_policy(&self, team: &str) -> Result<Option<TeamPolicyRow>>;
    /// A team's members, in no particular order.
    async fn team_members(&self, team: &str) -> Result<Vec<MemberRow>>;
}

#[async_trait]
pub(crate) trait TeamTx {
    /// A team's policy and the member who got its last automatically assigned task, locking
    /// the policy row for the rest of the transaction where the backend can; None when the
    /// team works by hand.
    async fn lock_team_policy(&mut self, team: &str) -> Result<Option<TeamPolicyRow>>;
    async fn set_team_policy(&mut self, team: &str, policy: &str) -> Result<()>;
    async fn set_last_assigned(&mut self, team: &str, member: &str) -> Result<()>;
    /// The members a new task of the team that needs `role` may go to, with the number of
    /// tasks each holds now, in any team.
    async fn member_loads(&mut self, team: &str, role: Option<&str>) -> Result<Vec<MemberLoad>>;
    async fn members_in(&mut self, team: &str) -> Result<Vec<MemberRow>>;
    /// Adds a member (nothing when they are one already).
    async fn add_member(&mut self, team: &str, member: &str, receives_work: bool) -> Result<()>;
    /// Removes a member and the roles they held; the rows removed.
    async fn remove_member(&mut self, team: &str, member: &str) -> Result<u64>;
    /// Makes `roles` the whole set of process roles a member holds in the team.
    async fn set_member_roles(&mut self, team: &str, member: &str, roles: &[String]) -> Result<()>;
    async fn set_receives_work(&mut self, team: &str, member: &str, receives: bool) -> Result<u64>;
}

macro_rules! teams_sql {
    ($store:ident, $tx:ident, $db:ty, $dir:literal) => {
        #[async_trait::async_trait]
        impl crate::store::TeamStore for $store {
            async fn team_policy(
                &self,
                team: &str,
            ) -> crate::error::Result<Option<crate::store::TeamPolicyRow>> {
                Ok(sqlx::query_as(crate::store::query!("teams/policy"))
                    .bind(team)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn team_members(
                &self,
                team: &str,
            ) -> crate::error::Result<Vec<crate::store::MemberRow>> {
                Ok(
                    sqlx::query_as(crate::store::backend_query!("teams", $dir, "members"))
                        .bind(team)
                        .fetch_all(&self.pool)
                        .await?,
                )
            }
        }

        #[async_trait::async_trait]
        impl crate::store::TeamTx for $tx {
            async fn lock_team_policy(
                &mut self,
                team: &str,
            ) -> crate::error::Result<Option<crate::store::TeamPolicyRow>> {
                Ok(
                    sqlx::query_as(crate::store::backend_query!("teams", $dir, "lock_policy"))
                        .bind(team)
                        .fetch_optional(&mut *self.tx)
                        .await?,
                )
            }

            async fn set_team_policy(
                &mut self,
                team: &str,
                policy: &str,
            ) -> crate::error::Result<()> {
                sqlx::query(crate::store::query!("teams/set_policy"))
                    .bind(team)
                    .bind(policy)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn set_last_assigned(
                &mut self,
                team: &str,
                member: &str,
            ) -> crate::error::Result<()> {
                sqlx::query(crate::store::query!("teams/set_last_assigned"))
                    .bind(team)
                    .bind(member)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn member_loads(
                &mut self,
                team: &str,
                role: Option<&str>,
            ) -> crate::error::Result<Vec<crate::store::MemberLoad>> {
                Ok(sqlx::query_as(crate::store::query!("teams/member_loads"))
                    .bind(team)
                    .bind(role)
                    .fetch_all(&mut *self.tx)
                    .await?)
            }

            async fn members_in(
                &mut self,
                team: &str,
            ) -> crate::error::Result<Vec<crate::store::MemberRow>> {
                Ok(
                    sqlx::query_as(crate::store::backend_query!("teams", $dir, "members"))
                        .bind(team)
                        .fetch_all(&mut *self.tx)
                        .await?,
                )
            }

            async fn add_member(
                &mut self,
                team: &str,
                member: &str,
                receives_work: bool,
            ) -> crate::error::Result<()> {
                sqlx::query(crate::store::query!("teams/add_member"))
                    .bind(team)
                    .bind(member)
                    .bind(receives_work)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn remove_member(
                &mut self,
                team: &str,
                member: &str,
            ) -> crate::error::Result<u64> {
                sqlx::query(crate::store::query!("teams/clear_roles"))
                    .bind(team)
                    .bind(member)
                    .execute(&mut *self.tx)
                    .await?;
                let done = sqlx::query(crate::store::query!("teams/remove_member"))
                    .bind(team)
                    .bind(member)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn set_member_roles(
                &mut self,
                team: &str,
                member: &str,
                roles: &[String],
            ) -> crate::error::Result<()> {
                sqlx::query(crate::store::query!("teams/clear_roles"))
                    .bind(team)
                    .bind(member)
                    .execute(&mut *self.tx)
                    .await?;
                for role in roles {
                    sqlx::query(crate::store::query!("teams/add_role"))
                        .bind(team)
                        .bind(member)
                        .bind(role)
                        .execute(&mut *self.tx)
                        .await?;
                }
                Ok(())
            }

            async fn set_receives_work(
                &mut self,
                team: &str,
                member: &str,
                receives: bool,
            ) -> crate::error::Result<u64> {
                let done = sqlx::query(crate::store::query!("teams/set_receives_work"))
                    .bind(team)
                    .bind(member)
                    .bind(receives)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }
        }
    };
}
pub(crate) use teams_sql;
