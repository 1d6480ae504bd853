//! A municipality's calendar file: what it adds, and every problem with its line and field.

use chrono::NaiveDate;
use zaak_engine::calendar::file::{parse, CalendarFile, FileError};
use zaak_engine::calendar::Calendar;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date in a test")
}

const GOOD: &str = r#"# Kalender van de gemeente Voorbeeld
[[decree]]
title = "Besluit gelijkstelling (testgegevens voor 2029 tot en met 2031)"
published_in = "Stcrt. 2028, 12345"
signed_on = 2028-10-02
first_year = 2029
last_year = 2031
days = [
  { date = 2029-05-11, name = "vrijdag na Hemelvaartsdag" },
  { date = "2030-05-31", name = "vrijdag na Hemelvaartsdag" },
]

[[closing_day]]
date = 2026-12-24
name = "Kerstavond"

[[closing_day]]
date = "2026-12-31"
name = "Oudejaarsdag"
"#;

/// The problems of a file that should not read, as `line:column field: message` lines.
fn problems(text: &str) -> Vec<String> {
    match parse(text) {
        Ok(file) => panic!("expected problems, read {file:?}"),
        Err(errors) => errors
            .iter()
            .map(|e: &FileError| format!("{}:{} {}: {}", e.line, e.column, e.field, e.message))
            .collect(),
    }
}

#[test]
fn a_good_file_adds_its_decrees_and_closing_days() {
    let file = parse(GOOD).expect("the file reads");
    assert_eq!(file.decrees.len(), 1);
    let decree = &file.decrees[0];
    assert_eq!(decree.published_in.as_deref(), Some("Stcrt. 2028, 12345"));
    assert_eq!(decree.signed_on, Some(date(2028, 10, 2)));
    assert_eq!((decree.first_year, decree.last_year), (2029, 2031));
    let days: Vec<NaiveDate> = decree.days.iter().map(|d| d.date).collect();
    assert_eq!(days, [date(2029, 5, 11), date(2030, 5, 31)]);
    assert_eq!(
        file.closing_days,
        [
            (date(2026, 12, 24), "Kerstavond".to_string()),
            (date(2026, 12, 31), "Oudejaarsdag".to_string()),
        ]
    );

    let cal = Calendar::netherlands().with_file(file);
    // The shipped decrees stay; the file's decree is added and extends the years covered.
    assert_eq!(
        cal.is_holiday(date(2026, 5, 15)),
        Some("vrijdag na Hemelvaartsdag")
    );
    assert_eq!(
        cal.is_holiday(date(2029, 5, 11)),
        Some("vrijdag na Hemelvaartsdag")
    );
    assert_eq!(cal.last_decreed_year(), Some(2031));
    // Closing days are no holidays, but no working days either.
    assert_eq!(cal.is_holiday(date(2026, 12, 24)), None);
    assert_eq!(cal.closing_day(date(2026, 12, 24)), Some("Kerstavond"));
    assert!(!cal.is_working_day(date(2026, 12, 31)));
}

#[test]
fn an_empty_file_adds_nothing() {
    assert_eq!(parse(""), Ok(CalendarFile::default()));
    assert_eq!(parse("# nothing yet\n"), Ok(CalendarFile::default()));
}

#[test]
fn toml_syntax_errors_name_their_line() {
    assert_eq!(
        problems("[[closing_day]]\ndate = 2026-12-24\nname = \"Kerstavond\n"),
        ["3:19 file: invalid basic string, expected `\"`"]
    );
}

#[test]
fn unknown_and_missing_keys_name_their_field() {
    assert_eq!(
        problems("[[closing_day]]\ndate = 2026-12-24\nnaam = \"Kerstavond\"\n"),
        ["3:1 closing_day[1].naam: unknown field `naam`, expected `date` or `name`"]
    );
    assert_eq!(
        problems("[[closing_day]]\ndate = 2026-12-24\n"),
        ["1:1 closing_day[1]: missing field `name`"]
    );
    assert_eq!(
        problems("[[closing_days]]\ndate = 2026-12-24\nname = \"x\"\n"),
        ["1:3 closing_days: unknown field `closing_days`, expected `decree` or `closing_day`"]
    );
}

#[test]
fn a_value_of_the_wrong_type_names_its_field() {
    assert_eq!(
        problems(
            "[[decree]]\ntitle = \"t\"\npublished_in = \"p\"\nfirst_year = \"2029\"\n\
             last_year = 2031\ndays = []\n"
        ),
        ["4:14 decree[1].first_year: invalid type: string \"2029\", expected i64"]
    );
}

#[test]
fn bad_dates_are_refused_with_their_place() {
    let text = "\
[[closing_day]]
date = 2026-02-30
name = \"a\"

[[closing_day]]
date = \"2026-1-5\"
name = \"b\"

[[closing_day]]
date = 2026-12-24T09:00:00
name = \"c\"

[[closing_day]]
date = 20261224
name = \"d\"
";
    let found = problems(text);
    // TOML itself refuses 30 February, before any check of ours.
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("2:8 file:"), "{found:?}");

    let found = problems(&text.replace("2026-02-30", "2026-02-28"));
    assert_eq!(
        found,
        [
            "6:8 closing_day[2].date: `2026-1-5` is not a date; write the day alone as \
             YYYY-MM-DD, e.g. 2026-12-24",
            "10:8 closing_day[3].date: `2026-12-24T09:00:00` is not a date; write the day alone \
             as YYYY-MM-DD, e.g. 2026-12-24",
            "14:8 closing_day[4].date: expected a date such as 2026-12-24, found integer",
        ]
    );
}

#[test]
fn every_problem_of_a_decree_is_reported_at_once() {
    let text = "\
[[decree]]
title = \"  \"
published_in = \"Stcrt. 2028, 12345\"
first_year = 2029
last_year = 2031
days = [
  { date = 2029-05-12, name = \"zaterdag\" },
  { date = 2029-05-10, name = \"Hemelvaartsdag zelf\" },
  { date = 2032-05-07, name = \"te laat\" },
  { date = 2029-05-11, name = \"\" },
]
";
    assert_eq!(
        problems(text),
        [
            "2:9 decree[1].title: empty; give the decree's title",
            "7:12 decree[1].days[1].date: 2029-05-12 is a Saturday; a decree sets weekdays \
             equal to holidays, so this is probably a typing error",
            "8:12 decree[1].days[2].date: 2029-05-10 is Hemelvaartsdag, a holiday of Awt \
             art. 3 already; a decree names other days, so this is probably a typing error",
            "9:12 decree[1].days[3].date: 2032-05-07 is outside the years the decree covers \
             (2029 to 2031)",
            "10:31 decree[1].days[4].name: empty; give why the day counts",
        ]
    );
}

#[test]
fn years_and_days_of_a_decree_must_make_sense() {
    let text = "\
[[decree]]
title = \"t\"
published_in = \"Stcrt. 2028, 12345\"
first_year = 2031
last_year = 2029
days = []
";
    assert_eq!(
        problems(text),
        [
            "5:13 decree[1].last_year: 2029 is before first_year 2031",
            "6:8 decree[1].days: a decree sets at least one day equal to a holiday; list its days",
        ]
    );
    let text = text.replace("first_year = 2031", "first_year = 1900");
    assert_eq!(
        problems(&text)[0],
        "4:14 decree[1].first_year: 1900 is not a year a decree can cover (1965 to 9999)"
    );
}

#[test]
fn a_date_given_twice_is_refused() {
    let text = "\
[[decree]]
title = \"t\"
published_in = \"p\"
first_year = 2029
last_year = 2031
days = [{ date = 2029-05-11, name = \"a\" }]

[[closing_day]]
date = 2029-05-11
name = \"b\"
";
    assert_eq!(
        problems(text),
        ["9:8 closing_day[1].date: 2029-05-11 is given twice; it is also decree[1].days[1].date"]
    );
}

#[test]
fn nothing_panics_on_odd_input() {
    for text in [
        "\u{0}",
        "[[decree]]",
        "decree = 5",
        "closing_day = [1, 2]",
        "[[closing_day]]\ndate = 9999-12-31\nname = \"x\"",
        "[[decree]]\ntitle=\"t\"\npublished_in=\"p\"\nfirst_year=9223372036854775807\nlast_year=1\ndays=[]",
        "é = 1",
    ] {
        // Each either reads or gives at least one problem with a line.
        match parse(text) {
            Ok(_) => {}
            Err(errors) => {
                assert!(!errors.is_empty(), "{text:?}");
                assert!(errors.iter().all(|e| e.line >= 1 && e.column >= 1), "{text:?}");
            }
        }
    }
}
