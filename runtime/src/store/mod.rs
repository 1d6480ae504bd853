//! Storage: the one door through which every crate reaches the database.
//!
//! Each concern has its own pair of traits, bounded by the tables it touches: reads from the
//! pool (`CaseStore`, `TaskStore`, ...) and writes inside one open transaction (`CaseTx`,
//! `TaskTx`, ...). A handler names only the ones it needs, so what a command can change is
//! visible in its signature. [`Store`] and [`StoreTx`] gather them for the runtime, which holds
//! one `Arc<dyn Store>`.
//!
//! Each concern's file declares its rows, its traits and a macro that implements them for a
//! backend; `sqlite.rs` and `postgres.rs` instantiate every macro with their sqlx types. The SQL
//! is in `runtime/queries/<concern>/`, with a backend's own version in
//! `queries/<concern>/<backend>/` where the two differ (row locks and `SKIP LOCKED` on
//! PostgreSQL, `BEGIN IMMEDIATE` on SQLite).

mod cases;
mod events;
mod history;
pub(crate) mod postgres;
pub(crate) mod sqlite;
mod tasks;
mod teams;
mod timers;
mod users;
mod versions;

pub(crate) use cases::*;
pub(crate) use events::*;
pub(crate) use history::HistoryStore;
pub(crate) use tasks::*;
pub(crate) use teams::*;
pub(crate) use timers::*;
pub(crate) use users::*;
pub(crate) use versions::*;

use crate::error::Result;
use async_trait::async_trait;

/// The text of a query shared by both backends: `query!("tasks/claim")` is
/// `runtime/queries/tasks/claim.sql`.
macro_rules! query {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/queries/",
            $name,
            ".sql"
        ))
    };
}
pub(crate) use query;

/// The text of a query a backend writes its own way: `backend_query!("tasks", "sqlite",
/// "load")` is `runtime/queries/tasks/sqlite/load.sql`.
macro_rules! backend_query {
    ($concern:literal, $dir:literal, $name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/queries/",
            $concern,
            "/",
            $dir,
            "/",
            $name,
            ".sql"
        ))
    };
}
pub(crate) use backend_query;

/// Everything the runtime reads, and the way to begin writing.
#[async_trait]
pub(crate) trait Store:
    VersionStore
    + CaseStore
    + TaskStore
    + TimerStore
    + EventStore
    + TeamStore
    + UserStore
    + HistoryStore
    + Send
    + Sync
    + 'static
{
    async fn begin(&self) -> Result<Box<dyn StoreTx>>;
}

/// One open write transaction. Dropping it without [`StoreTx::commit`] rolls it back.
#[async_trait]
pub(crate) trait StoreTx:
    VersionTx + CaseTx + TaskTx + TimerTx + EventTx + TeamTx + UserTx + Send
{
    /// Marks a point to roll back to if the next command fails.
    async fn savepoint(&mut self, name: &'static str) -> Result<()>;
    async fn release_savepoint(&mut self, name: &'static str) -> Result<()>;
    async fn rollback_to_savepoint(&mut self, name: &'static str) -> Result<()>;
    async fn commit(self: Box<Self>) -> Result<()>;
}

/// A backend's store and transaction types, with every concern's traits implemented for them.
macro_rules! backend {
    ($store:ident, $tx:ident, $db:ty, $dir:literal) => {
        pub(crate) struct $store {
            pub(crate) pool: sqlx::Pool<$db>,
        }

        pub(crate) struct $tx {
            tx: sqlx::Transaction<'static, $db>,
        }

        #[async_trait::async_trait]
        impl crate::store::Store for $store {
            async fn begin(&self) -> crate::error::Result<Box<dyn crate::store::StoreTx>> {
                let tx = begin_write(&self.pool).await?;
                Ok(Box::new($tx { tx }))
            }
        }

        #[async_trait::async_trait]
        impl crate::store::StoreTx for $tx {
            async fn savepoint(&mut self, name: &'static str) -> crate::error::Result<()> {
                sqlx::query(&format!("SAVEPOINT {name}"))
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn release_savepoint(&mut self, name: &'static str) -> crate::error::Result<()> {
                sqlx::query(&format!("RELEASE SAVEPOINT {name}"))
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn rollback_to_savepoint(
                &mut self,
                name: &'static str,
            ) -> crate::error::Result<()> {
                sqlx::query(&format!("ROLLBACK TO SAVEPOINT {name}"))
                    .execute(&mut *self.tx)
                    .await?;
                sqlx::query(&format!("RELEASE SAVEPOINT {name}"))
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn commit(self: Box<Self>) -> crate::error::Result<()> {
                self.tx.commit().await?;
                Ok(())
            }
        }

        crate::store::versions::versions_sql!($store, $tx, $db);
        crate::store::cases::cases_sql!($store, $tx, $db, $dir);
        crate::store::tasks::tasks_sql!($store, $tx, $db, $dir);
        crate::store::timers::timers_sql!($store, $tx, $db, $dir);
        crate::store::events::events_sql!($store, $tx, $db);
        crate::store::teams::teams_sql!($store, $tx, $db, $dir);
        crate::store::users::users_sql!($store, $tx, $db, $dir);
    };
}
pub(crate) use backend;
