//! What the runtime tests share: a fresh database per test on either backend, a clock that
//! stands still, and small processes written in YAML.

#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use sqlx::Connection;
use std::collections::BTreeSet;
use std::sync::Arc;
use zaak_runtime::{
    CaseView, Data, ManualClock, NewUser, Runtime, RuntimeOptions, TaskId, TaskState, TaskView,
    TimerState, UserRole,
};

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

    /// Removes the database now; a test that panics removes it when its `TestDb` drops.
    pub async fn finish(self) {
        drop(self);
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin, name } = &self.cleanup {
            let (admin, name) = (admin.clone(), name.clone());
            // Drop cannot await, and may run inside the test's runtime: drop the database
            // from a thread with a runtime of its own, and wait for it.
            let dropped = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
                    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await
                        .unwrap();
                });
            });
            let _ = dropped.join();
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

/// The event kinds that are commands (each bumps the case's row version once).
const COMMANDS: [&str; 10] = [
    "complete_task",
    "deliver_message",
    "timer_fired",
    "subcase_closed",
    "suspend",
    "resume",
    "extend",
    "withdraw",
    "cancel",
    "notice_of_default",
];

/// The case row, its tokens, tasks, timers and history tell the same story.
pub async fn check_case_is_whole(rt: &Runtime, case: &CaseView) {
    let state = &case.state;
    assert_eq!(case.open, state.closed.is_none(), "{}", case.reference);

    let tokens = rt.case_tokens(case.id).await.unwrap();
    if case.open {
        let marked: i64 = state.marking.0.iter().map(|&n| i64::from(n)).sum();
        let stored: i64 = tokens.iter().map(|(_, n)| n).sum();
        assert_eq!(stored, marked, "{} tokens", case.reference);
        assert_eq!(tokens.len(), state.marking.occupied().count());
    } else {
        assert!(
            tokens.is_empty(),
            "{} is closed but holds tokens",
            case.reference
        );
    }

    let tasks = rt.case_tasks(case.id).await.unwrap();
    let unfinished: BTreeSet<u32> = tasks
        .iter()
        .filter(|t| matches!(t.state, TaskState::Open | TaskState::Claimed))
        .map(|t| t.task_key.0)
        .collect();
    let open_in_state: BTreeSet<u32> = state.open_tasks.iter().map(|t| t.key.0).collect();
    assert_eq!(unfinished, open_in_state, "{} tasks", case.reference);

    let timers = rt.case_timers(case.id).await.unwrap();
    let pending: BTreeSet<u32> = timers
        .iter()
        .filter(|t| t.state == TimerState::Pending)
        .map(|t| t.timer_key.0)
        .collect();
    let pending_in_state: BTreeSet<u32> = state.timers.iter().map(|t| t.key.0).collect();
    assert_eq!(pending, pending_in_state, "{} timers", case.reference);

    let events = rt.events(case.id).await.unwrap();
    assert_eq!(events.first().map(|e| e.kind.as_str()), Some("start"));
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=events.len() as i64).collect::<Vec<_>>());
    let created = events.iter().filter(|e| e.kind == "create_task").count();
    assert_eq!(created, tasks.len(), "{} task history", case.reference);
    let done = tasks.iter().filter(|t| t.state == TaskState::Done).count();
    let completions = events.iter().filter(|e| e.kind == "complete_task").count();
    assert_eq!(done, completions, "{} completions", case.reference);
    let commands = events
        .iter()
        .filter(|e| COMMANDS.contains(&e.kind.as_str()))
        .count() as i64;
    assert_eq!(
        case.row_version,
        1 + commands,
        "{} row version",
        case.reference
    );
}

/// Makes `user` a member of each of `teams` (adding them as a worker when they are new), with
/// the process roles they hold there kept and `roles` added.
pub async fn join(rt: &Runtime, user: &str, teams: &[String], roles: &[&str]) {
    let existing = rt.user(user).await.unwrap();
    if existing.is_none() {
        rt.add_user(&NewUser {
            name: user.to_string(),
            role: UserRole::Worker,
            clearance: None,
            memberships: Vec::new(),
        })
        .await
        .unwrap();
    }
    for team in teams {
        let mut held: Vec<String> = existing
            .as_ref()
            .and_then(|u| u.membership(team))
            .map(|m| m.roles.clone())
            .unwrap_or_default();
        held.extend(roles.iter().map(|r| r.to_string()));
        rt.set_membership(team, user, &held, true).await.unwrap();
    }
}

/// Claims a task as `user`, a member of `teams` who holds the process role the task names
/// when its team is one of them: what a worker of those teams does.
pub async fn claim_as(
    rt: &Runtime,
    task: TaskId,
    user: &str,
    teams: &[String],
) -> zaak_runtime::Result<TaskView> {
    let role = rt.task(task).await?;
    let roles: Vec<&str> = match &role.role {
        Some(r) if teams.contains(&role.team) => vec![r.as_str()],
        _ => Vec::new(),
    };
    join(rt, user, teams, &roles).await;
    rt.claim(task, user).await
}

/// Makes exactly these users the members of a team who receive its work (adding them as
/// workers and members when they are not); other members stay members but receive no work.
pub async fn set_members(rt: &Runtime, team: &str, members: &[String]) -> zaak_runtime::Result<()> {
    for m in members {
        if m.trim().is_empty() {
            return Err(zaak_runtime::Error::BadRequest(
                "a member needs a name".into(),
            ));
        }
    }
    for m in members {
        join(rt, m, &[team.to_string()], &[]).await;
    }
    rt.set_work_pool(team, members).await
}

/// The names of the members who receive a team's work, by name.
pub async fn members(rt: &Runtime, team: &str) -> Vec<String> {
    rt.team(team)
        .await
        .unwrap()
        .members
        .into_iter()
        .filter(|m| m.receives_work)
        .map(|m| m.name)
        .collect()
}
