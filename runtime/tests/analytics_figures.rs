//! Figures of the five hand-computed cases in `analytics_fixture`, checked to the second.

mod analytics_fixture;

use analytics_fixture::{at, cases, now, DAY, HOUR};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use zaak_runtime::analytics::figures::{Share, StepFigures};
use zaak_runtime::analytics::{
    compare, render_comparison, render_table, report, Filter, Report, Stats,
};

fn full() -> Report {
    report(&cases(), &Filter::default(), now(), 0.8)
}

fn stats(count: usize, mean: f64, min: f64, max: f64, p50: f64, p90: f64) -> Stats {
    // Every set here has at most 5 values, so p95 and p99 are the largest.
    Stats {
        count,
        mean,
        min,
        max,
        p50,
        p90,
        p95: max,
        p99: max,
    }
}

fn step<'a>(r: &'a Report, name: &str) -> &'a StepFigures {
    r.steps
        .iter()
        .find(|s| s.step == name)
        .unwrap_or_else(|| panic!("step {name} in the report"))
}

#[test]
fn lead_times_gross_and_net_of_suspension() {
    let r = full();
    assert_eq!((r.cases, r.closed), (5, 3));
    // A 10 d, B 20 d, C 4 d: nearest rank of 3 values puts p50 at the 2nd, p90 at the 3rd.
    assert_eq!(
        r.lead_time,
        Some(stats(
            3,
            34.0 / 3.0 * DAY,
            4.0 * DAY,
            20.0 * DAY,
            10.0 * DAY,
            20.0 * DAY
        ))
    );
    // B stood still for 5 days: 15 d net.
    assert_eq!(
        r.lead_time_net,
        Some(stats(
            3,
            29.0 / 3.0 * DAY,
            4.0 * DAY,
            15.0 * DAY,
            10.0 * DAY,
            15.0 * DAY
        ))
    );
}

#[test]
fn decisions_within_legal_term_and_service_norm() {
    let r = full();
    // A and C decided before their deadline, B two days after it.
    assert_eq!(
        r.within_legal_term,
        Some(Share {
            met: 2,
            total: 3,
            ratio: 2.0 / 3.0
        })
    );
    // Only C met its target date.
    assert_eq!(
        r.within_service_norm,
        Some(Share {
            met: 1,
            total: 3,
            ratio: 1.0 / 3.0
        })
    );
}

#[test]
fn open_cases_at_risk_and_overdue() {
    let r = full();
    assert_eq!(r.open.open, 2);
    // D: 28-day term from 2 February, 80% elapsed on 25 February, deadline today: at risk.
    assert_eq!(r.open.at_risk, vec!["D".to_string()]);
    // E: deadline 16 February passed.
    assert_eq!(r.open.overdue, vec!["E".to_string()]);
    assert_eq!(r.open.past_target, 1);
}

#[test]
fn a_lower_at_risk_share_flags_nothing_new_and_a_higher_one_clears_d() {
    // With 100% of the term as the threshold D is flagged only once its deadline day has come,
    // which is today.
    let r = report(&cases(), &Filter::default(), now(), 1.0);
    assert_eq!(r.open.at_risk, vec!["D".to_string()]);
    // A week earlier D had 7 of 28 days left: 75% elapsed, below an 80% threshold.
    let r = report(&cases(), &Filter::default(), at(2, 23, 12), 0.8);
    assert!(r.open.at_risk.is_empty());
    assert_eq!(r.open.overdue, vec!["E".to_string()]);
}

#[test]
fn time_in_each_status_until_the_next_or_the_end() {
    let r = full();
    let names: Vec<&str> = r.statuses.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(names, ["ontvangen", "in behandeling", "afgehandeld"]);
    // ontvangen: A 2, B 4, C 4, D 2 days; E is still in it and does not count.
    assert_eq!(
        r.statuses[0].time,
        stats(4, 3.0 * DAY, 2.0 * DAY, 4.0 * DAY, 2.0 * DAY, 4.0 * DAY)
    );
    // in behandeling: A 8, B 16; D is still in it.
    assert_eq!(
        r.statuses[1].time,
        stats(2, 12.0 * DAY, 8.0 * DAY, 16.0 * DAY, 8.0 * DAY, 16.0 * DAY)
    );
    assert_eq!(r.statuses[2].time, stats(3, 0.0, 0.0, 0.0, 0.0, 0.0));
}

#[test]
fn waiting_and_working_per_step() {
    let r = full();
    let intake = step(&r, "intake");
    assert_eq!((intake.tasks, intake.open), (5, 1));
    // Waiting 12, 24, 6, 1 and 24 hours (E was claimed, not completed).
    assert_eq!(
        intake.waiting,
        Some(stats(
            5,
            67.0 / 5.0 * HOUR,
            HOUR,
            24.0 * HOUR,
            12.0 * HOUR,
            24.0 * HOUR
        ))
    );
    // Working 12, 12, 18 and 2 hours.
    assert_eq!(
        intake.working,
        Some(stats(
            4,
            11.0 * HOUR,
            2.0 * HOUR,
            18.0 * HOUR,
            12.0 * HOUR,
            18.0 * HOUR
        ))
    );
    let beoordelen = step(&r, "beoordelen");
    assert_eq!((beoordelen.tasks, beoordelen.open), (3, 1));
    assert_eq!(
        beoordelen.waiting,
        Some(stats(
            2,
            72.0 * HOUR,
            48.0 * HOUR,
            96.0 * HOUR,
            48.0 * HOUR,
            96.0 * HOUR
        ))
    );
    assert_eq!(
        beoordelen.working,
        Some(stats(
            2,
            36.0 * HOUR,
            24.0 * HOUR,
            48.0 * HOUR,
            24.0 * HOUR,
            48.0 * HOUR
        ))
    );
}

#[test]
fn per_team_and_per_worker_breakdown() {
    let r = full();
    let intake = step(&r, "intake");
    let teams: Vec<&str> = intake.teams.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(teams, ["front"]);
    assert_eq!(intake.teams[0].waiting, intake.waiting);
    let workers: BTreeMap<&str, (Option<f64>, Option<f64>)> = intake
        .workers
        .iter()
        .map(|b| {
            (
                b.name.as_str(),
                (b.waiting.map(|s| s.mean), b.working.map(|s| s.mean)),
            )
        })
        .collect();
    // ann: waiting 12, 6, 1, 24 h; working 12, 18, 2 h. bob: waiting 24 h, working 12 h.
    assert_eq!(
        workers,
        BTreeMap::from([
            ("ann", (Some(43.0 / 4.0 * HOUR), Some(32.0 / 3.0 * HOUR))),
            ("bob", (Some(24.0 * HOUR), Some(12.0 * HOUR))),
        ])
    );
    let beoordelen = step(&r, "beoordelen");
    let workers: Vec<&str> = beoordelen.workers.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(workers, ["bob", "carl"]);
}

#[test]
fn bottlenecks_rank_steps_by_total_waiting() {
    let r = full();
    let ranking: Vec<(&str, f64)> = r
        .bottlenecks
        .iter()
        .map(|b| (b.step.as_str(), b.total_waiting))
        .collect();
    assert_eq!(
        ranking,
        [("beoordelen", 144.0 * HOUR), ("intake", 67.0 * HOUR)]
    );
    assert_eq!(r.bottlenecks[0].share, 144.0 / 211.0);
    assert_eq!(r.bottlenecks[0].mean_waiting, 72.0 * HOUR);
}

#[test]
fn throughput_per_iso_week() {
    let r = full();
    let weeks: Vec<(&str, String, usize)> = r
        .throughput
        .iter()
        .map(|w| (w.week.as_str(), w.starts.to_string(), w.closed))
        .collect();
    // A (Thursday 15 Jan) and C (Friday 16 Jan) in week 3; B on Sunday 25 Jan, still week 4.
    assert_eq!(
        weeks,
        [
            ("2026-W03", "2026-01-12".to_string(), 2),
            ("2026-W04", "2026-01-19".to_string(), 1)
        ]
    );
}

#[test]
fn work_in_progress_at_each_week_end() {
    let r = full();
    let wip: Vec<(&str, Vec<(&str, usize)>)> = r
        .work_in_progress
        .iter()
        .map(|w| {
            (
                w.week.as_str(),
                w.open_tasks.iter().map(|(s, n)| (s.as_str(), *n)).collect(),
            )
        })
        .collect();
    let both = vec![("beoordelen", 1), ("intake", 1)];
    assert_eq!(
        wip,
        [
            // B's beoordelen, created Tuesday 6 Jan, completed Monday 12 Jan.
            ("2026-W02", vec![("beoordelen", 1)]),
            ("2026-W03", vec![]),
            // E's intake stays open from 19 January.
            ("2026-W04", vec![("intake", 1)]),
            ("2026-W05", vec![("intake", 1)]),
            // D's beoordelen from 2 February.
            ("2026-W06", both.clone()),
            ("2026-W07", both.clone()),
            ("2026-W08", both.clone()),
            ("2026-W09", both.clone()),
            ("2026-W10", both),
        ]
    );
}

#[test]
fn filter_by_team_counts_only_its_tasks() {
    let filter = Filter {
        team: Some("back".into()),
        ..Filter::default()
    };
    let r = report(&cases(), &filter, now(), 0.8);
    // A, B and D had a task of team back.
    assert_eq!(r.cases, 3);
    let steps: Vec<&str> = r.steps.iter().map(|s| s.step.as_str()).collect();
    assert_eq!(steps, ["beoordelen"]);
}

#[test]
fn filter_by_period_counts_durations_that_end_in_it() {
    // The week of 12 January, from Monday to Monday Dutch time.
    let monday =
        |d| zaak_engine::calendar::start_of_day(NaiveDate::from_ymd_opt(2026, 1, d).unwrap());
    let filter = Filter {
        from: Some(monday(12)),
        to: Some(monday(19)),
        ..Filter::default()
    };
    let r = report(&cases(), &filter, now(), 0.8);
    // A, B and C were open in the week of 12 January; D and E started later.
    assert_eq!(r.cases, 3);
    // A and C closed in it; B later.
    assert_eq!(r.closed, 2);
    assert_eq!(
        r.lead_time.map(|s| (s.min, s.max)),
        Some((4.0 * DAY, 10.0 * DAY))
    );
    // In that week only B's beoordelen finished working, and only C's intake was claimed.
    assert_eq!(
        step(&r, "beoordelen").working.map(|s| s.mean),
        Some(48.0 * HOUR)
    );
    assert_eq!(step(&r, "intake").waiting.map(|s| s.mean), Some(6.0 * HOUR));
    assert_eq!(r.work_in_progress.len(), 1);
}

#[test]
fn filter_by_process_and_version() {
    let mut all = cases();
    all[2].version = 2;
    all[4].process = "woo-verzoek".into();
    let v1 = Filter {
        process: Some("omgevingsvergunning".into()),
        version: Some(1),
        ..Filter::default()
    };
    let r = report(&all, &v1, now(), 0.8);
    assert_eq!((r.cases, r.closed, r.open.open), (3, 2, 1));
}

#[test]
fn compare_two_versions() {
    let mut all = cases();
    all[2].version = 2;
    let version = |v| Filter {
        version: Some(v),
        ..Filter::default()
    };
    let before = report(&all, &version(1), now(), 0.8);
    let after = report(&all, &version(2), now(), 0.8);
    let c = compare(&before, &after);
    let mean = c
        .changes
        .iter()
        .find(|ch| ch.figure == "lead time mean")
        .expect("lead time mean compared");
    // Version 1: A 10 d and B 20 d; version 2: C 4 d.
    assert_eq!((mean.before, mean.after), (15.0 * DAY, 4.0 * DAY));
    assert_eq!(mean.difference, -11.0 * DAY);
    assert_eq!(mean.ratio, Some(4.0 / 15.0));
    let legal = c
        .changes
        .iter()
        .find(|ch| ch.figure == "within legal term")
        .expect("share within term compared");
    assert_eq!((legal.before, legal.after), (0.5, 1.0));
    assert!(c
        .changes
        .iter()
        .any(|ch| ch.figure == "waiting mean: intake"));
    // Version 2 has no beoordelen step: nothing to compare.
    assert!(!c.changes.iter().any(|ch| ch.figure.ends_with("beoordelen")));

    let table = render_comparison(&c);
    let row = |figure: &str| {
        table
            .lines()
            .find(|l| l.starts_with(figure))
            .map(|l| l.split_whitespace().rev().take(4).collect::<Vec<_>>())
    };
    // Columns from the right: ratio, difference, after, before.
    assert_eq!(
        row("lead time mean"),
        Some(vec!["0.27", "-11.0", "4.0", "15.0"])
    );
    assert_eq!(
        row("within legal term"),
        Some(vec!["2.00", "pt", "+50.0", "100.0%"])
    );
    assert_eq!(row("closed cases"), Some(vec!["0.50", "-1", "1", "2"]));
}

#[test]
fn empty_selection_has_no_figures() {
    let filter = Filter {
        process: Some("klacht".into()),
        ..Filter::default()
    };
    let r = report(&cases(), &filter, now(), 0.8);
    assert_eq!((r.cases, r.closed), (0, 0));
    assert_eq!(r.lead_time, None);
    assert_eq!(r.within_legal_term, None);
    assert!(r.steps.is_empty() && r.throughput.is_empty() && r.work_in_progress.is_empty());
    assert_eq!(
        render_table(&r).lines().next(),
        Some("0 cases, 0 closed, 0 open (0 at risk, 0 overdue, 0 past target)")
    );
}

#[test]
fn table_shows_days_with_one_decimal_in_aligned_columns() {
    let table = render_table(&full());
    let lines: Vec<&str> = table.lines().collect();
    let header = lines
        .iter()
        .position(|l| *l == "Lead time (days)")
        .expect("lead time section");
    let head = lines[header + 1];
    let gross = lines[header + 2];
    let net = lines[header + 3];
    assert!(gross.starts_with("gross"), "{table}");
    // 34/3 days is 11.3, 29/3 is 9.7.
    assert!(gross.contains(" 11.3 "), "{gross}");
    assert!(
        net.starts_with("net of suspension") && net.contains(" 9.7 "),
        "{net}"
    );
    // Right-aligned: every column ends where its header ends.
    assert_eq!(head.len(), gross.len());
    assert_eq!(
        head.find("p50").map(|i| i + 3),
        gross.find(" 10.0").map(|i| i + 5)
    );
    assert!(table.contains("beoordelen / waiting"));
    assert!(table.contains("within legal term: 2 of 3 (66.7%)"));
}

#[test]
fn report_serialises_to_json() {
    let json = serde_json::to_value(full()).expect("a report is plain data");
    assert_eq!(json["closed"], 3);
    assert_eq!(json["lead_time"]["p50"], 10.0 * DAY);
    assert_eq!(json["open"]["overdue"][0], "E");
}

#[test]
fn one_wrong_date_does_not_make_an_endless_week_series() {
    let mut all = cases();
    // A case closed in 1901, as a broken import could give.
    all[2].started = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 1901, 1, 1, 0, 0, 0).unwrap();
    all[2].ended = Some(all[2].started + chrono::TimeDelta::days(1));
    all[2].tasks[0].created = all[2].started;
    let r = report(&all, &Filter::default(), now(), 0.8);
    assert_eq!(
        r.throughput.len() as i64,
        zaak_runtime::analytics::figures::MAX_WEEKS
    );
    assert_eq!(
        r.work_in_progress.len() as i64,
        zaak_runtime::analytics::figures::MAX_WEEKS
    );
    assert_eq!(
        r.throughput.last().map(|w| w.week.as_str()),
        Some("2026-W04")
    );
    assert_eq!(
        r.work_in_progress.last().map(|w| w.week.as_str()),
        Some("2026-W10")
    );
}
