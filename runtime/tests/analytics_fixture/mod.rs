//! Five cases of one process with hand-picked times, shared by the figures and XES tests.
//!
//! All times are UTC in January to March 2026; `NOW` is Monday 2 March 2026, 12:00.
//!
//! | case | started     | ended       | lead | suspended | deadline | target | statuses (days in each)             |
//! |------|-------------|-------------|------|-----------|----------|--------|-------------------------------------|
//! | A    | 01-05 09:00 | 01-15 09:00 | 10 d | -         | 01-20 ok | 01-12 late | ontvangen 2, in behandeling 8, afgehandeld 0 |
//! | B    | 01-05 09:00 | 01-25 09:00 | 20 d | 01-10..01-15 (5 d) | 01-23 late | 01-22 late | ontvangen 4, in behandeling 16, afgehandeld 0 |
//! | C    | 01-12 09:00 | 01-16 09:00 | 4 d  | -         | 02-09 ok | 01-19 ok | ontvangen 4, afgehandeld 0 |
//! | D    | 02-02 09:00 | open        |      | -         | 03-02 (at risk) | 02-16 (past) | ontvangen 2, in behandeling (running) |
//! | E    | 01-19 09:00 | open        |      | -         | 02-16 (overdue) | - | ontvangen (running) |
//!
//! Tasks (waiting = created to claimed, working = claimed to completed):
//!
//! | case | step       | team  | worker | waiting | working |
//! |------|------------|-------|--------|---------|---------|
//! | A    | intake     | front | ann    | 12 h    | 12 h    |
//! | A    | beoordelen | back  | bob    | 48 h    | 24 h    |
//! | B    | intake     | front | bob    | 24 h    | 12 h    |
//! | B    | beoordelen | back  | carl   | 96 h    | 48 h    |
//! | C    | intake     | front | ann    | 6 h     | 18 h    |
//! | D    | intake     | front | ann    | 1 h     | 2 h     |
//! | D    | beoordelen | back  | -      | open, unclaimed |  |
//! | E    | intake     | front | ann    | 24 h    | open    |

#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use zaak_runtime::analytics::{CaseHistory, TaskSpan};

pub const HOUR: f64 = 3600.0;
pub const DAY: f64 = 86_400.0;

pub fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, 0, 0)
        .single()
        .expect("a valid time")
}

pub fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).expect("a valid date")
}

pub fn now() -> DateTime<Utc> {
    at(3, 2, 12)
}

fn task(
    step: &str,
    team: &str,
    worker: Option<&str>,
    created: DateTime<Utc>,
    claimed: Option<DateTime<Utc>>,
    completed: Option<DateTime<Utc>>,
) -> TaskSpan {
    TaskSpan {
        step: step.into(),
        team: Some(team.into()),
        worker: worker.map(Into::into),
        created,
        claimed,
        completed,
    }
}

fn case(reference: &str, started: DateTime<Utc>, ended: Option<DateTime<Utc>>) -> CaseHistory {
    CaseHistory {
        reference: reference.into(),
        process: "omgevingsvergunning".into(),
        version: 1,
        started,
        ended,
        result: ended.map(|_| "verleend".into()),
        deadline: None,
        target: None,
        suspensions: Vec::new(),
        statuses: Vec::new(),
        tasks: Vec::new(),
        historical: false,
    }
}

pub fn cases() -> Vec<CaseHistory> {
    let status = |s: &str, t| -> (zaak_runtime::analytics::Name, _) { (s.into(), t) };
    let mut a = case("A", at(1, 5, 9), Some(at(1, 15, 9)));
    a.deadline = Some(date(1, 20));
    a.target = Some(date(1, 12));
    a.statuses = vec![
        status("ontvangen", at(1, 5, 9)),
        status("in behandeling", at(1, 7, 9)),
        status("afgehandeld", at(1, 15, 9)),
    ];
    a.tasks = vec![
        task(
            "intake",
            "front",
            Some("ann"),
            at(1, 5, 9),
            Some(at(1, 5, 21)),
            Some(at(1, 6, 9)),
        ),
        task(
            "beoordelen",
            "back",
            Some("bob"),
            at(1, 6, 9),
            Some(at(1, 8, 9)),
            Some(at(1, 9, 9)),
        ),
    ];

    let mut b = case("B", at(1, 5, 9), Some(at(1, 25, 9)));
    b.deadline = Some(date(1, 23));
    b.target = Some(date(1, 22));
    b.suspensions = vec![(at(1, 10, 9), Some(at(1, 15, 9)))];
    b.statuses = vec![
        status("ontvangen", at(1, 5, 9)),
        status("in behandeling", at(1, 9, 9)),
        status("afgehandeld", at(1, 25, 9)),
    ];
    b.tasks = vec![
        task(
            "intake",
            "front",
            Some("bob"),
            at(1, 5, 9),
            Some(at(1, 6, 9)),
            Some(at(1, 6, 21)),
        ),
        task(
            "beoordelen",
            "back",
            Some("carl"),
            at(1, 6, 21),
            Some(at(1, 10, 21)),
            Some(at(1, 12, 21)),
        ),
    ];

    let mut c = case("C", at(1, 12, 9), Some(at(1, 16, 9)));
    c.deadline = Some(date(2, 9));
    c.target = Some(date(1, 19));
    c.statuses = vec![
        status("ontvangen", at(1, 12, 9)),
        status("afgehandeld", at(1, 16, 9)),
    ];
    c.tasks = vec![task(
        "intake",
        "front",
        Some("ann"),
        at(1, 12, 9),
        Some(at(1, 12, 15)),
        Some(at(1, 13, 9)),
    )];

    let mut d = case("D", at(2, 2, 9), None);
    d.deadline = Some(date(3, 2));
    d.target = Some(date(2, 16));
    d.statuses = vec![
        status("ontvangen", at(2, 2, 9)),
        status("in behandeling", at(2, 4, 9)),
    ];
    d.tasks = vec![
        task(
            "intake",
            "front",
            Some("ann"),
            at(2, 2, 9),
            Some(at(2, 2, 10)),
            Some(at(2, 2, 12)),
        ),
        task("beoordelen", "back", None, at(2, 2, 12), None, None),
    ];

    let mut e = case("E", at(1, 19, 9), None);
    e.deadline = Some(date(2, 16));
    e.statuses = vec![status("ontvangen", at(1, 19, 9))];
    e.tasks = vec![task(
        "intake",
        "front",
        Some("ann"),
        at(1, 19, 9),
        Some(at(1, 20, 9)),
        None,
    )];

    vec![a, b, c, d, e]
}
