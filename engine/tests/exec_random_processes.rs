//! Random processes, sound or not and never validated, run with random commands: the engine
//! never panics, never hangs, and keeps tokens and tasks consistent whatever the net does.

mod exec_support;

use exec_support::{assert_consistent, time};
use proptest::prelude::*;
use serde_json::json;
use zaak_dsl::Syntax;
use zaak_engine::calendar::Calendar;
use zaak_engine::case::{Command, Data};
use zaak_engine::exec::{step, EngineError, Process};
use zaak_engine::net::PlaceKind;

const NAMES: [&str; 6] = ["a", "b", "c", "d", "e", "f"];

/// A process of random steps of every kind, leading to random steps.
fn arb_process() -> impl Strategy<Value = String> {
    (1usize..7)
        .prop_flat_map(|n| {
            // Targets are steps that exist, so that most processes compile.
            let step = (0usize..13, proptest::collection::vec(0..n, 1..4));
            proptest::collection::vec(step, n)
        })
        .prop_map(|steps| {
        let mut src = String::from(
            "process: p\nversion: 1\ntitle: P\nterm:\n  duration: 2 weeks\n\
             suspension_allowed: true\nextension: 1 week\nteams:\n  - name: t\n\
             data:\n  - name: v\n    type: bool\nmessages:\n  - name: m\n\
             statuses:\n  - name: s1\n    citizen_text: Een.\n  - name: s2\n    citizen_text: Twee.\n\
             results:\n  - name: r\n    archive: keep\nstart: a\nsteps:\n",
        );
        for (i, (kind, targets)) in steps.iter().enumerate() {
            let t: Vec<&str> = targets.iter().map(|&k| NAMES[k]).collect();
            let last = t.last().copied().unwrap_or("a");
            let branches = |f: &dyn Fn(usize, &str) -> String| {
                t.iter()
                    .enumerate()
                    .map(|(j, x)| f(j, x))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let cond = |j: usize| if j.is_multiple_of(2) { "v" } else { "!v" };
            let body = match kind {
                0 => format!("task: {{team: t, status_on_start: s1, then: {}}}", t[0]),
                1 => format!(
                    "task: {{team: t, status_on_end: s2, outcomes: [{}]}}",
                    branches(&|j, x| format!("{{name: o{j}, then: {x}}}"))
                ),
                2 => format!(
                    "auto: {{actions: [{{set: {{field: v, value: '!v'}}}}, {{status: s1}}], then: {}}}",
                    t[0]
                ),
                3 => format!(
                    "choice: {{branches: [{}], otherwise: {last}}}",
                    branches(&|j, x| format!("{{when: '{}', then: {x}}}", cond(j)))
                ),
                4 => format!("parallel: {{branches: [{}]}}", t.join(", ")),
                5 => format!(
                    "inclusive: {{branches: [{}], otherwise: {last}}}",
                    branches(&|j, x| format!("{{when: '{}', then: {x}}}", cond(j)))
                ),
                6 => format!("join: {{mode: all, then: {}}}", t[0]),
                7 => format!("join: {{mode: some, split: {}, then: {last}}}", t[0]),
                8 => format!(
                    "wait: {{message: m, suspend: wachten, timeout: {{after: 1 day, then: {}}}, then: {last}}}",
                    t[0]
                ),
                9 => format!("timer: {{after: 2 days, then: {}}}", t[0]),
                10 => format!("subcase: {{process: q, wait: true, then: {}}}", t[0]),
                11 => format!("subcase: {{process: q, then: {}}}", t[0]),
                _ => "end: {result: r}".to_string(),
            };
            src.push_str(&format!("  - name: {}\n    {body}\n", NAMES[i]));
        }
        src
    })
}

fn candidates(p: &Process, s: &zaak_engine::case::CaseState) -> Vec<Command> {
    let mut out = Vec::new();
    for task in &s.open_tasks {
        let outcomes: Vec<Option<String>> = match p.model.step(&task.step).map(|st| &st.kind) {
            Some(zaak_dsl::StepKind::Task(t)) if !t.outcomes.is_empty() => t
                .outcomes
                .iter()
                .map(|o| Some(o.name.name.clone()))
                .collect(),
            _ => vec![None],
        };
        for outcome in outcomes {
            out.push(Command::CompleteTask {
                task: task.key,
                outcome,
                data: Data::new(),
            });
        }
    }
    for place in &p.net.places {
        if matches!(place.kind, PlaceKind::Wait { .. }) && s.marking.tokens(place.id) > 0 {
            out.push(Command::DeliverMessage {
                name: "m".into(),
                data: Data::new(),
            });
        }
    }
    for timer in &s.timers {
        out.push(Command::TimerFired { timer: timer.key });
    }
    for sub in &s.subcases {
        out.push(Command::SubcaseClosed {
            step: sub.step.clone(),
            result: None,
        });
    }
    out.push(Command::Suspend {
        reason: "zienswijze".into(),
    });
    out.push(Command::Resume);
    out.push(Command::Extend {
        reason: "complex".into(),
        duration: "1 week".parse().expect("a duration"),
    });
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn random_processes_run_without_panics_and_stay_consistent(
        src in arb_process(),
        v in any::<bool>(),
        choices in proptest::collection::vec((any::<u16>(), 0u8..60), 0..40),
    ) {
        let Some(model) = zaak_dsl::parse(&src, Syntax::Yaml).model else {
            return Err(TestCaseError::fail(format!("generated YAML does not read:\n{src}")));
        };
        // Processes the compiler refuses (unknown steps, joins without splits) do not run.
        let Ok(p) = Process::new(model) else {
            return Ok(());
        };
        let cal = Calendar::netherlands();
        let mut now = time("2026-01-05T09:00");
        let data: Data = [("v".to_string(), json!(v))].into_iter().collect();
        let mut state = match step(&p, &cal, None, Command::Start { data }, now) {
            Ok(o) => o.state,
            // A process whose automatic steps loop is stopped, not run forever.
            Err(EngineError::Livelock(_)) => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(format!("start refused: {e}\n{src}"))),
        };
        assert_consistent(&p, &state);
        for (pick, hours) in choices {
            now += chrono::TimeDelta::hours(i64::from(hours));
            if state.closed.is_some() {
                break;
            }
            let options = candidates(&p, &state);
            let command = options[usize::from(pick) % options.len()].clone();
            if let Ok(outcome) = step(&p, &cal, Some(&state), command, now) {
                assert_consistent(&p, &outcome.state);
                state = outcome.state;
            }
        }
    }
}
