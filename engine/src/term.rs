//! The term clock of a case: legal deadline, target date, suspensions, extension and dwangsom.
//!
//! The clock keeps what happened (when the case was received, each suspension as an interval,
//! the one extension, the notice of default) and derives the dates from it, so that every date
//! can be explained and recomputed. The ZGW standard only records that a case is suspended; this
//! clock also records for how long, and adds exactly that many days on resumption.
//!
//! Choices the law leaves open, made here once:
//!
//! * A suspension runs from `from` (the first day the term stands still; for Awb 4:15 the day
//!   after the applicant was asked to complete the application) up to but not including `on`
//!   (the day the term runs again, for Awb 4:15 the day the completion arrived). It adds
//!   `on - from` calendar days.
//! * The deadline is always computed from the unshifted end of the term: end of the term, plus
//!   the extension, plus the days suspended, and only then the Algemene termijnenwet. So an
//!   earlier weekend shift is never carried along and counted twice.
//! * Suspension and extension move the target date (service norm) as well as the deadline, by
//!   the same amount: the organisation gets the time the law gives it. The Awt never moves the
//!   target date, which is not a statutory term.
//! * A term counted in working days, and a service norm in working days, shift by the working
//!   days inside the suspension rather than by calendar days.
//! * Whether the Algemene termijnenwet applies at all (its art. 4) is judged on the legal term
//!   as the process states it, also after an extension: 8 weeks extended by 6 weeks is still a
//!   term of 8 weeks for art. 4, and a 6-month term (Awb 3:18) is never moved.
//!
//! Royal Decrees set days equal to holidays three years at a time. [`latest_deadline`] and
//! [`past_decrees_warning`] tell a designer when a process's term, started today and extended as
//! far as the process allows, would end in a year no known decree covers yet.

use crate::calendar::Calendar;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use zaak_dsl::{
    Code, DeadlineEffect, Diagnostic, Duration, DurationUnit, LegalTerm, ProcessModel, TermCounting,
};

/// The most days a dwangsom runs (Awb 4:17, first paragraph).
pub const DWANGSOM_MAX_DAYS: i64 = 42;

/// The code of the warning that a process's term may end in a year no known decree covers.
pub const TERM_PAST_DECREES: Code = Code::TermPastDecrees;

/// The latest legal deadline of a case received on `received`: the legal term extended by the
/// longest extension the process allows, with the Awt. None when the process has no legal term.
/// Suspensions can move it further still; their length is not known in advance.
pub fn latest_deadline(
    model: &ProcessModel,
    cal: &Calendar,
    received: NaiveDate,
) -> Option<NaiveDate> {
    let mut clock = TermClock::start(received, model, cal);
    if let Some(maximum) = model.extension {
        // Announced on the day of receipt, an extension is always in time; should it still be
        // refused, the unextended deadline is the latest there is.
        let _ = clock.extend(maximum, "", received, cal);
    }
    clock.deadline
}

/// A warning when a case of this process started on `today` could have its legal deadline in a
/// year after the last one a known Royal Decree covers: days a later decree sets equal to
/// holidays (Awt art. 3(3)) are not known yet, so such a deadline may be too early.
pub fn past_decrees_warning(
    model: &ProcessModel,
    cal: &Calendar,
    today: NaiveDate,
) -> Option<Diagnostic> {
    let deadline = latest_deadline(model, cal, today)?;
    if !cal.is_past_decrees(deadline) {
        return None;
    }
    let known = match cal.last_decreed_year() {
        Some(year) => format!("the last year a known decree covers is {year}"),
        None => "no decree is known".to_string(),
    };
    let term = model
        .term
        .as_ref()
        .map(|t| t.duration.to_string())
        .unwrap_or_default();
    let extension = model
        .extension
        .map(|e| format!(" plus its extension of {e}"))
        .unwrap_or_default();
    Some(
        Diagnostic::new(
            TERM_PAST_DECREES,
            model.process.span,
            format!(
                "a case started today ({today}) can have its legal deadline on {deadline} \
                 ({term}{extension}), but {known}"
            ),
        )
        .with_label(match cal.last_decreed_year() {
            Some(year) => format!("its legal term can end after {year}"),
            None => "its legal term".to_string(),
        })
        .with_help(
            "days a later Royal Decree sets equal to holidays (Awt art. 3, third paragraph) \
             are not counted, so such a deadline may be too early; add the decree to the \
             calendar file once it is published (docs/calendar.md)",
        ),
    )
}

/// The dates that bound a case, derived from what happened to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TermClock {
    /// The day the application was received; terms count from the day after.
    pub start: Option<NaiveDate>,
    /// Uiterlijke einddatum afdoening: the last day of the legal term as it stands now.
    pub deadline: Option<NaiveDate>,
    /// Einddatum gepland: the target date from the service norm as it stands now.
    pub target: Option<NaiveDate>,
    /// The deadline as computed at the start, before any suspension or extension.
    pub original_deadline: Option<NaiveDate>,
    /// The target date as computed at the start, before any suspension or extension.
    pub original_target: Option<NaiveDate>,
    /// The process's legal term, kept so the deadline can be recomputed.
    pub legal_term: Option<LegalTerm>,
    /// The process's service norm, kept so the target can be recomputed.
    pub service_norm: Option<Duration>,
    /// Whether the process allows suspending the term (Awb 4:15).
    pub suspension_allowed: bool,
    /// The longest extension the process allows (Awb 4:14); none when it allows none.
    pub max_extension: Option<Duration>,
    /// Whether the process owes a dwangsom when it decides late (Awb 4:17).
    pub dwangsom_applies: bool,
    /// Every suspension in order; only the last may still be open.
    pub suspensions: Vec<Suspension>,
    /// The one extension, if the term was extended.
    pub extension: Option<Extension>,
    /// The day the written notice of default (ingebrekestelling) was received.
    pub notice_of_default: Option<NaiveDate>,
}

/// A period in which the term stood still.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspension {
    /// The first day the term stands still.
    pub from: NaiveDate,
    /// The day the term runs again; none while the suspension lasts.
    pub to: Option<NaiveDate>,
    pub reason: String,
}

/// The extension (verdaging) of the legal term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub duration: Duration,
    pub reason: String,
    /// The day the extension was announced.
    pub on: NaiveDate,
}

/// The penalty for deciding late (Awb 4:17) as of a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dwangsom {
    /// The first day the penalty is owed.
    pub starts: NaiveDate,
    /// The days owed so far, at most 42.
    pub days: i64,
    /// The amount owed so far, in whole euros.
    pub amount_eur: u32,
}

/// The days on which a share of the term has elapsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningDates {
    /// For the legal term (start to deadline).
    pub deadline: Option<NaiveDate>,
    /// For the service norm (start to target).
    pub target: Option<NaiveDate>,
}

/// Why the term clock refused a change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    #[error("the case has no legal term")]
    NoTerm,
    #[error("the process does not allow suspending the term")]
    SuspensionNotAllowed,
    #[error("the term is already suspended since {since}")]
    AlreadySuspended { since: NaiveDate },
    #[error("the term is not suspended")]
    NotSuspended,
    #[error("{date} is before the case was received on {start}")]
    BeforeStart { date: NaiveDate, start: NaiveDate },
    #[error("a suspension from {from} overlaps the previous one, which ended on {previous_end}")]
    OverlapsPreviousSuspension {
        from: NaiveDate,
        previous_end: NaiveDate,
    },
    #[error("the term cannot resume on {on}, before the suspension began on {from}")]
    ResumeBeforeSuspension { on: NaiveDate, from: NaiveDate },
    #[error("the term already expired on {deadline}")]
    TermExpired { deadline: NaiveDate },
    #[error("the process does not allow extending the term")]
    ExtensionNotAllowed,
    #[error("the term was already extended on {on}")]
    AlreadyExtended { on: NaiveDate },
    #[error("an extension of {requested} is longer than the process allows ({maximum})")]
    ExtensionTooLong {
        requested: Duration,
        maximum: Duration,
    },
    #[error("the process owes no dwangsom for deciding late")]
    NoDwangsom,
}

impl TermClock {
    /// Starts the clock for a case received on `received`: the deadline from the process's
    /// legal term, the target date from its service norm.
    pub fn start(received: NaiveDate, model: &ProcessModel, cal: &Calendar) -> TermClock {
        let mut clock = TermClock {
            start: Some(received),
            legal_term: model.term.clone(),
            service_norm: model.service_norm,
            suspension_allowed: model.suspension_allowed,
            max_extension: model.extension,
            dwangsom_applies: model.on_deadline == DeadlineEffect::Dwangsom,
            ..TermClock::default()
        };
        clock.recompute(cal);
        clock.original_deadline = clock.deadline;
        clock.original_target = clock.target;
        clock
    }

    /// Whether a suspension is open.
    pub fn is_suspended(&self) -> bool {
        self.open_suspension().is_some()
    }

    fn open_suspension(&self) -> Option<&Suspension> {
        self.suspensions.last().filter(|s| s.to.is_none())
    }

    /// Suspends the term from `from` on, the first day it stands still.
    pub fn suspend(&mut self, from: NaiveDate, reason: impl Into<String>) -> Result<(), TermError> {
        let (start, deadline) = self.start_and_deadline()?;
        if !self.suspension_allowed {
            return Err(TermError::SuspensionNotAllowed);
        }
        if let Some(open) = self.open_suspension() {
            return Err(TermError::AlreadySuspended { since: open.from });
        }
        if from < start {
            return Err(TermError::BeforeStart { date: from, start });
        }
        if let Some(previous_end) = self.suspensions.last().and_then(|s| s.to) {
            if from < previous_end {
                return Err(TermError::OverlapsPreviousSuspension { from, previous_end });
            }
        }
        // A term that has run out cannot stand still any more; the first day after the
        // deadline is too late.
        if from > deadline {
            return Err(TermError::TermExpired { deadline });
        }
        self.suspensions.push(Suspension {
            from,
            to: None,
            reason: reason.into(),
        });
        Ok(())
    }

    /// Ends the open suspension on `on`, the day the term runs again, and moves the deadline and
    /// the target date. Returns the number of days the term stood still.
    pub fn resume(&mut self, on: NaiveDate, cal: &Calendar) -> Result<i64, TermError> {
        self.start_and_deadline()?;
        let Some(open) = self.suspensions.last_mut().filter(|s| s.to.is_none()) else {
            return Err(TermError::NotSuspended);
        };
        if on < open.from {
            return Err(TermError::ResumeBeforeSuspension {
                on,
                from: open.from,
            });
        }
        open.to = Some(on);
        let days = (on - open.from).num_days();
        self.recompute(cal);
        Ok(days)
    }

    /// Extends the legal term once (Awb 4:14), announced on `today`, by at most the process's
    /// maximum. Returns the new deadline.
    ///
    /// The extension must be announced before the term expires, so on the deadline itself it
    /// is still possible, and during a suspension too (the term stands still).
    pub fn extend(
        &mut self,
        duration: Duration,
        reason: impl Into<String>,
        today: NaiveDate,
        cal: &Calendar,
    ) -> Result<NaiveDate, TermError> {
        let (_, deadline) = self.start_and_deadline()?;
        let Some(maximum) = self.max_extension else {
            return Err(TermError::ExtensionNotAllowed);
        };
        if let Some(extension) = &self.extension {
            return Err(TermError::AlreadyExtended { on: extension.on });
        }
        if self.deadline_passed(today) {
            return Err(TermError::TermExpired { deadline });
        }
        // Units may differ ("14 days" against a maximum of "2 weeks"), so compare the ends they
        // give from the same day.
        let base = self.unshifted_term_end(cal).unwrap_or(deadline);
        if cal.add(base, duration) > cal.add(base, maximum) {
            return Err(TermError::ExtensionTooLong {
                requested: duration,
                maximum,
            });
        }
        self.extension = Some(Extension {
            duration,
            reason: reason.into(),
            on: today,
        });
        self.recompute(cal);
        self.deadline.ok_or(TermError::NoTerm)
    }

    /// Calendar days the term stood still up to `as_of`, counting an open suspension up to but
    /// not including `as_of`.
    pub fn suspended_days(&self, as_of: NaiveDate) -> i64 {
        self.suspensions
            .iter()
            .map(|s| {
                let to = s.to.unwrap_or(as_of);
                (to - s.from).num_days().max(0)
            })
            .sum()
    }

    /// Whether the legal term ran out before `today`. A suspended term does not run out: it
    /// stands still, and suspending after the deadline is refused.
    pub fn deadline_passed(&self, today: NaiveDate) -> bool {
        match self.deadline {
            Some(deadline) => !self.is_suspended() && today > deadline,
            None => false,
        }
    }

    /// Whether a decision on `decided_on` met the legal term; none when the case has no term.
    /// A decision while the term stands still meets it.
    pub fn met(&self, decided_on: NaiveDate) -> Option<bool> {
        let deadline = self.deadline?;
        Some(decided_on <= deadline || self.suspended_on(decided_on))
    }

    /// Whether a decision on `decided_on` met the target date; none when there is no service
    /// norm.
    pub fn target_met(&self, decided_on: NaiveDate) -> Option<bool> {
        let target = self.target?;
        Some(decided_on <= target || self.suspended_on(decided_on))
    }

    fn suspended_on(&self, date: NaiveDate) -> bool {
        self.open_suspension().is_some_and(|s| s.from <= date)
    }

    /// Records the written notice of default (Awb 4:17), received on `received`. The first
    /// notice counts; a later one changes nothing.
    pub fn notice_of_default(&mut self, received: NaiveDate) -> Result<(), TermError> {
        self.start_and_deadline()?;
        if !self.dwangsom_applies {
            return Err(TermError::NoDwangsom);
        }
        if self.notice_of_default.is_none() {
            self.notice_of_default = Some(received);
        }
        Ok(())
    }

    /// The dwangsom owed up to and including `as_of`, the last day the case was still
    /// undecided; none when no notice of default was received or no dwangsom applies.
    ///
    /// Awb 4:17: the penalty is owed from the day two weeks have passed after the later of the
    /// day the term expired (the day after the deadline) and the day the notice was received; a
    /// notice received too early counts from the day the term expired. EUR 23 a day for days 1 to
    /// 14, EUR 35 for days 15 to 28, EUR 45 after that, for at most 42 days (EUR 1,442).
    pub fn dwangsom(&self, as_of: NaiveDate) -> Option<Dwangsom> {
        if !self.dwangsom_applies {
            return None;
        }
        let notice = self.notice_of_default?;
        let expired = self.deadline?.succ_opt()?;
        let starts = expired.max(notice).checked_add_days(Days::new(14))?;
        let days = ((as_of - starts).num_days() + 1).clamp(0, DWANGSOM_MAX_DAYS);
        let amount = (1..=days)
            .map(|day| match day {
                1..=14 => 23,
                15..=28 => 35,
                _ => 45,
            })
            .sum();
        Some(Dwangsom {
            starts,
            days,
            amount_eur: amount,
        })
    }

    /// The days on which `share` (0.0 to 1.0) of the current legal term and of the current
    /// service norm have elapsed, counted in calendar days from the start and rounded up, so
    /// that on the date at least that share has passed. 0.8 gives the warning "20% left".
    /// During a suspension the dates are those before it; they move when the term resumes.
    pub fn warning_dates(&self, share: f64) -> WarningDates {
        let share = if share.is_nan() {
            0.0
        } else {
            share.clamp(0.0, 1.0)
        };
        let at_share = |end: Option<NaiveDate>| {
            let start = self.start?;
            let end = end?;
            let total = (end - start).num_days().max(0);
            let elapsed = (share * total as f64).ceil() as u64;
            start.checked_add_days(Days::new(elapsed))
        };
        WarningDates {
            deadline: at_share(self.deadline),
            target: at_share(self.target),
        }
    }

    fn start_and_deadline(&self) -> Result<(NaiveDate, NaiveDate), TermError> {
        match (self.start, self.deadline) {
            (Some(start), Some(deadline)) => Ok((start, deadline)),
            _ => Err(TermError::NoTerm),
        }
    }

    /// The end of the legal term plus the extension, before suspensions and the Awt.
    fn unshifted_term_end(&self, cal: &Calendar) -> Option<NaiveDate> {
        let start = self.start?;
        let term = self.legal_term.as_ref()?;
        let end = match term.counting {
            TermCounting::Calendar => cal.add(start, term.duration),
            TermCounting::WorkingDays => cal.add_working_days(start, term.duration.amount),
        };
        Some(match &self.extension {
            Some(extension) => cal.add(end, extension.duration),
            None => end,
        })
    }

    /// Derives the deadline and the target date from the start, the extension and the closed
    /// suspensions. An open suspension moves nothing until it ends, because its length is not
    /// known yet.
    fn recompute(&mut self, cal: &Calendar) {
        let Some(start) = self.start else {
            return;
        };
        self.deadline = match (&self.legal_term, self.unshifted_term_end(cal)) {
            (Some(term), Some(end)) => Some(match term.counting {
                TermCounting::Calendar => {
                    let end = end
                        .checked_add_days(Days::new(self.closed_suspended_days() as u64))
                        .unwrap_or(NaiveDate::MAX);
                    cal.awt_end(start, end, term.duration)
                }
                TermCounting::WorkingDays => {
                    cal.add_working_days(end, self.closed_suspended_working_days(cal))
                }
            }),
            _ => None,
        };
        self.target = self.service_norm.map(|norm| {
            let mut end = cal.target_date(start, norm);
            if let Some(extension) = &self.extension {
                end = cal.add(end, extension.duration);
            }
            if norm.unit == DurationUnit::WorkingDays {
                cal.add_working_days(end, self.closed_suspended_working_days(cal))
            } else {
                end.checked_add_days(Days::new(self.closed_suspended_days() as u64))
                    .unwrap_or(NaiveDate::MAX)
            }
        });
    }

    fn closed_suspensions(&self) -> impl Iterator<Item = (NaiveDate, NaiveDate)> + '_ {
        self.suspensions
            .iter()
            .filter_map(|s| s.to.map(|to| (s.from, to)))
    }

    fn closed_suspended_days(&self) -> i64 {
        self.closed_suspensions()
            .map(|(from, to)| (to - from).num_days().max(0))
            .sum()
    }

    /// Working days in [from, to) of every closed suspension.
    fn closed_suspended_working_days(&self, cal: &Calendar) -> u32 {
        let total: i64 = self
            .closed_suspensions()
            .filter_map(|(from, to)| {
                Some(cal.working_days_between(from.pred_opt()?, to.pred_opt()?))
            })
            .sum();
        u32::try_from(total.max(0)).unwrap_or(u32::MAX)
    }
}
