//! The case history: append-only events.

use crate::error::Result;
use crate::types::{CaseId, Event};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::types::Json;

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct EventRow {
    pub case_id: i64,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: String,
    pub data: Json<Value>,
    pub reason: Option<String>,
}

impl EventRow {
    pub fn into_view(self) -> Event {
        Event {
            case_id: CaseId(self.case_id),
            seq: self.seq,
            at: self.at,
            actor: self.actor,
            kind: self.kind,
            data: self.data.0,
            reason: self.reason,
        }
    }
}

#[async_trait]
pub(crate) trait EventStore {
    async fn events(&self, case_id: i64) -> Result<Vec<EventRow>>;
}

#[async_trait]
pub(crate) trait EventTx {
    async fn append_event(
        &mut self,
        case_id: i64,
        at: DateTime<Utc>,
        actor: &str,
        kind: &str,
        data: &Value,
        reason: Option<&str>,
    ) -> Result<()>;
}

macro_rules! events_sql {
    ($store:ident, $tx:ident, $db:ty) => {
        #[async_trait::async_trait]
        impl crate::store::EventStore for $store {
            async fn events(
                &self,
                case_id: i64,
            ) -> crate::error::Result<Vec<crate::store::EventRow>> {
                Ok(sqlx::query_as(crate::store::query!("events/of_case"))
                    .bind(case_id)
                    .fetch_all(&self.pool)
                    .await?)
            }
        }

        #[async_trait::async_trait]
        impl crate::store::EventTx for $tx {
            async fn append_event(
                &mut self,
                case_id: i64,
                at: chrono::DateTime<chrono::Utc>,
                actor: &str,
                kind: &str,
                data: &serde_json::Value,
                reason: Option<&str>,
            ) -> crate::error::Result<()> {
                sqlx::query(crate::store::query!("events/append"))
                    .bind(case_id)
                    .bind(at)
                    .bind(actor)
                    .bind(kind)
                    .bind(sqlx::types::Json(data))
                    .bind(reason)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }
        }
    };
}
pub(crate) use events_sql;
