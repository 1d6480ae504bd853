//! Timers: pending, fired exactly once, or cancelled.

use crate::error::{Error, Result};
use crate::types::{CaseId, TimerState, TimerView};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use zaak_engine::case::{TimerKey, TimerPurpose};

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct TimerRow {
    pub case_id: i64,
    pub timer_key: i64,
    pub at: DateTime<Utc>,
    pub purpose: String,
    pub state: String,
    pub fired_at: Option<DateTime<Utc>>,
}

impl TimerRow {
    pub fn into_view(self) -> Result<TimerView> {
        let purpose = purpose_from_str(&self.purpose)?;
        let state = match self.state.as_str() {
            "pending" => TimerState::Pending,
            "fired" => TimerState::Fired,
            "cancelled" => TimerState::Cancelled,
            other => return Err(Error::Corrupt(format!("timer state `{other}`"))),
        };
        Ok(TimerView {
            case_id: CaseId(self.case_id),
            timer_key: TimerKey(self.timer_key as u32),
            at: self.at,
            purpose,
            state,
            fired_at: self.fired_at,
        })
    }
}

pub(crate) fn purpose_to_str(p: TimerPurpose) -> &'static str {
    match p {
        TimerPurpose::Step => "step",
        TimerPurpose::Timeout => "timeout",
        TimerPurpose::TargetWarning => "target_warning",
        TimerPurpose::DeadlineWarning => "deadline_warning",
        TimerPurpose::Deadline => "deadline",
    }
}

pub(crate) fn purpose_from_str(s: &str) -> Result<TimerPurpose> {
    Ok(match s {
        "step" => TimerPurpose::Step,
        "timeout" => TimerPurpose::Timeout,
        "target_warning" => TimerPurpose::TargetWarning,
        "deadline_warning" => TimerPurpose::DeadlineWarning,
        "deadline" => TimerPurpose::Deadline,
        other => return Err(Error::Corrupt(format!("timer purpose `{other}`"))),
    })
}

/// A timer the transaction took from the pending ones.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ClaimedTimer {
    pub case_id: i64,
    pub timer_key: i64,
}

#[async_trait]
pub(crate) trait TimerStore {
    async fn case_timers(&self, case_id: i64) -> Result<Vec<TimerRow>>;
}

#[async_trait]
pub(crate) trait TimerTx {
    async fn insert_timer(
        &mut self,
        case_id: i64,
        key: i64,
        at: DateTime<Utc>,
        purpose: &str,
    ) -> Result<()>;
    async fn cancel_timer(&mut self, case_id: i64, key: i64) -> Result<u64>;
    /// Marks up to `limit` pending timers due at `now` as fired and returns them. A timer is
    /// returned to one transaction only, however many run at once.
    async fn claim_due_timers(
        &mut self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<ClaimedTimer>>;
}

macro_rules! timers_sql {
    ($store:ident, $tx:ident, $db:ty, $dir:literal) => {
        #[async_trait::async_trait]
        impl crate::store::TimerStore for $store {
            async fn case_timers(
                &self,
                case_id: i64,
            ) -> crate::error::Result<Vec<crate::store::TimerRow>> {
                Ok(sqlx::query_as(crate::store::query!("timers/of_case"))
                    .bind(case_id)
                    .fetch_all(&self.pool)
                    .await?)
            }
        }

        #[async_trait::async_trait]
        impl crate::store::TimerTx for $tx {
            async fn insert_timer(
                &mut self,
                case_id: i64,
                key: i64,
                at: chrono::DateTime<chrono::Utc>,
                purpose: &str,
            ) -> crate::error::Result<()> {
                sqlx::query(crate::store::query!("timers/insert"))
                    .bind(case_id)
                    .bind(key)
                    .bind(at)
                    .bind(purpose)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn cancel_timer(&mut self, case_id: i64, key: i64) -> crate::error::Result<u64> {
                let done = sqlx::query(crate::store::query!("timers/cancel"))
                    .bind(case_id)
                    .bind(key)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn claim_due_timers(
                &mut self,
                now: chrono::DateTime<chrono::Utc>,
                limit: i64,
            ) -> crate::error::Result<Vec<crate::store::ClaimedTimer>> {
                let mut claimed: Vec<crate::store::ClaimedTimer> =
                    sqlx::query_as(crate::store::backend_query!("timers", $dir, "claim_due"))
                        .bind(now)
                        .bind(limit)
                        .fetch_all(&mut *self.tx)
                        .await?;
                claimed.sort_by_key(|t| (t.case_id, t.timer_key));
                Ok(claimed)
            }
        }
    };
}
pub(crate) use timers_sql;
