//! Process versions: immutable sources, one row per deployed version.

use crate::error::Result;
use crate::types::ProcessVersion;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct VersionRow {
    pub process_key: String,
    pub version: i64,
    pub content_hash: String,
    pub source: String,
    pub syntax: String,
    pub deployed_at: DateTime<Utc>,
}

impl VersionRow {
    pub fn into_view(self) -> ProcessVersion {
        ProcessVersion {
            key: self.process_key,
            version: self.version as u32,
            content_hash: self.content_hash,
            source: self.source,
            syntax: self.syntax,
            deployed_at: self.deployed_at,
        }
    }
}

#[async_trait]
pub(crate) trait VersionStore {
    async fn version(&self, key: &str, version: i64) -> Result<Option<VersionRow>>;
    /// Every version of a process, oldest first.
    async fn versions(&self, key: &str) -> Result<Vec<VersionRow>>;
    /// The latest runnable version of every process, by key.
    async fn latest_versions(&self) -> Result<Vec<VersionRow>>;
}

#[async_trait]
pub(crate) trait VersionTx {
    async fn latest_version(&mut self, key: &str) -> Result<Option<VersionRow>>;
    /// The latest runnable version of a process with this content hash, if any.
    async fn version_with_hash(&mut self, key: &str, hash: &str) -> Result<Option<i64>>;
    async fn insert_version(&mut self, row: &VersionRow) -> Result<()>;
}

macro_rules! versions_sql {
    ($store:ident, $tx:ident, $db:ty) => {
        #[async_trait::async_trait]
        impl crate::store::VersionStore for $store {
            async fn version(
                &self,
                key: &str,
                version: i64,
            ) -> crate::error::Result<Option<crate::store::VersionRow>> {
                Ok(sqlx::query_as(crate::store::query!("versions/one"))
                    .bind(key)
                    .bind(version)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn versions(
                &self,
                key: &str,
            ) -> crate::error::Result<Vec<crate::store::VersionRow>> {
                Ok(sqlx::query_as(crate::store::query!("versions/all_of"))
                    .bind(key)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn latest_versions(&self) -> crate::error::Result<Vec<crate::store::VersionRow>> {
                Ok(
                    sqlx::query_as(crate::store::query!("versions/latest_of_each"))
                        .fetch_all(&self.pool)
                        .await?,
                )
            }
        }

        #[async_trait::async_trait]
        impl crate::store::VersionTx for $tx {
            async fn latest_version(
                &mut self,
                key: &str,
            ) -> crate::error::Result<Option<crate::store::VersionRow>> {
                Ok(sqlx::query_as(crate::store::query!("versions/latest"))
                    .bind(key)
                    .fetch_optional(&mut *self.tx)
                    .await?)
            }

            async fn version_with_hash(
                &mut self,
                key: &str,
                hash: &str,
            ) -> crate::error::Result<Option<i64>> {
                let row: Option<(i64,)> =
                    sqlx::query_as(crate::store::query!("versions/with_hash"))
                        .bind(key)
                        .bind(hash)
                        .fetch_optional(&mut *self.tx)
                        .await?;
                Ok(row.map(|(v,)| v))
            }

            async fn insert_version(
                &mut self,
                row: &crate::store::VersionRow,
            ) -> crate::error::Result<()> {
                sqlx::query(crate::store::query!("versions/insert"))
                    .bind(&row.process_key)
                    .bind(row.version)
                    .bind(&row.content_hash)
                    .bind(&row.source)
                    .bind(&row.syntax)
                    .bind(row.deployed_at)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }
        }
    };
}
pub(crate) use versions_sql;
