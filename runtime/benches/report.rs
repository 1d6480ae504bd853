//! How fast the lead-time figures come over many closed cases, without the database: the
//! figures themselves over 100,000 generated cases, and decoding those cases from the compact
//! form the store keeps them in. `zaak bench --workload report` measures the whole report with
//! the database.

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use zaak_runtime::analytics::{compact, report, synthetic, Filter};

const CASES: u64 = 100_000;

fn figures(c: &mut Criterion) {
    let cases = synthetic::histories(CASES, 7);
    let now = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
    let mut dictionary = compact::Dictionary::default();
    for case in &cases {
        for name in compact::names(case) {
            if dictionary.id(name).is_none() {
                dictionary.insert(dictionary.len() as u64 + 1, name);
            }
        }
    }
    let mut bytes = Vec::new();
    for case in &cases {
        compact::encode(case, &dictionary, &mut bytes).expect("times within range");
    }
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.throughput(Throughput::Elements(CASES));
    group.bench_function("figures_100k_cases", |b| {
        b.iter(|| report(black_box(&cases), &Filter::default(), now, 0.8))
    });
    let one_team = Filter {
        team: Some("team2".into()),
        ..Filter::default()
    };
    group.bench_function("figures_100k_cases_one_team", |b| {
        b.iter(|| report(black_box(&cases), &one_team, now, 0.8))
    });
    group.bench_function("decode_100k_cases", |b| {
        b.iter(|| compact::decode_all(black_box(&bytes), &dictionary).expect("decodes"))
    });
    // Decoding on two threads, as the store does: each with its own copy of the names, and
    // (for comparison) both with the same one.
    let halves = compact::split(&bytes, 2).expect("whole records");
    for detached in [false, true] {
        let name = if detached {
            "decode_two_threads_own_names"
        } else {
            "decode_two_threads_shared_names"
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                std::thread::scope(|scope| {
                    let running: Vec<_> = halves
                        .iter()
                        .map(|half| {
                            let dictionary = &dictionary;
                            scope.spawn(move || {
                                let own;
                                let d = if detached {
                                    own = dictionary.detached();
                                    &own
                                } else {
                                    dictionary
                                };
                                compact::decode_all(half, d).expect("decodes")
                            })
                        })
                        .collect();
                    running
                        .into_iter()
                        .map(|r| r.join().unwrap().len())
                        .sum::<usize>()
                })
            })
        });
    }
    group.finish();
    eprintln!(
        "compact form: {} bytes for {CASES} cases ({} per case)",
        bytes.len(),
        bytes.len() as u64 / CASES
    );
}

criterion_group!(benches, figures);
criterion_main!(benches);
