//! Users: their user role, clearance and the hash of their API token. A token itself is never
//! stored; it is found by its hash.

use crate::error::{Error, Result};
use crate::people::{from_rank, Membership, User, UserRole};
use crate::store::split_roles;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct UserRow {
    pub name: String,
    pub role: String,
    pub clearance: i64,
}

/// A user's membership as stored, the roles comma-separated.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct MembershipRow {
    pub team: String,
    pub receives_work: bool,
    pub roles: Option<String>,
}

impl UserRow {
    pub fn into_user(self, memberships: Vec<MembershipRow>) -> Result<User> {
        let corrupt = || Error::Corrupt(format!("stored user `{}`", self.name));
        let role = UserRole::parse(&self.role).ok_or_else(corrupt)?;
        let clearance = from_rank(self.clearance).ok_or_else(corrupt)?;
        let mut memberships: Vec<Membership> = memberships
            .into_iter()
            .map(|m| Membership {
                roles: split_roles(m.roles.as_deref()),
                team: m.team,
                receives_work: m.receives_work,
            })
            .collect();
        // Sorted here, not by the database: PostgreSQL's collation and SQLite's byte order
        // disagree on names with capitals or accents.
        memberships.sort_by(|a, b| a.team.cmp(&b.team));
        Ok(User {
            name: self.name,
            role,
            clearance,
            memberships,
        })
    }
}

#[async_trait]
pub(crate) trait UserStore {
    async fn user_by_token_hash(&self, hash: &str) -> Result<Option<UserRow>>;
    async fn user_row(&self, name: &str) -> Result<Option<UserRow>>;
    async fn user_rows(&self) -> Result<Vec<UserRow>>;
    async fn memberships_of(&self, name: &str) -> Result<Vec<MembershipRow>>;
}

#[async_trait]
pub(crate) trait UserTx {
    /// Inserts a user; 0 rows when the name is taken.
    async fn insert_user(
        &mut self,
        name: &str,
        role: &str,
        clearance: i64,
        token_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<u64>;
    async fn set_token_hash(&mut self, name: &str, token_hash: &str) -> Result<u64>;
    /// Deletes a user, and with them their memberships and roles.
    async fn delete_user(&mut self, name: &str) -> Result<u64>;
    async fn load_user(&mut self, name: &str) -> Result<Option<UserRow>>;
    async fn memberships_in_tx(&mut self, name: &str) -> Result<Vec<MembershipRow>>;
}

macro_rules! users_sql {
    ($store:ident, $tx:ident, $db:ty, $dir:literal) => {
        #[async_trait::async_trait]
        impl crate::store::UserStore for $store {
            async fn user_by_token_hash(
                &self,
                hash: &str,
            ) -> crate::error::Result<Option<crate::store::UserRow>> {
                Ok(sqlx::query_as(crate::store::query!("users/by_token_hash"))
                    .bind(hash)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn user_row(
                &self,
                name: &str,
            ) -> crate::error::Result<Option<crate::store::UserRow>> {
                Ok(sqlx::query_as(crate::store::query!("users/by_name"))
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn user_rows(&self) -> crate::error::Result<Vec<crate::store::UserRow>> {
                Ok(sqlx::query_as(crate::store::query!("users/all"))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn memberships_of(
                &self,
                name: &str,
            ) -> crate::error::Result<Vec<crate::store::MembershipRow>> {
                Ok(sqlx::query_as(crate::store::backend_query!(
                    "users",
                    $dir,
                    "memberships_of"
                ))
                .bind(name)
                .fetch_all(&self.pool)
                .await?)
            }
        }

        #[async_trait::async_trait]
        impl crate::store::UserTx for $tx {
            async fn insert_user(
                &mut self,
                name: &str,
                role: &str,
                clearance: i64,
                token_hash: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> crate::error::Result<u64> {
                let done = sqlx::query(crate::store::query!("users/insert"))
                    .bind(name)
                    .bind(role)
                    .bind(clearance)
                    .bind(token_hash)
                    .bind(at)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn set_token_hash(
                &mut self,
                name: &str,
                token_hash: &str,
            ) -> crate::error::Result<u64> {
                let done = sqlx::query(crate::store::query!("users/set_token_hash"))
                    .bind(name)
                    .bind(token_hash)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn delete_user(&mut self, name: &str) -> crate::error::Result<u64> {
                let done = sqlx::query(crate::store::query!("users/delete"))
                    .bind(name)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn load_user(
                &mut self,
                name: &str,
            ) -> crate::error::Result<Option<crate::store::UserRow>> {
                Ok(sqlx::query_as(crate::store::query!("users/by_name"))
                    .bind(name)
                    .fetch_optional(&mut *self.tx)
                    .await?)
            }

            async fn memberships_in_tx(
                &mut self,
                name: &str,
            ) -> crate::error::Result<Vec<crate::store::MembershipRow>> {
                Ok(sqlx::query_as(crate::store::backend_query!(
                    "users",
                    $dir,
                    "memberships_of"
                ))
                .bind(name)
                .fetch_all(&mut *self.tx)
                .await?)
            }
        }
    };
}
pub(crate) use users_sql;
