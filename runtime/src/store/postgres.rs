//! The server backend: PostgreSQL, with row locks for commands and `SKIP LOCKED` for timers.

use super::backend;
use crate::error::Error;
use sqlx::postgres::PgPoolOptions;
use sqlx::Postgres;

backend!(PgStore, PgTx, Postgres, "postgres");

async fn begin_write(
    pool: &sqlx::Pool<Postgres>,
) -> Result<sqlx::Transaction<'static, Postgres>, sqlx::Error> {
    pool.begin().await
}

impl PgStore {
    /// Connects with room for every committer's transaction and for readers beside them.
    pub(crate) async fn open(url: &str, committers: usize) -> Result<PgStore, Error> {
        let pool = PgPoolOptions::new()
            .max_connections(committers as u32 + 6)
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PgStore { pool })
    }
}
