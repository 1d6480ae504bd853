//! Lead-time figures over a set of cases: what a manager reads to see whether a process
//! keeps its terms and where work waits.
//!
//! [`report`] makes one pass over the cases, collects every duration into one list per figure
//! and sorts each list once for its percentiles ([`Stats`], nearest-rank). Durations are in
//! seconds; [`render_table`] shows them in days with one decimal.
//!
//! Which durations count in a period `[from, to)`: a duration counts in the period in which it
//! ends. So the lead time of a case counts when the case closed in the period, the time in a
//! status when the next status (or the end) was reached in it, the waiting time of a task when
//! it was claimed in it and its working time when it was completed in it. Throughput counts
//! cases closed in the period. Open-case figures (at risk, overdue) are taken at `now`.
//!
//! Days and weeks are Dutch: the day a case was decided is its day in the Netherlands, as the
//! legal deadline is, and weeks are ISO weeks (Monday to Sunday) of Dutch time. The weekly
//! series (throughput, work in progress) cover at most the last [`MAX_WEEKS`] weeks.

use super::stats::Stats;
use super::{seconds_between, CaseHistory};
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
// The pass looks up a step, team and worker for every task: foldhash's quicker hash took the
// figures over 100,000 cases from 169 to 146 ms (std's SipHash guards against hash flooding,
// which names from our own process definitions and staff cannot cause).
use foldhash::HashMap;
use std::fmt::Write as _;
use zaak_engine::calendar::{local_date, local_day_number};
use zaak_engine::term::{Suspension, TermClock};

const DAY: f64 = 86_400.0;
const WEEK_SECONDS: i64 = 7 * 86_400;
/// The most weeks the weekly series cover, counted back from the latest: twenty years, so that
/// one wrong date in an imported log cannot make a series of a hundred thousand empty weeks.
pub const MAX_WEEKS: i64 = 1040;
/// 1970-01-05T00:00:00Z, the first Monday of the Unix epoch: week numbers count from it.
const FIRST_MONDAY: i64 = 4 * 86_400;

/// Which cases and tasks a report covers. Every field left empty selects everything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Filter {
    /// Only cases of this process.
    pub process: Option<String>,
    /// Only cases pinned to this version of the process.
    pub version: Option<u32>,
    /// Only cases in which this team did a task; step figures then count only its tasks.
    pub team: Option<String>,
    /// Start of the period (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// End of the period (exclusive).
    pub to: Option<DateTime<Utc>>,
}

impl Filter {
    fn in_period(&self, at: DateTime<Utc>) -> bool {
        self.from.is_none_or(|from| at >= from) && self.to.is_none_or(|to| at < to)
    }

    fn team_matches(&self, team: Option<&str>) -> bool {
        match &self.team {
            Some(wanted) => team == Some(wanted.as_str()),
            None => true,
        }
    }

    fn selects(&self, case: &CaseHistory) -> bool {
        self.process.as_deref().is_none_or(|p| p == &*case.process)
            && self.version.is_none_or(|v| v == case.version)
            && self.to.is_none_or(|to| case.started < to)
            && self
                .from
                .is_none_or(|from| case.ended.is_none_or(|ended| ended >= from))
            && (self.team.is_none()
                || case
                    .tasks
                    .iter()
                    .any(|t| self.team_matches(t.team.as_deref())))
    }
}

/// How many decisions met a date, out of how many that had one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub met: usize,
    pub total: usize,
    /// `met / total`, between 0 and 1.
    pub ratio: f64,
}

/// Open cases measured against their legal deadline at `now`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OpenCases {
    pub open: usize,
    /// References of open cases past the at-risk share of their legal term but not overdue,
    /// most urgent deadline first.
    pub at_risk: Vec<String>,
    /// References of open cases whose legal deadline passed (and whose term is not suspended),
    /// oldest deadline first.
    pub overdue: Vec<String>,
    /// How many open cases are past their target date (service norm).
    pub past_target: usize,
}

/// Time spent in one status, from reaching it to reaching the next status or the end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusTime {
    pub status: String,
    pub time: Stats,
}

/// Waiting and working time of one team or one worker at a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub name: String,
    pub waiting: Option<Stats>,
    pub working: Option<Stats>,
}

/// Figures of one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepFigures {
    pub step: String,
    /// Tasks of this step in the selected cases.
    pub tasks: usize,
    /// Of those, tasks not completed.
    pub open: usize,
    /// From creation to claim.
    pub waiting: Option<Stats>,
    /// From claim to completion.
    pub working: Option<Stats>,
    pub teams: Vec<Breakdown>,
    pub workers: Vec<Breakdown>,
}

/// Cases closed in one ISO week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekCount {
    /// ISO week, e.g. `2026-W05`.
    pub week: String,
    /// The Monday the week starts.
    pub starts: NaiveDate,
    pub closed: usize,
}

/// Open tasks per step at the end of one ISO week (Sunday 24:00 Dutch time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekWork {
    pub week: String,
    pub starts: NaiveDate,
    /// Step to number of open tasks; steps without open tasks are left out.
    pub open_tasks: BTreeMap<String, usize>,
}

/// A step ranked by how much waiting it causes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bottleneck {
    pub step: String,
    /// Sum of the waiting times of its tasks, in seconds.
    pub total_waiting: f64,
    /// Its part of all waiting in the report, between 0 and 1.
    pub share: f64,
    pub mean_waiting: f64,
    pub tasks_waited: usize,
}

/// Lead-time figures of a set of cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub now: DateTime<Utc>,
    pub filter: Filter,
    /// The share of the legal term after which an open case counts as at risk.
    pub at_risk_share: f64,
    /// Cases the filter selected: of the process, version and team asked for, and open at
    /// some moment in the period.
    pub cases: usize,
    /// Of those, cases closed in the period.
    pub closed: usize,
    /// From start to end, closed cases.
    pub lead_time: Option<Stats>,
    /// From start to end minus the time the term stood still, closed cases.
    pub lead_time_net: Option<Stats>,
    /// Closed cases decided on or before their legal deadline.
    pub within_legal_term: Option<Share>,
    /// Closed cases decided on or before their target date.
    pub within_service_norm: Option<Share>,
    pub open: OpenCases,
    /// In the order the statuses were first met.
    pub statuses: Vec<StatusTime>,
    /// In the order the steps were first met.
    pub steps: Vec<StepFigures>,
    pub throughput: Vec<WeekCount>,
    pub work_in_progress: Vec<WeekWork>,
    /// Steps by total waiting time, largest first.
    pub bottlenecks: Vec<Bottleneck>,
}

/// Per step and per team or worker at a step: the durations collected in the pass.
#[derive(Default)]
struct Spans {
    waiting: Vec<f64>,
    working: Vec<f64>,
}

#[derive(Default)]
struct StepAcc<'a> {
    spans: Spans,
    tasks: usize,
    open: usize,
    teams: HashMap<&'a str, Spans>,
    workers: HashMap<&'a str, Spans>,
}

/// Computes the figures of the cases the filter selects, as of `now`.
///
/// `at_risk_share` (0 to 1) is the share of the legal term after which an open case counts as
/// at risk: 0.8 flags cases with 20% of their term left, counted in calendar days as the term
/// clock's warning dates are.
///
/// `cargo bench -p zaak-runtime --bench report`: 100,000 generated cases with about five tasks
/// and five statuses each take about 146 ms on one core of the 2-core benchmark machine.
pub fn report(
    cases: &[CaseHistory],
    filter: &Filter,
    now: DateTime<Utc>,
    at_risk_share: f64,
) -> Report {
    let today = local_date(now);
    let mut selected = 0;
    let mut lead = Vec::new();
    let mut lead_net = Vec::new();
    let mut legal = (0, 0);
    let mut norm = (0, 0);
    let mut open = OpenCases::default();
    let mut at_risk: Vec<(NaiveDate, &str)> = Vec::new();
    let mut overdue: Vec<(NaiveDate, &str)> = Vec::new();

    let mut status_index: HashMap<&str, usize> = HashMap::default();
    let mut status_names: Vec<&str> = Vec::new();
    let mut status_times: Vec<Vec<f64>> = Vec::new();

    let mut step_index: HashMap<&str, usize> = HashMap::default();
    let mut steps: Vec<(&str, StepAcc)> = Vec::new();

    let mut closed_weeks: BTreeMap<i64, usize> = BTreeMap::new();
    // Tasks for work in progress: step index and the weeks in which they were created and
    // completed; kept compact so the sweep after the pass is cheap.
    let mut wip_tasks: Vec<(usize, i64, Option<i64>)> = Vec::new();
    let mut first_seen: Option<DateTime<Utc>> = None;
    let mut last_seen: Option<DateTime<Utc>> = None;
    let mut see = |t: DateTime<Utc>| {
        first_seen = Some(first_seen.map_or(t, |f| f.min(t)));
        last_seen = Some(last_seen.map_or(t, |l| l.max(t)));
    };

    for case in cases.iter().filter(|c| filter.selects(c)) {
        selected += 1;
        let clock = term_clock(case);
        see(case.started);
        if let Some(ended) = case.ended {
            see(ended);
        }
        match case.ended {
            Some(ended) if filter.in_period(ended) => {
                lead.push(seconds_between(case.started, ended));
                lead_net
                    .push(seconds_between(case.started, ended) - suspended_seconds(case, ended));
                let decided = local_date(ended);
                if let Some(met) = clock.met(decided) {
                    legal.1 += 1;
                    legal.0 += usize::from(met);
                }
                if let Some(met) = clock.target_met(decided) {
                    norm.1 += 1;
                    norm.0 += usize::from(met);
                }
                *closed_weeks.entry(week_of(ended)).or_default() += 1;
            }
            Some(_) => {}
            None => {
                open.open += 1;
                if let Some(deadline) = case.deadline {
                    if clock.deadline_passed(today) {
                        overdue.push((deadline, &case.reference));
                    } else if clock
                        .warning_dates(at_risk_share)
                        .deadline
                        .is_some_and(|warn| today >= warn)
                    {
                        at_risk.push((deadline, &case.reference));
                    }
                }
                if case.target.is_some_and(|target| today > target) && !clock.is_suspended() {
                    open.past_target += 1;
                }
            }
        }

        for (i, (status, reached)) in case.statuses.iter().enumerate() {
            let left = match case.statuses.get(i + 1) {
                Some((_, next)) => *next,
                None => match case.ended {
                    Some(ended) => ended,
                    // The current status of an open case is still running: not a duration yet.
                    None => continue,
                },
            };
            if !filter.in_period(left) {
                continue;
            }
            let k = *status_index.entry(&**status).or_insert_with(|| {
                status_names.push(&**status);
                status_times.push(Vec::new());
                status_names.len() - 1
            });
            status_times[k].push(seconds_between(*reached, left));
        }

        for task in &case.tasks {
            if !filter.team_matches(task.team.as_deref()) {
                continue;
            }
            see(task.created);
            let k = *step_index.entry(&*task.step).or_insert_with(|| {
                steps.push((&*task.step, StepAcc::default()));
                steps.len() - 1
            });
            let acc = &mut steps[k].1;
            acc.tasks += 1;
            if task.completed.is_none() {
                acc.open += 1;
            }
            wip_tasks.push((k, week_of(task.created), task.completed.map(week_of)));
            let waiting = task
                .claimed
                .filter(|c| filter.in_period(*c))
                .map(|c| seconds_between(task.created, c));
            let working = match (task.claimed, task.completed) {
                (Some(c), Some(d)) if filter.in_period(d) => Some(seconds_between(c, d)),
                _ => None,
            };
            if let Some(d) = task.completed {
                see(d);
            }
            let record = |spans: &mut Spans| {
                spans.waiting.extend(waiting);
                spans.working.extend(working);
            };
            record(&mut acc.spans);
            if let Some(team) = &task.team {
                record(acc.teams.entry(&**team).or_default());
            }
            if let Some(worker) = &task.worker {
                record(acc.workers.entry(&**worker).or_default());
            }
        }
    }

    at_risk.sort();
    overdue.sort();
    open.at_risk = at_risk.into_iter().map(|(_, r)| r.to_string()).collect();
    open.overdue = overdue.into_iter().map(|(_, r)| r.to_string()).collect();

    let statuses = status_names
        .iter()
        .zip(status_times.iter_mut())
        .filter_map(|(name, times)| {
            Stats::of(times).map(|time| StatusTime {
                status: name.to_string(),
                time,
            })
        })
        .collect();

    let mut bottlenecks: Vec<Bottleneck> = Vec::new();
    let mut all_waiting = 0.0;
    let step_names: Vec<&str> = steps.iter().map(|(name, _)| *name).collect();
    let step_figures: Vec<StepFigures> = steps
        .into_iter()
        .map(|(name, mut acc)| {
            let total: f64 = acc.spans.waiting.iter().sum();
            if !acc.spans.waiting.is_empty() {
                all_waiting += total;
                bottlenecks.push(Bottleneck {
                    step: name.to_string(),
                    total_waiting: total,
                    share: 0.0,
                    mean_waiting: total / acc.spans.waiting.len() as f64,
                    tasks_waited: acc.spans.waiting.len(),
                });
            }
            StepFigures {
                step: name.to_string(),
                tasks: acc.tasks,
                open: acc.open,
                waiting: Stats::of(&mut acc.spans.waiting),
                working: Stats::of(&mut acc.spans.working),
                teams: breakdowns(acc.teams),
                workers: breakdowns(acc.workers),
            }
        })
        .collect();
    for b in &mut bottlenecks {
        b.share = if all_waiting > 0.0 {
            b.total_waiting / all_waiting
        } else {
            0.0
        };
    }
    bottlenecks.sort_by(|a, b| {
        b.total_waiting
            .total_cmp(&a.total_waiting)
            .then_with(|| a.step.cmp(&b.step))
    });

    let throughput = match (closed_weeks.keys().next(), closed_weeks.keys().next_back()) {
        (Some(&first), Some(&last)) => (first.max(last - MAX_WEEKS + 1)..=last)
            .map(|w| WeekCount {
                week: week_label(w),
                starts: week_start(w),
                closed: closed_weeks.get(&w).copied().unwrap_or(0),
            })
            .collect(),
        _ => Vec::new(),
    };

    let work_in_progress = work_in_progress(
        &wip_tasks,
        &step_names,
        filter.from.or(first_seen),
        // Open cases keep their tasks open up to now; a closed history ends at its last event.
        [
            filter.to.map(|t| t - TimeDelta::nanoseconds(1)),
            Some(now),
            if open.open > 0 { Some(now) } else { last_seen },
        ]
        .into_iter()
        .flatten()
        .min(),
    );

    Report {
        now,
        filter: filter.clone(),
        at_risk_share,
        cases: selected,
        closed: lead.len(),
        lead_time: Stats::of(&mut lead),
        lead_time_net: Stats::of(&mut lead_net),
        within_legal_term: share(legal),
        within_service_norm: share(norm),
        open,
        statuses,
        steps: step_figures,
        throughput,
        work_in_progress,
        bottlenecks,
    }
}

fn share((met, total): (usize, usize)) -> Option<Share> {
    (total > 0).then(|| Share {
        met,
        total,
        ratio: met as f64 / total as f64,
    })
}

fn breakdowns(map: HashMap<&str, Spans>) -> Vec<Breakdown> {
    let mut out: Vec<Breakdown> = map
        .into_iter()
        .map(|(name, mut spans)| Breakdown {
            name: name.to_string(),
            waiting: Stats::of(&mut spans.waiting),
            working: Stats::of(&mut spans.working),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Counts open tasks per step at the end of every week from `first` to `last`, with one
/// difference array per step: a task adds one from the week it was created up to the week
/// before the one it was completed in.
fn work_in_progress(
    tasks: &[(usize, i64, Option<i64>)],
    steps: &[&str],
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
) -> Vec<WeekWork> {
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    let w1 = week_of(last);
    let w0 = week_of(first).max(w1 - MAX_WEEKS + 1);
    if w1 < w0 {
        return Vec::new();
    }
    let weeks = (w1 - w0 + 1) as usize;
    let mut delta = vec![0i64; steps.len() * (weeks + 1)];
    for &(step, created, completed) in tasks {
        let start = created.max(w0);
        let end = completed.map_or(w1, |c| (c - 1).min(w1));
        if start > end {
            continue;
        }
        let row = step * (weeks + 1);
        delta[row + (start - w0) as usize] += 1;
        delta[row + (end - w0) as usize + 1] -= 1;
    }
    let mut running = vec![0i64; steps.len()];
    (0..weeks)
        .map(|i| {
            let mut open_tasks = BTreeMap::new();
            for (step, name) in steps.iter().enumerate() {
                running[step] += delta[step * (weeks + 1) + i];
                if running[step] > 0 {
                    open_tasks.insert(name.to_string(), running[step] as usize);
                }
            }
            let w = w0 + i as i64;
            WeekWork {
                week: week_label(w),
                starts: week_start(w),
                open_tasks,
            }
        })
        .collect()
}

/// The term clock of a case as far as the figures need it: dates and suspensions.
fn term_clock(case: &CaseHistory) -> TermClock {
    TermClock {
        start: Some(local_date(case.started)),
        deadline: case.deadline,
        target: case.target,
        suspensions: case
            .suspensions
            .iter()
            .map(|(from, to)| Suspension {
                from: local_date(*from),
                to: to.map(local_date),
                reason: String::new(),
            })
            .collect(),
        ..TermClock::default()
    }
}

/// Seconds of `[started, ended]` during which the term stood still; overlapping suspensions
/// count once.
fn suspended_seconds(case: &CaseHistory, ended: DateTime<Utc>) -> f64 {
    let mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = case
        .suspensions
        .iter()
        .map(|(from, to)| ((*from).max(case.started), to.unwrap_or(ended).min(ended)))
        .filter(|(from, to)| from < to)
        .collect();
    spans.sort();
    let mut total = 0.0;
    let mut covered: Option<DateTime<Utc>> = None;
    for (from, to) in spans {
        let from = covered.map_or(from, |c| from.max(c));
        if to > from {
            total += seconds_between(from, to);
            covered = Some(to);
        }
    }
    total
}

/// The number of the Dutch ISO week `t` falls in: weeks count on Dutch wall-clock time.
fn week_of(t: DateTime<Utc>) -> i64 {
    (local_day_number(t) * 86_400 - FIRST_MONDAY).div_euclid(WEEK_SECONDS)
}

fn week_start(week: i64) -> NaiveDate {
    DateTime::from_timestamp(FIRST_MONDAY + week * WEEK_SECONDS, 0)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

fn week_label(week: i64) -> String {
    let iso = week_start(week).iso_week();
    format!("{}-W{:02}", iso.year(), iso.week())
}

/// What a compared figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Seconds,
    /// A share between 0 and 1.
    Share,
    Count,
}

/// One figure before and after, e.g. the mean lead time of two process versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub figure: String,
    pub unit: Unit,
    pub before: f64,
    pub after: f64,
    /// `after - before`.
    pub difference: f64,
    /// `after / before`; none when `before` is 0.
    pub ratio: Option<f64>,
}

/// The main figures of two reports side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub changes: Vec<Change>,
}

/// Compares the main figures of two reports (e.g. before and after a redesign): lead times,
/// shares within term, throughput and, for steps in both, waiting and working times. Figures
/// missing from either report are left out. Durations are in seconds, shares between 0 and 1.
pub fn compare(before: &Report, after: &Report) -> Comparison {
    let mut changes = Vec::new();
    let mut add = |figure: String, unit: Unit, b: Option<f64>, a: Option<f64>| {
        if let (Some(before), Some(after)) = (b, a) {
            changes.push(Change {
                figure,
                unit,
                before,
                after,
                difference: after - before,
                ratio: (before != 0.0).then(|| after / before),
            });
        }
    };
    add(
        "closed cases".into(),
        Unit::Count,
        Some(before.closed as f64),
        Some(after.closed as f64),
    );
    for (name, pick) in [
        ("mean", (|s: &Stats| s.mean) as fn(&Stats) -> f64),
        ("p50", |s| s.p50),
        ("p90", |s| s.p90),
        ("p95", |s| s.p95),
    ] {
        add(
            format!("lead time {name}"),
            Unit::Seconds,
            before.lead_time.as_ref().map(pick),
            after.lead_time.as_ref().map(pick),
        );
        add(
            format!("net lead time {name}"),
            Unit::Seconds,
            before.lead_time_net.as_ref().map(pick),
            after.lead_time_net.as_ref().map(pick),
        );
    }
    add(
        "within legal term".into(),
        Unit::Share,
        before.within_legal_term.map(|s| s.ratio),
        after.within_legal_term.map(|s| s.ratio),
    );
    add(
        "within service norm".into(),
        Unit::Share,
        before.within_service_norm.map(|s| s.ratio),
        after.within_service_norm.map(|s| s.ratio),
    );
    add(
        "open overdue".into(),
        Unit::Count,
        Some(before.open.overdue.len() as f64),
        Some(after.open.overdue.len() as f64),
    );
    for b in &before.steps {
        if let Some(a) = after.steps.iter().find(|a| a.step == b.step) {
            add(
                format!("waiting mean: {}", b.step),
                Unit::Seconds,
                b.waiting.map(|s| s.mean),
                a.waiting.map(|s| s.mean),
            );
            add(
                format!("working mean: {}", b.step),
                Unit::Seconds,
                b.working.map(|s| s.mean),
                a.working.map(|s| s.mean),
            );
        }
    }
    Comparison { changes }
}

/// Days with one decimal, for tables.
pub fn days(seconds: f64) -> String {
    format!("{:.1}", seconds / DAY)
}

/// The report as aligned text tables for a terminal; durations in days with one decimal.
pub fn render_table(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} cases, {} closed, {} open ({} at risk, {} overdue, {} past target)",
        r.cases,
        r.closed,
        r.open.open,
        r.open.at_risk.len(),
        r.open.overdue.len(),
        r.open.past_target
    );
    for (label, share) in [
        ("within legal term", r.within_legal_term),
        ("within service norm", r.within_service_norm),
    ] {
        if let Some(s) = share {
            let _ = writeln!(
                out,
                "{label}: {} of {} ({:.1}%)",
                s.met,
                s.total,
                s.ratio * 100.0
            );
        }
    }
    out.push('\n');

    let stats_header = ["n", "mean", "min", "p50", "p90", "p95", "p99", "max"];
    let stats_cells = |s: &Stats| {
        vec![
            s.count.to_string(),
            days(s.mean),
            days(s.min),
            days(s.p50),
            days(s.p90),
            days(s.p95),
            days(s.p99),
            days(s.max),
        ]
    };
    let with_label = |label: &str, s: &Stats| {
        let mut row = vec![label.to_string()];
        row.extend(stats_cells(s));
        row
    };

    let mut rows = Vec::new();
    if let Some(s) = &r.lead_time {
        rows.push(with_label("gross", s));
    }
    if let Some(s) = &r.lead_time_net {
        rows.push(with_label("net of suspension", s));
    }
    section(&mut out, "Lead time (days)", "case", &stats_header, &rows);

    let rows: Vec<_> = r
        .statuses
        .iter()
        .map(|s| with_label(&s.status, &s.time))
        .collect();
    section(
        &mut out,
        "Time in status (days)",
        "status",
        &stats_header,
        &rows,
    );

    let mut rows = Vec::new();
    for step in &r.steps {
        if let Some(s) = &step.waiting {
            rows.push(with_label(&format!("{} / waiting", step.step), s));
        }
        if let Some(s) = &step.working {
            rows.push(with_label(&format!("{} / working", step.step), s));
        }
    }
    section(&mut out, "Steps (days)", "step", &stats_header, &rows);

    let rows: Vec<_> = r
        .bottlenecks
        .iter()
        .take(10)
        .map(|b| {
            vec![
                b.step.clone(),
                days(b.total_waiting),
                format!("{:.1}%", b.share * 100.0),
                days(b.mean_waiting),
                b.tasks_waited.to_string(),
            ]
        })
        .collect();
    section(
        &mut out,
        "Bottlenecks (waiting, days)",
        "step",
        &["total", "share", "mean", "tasks"],
        &rows,
    );

    let rows: Vec<_> = r
        .throughput
        .iter()
        .map(|w| vec![w.week.clone(), w.starts.to_string(), w.closed.to_string()])
        .collect();
    section(&mut out, "Throughput", "week", &["from", "closed"], &rows);
    out
}

/// The comparison as an aligned text table: durations in days with one decimal, shares in
/// percent, and the ratio after/before.
pub fn render_comparison(c: &Comparison) -> String {
    let value = |unit: Unit, v: f64| match unit {
        Unit::Seconds => days(v),
        Unit::Share => format!("{:.1}%", v * 100.0),
        Unit::Count => format!("{v}"),
    };
    let rows: Vec<Vec<String>> = c
        .changes
        .iter()
        .map(|ch| {
            let difference = match ch.unit {
                Unit::Seconds => format!("{:+.1}", ch.difference / DAY),
                Unit::Share => format!("{:+.1} pt", ch.difference * 100.0),
                Unit::Count => format!("{:+}", ch.difference),
            };
            vec![
                ch.figure.clone(),
                value(ch.unit, ch.before),
                value(ch.unit, ch.after),
                difference,
                ch.ratio
                    .map_or_else(|| "-".to_string(), |r| format!("{r:.2}")),
            ]
        })
        .collect();
    let mut out = String::new();
    section(
        &mut out,
        "Before and after (durations in days)",
        "figure",
        &["before", "after", "difference", "ratio"],
        &rows,
    );
    out
}

/// Writes a titled table: the first column left-aligned, the others right-aligned.
fn section(out: &mut String, title: &str, first: &str, header: &[&str], rows: &[Vec<String>]) {
    if rows.is_empty() {
        return;
    }
    let mut head = vec![first.to_string()];
    head.extend(header.iter().map(|h| h.to_string()));
    let mut widths: Vec<usize> = head.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let _ = writeln!(out, "{title}");
    for row in std::iter::once(&head).chain(rows) {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            let pad = w.saturating_sub(cell.chars().count());
            if i == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out.push('\n');
}
