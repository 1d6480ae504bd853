//! Days set equal to holidays by Royal Decree (Awt art. 3(3)): the shipped table, checked day by
//! day, the years it covers, and the warning for terms that end after them.

mod common;

use chrono::{Datelike, NaiveDate, Weekday};
use zaak_dsl::{ProcessModel, Severity};
use zaak_engine::calendar::{decrees, Calendar, Decree, DecreedDay};
use zaak_engine::term::{latest_deadline, past_decrees_warning, TERM_PAST_DECREES};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date in a test")
}

/// Dutch month names, as decree titles write dates ("15 mei 2026").
fn in_dutch(d: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

#[test]
fn every_shipped_day_checked_by_hand() {
    // Each decreed day with the holiday it follows. Every one is the Friday after a holiday on
    // a Thursday, which is what decrees under art. 3(3) are for: without it a term ending on
    // the Friday would leave one working day between a holiday and a weekend.
    let expected = [
        // Decree for 2023 to 2025.
        // Koningsdag, Thursday 27 April 2023.
        (date(2023, 4, 28), "vrijdag na Koningsdag", "Koningsdag"),
        // Easter 9 April 2023 + 39 days: Hemelvaartsdag, Thursday 18 May.
        (
            date(2023, 5, 19),
            "vrijdag na Hemelvaartsdag",
            "Hemelvaartsdag",
        ),
        // Easter 31 March 2024 + 39 days: Thursday 9 May.
        (
            date(2024, 5, 10),
            "vrijdag na Hemelvaartsdag",
            "Hemelvaartsdag",
        ),
        // Christmas 2024 on Wednesday and Thursday; the Friday after Tweede Kerstdag.
        (
            date(2024, 12, 27),
            "vrijdag na Tweede Kerstdag",
            "Tweede Kerstdag",
        ),
        // Easter 20 April 2025 + 39 days: Thursday 29 May.
        (
            date(2025, 5, 30),
            "vrijdag na Hemelvaartsdag",
            "Hemelvaartsdag",
        ),
        // Decree for 2026 to 2028.
        // New Year's Day 2026 is a Thursday.
        (
            date(2026, 1, 2),
            "vrijdag na Nieuwjaarsdag",
            "Nieuwjaarsdag",
        ),
        // Easter 5 April 2026 + 39 days: Thursday 14 May.
        (
            date(2026, 5, 15),
            "vrijdag na Hemelvaartsdag",
            "Hemelvaartsdag",
        ),
        // Easter 28 March 2027 + 39 days: Thursday 6 May.
        (
            date(2027, 5, 7),
            "vrijdag na Hemelvaartsdag",
            "Hemelvaartsdag",
        ),
        // Koningsdag, Thursday 27 April 2028.
        (date(2028, 4, 28), "vrijdag na Koningsdag", "Koningsdag"),
        // Easter 16 April 2028 + 39 days: Thursday 25 May.
        (
            date(2028, 5, 26),
            "vrijdag na Hemelvaartsdag",
            "Hemelvaartsdag",
        ),
    ];
    let shipped: Vec<(NaiveDate, String)> = decrees::shipped()
        .iter()
        .flat_map(|d| d.days.iter().map(|day| (day.date, day.name.clone())))
        .collect();
    let listed: Vec<(NaiveDate, String)> = expected
        .iter()
        .map(|(d, name, _)| (*d, name.to_string()))
        .collect();
    assert_eq!(shipped, listed, "the shipped table, day for day");

    let cal = Calendar::netherlands();
    let awt_only = Calendar::without_decrees();
    for (day, name, holiday) in expected {
        assert_eq!(day.weekday(), Weekday::Fri, "{day}");
        let thursday = day.pred_opt().expect("a day before");
        assert_eq!(awt_only.is_holiday(thursday), Some(holiday), "{thursday}");
        // Not a holiday by the Act itself, a holiday with the decree.
        assert_eq!(awt_only.is_holiday(day), None, "{day}");
        assert_eq!(cal.is_holiday(day), Some(name), "{day}");
        assert!(!cal.is_working_day(day), "{day}");
        // The decree's title names the day.
        let decree = cal.decree_of(day).expect("a decree sets the day");
        assert!(
            decree.title.contains(&in_dutch(day)),
            "{} names {}",
            decree.title,
            in_dutch(day)
        );
        assert!(decree.covers(day.year()), "{day}");
    }
}

#[test]
fn shipped_decrees_say_what_was_not_verified() {
    // Neither decree's Staatscourant publication could be read, so neither claims a signing
    // date or a Staatscourant number, and each says so.
    for decree in decrees::shipped() {
        assert_eq!(decree.signed_on, None, "{}", decree.title);
        assert_eq!(decree.published_in, None, "{}", decree.title);
        assert!(decree.checked.contains("NOT verified"), "{}", decree.title);
        assert_eq!(decree.last_year - decree.first_year, 2, "three years each");
    }
}

#[test]
fn the_shipped_decrees_cover_2023_to_2028() {
    let cal = Calendar::netherlands();
    assert_eq!(cal.last_decreed_year(), Some(2028));
    for year in 2023..=2028 {
        let covering = cal.decrees().iter().filter(|d| d.covers(year)).count();
        assert_eq!(covering, 1, "{year}");
    }
    assert!(!cal.is_past_decrees(date(2026, 5, 15)));
    assert!(!cal.is_past_decrees(date(2028, 12, 31)));
    assert!(cal.is_past_decrees(date(2029, 1, 1)));
    // A calendar without decrees knows no year, so every date lies past them.
    let awt_only = Calendar::without_decrees();
    assert_eq!(awt_only.last_decreed_year(), None);
    assert!(awt_only.is_past_decrees(date(2026, 5, 15)));
}

fn decree_2029() -> Decree {
    Decree {
        title: "Besluit voor 2029 tot en met 2031 (testgegevens)".to_string(),
        signed_on: None,
        published_in: Some("Stcrt. 9999, 1".to_string()),
        first_year: 2029,
        last_year: 2031,
        days: vec![DecreedDay {
            date: date(2029, 5, 11),
            name: "vrijdag na Hemelvaartsdag".to_string(),
        }],
        checked: "test data".to_string(),
    }
}

#[test]
fn a_later_decree_extends_the_years_covered() {
    let cal = Calendar::netherlands().with_decree(decree_2029());
    assert_eq!(cal.last_decreed_year(), Some(2031));
    assert!(!cal.is_past_decrees(date(2031, 12, 31)));
    assert!(cal.is_past_decrees(date(2032, 1, 1)));
    // Easter 1 April 2029 + 39 days: Hemelvaartsdag Thursday 10 May; the decree's Friday moves a
    // 4-week term from Friday 13 April 2029 (ending on it) over the weekend to Monday 14 May.
    assert_eq!(
        cal.is_holiday(date(2029, 5, 11)),
        Some("vrijdag na Hemelvaartsdag")
    );
    let term = zaak_dsl::LegalTerm {
        duration: "4 weeks".parse().expect("a duration"),
        counting: zaak_dsl::TermCounting::Calendar,
    };
    assert_eq!(
        cal.legal_deadline(date(2029, 4, 13), &term),
        date(2029, 5, 14)
    );
    assert_eq!(
        Calendar::netherlands().legal_deadline(date(2029, 4, 13), &term),
        date(2029, 5, 11)
    );
}

#[test]
fn a_day_named_twice_keeps_its_first_decree() {
    let mut again = decree_2029();
    again.title = "een tweede besluit".to_string();
    again.days = vec![DecreedDay {
        date: date(2026, 5, 15),
        name: "anders genoemd".to_string(),
    }];
    let cal = Calendar::netherlands().with_decree(again);
    assert_eq!(
        cal.is_holiday(date(2026, 5, 15)),
        Some("vrijdag na Hemelvaartsdag")
    );
    let decree = cal.decree_of(date(2026, 5, 15)).expect("a decree");
    assert!(decree.title.contains("15 mei 2026"), "{}", decree.title);
}

/// A process with a legal term and, when given, an extension.
fn process(term: &str, extension: Option<&str>) -> ProcessModel {
    let mut fields = serde_json::json!({ "term": { "duration": term } });
    if let (Some(ext), Some(object)) = (extension, fields.as_object_mut()) {
        object.insert("extension".to_string(), ext.into());
    }
    common::with_fields(fields)
}

#[test]
fn the_latest_deadline_includes_the_longest_extension() {
    let cal = Calendar::netherlands();
    // Monday 5 January 2026 + 8 weeks = Monday 2 March; + 6 weeks = Monday 13 April.
    let model = process("8 weeks", Some("6 weeks"));
    assert_eq!(
        latest_deadline(&model, &cal, date(2026, 1, 5)),
        Some(date(2026, 4, 13))
    );
    assert_eq!(
        latest_deadline(&process("8 weeks", None), &cal, date(2026, 1, 5)),
        Some(date(2026, 3, 2))
    );
    let no_term = common::with_fields(serde_json::json!({}));
    assert_eq!(latest_deadline(&no_term, &cal, date(2026, 1, 5)), None);
}

#[test]
fn a_term_past_the_known_decrees_is_warned_about() {
    let cal = Calendar::netherlands();
    let model = process("8 weeks", Some("6 weeks"));
    // Started on 5 December 2026 the latest deadline is in March 2027: covered.
    assert_eq!(past_decrees_warning(&model, &cal, date(2026, 12, 5)), None);
    // Started on Wednesday 1 November 2028: 8 weeks end on Wednesday 27 December 2028, covered;
    // with the extension of 6 weeks, Wednesday 7 February 2029, which no known decree covers.
    assert_eq!(
        past_decrees_warning(&process("8 weeks", None), &cal, date(2028, 11, 1)),
        None
    );
    let warning = past_decrees_warning(&model, &cal, date(2028, 11, 1)).expect("a warning");
    assert_eq!(warning.code, TERM_PAST_DECREES);
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(
        warning.message,
        "a case started today (2028-11-01) can have its legal deadline on 2029-02-07 \
         (8 weeks plus its extension of 6 weeks), but the last year a known decree covers is 2028"
    );
    // A term of two years from 5 December 2026 ends on 5 December 2028 (the Awt does not move
    // terms in years): covered. Three years end in 2029: warned.
    assert_eq!(
        past_decrees_warning(&process("2 years", None), &cal, date(2026, 12, 5)),
        None
    );
    assert!(past_decrees_warning(&process("3 years", None), &cal, date(2026, 12, 5)).is_some());
    // Once the decree for 2029 to 2031 is added, February 2029 is covered.
    let later = Calendar::netherlands().with_decree(decree_2029());
    assert_eq!(
        past_decrees_warning(&model, &later, date(2028, 11, 1)),
        None
    );
}
