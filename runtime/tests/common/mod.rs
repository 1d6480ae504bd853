//! What the runtime tests share: a fresh database per test on either backend, a clock that
//! stands still, and small processes written in YAML.

#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use sqlx::Connection;
use std::sync::Arc;
use zaak_runtime::{Data, ManualClock, Runtime, RuntimeOptions};

/// A database made for one test; `finish` removes it.
pub struct TestDb {
    pub url: String,
    pub clock: Arc<ManualClock>,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin: String, name: String },
}

pub fn start_of_test() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("zaak.db").display());
        TestDb {
            url,
            clock: Arc::new(ManualClock::new(start_of_test())),
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A new database on the server named by ZAAK_TEST_POSTGRES_URL, or None when it is unset.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(admin) = std::env::var("ZAAK_TEST_POSTGRES_URL") else {
            println!("ZAAK_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run");
            return None;
        };
        let name = format!("zaak_test_{:016x}", rand::random::<u64>());
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
        Some(TestDb {
            url: format!("{base}/{name}"),
            clock: Arc::new(ManualClock::new(start_of_test())),
            cleanup: Cleanup::Postgres { admin, name },
        })
    }

    pub async fn open(&self) -> Runtime {
        Runtime::open(
            &self.url,
            RuntimeOptions {
                clock: self.clock.clone(),
                ..RuntimeOptions::default()
            },
        )
        .await
        .unwrap()
    }

    pub async fn finish(self) {
        if let Cleanup::Postgres { admin, name } = self.cleanup {
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await
                .unwrap();
        }
    }
}

/// Runs a test body on SQLite, and on PostgreSQL when a server is configured.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::common::TestDb::sqlite().await;
                    super::$name(&db).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = $crate::common::TestDb::postgres().await else { return };
                    super::$name(&db).await;
                    db.finish().await;
                }
            )*
        }
    };
}

pub fn data(pairs: &[(&str, serde_json::Value)]) -> Data {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

pub fn teams(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// A report about the public space: intake judges it, the field service fixes it, and the
/// reporter confirms, or after two weeks the case closes by itself.
pub const MELDING: &str = r#"
process: melding
version: 1
title: Melding openbare ruimte
term:
  duration: 8 weeks
teams:
  - name: intake
  - name: buitendienst
statuses:
  - name: ontvangen
    citizen_text: Uw melding is ontvangen
  - name: afgehandeld
    citizen_text: Uw melding is afgehandeld
results:
  - name: opgelost
    archive: destroy
  - name: afgewezen
    archive: destroy
data:
  - name: locatie
    type: text
messages:
  - name: bevestiging
start: beoordelen
steps:
  - name: beoordelen
    task:
      team: intake
      priority: 1
      due: 5 days
      status_on_start: ontvangen
      outcomes:
        - name: terecht
          then: uitvoeren
        - name: onterecht
          then: afwijzen
  - name: uitvoeren
    task:
      team: buitendienst
      then: wachten
  - name: wachten
    wait:
      message: bevestiging
      timeout:
        after: 2 weeks
        then: klaar
      then: klaar
  - name: klaar
    end:
      result: opgelost
  - name: afwijzen
    end:
      result: afgewezen
"#;
