//! A municipality's calendar file: decrees published after this release, and closing days.
//!
//! The file is TOML, read by [`parse`], a pure function from text to a [`CalendarFile`] or to
//! every problem found, each with its line, column and field. A file with any problem gives no
//! calendar at all: a decreed day silently left out would end legal deadlines too early.
//!
//! ```toml
//! # A decree under Awt art. 3(3) that this release of Zaak does not ship yet.
//! [[decree]]
//! title = "Besluit gelijkstelling van ... met een algemeen erkende feestdag"
//! published_in = "Stcrt. 2028, 12345"
//! signed_on = 2028-10-02          # optional
//! first_year = 2029
//! last_year = 2031
//! days = [
//!   { date = 2029-05-11, name = "vrijdag na Hemelvaartsdag" },
//! ]
//!
//! # A day the municipality closes its offices. It is not a working day, but it does not move a
//! # legal deadline: only the Awt's days do.
//! [[closing_day]]
//! date = 2026-12-24
//! name = "Kerstavond"
//! ```
//!
//! Dates are written as TOML dates (`2026-12-24`) or as text (`"2026-12-24"`); either way they
//! are read by the one strict date reader of [`zaak_dsl::value::parse_date`].
//!
//! What is checked beyond the shape: every date exists; a decreed day is a weekday that is not
//! already a holiday of Awt art. 3, and lies in the years its decree covers (a Saturday or
//! Easter Monday in a decree is a typing error that would leave the real day out); no date is
//! given twice; titles, citations and names are not empty.

use super::decrees::{Decree, DecreedDay};
use super::holidays::{is_weekend, statutory_holiday};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// What a calendar file adds to [`super::Calendar::netherlands`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarFile {
    /// Decrees under Awt art. 3(3), in the order of the file.
    pub decrees: Vec<Decree>,
    /// The municipality's closing days with their names, in the order of the file.
    pub closing_days: Vec<(NaiveDate, String)>,
}

/// One problem in a calendar file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {field}: {message}")]
pub struct FileError {
    /// 1-based line of the offending value.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The key the value belongs to, e.g. `decree[2].days[1].date` (1-based counts), or
    /// `file` for a problem of the whole text.
    pub field: String,
    pub message: String,
}

/// Reads a calendar file. Returns every problem found, or the decrees and closing days when there
/// is none. Never panics, whatever the input.
pub fn parse(text: &str) -> Result<CalendarFile, Vec<FileError>> {
    let toml = toml::Deserializer::parse(text)
        .map_err(|e| vec![from_toml(text, &e, "file".to_string())])?;
    let raw: RawFile = serde_path_to_error::deserialize(toml)
        .map_err(|e| vec![from_toml(text, e.inner(), field_of(&e.path().to_string()))])?;
    let mut check = Checker {
        text,
        errors: Vec::new(),
        seen: BTreeMap::new(),
    };
    let decrees = raw
        .decree
        .iter()
        .enumerate()
        .filter_map(|(i, d)| check.decree(i + 1, d))
        .collect();
    let closing_days = raw
        .closing_day
        .iter()
        .enumerate()
        .filter_map(|(i, d)| check.closing_day(i + 1, d))
        .collect();
    if check.errors.is_empty() {
        Ok(CalendarFile {
            decrees,
            closing_days,
        })
    } else {
        Err(check.errors)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    decree: Vec<RawDecree>,
    #[serde(default)]
    closing_day: Vec<RawDay>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecree {
    title: Spanned<String>,
    published_in: Spanned<String>,
    #[serde(default)]
    signed_on: Option<Spanned<toml::Value>>,
    first_year: Spanned<i64>,
    last_year: Spanned<i64>,
    days: Spanned<Vec<RawDay>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDay {
    date: Spanned<toml::Value>,
    name: Spanned<String>,
}

/// The years a decree may cover: the Awt took effect on 1 April 1965, and years beyond 9999 are
/// no TOML or ISO dates.
const YEARS: std::ops::RangeInclusive<i64> = 1965..=9999;

/// Collects the problems of the checks that follow the shape.
struct Checker<'t> {
    text: &'t str,
    errors: Vec<FileError>,
    /// Every date given so far, with the field that gave it, to refuse a date given twice.
    seen: BTreeMap<NaiveDate, String>,
}

impl Checker<'_> {
    fn error(&mut self, span: Range<usize>, field: String, message: impl Into<String>) {
        let (line, column) = line_col(self.text, span.start);
        self.errors.push(FileError {
            line,
            column,
            field,
            message: message.into(),
        });
    }

    fn decree(&mut self, n: usize, raw: &RawDecree) -> Option<Decree> {
        let at = |key: &str| format!("decree[{n}].{key}");
        let before = self.errors.len();
        let title = self.text_of(&raw.title, at("title"), "the decree's title");
        let published_in = self.text_of(
            &raw.published_in,
            at("published_in"),
            "where the decree was published, e.g. \"Stcrt. 2028, 12345\"",
        );
        let signed_on = raw
            .signed_on
            .as_ref()
            .and_then(|d| self.date(d, at("signed_on")));
        let first_year = self.year(&raw.first_year, at("first_year"));
        let last_year = self.year(&raw.last_year, at("last_year"));
        if let (Some(first), Some(last)) = (first_year, last_year) {
            if last < first {
                self.error(
                    raw.last_year.span(),
                    at("last_year"),
                    format!("{last} is before first_year {first}"),
                );
            }
        }
        if raw.days.get_ref().is_empty() {
            self.error(
                raw.days.span(),
                at("days"),
                "a decree sets at least one day equal to a holiday; list its days",
            );
        }
        let mut days = Vec::new();
        for (i, day) in raw.days.get_ref().iter().enumerate() {
            let field = at(&format!("days[{}]", i + 1));
            let name = self.text_of(&day.name, format!("{field}.name"), "why the day counts");
            let Some(date) = self.new_date(&day.date, format!("{field}.date")) else {
                continue;
            };
            let date_field = format!("{field}.date");
            if is_weekend(date) {
                self.error(
                    day.date.span(),
                    date_field.clone(),
                    format!(
                        "{date} is a {}; a decree sets weekdays equal to holidays, so this is \
                         probably a typing error",
                        weekday_name(date)
                    ),
                );
            } else if let Some(holiday) = statutory_holiday(date) {
                self.error(
                    day.date.span(),
                    date_field.clone(),
                    format!(
                        "{date} is {holiday}, a holiday of Awt art. 3 already; a decree names \
                         other days, so this is probably a typing error"
                    ),
                );
            }
            if let (Some(first), Some(last)) = (first_year, last_year) {
                if !(first..=last).contains(&date.year()) {
                    self.error(
                        day.date.span(),
                        date_field,
                        format!(
                            "{date} is outside the years the decree covers ({first} to {last})"
                        ),
                    );
                }
            }
            if let Some(name) = name {
                days.push(DecreedDay { date, name });
            }
        }
        if self.errors.len() > before {
            return None;
        }
        days.sort_by_key(|d| d.date);
        Some(Decree {
            title: title?,
            signed_on,
            published_in: Some(published_in?),
            first_year: first_year?,
            last_year: last_year?,
            days,
            checked: "Added by the municipality's calendar file.".to_string(),
        })
    }

    fn closing_day(&mut self, n: usize, raw: &RawDay) -> Option<(NaiveDate, String)> {
        let field = format!("closing_day[{n}]");
        let name = self.text_of(&raw.name, format!("{field}.name"), "the closing day's name");
        let date = self.new_date(&raw.date, format!("{field}.date"));
        Some((date?, name?))
    }

    /// Non-empty text; `what` says what belongs there when it is empty.
    fn text_of(&mut self, value: &Spanned<String>, field: String, what: &str) -> Option<String> {
        let text = value.get_ref().trim();
        if text.is_empty() {
            self.error(value.span(), field, format!("empty; give {what}"));
            return None;
        }
        Some(text.to_string())
    }

    fn year(&mut self, value: &Spanned<i64>, field: String) -> Option<i32> {
        let year = *value.get_ref();
        match i32::try_from(year) {
            Ok(y) if YEARS.contains(&year) => Some(y),
            _ => {
                self.error(
                    value.span(),
                    field,
                    format!(
                        "{year} is not a year a decree can cover ({} to {})",
                        YEARS.start(),
                        YEARS.end()
                    ),
                );
                None
            }
        }
    }

    /// A date that was not given before in the file.
    fn new_date(&mut self, value: &Spanned<toml::Value>, field: String) -> Option<NaiveDate> {
        let date = self.date(value, field.clone())?;
        if let Some(first) = self.seen.get(&date) {
            let message = format!("{date} is given twice; it is also {first}");
            self.error(value.span(), field, message);
            return None;
        }
        self.seen.insert(date, field);
        Some(date)
    }

    /// A date written as a TOML date or as text, read by the one strict date reader.
    fn date(&mut self, value: &Spanned<toml::Value>, field: String) -> Option<NaiveDate> {
        let text = match value.get_ref() {
            toml::Value::Datetime(d) => d.to_string(),
            toml::Value::String(s) => s.clone(),
            other => {
                self.error(
                    value.span(),
                    field,
                    format!(
                        "expected a date such as 2026-12-24, found {}",
                        other.type_str()
                    ),
                );
                return None;
            }
        };
        let parsed = zaak_dsl::value::parse_date(&text)
            .ok()
            .and_then(|d| NaiveDate::from_ymd_opt(d.year, d.month, d.day));
        if parsed.is_none() {
            self.error(
                value.span(),
                field,
                format!(
                    "`{text}` is not a date; write the day alone as YYYY-MM-DD, e.g. 2026-12-24"
                ),
            );
        }
        parsed
    }
}

/// A problem the TOML reader found: a syntax error, a missing or unknown key, a wrong type.
fn from_toml(text: &str, e: &toml::de::Error, field: String) -> FileError {
    let (line, column) = line_col(text, e.span().map_or(0, |s| s.start));
    FileError {
        line,
        column,
        field,
        message: e.message().trim().to_string(),
    }
}

/// A serde path (`decree[0].days[1].date`) with 1-based counts, as people count; `file` for the
/// whole text.
fn field_of(path: &str) -> String {
    // A value read with its span sits one level deeper, under a private key of the span reader
    // (`$__serde_spanned_private_value`), which means nothing to the person who wrote the file.
    let path = path
        .split('.')
        .filter(|segment| !segment.starts_with("$__"))
        .collect::<Vec<_>>()
        .join(".");
    let path = path.as_str();
    if path.is_empty() || path == "." {
        return "file".to_string();
    }
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find(']') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        match inner.parse::<usize>() {
            Ok(i) => out.push_str(&format!("[{}]", i + 1)),
            Err(_) => out.push_str(&rest[open..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn weekday_name(date: NaiveDate) -> &'static str {
    match date.weekday() {
        chrono::Weekday::Sat => "Saturday",
        chrono::Weekday::Sun => "Sunday",
        _ => "weekday",
    }
}
