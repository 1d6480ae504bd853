//! Random command sequences: the engine never panics, refuses what is not allowed without
//! changing the case, and keeps tokens, tasks and timers consistent.

mod exec_support;

use chrono::TimeDelta;
use exec_support::{assert_consistent, case_process, library_process, time};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::sync::OnceLock;
use zaak_dsl::{DataType, StepKind};
use zaak_engine::calendar::Calendar;
use zaak_engine::case::{CaseState, Command, Data, TaskKey, TimerKey};
use zaak_engine::exec::{step, EngineError, Process};
use zaak_engine::net::PlaceKind;

fn sample(ty: &DataType) -> Value {
    match ty {
        DataType::Text => json!("tekst"),
        DataType::Number => json!(125000),
        DataType::Bool => json!(true),
        DataType::Date => json!("2026-03-01"),
        DataType::Choice(values) => json!(values.first().cloned().unwrap_or_default()),
    }
}

/// Every command that the case could sensibly receive now, and some it must refuse.
fn candidates(p: &Process, s: &CaseState) -> Vec<Command> {
    let mut out = Vec::new();
    for task in &s.open_tasks {
        let Some(StepKind::Task(t)) = p.model.step(&task.step).map(|st| &st.kind) else {
            continue;
        };
        let data: Data = t
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| (f.name.name.clone(), sample(&f.ty)))
            .collect();
        if t.outcomes.is_empty() {
            out.push(Command::CompleteTask {
                task: task.key,
                outcome: None,
                data: data.clone(),
            });
        }
        for o in &t.outcomes {
            out.push(Command::CompleteTask {
                task: task.key,
                outcome: Some(o.name.name.clone()),
                data: data.clone(),
            });
        }
    }
    for place in &p.net.places {
        if let PlaceKind::Wait { message, .. } = &place.kind {
            if s.marking.tokens(place.id) > 0 {
                out.push(Command::DeliverMessage {
                    name: message.clone(),
                    data: Data::new(),
                });
            }
        }
    }
    for timer in &s.timers {
        out.push(Command::TimerFired { timer: timer.key });
    }
    for sub in &s.subcases {
        out.push(Command::SubcaseClosed {
            step: sub.step.clone(),
            result: Some("afgerond".into()),
        });
    }
    out.push(Command::Suspend {
        reason: "zienswijze".into(),
    });
    out.push(Command::Resume);
    out.push(Command::Extend {
        reason: "complex".into(),
        duration: "2 weeks".parse().expect("a duration"),
    });
    // Commands that are refused unless by chance they fit.
    out.push(Command::CompleteTask {
        task: TaskKey(s.next_key.saturating_sub(1)),
        outcome: None,
        data: Data::new(),
    });
    out.push(Command::TimerFired {
        timer: TimerKey(s.next_key),
    });
    out.push(Command::DeliverMessage {
        name: "aanvulling_ontvangen".into(),
        data: Data::new(),
    });
    out
}

/// Commands the case must refuse whatever its state.
fn refused(s: &CaseState) -> Vec<Command> {
    let mut out = vec![
        Command::TimerFired {
            timer: TimerKey(s.next_key),
        },
        Command::DeliverMessage {
            name: "geen_bericht".into(),
            data: Data::new(),
        },
        Command::CompleteTask {
            task: TaskKey(s.next_key),
            outcome: None,
            data: Data::new(),
        },
        Command::SubcaseClosed {
            step: "geen_stap".into(),
            result: None,
        },
    ];
    for task in &s.open_tasks {
        out.push(Command::CompleteTask {
            task: task.key,
            outcome: Some("geen_uitkomst".into()),
            data: Data::new(),
        });
    }
    out
}

fn start_data(p: &Process) -> Data {
    p.model
        .data
        .iter()
        .filter(|f| f.required || f.name.name == "evenement_op")
        .map(|f| (f.name.name.clone(), sample(&f.ty)))
        .collect()
}

/// Runs random commands on a case of a process in `tests/cases/processes/`.
fn run_random(file: &str, choices: &[(u16, u8, bool)]) {
    run_random_on(&case_process(file), choices);
}

fn run_random_on(p: &Process, choices: &[(u16, u8, bool)]) {
    let cal = Calendar::netherlands();
    let mut now = time("2026-01-05T09:00");
    let start = Command::Start {
        data: start_data(p),
    };
    let mut state = match step(p, &cal, None, start, now) {
        Ok(o) => o.state,
        Err(e) => panic!("a valid start was refused: {e}"),
    };
    assert_consistent(p, &state);
    for &(pick, hours, withdraw) in choices {
        now += TimeDelta::hours(i64::from(hours));
        let command = if withdraw {
            Command::Withdraw {
                reason: "ingetrokken".into(),
            }
        } else {
            let options = candidates(p, &state);
            options[usize::from(pick) % options.len()].clone()
        };
        let closed = state.closed.is_some();
        let bad = refused(&state);
        let bad = &bad[usize::from(pick) % bad.len()];
        let refusal = step(p, &cal, Some(&state), bad.clone(), now);
        assert!(refusal.is_err(), "{bad:?} was accepted");
        let result = step(p, &cal, Some(&state), command.clone(), now);
        let again = step(p, &cal, Some(&state), command.clone(), now);
        assert_eq!(
            result, again,
            "the same command on the same case gave another answer"
        );
        match result {
            Ok(outcome) => {
                assert!(!closed, "a closed case accepted {command:?}");
                assert_consistent(p, &outcome.state);
                let tokens: u32 = outcome.state.marking.0.iter().sum();
                assert!(tokens > 0, "the case lost its tokens");
                state = outcome.state;
            }
            // A refusal is fine; the state we hold is the one before the command. A closed
            // case refuses everything for that reason.
            Err(e) => {
                if closed {
                    assert_eq!(e, EngineError::CaseClosed);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_commands_keep_a_permit_case_consistent(
        choices in prop::collection::vec((any::<u16>(), 0u8..72, prop::bool::weighted(0.03)), 0..60)
    ) {
        run_random("vergunning.yaml", &choices);
    }

    #[test]
    fn random_commands_keep_timer_and_subcase_cases_consistent(
        choices in prop::collection::vec((any::<u16>(), 0u8..72, prop::bool::weighted(0.03)), 0..30)
    ) {
        run_random("timers.yaml", &choices);
        run_random("subcases.yaml", &choices);
    }

    #[test]
    fn random_commands_keep_every_library_process_consistent(
        choices in prop::collection::vec((any::<u16>(), 0u8..72, prop::bool::weighted(0.02)), 0..60)
    ) {
        static PROCESSES: OnceLock<Vec<Process>> = OnceLock::new();
        for p in PROCESSES.get_or_init(library) {
            run_random_on(p, &choices);
        }
    }
}

/// Every process in the repository's library.
fn library() -> Vec<Process> {
    let dir = format!("{}/../processes", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| zaak_dsl::Syntax::from_path(name).is_some())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no processes in {dir}");
    files.iter().map(|f| library_process(f)).collect()
}
