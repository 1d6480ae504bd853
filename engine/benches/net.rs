//! How long compiling, checking soundness and reading PNML take, on the real omgevingsvergunning
//! process and on a process with many tasks in parallel (the state space grows as 2^n).

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use zaak_dsl::{ProcessModel, Syntax};
use zaak_engine::compile::compile;
use zaak_engine::pnml::{parse_pnml, to_net};
use zaak_engine::soundness::{check, DEFAULT_LIMIT};

fn omgevingsvergunning() -> ProcessModel {
    zaak_dsl::parse(
        include_str!("../tests/data/omgevingsvergunning.yaml"),
        Syntax::Yaml,
    )
    .model
    .expect("the test process reads")
}

/// A parallel split into `n` tasks, each with two outcomes, closed by a join.
fn wide(n: usize) -> ProcessModel {
    let mut src = String::from("process: breed\nversion: 1\ntitle: Breed\nstart: p\nsteps:\n");
    let branches: Vec<String> = (0..n).map(|i| format!("t{i}")).collect();
    src.push_str(&format!(
        "  - name: p\n    parallel: {{branches: [{}]}}\n",
        branches.join(", ")
    ));
    for b in &branches {
        src.push_str(&format!(
            "  - name: {b}\n    task:\n      team: t\n      then: j\n      outcomes:\n        - {{name: ja}}\n        - {{name: nee}}\n"
        ));
    }
    src.push_str("  - name: j\n    join: {mode: all, then: e}\n  - name: e\n    end: {}\n");
    zaak_dsl::parse(&src, Syntax::Yaml)
        .model
        .expect("the generated process reads")
}

/// `n` automatic steps one after the other: a long path, where the unboundedness check walks
/// back over every ancestor of every marking.
fn long(n: usize) -> ProcessModel {
    let mut src = String::from("process: lang\nversion: 1\ntitle: Lang\nstart: s0\nsteps:\n");
    for i in 0..n {
        src.push_str(&format!(
            "  - name: s{i}\n    auto: {{actions: [], then: s{}}}\n",
            i + 1
        ));
    }
    src.push_str(&format!("  - name: s{n}\n    end: {{}}\n"));
    zaak_dsl::parse(&src, Syntax::Yaml)
        .model
        .expect("the generated process reads")
}

fn benches(c: &mut Criterion) {
    let model = omgevingsvergunning();
    c.bench_function("compile omgevingsvergunning", |b| {
        b.iter(|| compile(black_box(&model)))
    });
    let net = compile(&model).expect("compiles");
    c.bench_function("soundness omgevingsvergunning", |b| {
        b.iter(|| check(black_box(&net), DEFAULT_LIMIT))
    });
    for n in [8, 12] {
        let net = compile(&wide(n)).expect("compiles");
        c.bench_function(&format!("soundness {n} parallel tasks"), |b| {
            b.iter(|| check(black_box(&net), DEFAULT_LIMIT))
        });
    }
    let net = compile(&long(1000)).expect("compiles");
    c.bench_function("soundness 1000 steps in a row", |b| {
        b.iter(|| check(black_box(&net), DEFAULT_LIMIT))
    });
    let xml = include_str!("../tests/data/aanvraag.pnml");
    c.bench_function("read and check pnml", |b| {
        b.iter(|| {
            let pn = parse_pnml(black_box(xml)).expect("reads");
            check(&to_net(&pn).expect("a workflow net"), DEFAULT_LIMIT)
        })
    });
}

criterion_group!(benches_group, benches);
criterion_main!(benches_group);
