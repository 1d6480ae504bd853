//! Generated case histories for benchmarks: many cases of a plausible shape, the same for the
//! same seed, so that runs on different days or machines measure the same work.

use super::{CaseHistory, TaskSpan};
use rand::{Rng, SeedableRng};

/// Closed histories shaped like a permit procedure: three to seven statuses and two to six
/// tasks (about five of each), over six steps, five teams and forty workers; one case in ten
/// suspended for one to six weeks; started over three years from January 2023. The same seed
/// gives the same cases with the same version of `rand`.
pub fn histories(n: u64, seed: u64) -> Vec<CaseHistory> {
    use chrono::{Duration as Span, TimeZone, Utc};
    const STATUSES: [&str; 7] = [
        "ontvangen",
        "in_behandeling",
        "advies_gevraagd",
        "aanvulling_gevraagd",
        "besluit_genomen",
        "verzonden",
        "afgehandeld",
    ];
    const STEPS: [&str; 6] = [
        "intake",
        "beoordelen",
        "advies",
        "besluit",
        "verzenden",
        "archiveren",
    ];
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let origin = Utc.with_ymd_and_hms(2023, 1, 2, 8, 0, 0).unwrap();
    (0..n)
        .map(|i| {
            let started = origin + Span::minutes(rng.gen_range(0..3 * 365 * 24 * 60));
            let mut at = started;
            let mut statuses = Vec::new();
            for status in STATUSES {
                if statuses.len() > 1 && status != "afgehandeld" && rng.gen_bool(0.3) {
                    continue;
                }
                statuses.push((status.into(), at));
                at += Span::minutes(rng.gen_range(60..14 * 24 * 60));
            }
            let mut tasks = Vec::new();
            let mut t = started;
            for (k, step) in STEPS.iter().enumerate() {
                if k > 1 && rng.gen_bool(0.25) {
                    continue;
                }
                let claimed = t + Span::minutes(rng.gen_range(5..5 * 24 * 60));
                let completed = claimed + Span::minutes(rng.gen_range(5..3 * 24 * 60));
                tasks.push(TaskSpan {
                    step: (*step).into(),
                    team: Some(format!("team{}", rng.gen_range(0..5)).into()),
                    worker: Some(format!("worker{}", rng.gen_range(0..40)).into()),
                    created: t,
                    claimed: Some(claimed),
                    completed: Some(completed),
                });
                t = completed;
            }
            let ended = at.max(t);
            let suspensions = if rng.gen_bool(0.1) {
                let from = started + Span::days(rng.gen_range(1..10));
                vec![(from, Some(from + Span::weeks(rng.gen_range(1..7))))]
            } else {
                Vec::new()
            };
            let suspended_days: i64 = suspensions
                .iter()
                .map(|(f, t): &(_, Option<_>)| (t.unwrap_or(*f) - *f).num_days())
                .sum();
            CaseHistory {
                reference: format!("BENCH-{i:07}"),
                process: "bench".into(),
                version: 0,
                started,
                ended: Some(ended),
                result: Some(
                    if rng.gen_bool(0.8) {
                        "verleend"
                    } else {
                        "geweigerd"
                    }
                    .into(),
                ),
                deadline: Some(
                    (started + Span::weeks(8) + Span::days(suspended_days)).date_naive(),
                ),
                target: Some((started + Span::weeks(6) + Span::days(suspended_days)).date_naive()),
                suspensions,
                statuses,
                tasks,
                historical: true,
            }
        })
        .collect()
}
