//! The algemeen erkende feestdagen of Awt art. 3, first and second paragraph, computed for any
//! year.
//!
//! Art. 3(1) (Stb. 1964, 314, as in force): "Algemeen erkende feestdagen in de zin van deze wet
//! zijn: de Nieuwjaarsdag, de Christelijke tweede Paas- en Pinksterdag, de beide Kerstdagen, de
//! Hemelvaartsdag, de dag waarop de verjaardag van de Koning wordt gevierd en de vijfde mei."
//! Art. 3(2): "Voor de toepassing van deze wet wordt de Goede Vrijdag met de in het vorige lid
//! genoemde dagen gelijkgesteld." So Goede Vrijdag counts for the Awt by the Act itself, and
//! 5 May counts every year, not only in the years it is a day off for many employees. Easter
//! Sunday and Whit Sunday are not listed; they are Sundays anyway.
//!
//! Days set equal by Royal Decree under art. 3(3) are data, not computed: see
//! [`super::decrees`].

use chrono::{Datelike, NaiveDate, Weekday};

/// Saturday or Sunday.
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, also known as
/// Meeus/Jones/Butcher). `None` only for years outside chrono's range.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// "De dag waarop de verjaardag van de Koning wordt gevierd" (art. 3(1)) in `year`.
///
/// From 2014 the Besluit van 30 januari 2013 (Stcrt. 2013, 4075) sets 27 April, "behoudens
/// uitzonderingen in verband met zondagen"; the Royal House states that when the 27th is a
/// Sunday the day is celebrated the day before, Saturday 26 April (so in 2014 and 2025). From
/// 1980 to 2013 the decree of 24 April 1980 set 30 April with the same words; the Saturday
/// 29 April used for its Sundays is the common practice and was not checked against a
/// publication. Earlier years follow the 1980 rule, which is not exact for them; terms that old
/// are out of scope.
fn kings_day(year: i32) -> Option<NaiveDate> {
    let (day, name_day) = if year >= 2014 { (27, 26) } else { (30, 29) };
    let date = NaiveDate::from_ymd_opt(year, 4, day)?;
    if date.weekday() == Weekday::Sun {
        NaiveDate::from_ymd_opt(year, 4, name_day)
    } else {
        Some(date)
    }
}

/// The holidays of Awt art. 3(1) and Goede Vrijdag of art. 3(2) in `year`, in date order, with
/// their Dutch names. Easter Sunday and Whit Sunday are left out: they are Sundays anyway.
pub fn statutory_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let mut days = Vec::with_capacity(10);
    let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    let mut push = |date: Option<NaiveDate>, name| {
        if let Some(date) = date {
            days.push((date, name));
        }
    };
    push(fixed(1, 1), "Nieuwjaarsdag");
    if let Some(easter) = easter_sunday(year) {
        let offset = |n: i64| easter.checked_add_signed(chrono::Duration::days(n));
        push(offset(-2), "Goede Vrijdag");
        push(offset(1), "Tweede Paasdag");
        push(offset(39), "Hemelvaartsdag");
        push(offset(50), "Tweede Pinksterdag");
    }
    push(
        kings_day(year),
        if year >= 2014 {
            "Koningsdag"
        } else {
            "Koninginnedag"
        },
    );
    push(fixed(5, 5), "Bevrijdingsdag");
    push(fixed(12, 25), "Eerste Kerstdag");
    push(fixed(12, 26), "Tweede Kerstdag");
    days.sort();
    days
}

/// The name of the holiday of Awt art. 3(1) or 3(2) on `date`, if it is one.
pub fn statutory_holiday(date: NaiveDate) -> Option<&'static str> {
    match (date.month(), date.day()) {
        (1, 1) => return Some("Nieuwjaarsdag"),
        (5, 5) => return Some("Bevrijdingsdag"),
        (12, 25) => return Some("Eerste Kerstdag"),
        (12, 26) => return Some("Tweede Kerstdag"),
        _ => {}
    }
    // Every other holiday falls between Goede Vrijdag (20 March at the earliest) and Tweede
    // Pinksterdag (14 June at the latest); most days of the year need no Easter computation,
    // which matters because working-day arithmetic asks this for every day it passes.
    if !(3..=6).contains(&date.month()) {
        return None;
    }
    let year = date.year();
    if date.month() == 4 && kings_day(year) == Some(date) {
        return Some(if year >= 2014 {
            "Koningsdag"
        } else {
            "Koninginnedag"
        });
    }
    let easter = easter_sunday(year)?;
    match (date - easter).num_days() {
        -2 => Some("Goede Vrijdag"),
        1 => Some("Tweede Paasdag"),
        39 => Some("Hemelvaartsdag"),
        50 => Some("Tweede Pinksterdag"),
        _ => None,
    }
}
