//! How fast the engine itself is, with no storage: transitions fired per second when cases of
//! the library's omgevingsvergunning run through `exec::step`, the bare token game on its
//! compiled net (the ceiling for any executor of that net), and the parse, compile and soundness
//! time of every process in the library.
//!
//! Transitions are counted once, outside the timed loop: for every command of a case's script
//! the shortest firing sequence from the marking before to the marking after is searched in the
//! net, which is exactly what the executor fired (a command never fires a cycle). The throughput
//! criterion reports is then transitions per second.

use chrono::{DateTime, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::{json, Map, Value};
use std::collections::{HashMap, VecDeque};
use std::hint::black_box;
use std::path::PathBuf;
use zaak_dsl::{ProcessModel, Syntax};
use zaak_engine::calendar::Calendar;
use zaak_engine::case::{CaseState, Command, Data};
use zaak_engine::compile::compile;
use zaak_engine::exec::{step, Process};
use zaak_engine::net::{Marking, Net, TransitionId};
use zaak_engine::soundness::{check, DEFAULT_LIMIT};

fn library_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../processes")
}

/// Every process of the library: file name, source text and syntax.
fn library() -> Vec<(String, String, Syntax)> {
    let mut files: Vec<_> = std::fs::read_dir(library_dir())
        .expect("the library directory exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().to_string();
            let syntax = Syntax::from_path(&name)?;
            let text = std::fs::read_to_string(&p).ok()?;
            Some((name, text, syntax))
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn model(text: &str, syntax: Syntax) -> ProcessModel {
    let loaded = zaak_dsl::load(text, syntax);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.model.expect("a library process loads")
}

fn data(v: Value) -> Data {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The mix of permit cases: which way case number `i` goes.
#[derive(Clone, Copy, Debug)]
enum Permit {
    /// A monument: incomplete first, completed after the request, advice in parallel, granted.
    MonumentWithCompletion,
    /// Felling a tree: complete, no advice, refused.
    TreeRefused,
    /// A large building: advice in parallel, granted.
    LargeBuildingGranted,
    /// The applicant withdraws during the completeness check.
    Withdrawn,
}

const PERMIT_MIX: [Permit; 10] = [
    Permit::MonumentWithCompletion,
    Permit::TreeRefused,
    Permit::LargeBuildingGranted,
    Permit::TreeRefused,
    Permit::MonumentWithCompletion,
    Permit::LargeBuildingGranted,
    Permit::TreeRefused,
    Permit::LargeBuildingGranted,
    Permit::MonumentWithCompletion,
    Permit::Withdrawn,
];

fn start_data(kind: Permit) -> Data {
    data(match kind {
        Permit::MonumentWithCompletion => {
            json!({"aanvrager": "Jan", "adres": "Kerkstraat 1", "activiteit": "bouwen", "monument": true})
        }
        Permit::LargeBuildingGranted => {
            json!({"aanvrager": "Ans", "adres": "Dorpsweg 4", "activiteit": "bouwen", "bouwsom": 250000.0})
        }
        Permit::TreeRefused | Permit::Withdrawn => {
            json!({"aanvrager": "Piet", "adres": "Laan 9", "activiteit": "kappen"})
        }
    })
}

/// What a worker does with the task of `step` the `visit`-th time it comes by.
fn work(kind: Permit, step: &str, visit: u32) -> (Option<&'static str>, Data) {
    match (step, kind) {
        ("volledigheid", Permit::MonumentWithCompletion) if visit == 0 => (
            Some("onvolledig"),
            data(json!({"ontbrekende_stukken": "constructietekening"})),
        ),
        ("volledigheid", Permit::Withdrawn) => (Some("ingetrokken"), Data::new()),
        ("volledigheid", _) => (Some("volledig"), Data::new()),
        ("welstandsadvies", _) => (None, data(json!({"welstandsadvies": "positief"}))),
        ("brandveiligheidsadvies", _) => (None, data(json!({"brandveiligheid_akkoord": true}))),
        ("beoordelen", Permit::TreeRefused) => (
            Some("weigeren"),
            data(json!({"motivering": "De boom is beschermd"})),
        ),
        ("beoordelen", _) => (
            Some("verlenen"),
            data(json!({"motivering": "Past in het bestemmingsplan"})),
        ),
        _ => (None, Data::new()),
    }
}

/// Runs one permit case from start to end and calls `seen` with the marking before and after
/// every command. Returns the number of commands.
fn run_permit(
    process: &Process,
    calendar: &Calendar,
    kind: Permit,
    now: DateTime<Utc>,
    mut seen: impl FnMut(&Marking, &Marking),
) -> u32 {
    let mut commands = 1;
    let mut state: CaseState = step(
        process,
        calendar,
        None,
        Command::Start {
            data: start_data(kind),
        },
        now,
    )
    .expect("the permit starts")
    .state;
    seen(&Marking::initial(&process.net), &state.marking);
    let mut visits: HashMap<String, u32> = HashMap::new();
    while state.closed.is_none() {
        let command = match state.open_tasks.first() {
            Some(task) => {
                let visit = visits.entry(task.step.clone()).or_insert(0);
                let (outcome, form) = work(kind, &task.step, *visit);
                *visit += 1;
                Command::CompleteTask {
                    task: task.key,
                    outcome: outcome.map(str::to_string),
                    data: form,
                }
            }
            // No task open and not closed: the case waits for the applicant's completion.
            None => Command::DeliverMessage {
                name: "aanvulling_ontvangen".into(),
                data: Data::new(),
            },
        };
        let next = step(process, calendar, Some(&state), command, now)
            .expect("every command of the script is legal")
            .state;
        seen(&state.marking, &next.marking);
        state = next;
        commands += 1;
    }
    commands
}

/// The fewest transitions that take `from` to `to`; what one command fired.
fn fired_between(net: &Net, from: &Marking, to: &Marking) -> Vec<TransitionId> {
    let mut seen: HashMap<Marking, (Marking, TransitionId)> = HashMap::new();
    let mut queue = VecDeque::from([from.clone()]);
    while let Some(m) = queue.pop_front() {
        if &m == to {
            let mut path = Vec::new();
            let mut at = m;
            while &at != from {
                let (prev, t) = seen[&at].clone();
                path.push(t);
                at = prev;
            }
            path.reverse();
            return path;
        }
        for t in &net.transitions {
            if m.is_enabled(t) {
                let mut next = m.clone();
                next.fire(t);
                if &next != from && !seen.contains_key(&next) {
                    seen.insert(next.clone(), (m.clone(), t.id));
                    queue.push_back(next);
                }
            }
        }
    }
    panic!("no firing sequence from {from:?} to {to:?}");
}

fn transitions_per_case(process: &Process, calendar: &Calendar, kind: Permit) -> u64 {
    let mut fired = 0;
    let now = Utc
        .with_ymd_and_hms(2026, 1, 5, 9, 0, 0)
        .single()
        .expect("a valid time");
    run_permit(process, calendar, kind, now, |a, b| {
        fired += fired_between(&process.net, a, b).len() as u64;
    });
    fired
}

/// A firing sequence that takes a new case of the net to its end, found by breadth-first search.
fn path_to_end(net: &Net) -> Vec<TransitionId> {
    let initial = Marking::initial(net);
    let mut end = Marking(vec![0; net.places.len()]);
    end.0[net.sink.0 as usize] = 1;
    fired_between(net, &initial, &end)
}

/// Ten automatic steps in a row, no term, no tasks: one start command runs the case to its end.
fn ten_steps() -> ProcessModel {
    let mut src = String::from(
        "process tien_stappen version 1 {\n    title \"Tien stappen\"\n    start stap1\n    status ontvangen \"Ontvangen.\"\n    result klaar \"Klaar\" destroy after 1 years\n",
    );
    for i in 1..=10 {
        let next = if i == 10 {
            "einde".to_string()
        } else {
            format!("stap{}", i + 1)
        };
        let status = if i == 1 {
            "        status ontvangen\n"
        } else {
            ""
        };
        src.push_str(&format!(
            "    auto stap{i} \"Stap {i}\" {{\n{status}        then {next}\n    }}\n"
        ));
    }
    src.push_str("    end einde result klaar\n}\n");
    model(&src, Syntax::Text)
}

fn executor(c: &mut Criterion) {
    let text = std::fs::read_to_string(library_dir().join("omgevingsvergunning.zaak"))
        .expect("the permit process is in the library");
    let process = Process::new(model(&text, Syntax::Text)).expect("the permit compiles");
    let calendar = Calendar::netherlands();
    let now = Utc
        .with_ymd_and_hms(2026, 1, 5, 9, 0, 0)
        .single()
        .expect("a valid time");

    let per_kind: Vec<u64> = PERMIT_MIX
        .iter()
        .map(|&k| transitions_per_case(&process, &calendar, k))
        .collect();
    let mix_transitions: u64 = per_kind.iter().sum();
    let mut mix_commands = 0;
    for &k in &PERMIT_MIX {
        mix_commands += run_permit(&process, &calendar, k, now, |_, _| {});
    }
    eprintln!(
        "permit mix: {} cases, {mix_commands} commands, {mix_transitions} transitions",
        PERMIT_MIX.len()
    );

    let mut group = c.benchmark_group("exec");
    group.throughput(Throughput::Elements(mix_transitions));
    group.bench_function("permit mix of 10 cases (transitions)", |b| {
        b.iter(|| {
            for &k in &PERMIT_MIX {
                black_box(run_permit(&process, &calendar, k, now, |_, _| {}));
            }
        })
    });

    // Only automatic steps: no calendar, no term, no tasks; what firing costs in the executor
    // when nothing but the net and the case's state are involved.
    let straight = Process::new(ten_steps()).expect("the ten steps compile");
    let fired = path_to_end(&straight.net).len() as u64;
    group.throughput(Throughput::Elements(fired));
    group.bench_function(
        "ten automatic steps, one start command (transitions)",
        |b| {
            b.iter(|| {
                step(
                    &straight,
                    &calendar,
                    None,
                    Command::Start { data: Data::new() },
                    now,
                )
                .expect("starts")
            })
        },
    );
    group.finish();

    // The bare token game: fire the path of the shortest case again and again, checking each
    // transition is enabled as an executor must. No data, no effects, no conditions.
    let net = &process.net;
    let path = path_to_end(net);
    let transitions: Vec<_> = path
        .iter()
        .map(|t| &net.transitions[t.0 as usize])
        .collect();
    let initial = Marking::initial(net);
    let mut group = c.benchmark_group("token game");
    group.throughput(Throughput::Elements(transitions.len() as u64));
    group.bench_function("Marking::fire along a permit case", |b| {
        let mut m = initial.clone();
        b.iter(|| {
            m.0.copy_from_slice(&initial.0);
            for t in &transitions {
                assert!(m.is_enabled(t));
                m.fire(t);
            }
            black_box(&m);
        })
    });
    group.finish();
}

fn library_costs(c: &mut Criterion) {
    let mut group = c.benchmark_group("library");
    for (name, text, syntax) in library() {
        group.bench_with_input(BenchmarkId::new("parse", &name), &text, |b, text| {
            b.iter(|| zaak_dsl::parse(black_box(text), syntax))
        });
        group.bench_with_input(
            BenchmarkId::new("parse and validate", &name),
            &text,
            |b, text| b.iter(|| zaak_dsl::load(black_box(text), syntax)),
        );
        let model = model(&text, syntax);
        group.bench_with_input(BenchmarkId::new("compile", &name), &model, |b, model| {
            b.iter(|| compile(black_box(model)))
        });
        let net = compile(&model).expect("a library process compiles");
        group.bench_with_input(BenchmarkId::new("soundness", &name), &net, |b, net| {
            b.iter(|| check(black_box(net), DEFAULT_LIMIT))
        });
    }
    group.finish();
}

criterion_group!(benches, executor, library_costs);
criterion_main!(benches);
