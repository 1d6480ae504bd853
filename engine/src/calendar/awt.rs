//! The Algemene termijnenwet (Awt, Stb. 1964, 314) applied to the end of a statutory term.
//!
//! The articles, as in force (wetten.overheid.nl, BWBR0002448):
//!
//! * Art. 1(1): "Een in een wet gestelde termijn die op een zaterdag, zondag of algemeen erkende
//!   feestdag eindigt, wordt verlengd tot en met de eerstvolgende dag die niet een zaterdag,
//!   zondag of algemeen erkende feestdag is." Art. 1(2) excludes terms counted backwards from an
//!   event; every term here counts forwards from receipt, so it does not arise.
//! * Art. 2: "Een in een wet gestelde termijn van ten minste drie dagen wordt, zo nodig, zoveel
//!   verlengd, dat daarin ten minste twee dagen voorkomen die niet een zaterdag, zondag of
//!   algemeen erkende feestdag zijn."
//! * Art. 3: which days are holidays ([`super::holidays`], [`super::decrees`]).
//! * Art. 4: "Deze wet geldt niet voor termijnen: a. omschreven in uren, in meer dan 90 dagen, in
//!   meer dan twaalf weken, in meer dan drie maanden, of in een of meer jaren; b. betreffende de
//!   bekendmaking, inwerkingtreding of buitenwerkingtreding van wettelijke voorschriften; c. van
//!   vrijheidsbeneming."
//! * Art. 5: the same holds for terms set in an algemene maatregel van bestuur.
//!
//! Art. 4(a) says "meer dan": a term of exactly 90 days, 12 weeks or 3 months is still moved,
//! one of 91 days, 13 weeks or 4 months is not, nor is any term stated in years (one year
//! included) or in hours. What counts is how the law states the term, not how many days it
//! happens to hold: 3 months of 92 days are moved, 91 days are not. Art. 4(b) and (c) concern no
//! municipal decision on an application, so they are not modelled.

use super::Calendar;
use chrono::NaiveDate;
use zaak_dsl::{Duration, DurationUnit, LegalTerm, TermCounting};

/// Whether the Awt applies to a statutory term stated as `duration` (art. 4, under a).
///
/// A term in working days is stated in days, so it is excluded above 90 of them like a term in
/// days; it ends on a working day anyway, which is never a Saturday, Sunday or holiday.
pub fn awt_applies(duration: Duration) -> bool {
    let n = duration.amount;
    match duration.unit {
        DurationUnit::Hours | DurationUnit::Years => false,
        DurationUnit::Days | DurationUnit::WorkingDays => n <= 90,
        DurationUnit::Weeks => n <= 12,
        DurationUnit::Months => n <= 3,
    }
}

/// Whether a term stated as `duration` lasts at least three days (art. 2). Called only for
/// terms the Awt applies to, so never for hours or years.
fn at_least_three_days(duration: Duration) -> bool {
    match duration.unit {
        DurationUnit::Hours => false,
        DurationUnit::Days | DurationUnit::WorkingDays => duration.amount >= 3,
        DurationUnit::Weeks | DurationUnit::Months | DurationUnit::Years => duration.amount >= 1,
    }
}

impl Calendar {
    /// The last day of a statutory term received on `received`, counted from the day after
    /// receipt (Awb), with the Awt applied where art. 4 lets it: 8 weeks from a receipt on
    /// Monday 5 January 2026 end on Monday 2 March 2026.
    ///
    /// Terms counted in working days count working days of this municipality and need no Awt:
    /// they end on a working day, which is never a Saturday, Sunday or holiday.
    pub fn legal_deadline(&self, received: NaiveDate, term: &LegalTerm) -> NaiveDate {
        match term.counting {
            TermCounting::Calendar => {
                let end = self.add(received, term.duration);
                self.awt_end(received, end, term.duration)
            }
            TermCounting::WorkingDays => self.add_working_days(received, term.duration.amount),
        }
    }

    /// Applies the Awt to a statutory term that runs from the day after `received` up to and
    /// including `end`, where `duration` is the term's length as the law states it.
    ///
    /// Art. 4(a) first: a term stated in hours, in more than 90 days, 12 weeks or 3 months, or
    /// in years keeps its end. Otherwise art. 1: an end on a Saturday, Sunday or holiday moves to
    /// the next day that is none of those; and art. 2: a term of at least three days contains at
    /// least two days that are none of those, so the end moves on until it does. Closing days of
    /// the municipality never move the end (see the module docs of [`super`]).
    pub fn awt_end(&self, received: NaiveDate, end: NaiveDate, duration: Duration) -> NaiveDate {
        if !awt_applies(duration) {
            return end;
        }
        let mut end = end;
        // Article 1.
        while self.is_weekend_or_holiday(end) {
            match end.succ_opt() {
                Some(next) => end = next,
                None => return end,
            }
        }
        // Article 2: only for terms of three days or more.
        if at_least_three_days(duration) {
            let mut ordinary = 0;
            let mut day = received;
            // Two ordinary days are all art. 2 asks for, so the count stops there.
            while let Some(next) = day.succ_opt() {
                if next > end || ordinary >= 2 {
                    break;
                }
                day = next;
                if !self.is_weekend_or_holiday(day) {
                    ordinary += 1;
                }
            }
            while ordinary < 2 {
                match end.succ_opt() {
                    Some(next) => end = next,
                    None => return end,
                }
                if !self.is_weekend_or_holiday(end) {
                    ordinary += 1;
                }
            }
        }
        end
    }
}
