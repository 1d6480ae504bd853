//! Cases: their rows, where their tokens rest, their references and idempotency keys, and the
//! one rule of who may see them (`queries/cases/visible.sql`).

use crate::error::Result;
use crate::people::{from_rank, Viewer};
use crate::types::{CaseFilter, CaseId, CaseView, Page};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;
use zaak_engine::case::CaseState;

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct CaseRow {
    pub id: i64,
    pub reference: String,
    pub process_key: String,
    pub process_version: i64,
    pub state: Json<CaseState>,
    pub status: Option<String>,
    pub result: Option<String>,
    pub open: bool,
    pub deadline: Option<NaiveDate>,
    pub target: Option<NaiveDate>,
    pub public_token: String,
    pub row_version: i64,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub parent_case_id: Option<i64>,
    pub parent_step: Option<String>,
    pub confidentiality: Option<i64>,
    pub started_by: Option<String>,
}

impl CaseRow {
    pub fn into_view(self) -> CaseView {
        CaseView {
            id: CaseId(self.id),
            reference: self.reference,
            process_key: self.process_key,
            process_version: self.process_version as u32,
            state: self.state.0,
            status: self.status,
            result: self.result,
            open: self.open,
            deadline: self.deadline,
            target: self.target,
            public_token: self.public_token,
            row_version: self.row_version,
            created_at: self.created_at,
            closed_at: self.closed_at,
            parent: self.parent_case_id.map(CaseId),
            parent_step: self.parent_step,
            // Every case is classified when the runtime opens; an unclassified one is treated
            // as the most confidential rather than the least.
            confidentiality: self
                .confidentiality
                .and_then(from_rank)
                .unwrap_or(zaak_dsl::Confidentiality::ZeerGeheim),
            started_by: self.started_by,
        }
    }
}

/// A case row about to be inserted.
pub(crate) struct NewCase<'a> {
    pub reference: &'a str,
    pub process_key: &'a str,
    pub process_version: i64,
    pub state: &'a CaseState,
    pub status: Option<&'a str>,
    pub result: Option<&'a str>,
    pub open: bool,
    pub deadline: Option<NaiveDate>,
    pub target: Option<NaiveDate>,
    pub public_token: &'a str,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub parent_case_id: Option<i64>,
    pub parent_step: Option<&'a str>,
    pub confidentiality: i64,
    pub started_by: &'a str,
}

/// The columns a command changes on a case row.
pub(crate) struct CaseUpdate<'a> {
    pub state: &'a CaseState,
    pub status: Option<&'a str>,
    pub result: Option<&'a str>,
    pub open: bool,
    pub deadline: Option<NaiveDate>,
    pub target: Option<NaiveDate>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// A token count at a place, with the step the place belongs to.
pub(crate) struct TokenRow<'a> {
    pub place: &'a str,
    pub step: Option<&'a str>,
    pub count: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct StepCountRow {
    pub place: String,
    pub step: Option<String>,
    pub cases: i64,
    pub tokens: i64,
}

#[async_trait]
pub(crate) trait CaseStore {
    /// A case whoever asks (the runtime itself, the citizen's token lookup).
    async fn case(&self, id: i64) -> Result<Option<CaseRow>>;
    async fn case_by_reference(&self, reference: &str) -> Result<Option<CaseRow>>;
    async fn case_by_public_token(&self, token: &str) -> Result<Option<CaseRow>>;
    /// A case if the viewer may see it.
    async fn case_for(&self, viewer: &Viewer, id: i64) -> Result<Option<CaseRow>>;
    async fn case_by_reference_for(
        &self,
        viewer: &Viewer,
        reference: &str,
    ) -> Result<Option<CaseRow>>;
    /// The cases the viewer may see that match the filter, oldest first.
    async fn cases(&self, viewer: &Viewer, filter: &CaseFilter, page: Page)
        -> Result<Vec<CaseRow>>;
    /// How many open cases of a version the viewer may see wait at each place.
    async fn step_counts(
        &self,
        viewer: &Viewer,
        key: &str,
        version: i64,
    ) -> Result<Vec<StepCountRow>>;
    async fn token_rows(&self, case_id: i64) -> Result<Vec<(String, i64)>>;
}

#[async_trait]
pub(crate) trait CaseTx {
    /// The case an idempotency key started, with the hash of the request that started it.
    async fn find_idempotency_key(&mut self, key: &str) -> Result<Option<(i64, Option<String>)>>;
    async fn insert_idempotency_key(
        &mut self,
        key: &str,
        case_id: i64,
        at: DateTime<Utc>,
        request_hash: &str,
    ) -> Result<()>;
    /// The next number in the year's case reference sequence.
    async fn next_case_number(&mut self, year: i32) -> Result<i64>;
    async fn insert_case(&mut self, case: &NewCase<'_>) -> Result<i64>;
    /// Loads a case for change (locking its row where the backend can).
    async fn load_case(&mut self, id: i64) -> Result<Option<CaseRow>>;
    /// Writes a case if its row version is still `expected`; returns the rows changed (0 or 1).
    async fn update_case(&mut self, id: i64, expected: i64, update: &CaseUpdate<'_>)
        -> Result<u64>;
    /// Replaces where a case's tokens rest.
    async fn replace_tokens(
        &mut self,
        case_id: i64,
        process_key: &str,
        version: i64,
        tokens: &[TokenRow<'_>],
    ) -> Result<()>;
    /// The process versions that have cases stored without a confidentiality.
    async fn unclassified_versions(&mut self) -> Result<Vec<(String, i64)>>;
    /// Records the confidentiality of the cases of a version that have none.
    async fn classify(&mut self, key: &str, version: i64, rank: i64) -> Result<u64>;
}

macro_rules! cases_sql {
    ($store:ident, $tx:ident, $db:ty, $dir:literal) => {
        #[async_trait::async_trait]
        impl crate::store::CaseStore for $store {
            async fn case(&self, id: i64) -> crate::error::Result<Option<crate::store::CaseRow>> {
                Ok(sqlx::query_as(crate::store::query!("cases/by_id"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn case_by_reference(
                &self,
                reference: &str,
            ) -> crate::error::Result<Option<crate::store::CaseRow>> {
                Ok(sqlx::query_as(crate::store::query!("cases/by_reference"))
                    .bind(reference)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn case_by_public_token(
                &self,
                token: &str,
            ) -> crate::error::Result<Option<crate::store::CaseRow>> {
                Ok(
                    sqlx::query_as(crate::store::query!("cases/by_public_token"))
                        .bind(token)
                        .fetch_optional(&self.pool)
                        .await?,
                )
            }

            async fn case_for(
                &self,
                viewer: &crate::people::Viewer,
                id: i64,
            ) -> crate::error::Result<Option<crate::store::CaseRow>> {
                const SQL: &str = concat!(
                    crate::store::query!("cases/by_id_for.head"),
                    crate::store::query!("cases/visible")
                );
                Ok(sqlx::query_as(SQL)
                    .bind(&viewer.name)
                    .bind(crate::people::rank(viewer.clearance))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn case_by_reference_for(
                &self,
                viewer: &crate::people::Viewer,
                reference: &str,
            ) -> crate::error::Result<Option<crate::store::CaseRow>> {
                const SQL: &str = concat!(
                    crate::store::query!("cases/by_reference_for.head"),
                    crate::store::query!("cases/visible")
                );
                Ok(sqlx::query_as(SQL)
                    .bind(&viewer.name)
                    .bind(crate::people::rank(viewer.clearance))
                    .bind(reference)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn cases(
                &self,
                viewer: &crate::people::Viewer,
                filter: &crate::types::CaseFilter,
                page: crate::types::Page,
            ) -> crate::error::Result<Vec<crate::store::CaseRow>> {
                const SQL: &str = concat!(
                    crate::store::query!("cases/list.head"),
                    crate::store::query!("cases/visible"),
                    crate::store::query!("cases/list.tail")
                );
                Ok(sqlx::query_as(SQL)
                    .bind(&viewer.name)
                    .bind(crate::people::rank(viewer.clearance))
                    .bind(filter.process_key.as_deref())
                    .bind(filter.process_version.map(i64::from))
                    .bind(filter.open)
                    .bind(filter.status.as_deref())
                    .bind(filter.parent.map(|p| p.0))
                    .bind(i64::from(page.limit))
                    .bind(i64::from(page.offset))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn step_counts(
                &self,
                viewer: &crate::people::Viewer,
                key: &str,
                version: i64,
            ) -> crate::error::Result<Vec<crate::store::StepCountRow>> {
                const SQL: &str = concat!(
                    crate::store::query!("cases/step_counts.head"),
                    crate::store::query!("cases/visible"),
                    crate::store::query!("cases/step_counts.tail")
                );
                Ok(sqlx::query_as(SQL)
                    .bind(&viewer.name)
                    .bind(crate::people::rank(viewer.clearance))
                    .bind(key)
                    .bind(version)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn token_rows(&self, case_id: i64) -> crate::error::Result<Vec<(String, i64)>> {
                Ok(sqlx::query_as(crate::store::query!("cases/tokens_of"))
                    .bind(case_id)
                    .fetch_all(&self.pool)
                    .await?)
            }
        }

        #[async_trait::async_trait]
        impl crate::store::CaseTx for $tx {
            async fn find_idempotency_key(
                &mut self,
                key: &str,
            ) -> crate::error::Result<Option<(i64, Option<String>)>> {
                Ok(
                    sqlx::query_as(crate::store::query!("cases/idempotency_find"))
                        .bind(key)
                        .fetch_optional(&mut *self.tx)
                        .await?,
                )
            }

            async fn insert_idempotency_key(
                &mut self,
                key: &str,
                case_id: i64,
                at: chrono::DateTime<chrono::Utc>,
                request_hash: &str,
            ) -> crate::error::Result<()> {
                sqlx::query(crate::store::query!("cases/idempotency_insert"))
                    .bind(key)
                    .bind(case_id)
                    .bind(at)
                    .bind(request_hash)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn next_case_number(&mut self, year: i32) -> crate::error::Result<i64> {
                let row: (i64,) = sqlx::query_as(crate::store::query!("cases/next_number"))
                    .bind(i64::from(year))
                    .fetch_one(&mut *self.tx)
                    .await?;
                Ok(row.0)
            }

            async fn insert_case(
                &mut self,
                case: &crate::store::NewCase<'_>,
            ) -> crate::error::Result<i64> {
                let row: (i64,) = sqlx::query_as(crate::store::query!("cases/insert"))
                    .bind(case.reference)
                    .bind(case.process_key)
                    .bind(case.process_version)
                    .bind(sqlx::types::Json(case.state))
                    .bind(case.status)
                    .bind(case.result)
                    .bind(case.open)
                    .bind(case.deadline)
                    .bind(case.target)
                    .bind(case.public_token)
                    .bind(case.created_at)
                    .bind(case.closed_at)
                    .bind(case.parent_case_id)
                    .bind(case.parent_step)
                    .bind(case.confidentiality)
                    .bind(case.started_by)
                    .fetch_one(&mut *self.tx)
                    .await?;
                Ok(row.0)
            }

            async fn load_case(
                &mut self,
                id: i64,
            ) -> crate::error::Result<Option<crate::store::CaseRow>> {
                Ok(
                    sqlx::query_as(crate::store::backend_query!("cases", $dir, "load"))
                        .bind(id)
                        .fetch_optional(&mut *self.tx)
                        .await?,
                )
            }

            async fn update_case(
                &mut self,
                id: i64,
                expected: i64,
                update: &crate::store::CaseUpdate<'_>,
            ) -> crate::error::Result<u64> {
                let done = sqlx::query(crate::store::query!("cases/update"))
                    .bind(id)
                    .bind(expected)
                    .bind(sqlx::types::Json(update.state))
                    .bind(update.status)
                    .bind(update.result)
                    .bind(update.open)
                    .bind(update.deadline)
                    .bind(update.target)
                    .bind(update.closed_at)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn replace_tokens(
                &mut self,
                case_id: i64,
                process_key: &str,
                version: i64,
                tokens: &[crate::store::TokenRow<'_>],
            ) -> crate::error::Result<()> {
                sqlx::query(crate::store::query!("cases/tokens_clear"))
                    .bind(case_id)
                    .execute(&mut *self.tx)
                    .await?;
                for t in tokens {
                    sqlx::query(crate::store::query!("cases/tokens_insert"))
                        .bind(case_id)
                        .bind(process_key)
                        .bind(version)
                        .bind(t.place)
                        .bind(t.step)
                        .bind(t.count)
                        .execute(&mut *self.tx)
                        .await?;
                }
                Ok(())
            }

            async fn unclassified_versions(&mut self) -> crate::error::Result<Vec<(String, i64)>> {
                Ok(
                    sqlx::query_as(crate::store::query!("cases/unclassified_versions"))
                        .fetch_all(&mut *self.tx)
                        .await?,
                )
            }

            async fn classify(
                &mut self,
                key: &str,
                version: i64,
                rank: i64,
            ) -> crate::error::Result<u64> {
                let done = sqlx::query(crate::store::query!("cases/classify"))
                    .bind(key)
                    .bind(version)
                    .bind(rank)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }
        }
    };
}
pub(crate) use cases_sql;
