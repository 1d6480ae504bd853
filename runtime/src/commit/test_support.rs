//! A runtime on a fresh SQLite file with one small process and its people, for the handlers'
//! own tests.

use crate::people::{Membership, UserRole};
use crate::runtime::{Runtime, RuntimeOptions};
use crate::types::TaskView;
use crate::{ManualClock, NewUser};
use chrono::{TimeZone, Utc};
use std::sync::Arc;
use zaak_engine::case::Data;

const PROCESS: &str = "\
process: eenvoudig
version: 1
title: Eenvoudige aanvraag
confidentiality: zaakvertrouwelijk
teams:
  - name: vergunningen
roles:
  - name: behandelaar
data:
  - name: naam
    type: text
statuses:
  - name: ontvangen
    citizen_text: Wij hebben uw aanvraag ontvangen.
  - name: afgehandeld
    citizen_text: Uw aanvraag is afgehandeld.
results:
  - name: verleend
    archive: keep
start: behandelen
steps:
  - name: behandelen
    task:
      team: vergunningen
      role: behandelaar
      outcomes:
        - name: akkoord
          then: klaar
        - name: afwijzen
          then: klaar
  - name: klaar
    end:
      result: verleend
";

/// A user of the fixture: name, user role, and (team, process roles) memberships.
type Person = (
    &'static str,
    UserRole,
    &'static [(&'static str, &'static [&'static str])],
);

pub(super) struct Fixture {
    pub runtime: Runtime,
    _dir: tempfile::TempDir,
}

impl Fixture {
    pub async fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("zaak.db").display());
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
        ));
        let runtime = Runtime::open(
            &url,
            RuntimeOptions {
                clock,
                ..RuntimeOptions::default()
            },
        )
        .await
        .unwrap();
        runtime
            .deploy(
                PROCESS,
                zaak_dsl::Syntax::Yaml,
                crate::Redeploy::UnlessLatest,
            )
            .await
            .unwrap();
        let people: [Person; 5] = [
            (
                "anna",
                UserRole::Worker,
                &[("vergunningen", &["behandelaar"])],
            ),
            (
                "bert",
                UserRole::Worker,
                &[("vergunningen", &["behandelaar"])],
            ),
            ("piet", UserRole::Worker, &[("vergunningen", &[])]),
            ("kees", UserRole::Worker, &[("handhaving", &[])]),
            ("fatima", UserRole::Coordinator, &[("vergunningen", &[])]),
        ];
        for (name, role, memberships) in people {
            runtime
                .add_user(&NewUser {
                    name: name.into(),
                    role,
                    clearance: None,
                    memberships: memberships
                        .iter()
                        .map(|(team, roles)| Membership {
                            team: team.to_string(),
                            roles: roles.iter().map(|r| r.to_string()).collect(),
                            receives_work: true,
                        })
                        .collect(),
                })
                .await
                .unwrap();
        }
        Fixture { runtime, _dir: dir }
    }

    pub fn data(&self, value: serde_json::Value) -> Data {
        serde_json::from_value(value).unwrap()
    }

    /// Starts a case and returns its first open task, which must be at `step`.
    pub async fn first_task(&self, step: &str) -> TaskView {
        let case = self
            .runtime
            .start_case("eenvoudig", Data::new(), "balie", None)
            .await
            .unwrap();
        let tasks = self.runtime.case_tasks(case.id).await.unwrap();
        let task = tasks.into_iter().next().unwrap();
        assert_eq!(task.step, step);
        task
    }
}
