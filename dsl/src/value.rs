//! Typed values of case data, read strictly and in one place.
//!
//! Every front end (the REST API, the CLI, the web pages, the ZGW API), the engine and the
//! expression language read a date, a number or a choice with the functions here, so that a
//! value one of them accepts is never refused, or read differently, by another:
//!
//! * a date is `YYYY-MM-DD`: four digits, a dash, two digits, a dash, two digits, and a day that
//!   exists (`2024-1-5`, ` 2024-01-05` and `2023-02-29` are not dates);
//! * a number is a JSON number whose digits a 64-bit float keeps exactly: `0.1` and
//!   `9007199254740992` are numbers, `99999999999999999999999999` is refused instead of being
//!   stored as `1e26`;
//! * text, a yes/no and a choice are what their JSON says, a choice one of its listed values.
//!
//! [`parse_json`] reads the JSON text of one value (as a front end receives it, before any
//! digit is lost); [`check`] checks a value already read against the type of its field.

use crate::model::DataType;
use serde_json::Value;
use std::fmt;

/// Why a value does not fit its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// The value is of another kind than the field (text for a number, a list for a date...).
    #[error("expected {expected}")]
    WrongType { expected: String },
    /// A choice outside the list.
    #[error("`{value}` is not one of: {}", .allowed.join(", "))]
    NotAllowed { value: String, allowed: Vec<String> },
    /// Text where a date belongs that is not a `YYYY-MM-DD` date of the calendar.
    #[error("`{0}` is not a date; write it as YYYY-MM-DD, e.g. 2026-05-15")]
    NotADate(String),
    /// A number with more significant digits than a 64-bit float keeps.
    #[error("`{0}` has more digits than can be kept exactly; give at most 15 significant digits")]
    Imprecise(String),
    /// The text is not one JSON value.
    #[error("not a JSON value: {0}")]
    Malformed(String),
}

/// A day of the (proleptic Gregorian) calendar, as read from `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl CivilDate {
    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        )
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> CivilDate {
        let (y, m, d) = civil_from_days(days);
        CivilDate {
            year: y as i32,
            month: m as u32,
            day: d as u32,
        }
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Reads a `YYYY-MM-DD` date: exactly ten characters, zero-padded, a day that exists.
pub fn parse_date(text: &str) -> Result<CivilDate, ValueError> {
    let not_a_date = || ValueError::NotADate(text.to_string());
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(not_a_date());
    }
    let digits = |from: usize, to: usize| -> Result<u32, ValueError> {
        let part = &b[from..to];
        if !part.iter().all(u8::is_ascii_digit) {
            return Err(not_a_date());
        }
        Ok(part.iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0')))
    };
    let (year, month, day) = (digits(0, 4)?, digits(5, 7)?, digits(8, 10)?);
    if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(not_a_date());
    }
    Ok(CivilDate {
        year: year as i32,
        month,
        day,
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// The proleptic Gregorian day count (Howard Hinnant's algorithm), so that date arithmetic in
// the expression language needs no calendar crate.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Checks a value against the type of its field. `null` fits every type: whether a field may
/// be left empty is the field's `required`, which the caller checks.
pub fn check(ty: &DataType, value: &Value) -> Result<(), ValueError> {
    let wrong = || ValueError::WrongType {
        expected: match ty {
            DataType::Date => "a date (YYYY-MM-DD)".to_string(),
            DataType::Choice(values) => format!("one of: {}", values.join(", ")),
            DataType::Text => "text".to_string(),
            DataType::Number => "a number".to_string(),
            DataType::Bool => "true or false".to_string(),
        },
    };
    match (ty, value) {
        (_, Value::Null) => Ok(()),
        (DataType::Text, Value::String(_)) => Ok(()),
        (DataType::Number, Value::Number(_)) => Ok(()),
        (DataType::Bool, Value::Bool(_)) => Ok(()),
        (DataType::Date, Value::String(s)) => parse_date(s).map(|_| ()),
        (DataType::Choice(allowed), Value::String(s)) => {
            if allowed.iter().any(|a| a == s) {
                Ok(())
            } else {
                Err(ValueError::NotAllowed {
                    value: s.clone(),
                    allowed: allowed.clone(),
                })
            }
        }
        _ => Err(wrong()),
    }
}

/// Reads the JSON text of one value without losing a digit: a number whose digits a 64-bit
/// float cannot keep is refused, not rounded. Only reads; [`check`] decides whether the value
/// fits a field.
pub fn parse_json(text: &str) -> Result<Value, ValueError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| ValueError::Malformed(e.to_string()))?;
    check_numbers(text.trim(), &value)?;
    Ok(value)
}

/// Every number in `value` must be exact. For a number alone the text is at hand; inside a list
/// or an object (which no field type takes, so they are refused later anyway) the numbers are
/// read again from their own text.
fn check_numbers(text: &str, value: &Value) -> Result<(), ValueError> {
    match value {
        Value::Number(_) => exact_number(text),
        Value::Array(_) | Value::Object(_) => {
            for token in number_tokens(text) {
                exact_number(token)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The number tokens of a JSON text, outside its strings.
fn number_tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < b.len() && matches!(b[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                out.push(&text[start..i]);
            }
            _ => i += 1,
        }
    }
    out
}

/// A decimal as its significant digits and the power of ten of the last one:
/// `-1.250e3` is ("125", 1). Zero is ("", 0).
fn significand(text: &str) -> Option<(String, i64)> {
    let t = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i64>().ok()?),
        None => (t, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = int.chars().chain(frac.chars()).collect();
    if !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut power = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
    let leading = digits.bytes().take_while(|&c| c == b'0').count();
    digits.drain(..leading);
    while digits.ends_with('0') {
        digits.pop();
        power += 1;
    }
    if digits.is_empty() {
        power = 0;
    }
    Some((digits, power))
}

/// A number token is exact when its digits are those of the float it reads as, printed in the
/// fewest digits that read back as that float: then nothing was rounded away.
fn exact_number(text: &str) -> Result<(), ValueError> {
    let imprecise = || ValueError::Imprecise(text.to_string());
    let float: f64 = text.parse().map_err(|_| imprecise())?;
    if !float.is_finite() {
        return Err(imprecise());
    }
    let written = significand(text).ok_or_else(imprecise)?;
    let kept = significand(&format!("{float:e}")).ok_or_else(imprecise)?;
    if written == kept {
        Ok(())
    } else {
        Err(imprecise())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_ten_characters_of_a_real_day() {
        assert_eq!(
            parse_date("2024-02-29"),
            Ok(CivilDate {
                year: 2024,
                month: 2,
                day: 29
            })
        );
        for bad in [
            "2024-1-5",
            " 2024-01-05",
            "2024-01-05 ",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-00",
            "0000-01-01",
            "24-01-01",
            "2024/01/05",
            "２０２４-01-05",
        ] {
            assert_eq!(
                parse_date(bad),
                Err(ValueError::NotADate(bad.to_string())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn day_counts_round_trip() {
        for days in [-719_162, -1, 0, 1, 19_723, 2_932_896] {
            let d = CivilDate::from_days_since_epoch(days);
            assert_eq!(d.days_since_epoch(), days);
            assert_eq!(parse_date(&d.to_string()), Ok(d));
        }
        assert_eq!(
            parse_date("1970-01-01").map(CivilDate::days_since_epoch),
            Ok(0)
        );
    }

    #[test]
    fn numbers_keep_every_digit_or_are_refused() {
        for ok in [
            "0",
            "-0",
            "0.1",
            "1.50",
            "12.5e3",
            "-3",
            "9007199254740992",
            "123456789012345",
            "1e26",
            "2.5E-7",
        ] {
            assert!(parse_json(ok).is_ok(), "{ok}");
        }
        for bad in [
            "99999999999999999999999999",
            "9007199254740993",
            "0.12345678901234567890",
            "1e400",
        ] {
            assert!(
                matches!(
                    parse_json(bad),
                    Err(ValueError::Imprecise(_) | ValueError::Malformed(_))
                ),
                "{bad}"
            );
        }
        assert_eq!(
            parse_json("99999999999999999999999999"),
            Err(ValueError::Imprecise("99999999999999999999999999".into()))
        );
        // Inside a list the digits count too, and a string that looks like a number does not.
        assert!(parse_json("[1, 99999999999999999999999999]").is_err());
        assert!(parse_json(r#"{"a": "99999999999999999999999999"}"#).is_ok());
    }

    #[test]
    fn values_are_checked_against_their_type() {
        let choice = DataType::Choice(vec!["ja".into(), "nee".into()]);
        assert_eq!(check(&choice, &Value::from("ja")), Ok(()));
        assert!(matches!(
            check(&choice, &Value::from("misschien")),
            Err(ValueError::NotAllowed { .. })
        ));
        assert_eq!(check(&DataType::Date, &Value::from("2026-05-15")), Ok(()));
        assert_eq!(
            check(&DataType::Date, &Value::from("2026-5-15")),
            Err(ValueError::NotADate("2026-5-15".into()))
        );
        assert!(matches!(
            check(&DataType::Number, &Value::from("12")),
            Err(ValueError::WrongType { .. })
        ));
        assert_eq!(check(&DataType::Bool, &Value::Null), Ok(()));
    }
}
