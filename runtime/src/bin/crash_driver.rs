//! Starts cases as fast as it can and prints the reference of each case whose start was
//! acknowledged, one per line, until it is killed. The crash test kills it mid-flight and
//! checks that every printed case survived whole.
//!
//! Usage: `zaak-crash-driver DATABASE_URL`

use std::io::Write;
use std::sync::Arc;
use zaak_runtime::{
    Membership, NewUser, Page, Redeploy, Runtime, RuntimeOptions, Syntax, UserRole,
};

/// A process with a task to claim and complete, so cases are killed in several states.
const PROCESS: &str = r#"
process: crash
version: 1
title: Crash test
term:
  duration: 8 weeks
teams:
  - name: intake
statuses:
  - name: afgehandeld
    citizen_text: Afgehandeld
messages:
  - name: klaar
start: beoordelen
steps:
  - name: beoordelen
    task:
      team: intake
      outcomes:
        - name: door
          then: wachten
  - name: wachten
    wait:
      message: klaar
      timeout:
        after: 1 week
        then: einde
      then: einde
  - name: einde
    end: {}
"#;

const WORKERS: usize = 16;

#[tokio::main]
async fn main() {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: zaak-crash-driver DATABASE_URL");
        std::process::exit(2);
    };
    let rt = match Runtime::open(&url, RuntimeOptions::default()).await {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot open {url}: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = rt
        .deploy(PROCESS, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
    {
        eprintln!("cannot deploy: {e}");
        if let zaak_runtime::Error::Invalid(diagnostics) = e {
            for d in diagnostics {
                eprintln!("  {d:?}");
            }
        }
        std::process::exit(1);
    }
    // The workers are members of the team, so that they may claim its tasks. The driver runs
    // again on the same database after a kill: a worker added before is there already.
    for w in 0..WORKERS {
        let added = rt
            .add_user(&NewUser {
                name: format!("worker{w}"),
                role: UserRole::Worker,
                clearance: None,
                memberships: vec![Membership {
                    team: "intake".into(),
                    roles: Vec::new(),
                    receives_work: true,
                }],
            })
            .await;
        if let Err(e) = added {
            if !matches!(e, zaak_runtime::Error::Conflict(_)) {
                eprintln!("cannot add worker{w}: {e}");
                std::process::exit(1);
            }
        }
    }
    let out = Arc::new(std::sync::Mutex::new(std::io::stdout()));
    let workers: Vec<_> = (0..WORKERS)
        .map(|w| {
            let rt = rt.clone();
            let out = out.clone();
            tokio::spawn(async move {
                let worker = format!("worker{w}");
                loop {
                    let case = match rt
                        .start_case("crash", Default::default(), &worker, None)
                        .await
                    {
                        Ok(c) => c,
                        Err(e) => {
                            eprintln!("start failed: {e}");
                            continue;
                        }
                    };
                    {
                        let mut out = out.lock().unwrap_or_else(|e| e.into_inner());
                        // A line reaches the pipe only after its case's commit was acknowledged.
                        let _ = writeln!(out, "{}", case.reference);
                        let _ = out.flush();
                    }
                    // Move some cases on, so the kill also lands between task actions.
                    if let Ok(tasks) = rt
                        .worklist(
                            "intake",
                            Page {
                                limit: 1,
                                offset: 0,
                            },
                        )
                        .await
                    {
                        if let Some(task) = tasks.first() {
                            if rt.claim(task.id, &worker).await.is_ok() {
                                let _ = rt
                                    .complete(task.id, &worker, Some("door"), Default::default())
                                    .await;
                            }
                        }
                    }
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.await;
    }
}
