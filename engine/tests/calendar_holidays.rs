//! The holidays of the Algemene termijnenwet art. 3, Easter, decreed days and closing days.

use chrono::{Datelike, NaiveDate, Weekday};
use zaak_engine::calendar::{easter_sunday, statutory_holidays, Calendar};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date in a test")
}

#[test]
fn easter_sunday_in_known_years() {
    // Published dates of Easter Sunday, including the earliest possible (22 March, 2285) and the
    // latest possible (25 April, 2038).
    let known = [
        (2008, date(2008, 3, 23)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2030, date(2030, 4, 21)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ];
    for (year, expected) in known {
        assert_eq!(easter_sunday(year), Some(expected), "Easter {year}");
    }
}

#[test]
fn holidays_of_2026() {
    // Art. 3(1) lists Nieuwjaarsdag, Tweede Paas- en Pinksterdag, both Christmas days,
    // Hemelvaartsdag, the King's birthday as celebrated and 5 May; art. 3(2) adds Goede Vrijdag.
    // Easter Sunday 2026 is 5 April: Goede Vrijdag is two days before (3 April), Tweede
    // Paasdag the day after (6 April), Hemelvaartsdag 39 days after (Thursday 14 May), Tweede
    // Pinksterdag 50 days after (Monday 25 May). 27 April 2026 is a Monday, so Koningsdag stays.
    let expected = vec![
        (date(2026, 1, 1), "Nieuwjaarsdag"),
        (date(2026, 4, 3), "Goede Vrijdag"),
        (date(2026, 4, 6), "Tweede Paasdag"),
        (date(2026, 4, 27), "Koningsdag"),
        (date(2026, 5, 5), "Bevrijdingsdag"),
        (date(2026, 5, 14), "Hemelvaartsdag"),
        (date(2026, 5, 25), "Tweede Pinksterdag"),
        (date(2026, 12, 25), "Eerste Kerstdag"),
        (date(2026, 12, 26), "Tweede Kerstdag"),
    ];
    assert_eq!(statutory_holidays(2026), expected);
    let cal = Calendar::netherlands();
    for (day, name) in expected {
        assert_eq!(cal.is_holiday(day), Some(name), "{day}");
        assert!(!cal.is_working_day(day), "{day}");
    }
}

#[test]
fn ordinary_days_are_no_holidays() {
    let cal = Calendar::without_decrees();
    // Easter Sunday and Whit Sunday are Sundays, not in the art. 3 list as such; Maundy
    // Thursday and the Friday after Ascension are ordinary days unless a decree says otherwise.
    for day in [
        date(2026, 4, 5),
        date(2026, 4, 2),
        date(2026, 5, 15),
        date(2026, 5, 24),
        date(2026, 12, 24),
        date(2026, 12, 31),
    ] {
        assert_eq!(cal.is_holiday(day), None, "{day}");
    }
    // Thursday 2 April 2026, the day before Goede Vrijdag, is a working day.
    assert!(cal.is_working_day(date(2026, 4, 2)));
    // The decree for 2026 to 2028 does say otherwise about Friday 15 May 2026, and only that
    // day of these.
    let cal = Calendar::netherlands();
    assert_eq!(
        cal.is_holiday(date(2026, 5, 15)),
        Some("vrijdag na Hemelvaartsdag")
    );
    assert_eq!(cal.is_holiday(date(2026, 12, 24)), None);
}

#[test]
fn kings_day_moves_to_saturday_when_the_27th_is_a_sunday() {
    let cal = Calendar::netherlands();
    // 27 April 2025 is a Sunday, so Koningsdag is Saturday 26 April 2025.
    assert_eq!(cal.is_holiday(date(2025, 4, 26)), Some("Koningsdag"));
    assert_eq!(cal.is_holiday(date(2025, 4, 27)), None);
    // 27 April 2026 is a Monday: Koningsdag itself.
    assert_eq!(cal.is_holiday(date(2026, 4, 27)), Some("Koningsdag"));
    assert_eq!(cal.is_holiday(date(2026, 4, 26)), None);
}

#[test]
fn liberation_day_counts_every_year() {
    let cal = Calendar::netherlands();
    // The Awt lists 5 May every year, not only in the lustrum years when most people are off.
    for year in [2025, 2026, 2027, 2028, 2029, 2030] {
        assert_eq!(cal.is_holiday(date(year, 5, 5)), Some("Bevrijdingsdag"));
    }
}

#[test]
fn christmas_on_a_weekend_has_no_substitute() {
    let cal = Calendar::netherlands();
    // 25 and 26 December 2027 are Saturday and Sunday; Monday 27 December is an ordinary
    // working day: Dutch law has no substitute holiday.
    assert_eq!(cal.is_holiday(date(2027, 12, 25)), Some("Eerste Kerstdag"));
    assert_eq!(cal.is_holiday(date(2027, 12, 26)), Some("Tweede Kerstdag"));
    assert!(cal.is_working_day(date(2027, 12, 27)));
}

#[test]
fn decreed_days_are_holidays_and_closing_days_are_not() {
    let cal = Calendar::netherlands().with_closing_days([
        (date(2026, 12, 24), "Kerstavond"),
        (date(2026, 12, 31), "Oudejaarsdag"),
    ]);
    assert_eq!(
        cal.is_holiday(date(2026, 5, 15)),
        Some("vrijdag na Hemelvaartsdag")
    );
    assert!(!cal.is_working_day(date(2026, 5, 15)));
    assert!(cal.is_weekend_or_holiday(date(2026, 5, 15)));
    // A closing day stops work but is not a holiday for the Awt.
    assert_eq!(cal.is_holiday(date(2026, 12, 24)), None);
    assert!(cal.is_closing_day(date(2026, 12, 24)));
    assert_eq!(cal.closing_day(date(2026, 12, 24)), Some("Kerstavond"));
    assert!(!cal.is_working_day(date(2026, 12, 24)));
    assert!(!cal.is_weekend_or_holiday(date(2026, 12, 24)));
}

#[test]
fn easter_is_a_sunday_between_22_march_and_25_april() {
    // The bounds of the Gregorian computus, for every year from its introduction to 4000.
    for year in 1583..=4000 {
        let easter = easter_sunday(year).expect("within chrono's range");
        assert_eq!(easter.weekday(), Weekday::Sun, "Easter {year}");
        assert!(
            easter >= date(year, 3, 22) && easter <= date(year, 4, 25),
            "Easter {year} on {easter}"
        );
    }
}

#[test]
fn queens_day_before_2014() {
    let cal = Calendar::netherlands();
    // Until 2013 the birthday was celebrated on 30 April; in 2006 that was a Sunday, so
    // Koninginnedag was Saturday 29 April 2006.
    assert_eq!(cal.is_holiday(date(2013, 4, 30)), Some("Koninginnedag"));
    assert_eq!(cal.is_holiday(date(2006, 4, 29)), Some("Koninginnedag"));
    assert_eq!(cal.is_holiday(date(2006, 4, 30)), None);
    assert_eq!(cal.is_holiday(date(2013, 4, 27)), None);
}

/// The day-by-day lookup (which skips months without movable holidays) agrees with the list of
/// each year's holidays on every day of two centuries.
#[test]
fn the_day_lookup_agrees_with_the_year_list() {
    for year in 1900..=2100 {
        let list = statutory_holidays(year);
        let mut day = NaiveDate::from_ymd_opt(year, 1, 1).expect("a date");
        while day.year() == year {
            let expected = list.iter().find(|(d, _)| *d == day).map(|(_, n)| *n);
            assert_eq!(
                zaak_engine::calendar::statutory_holiday(day),
                expected,
                "{day}"
            );
            day = day.succ_opt().expect("a next day");
        }
    }
}
