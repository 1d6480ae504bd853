//! Lead-time figures and event logs, for managers and admins. They count only the cases within
//! the reader's clearance: a figure never counts a case its reader may not see. An admin sees
//! every case; a manager sees up to their clearance (`intern` unless an administrator gave
//! them more with `zaak user add --clearance`).

use crate::error::{AppError, AppResult};
use crate::policy::{require, Action};
use crate::App;
use chrono::{DateTime, NaiveDate, Utc};
use zaak_runtime::analytics::{compare, export, report, Comparison, Filter, Report};
use zaak_runtime::User;

/// The share of the legal term after which an open case counts as at risk, unless asked.
pub const AT_RISK: f64 = 0.8;

/// Which cases a report covers.
#[derive(Debug, Clone, Default)]
pub struct ReportQuery {
    pub process: Option<String>,
    /// A version of the process; 0 is its imported history.
    pub version: Option<u32>,
    /// Only cases in which this team had a task.
    pub team: Option<String>,
    /// A date (from midnight, Dutch time) or an RFC 3339 time.
    pub from: Option<String>,
    /// A date (the whole day included) or an RFC 3339 time (excluded).
    pub to: Option<String>,
    /// The share of the legal term after which an open case is at risk; [`AT_RISK`] when left
    /// out.
    pub at_risk: Option<f64>,
}

/// A date means the start of that day in the Netherlands; with `end` the start of the next, so
/// that the day itself is included. An RFC 3339 time is taken as it is.
pub fn parse_moment(text: &str, end: bool) -> Option<DateTime<Utc>> {
    if let Ok(date) = zaak_dsl::value::parse_date(text) {
        let date = NaiveDate::from_ymd_opt(date.year, date.month, date.day)?;
        let date = if end { date.succ_opt()? } else { date };
        return Some(zaak_engine::calendar::start_of_day(date));
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn moment(field: &str, text: Option<&str>, end: bool) -> AppResult<Option<DateTime<Utc>>> {
    text.map(|t| {
        parse_moment(t, end).ok_or_else(|| {
            AppError::bad_query(field, "a date (YYYY-MM-DD) or an RFC 3339 time is expected")
        })
    })
    .transpose()
}

impl ReportQuery {
    fn filter(&self) -> AppResult<Filter> {
        Ok(Filter {
            process: self.process.clone(),
            version: self.version,
            team: self.team.clone(),
            from: moment("from", self.from.as_deref(), false)?,
            to: moment("to", self.to.as_deref(), true)?,
        })
    }

    fn at_risk(&self) -> AppResult<f64> {
        match self.at_risk {
            None => Ok(AT_RISK),
            Some(s) if (0.0..=1.0).contains(&s) => Ok(s),
            Some(_) => Err(AppError::bad_query("at_risk", "a share between 0 and 1")),
        }
    }
}

impl App {
    /// Lead times, terms met, time per status and step, throughput, work in progress and
    /// bottlenecks of the cases selected, as of now.
    pub async fn report(&self, user: &User, q: &ReportQuery) -> AppResult<Report> {
        require(user, Action::ReadFigures)?;
        let filter = q.filter()?;
        let share = q.at_risk()?;
        let cases = self.runtime.histories_for(&user.viewer(), &filter).await?;
        Ok(report(&cases, &filter, self.runtime.clock().now(), share))
    }

    /// Two versions of one process side by side.
    pub async fn compare(
        &self,
        user: &User,
        q: &ReportQuery,
        before: u32,
        after: u32,
    ) -> AppResult<(Report, Report, Comparison)> {
        require(user, Action::ReadFigures)?;
        let base = q.filter()?;
        let now = self.runtime.clock().now();
        let of = |version: u32| Filter {
            version: Some(version),
            ..base.clone()
        };
        let (before_filter, after_filter) = (of(before), of(after));
        let viewer = user.viewer();
        let cases = self.runtime.histories_for(&viewer, &before_filter).await?;
        let before = report(&cases, &before_filter, now, AT_RISK);
        let cases = self.runtime.histories_for(&viewer, &after_filter).await?;
        let after = report(&cases, &after_filter, now, AT_RISK);
        let comparison = compare(&before, &after);
        Ok((before, after, comparison))
    }

    /// The cases as an XES event log (IEEE 1849-2016).
    pub async fn export_xes(
        &self,
        user: &User,
        process: Option<String>,
        version: Option<u32>,
    ) -> AppResult<String> {
        require(user, Action::ReadFigures)?;
        let filter = Filter {
            process,
            version,
            ..Filter::default()
        };
        let cases = self.runtime.histories_for(&user.viewer(), &filter).await?;
        Ok(export(&cases))
    }
}
