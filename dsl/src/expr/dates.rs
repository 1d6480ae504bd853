//! Date arithmetic: dates as day numbers, read and written by [`crate::value`], the one strict
//! reader of dates.

use crate::value::{parse_date, CivilDate};

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, or `None` when it is not a real date.
pub(super) fn day_number(text: &str) -> Option<i64> {
    parse_date(text).ok().map(CivilDate::days_since_epoch)
}

/// The `YYYY-MM-DD` form of a day number.
pub(super) fn date_text(days: i64) -> String {
    CivilDate::from_days_since_epoch(days).to_string()
}
