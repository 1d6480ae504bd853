//! Days set equal to algemeen erkende feestdagen by Royal Decree (Awt art. 3(3)), as data.
//!
//! Art. 3(3): "Wij kunnen bepaalde dagen voor de toepassing van deze wet met de in het eerste
//! lid genoemde gelijkstellen. Ons besluit wordt in de Nederlandse Staatscourant openbaar
//! gemaakt." Such a decree ("Besluit gelijkstelling van ... met een algemeen erkende
//! feestdag") is taken once every three years and covers those three years; it mostly sets the
//! Friday after a Thursday holiday equal to a holiday. Its days are published, not computed, so
//! they are a table here, each decree with its citation and a note of what was checked against
//! which source. A municipality adds a decree published after this release in its calendar file
//! ([`super::file`]).
//!
//! The decree itself gives dates only; the names of the days ("vrijdag na Hemelvaartsdag") are
//! ours, written so that a worker sees why a day counts.

use chrono::NaiveDate;
use serde::Serialize;

/// One Royal Decree under Awt art. 3(3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decree {
    /// The title as published, e.g. "Besluit gelijkstelling van 2 januari 2026, ... met een
    /// algemeen erkende feestdag".
    pub title: String,
    /// The day the decree was signed; none when it was not verified.
    pub signed_on: Option<NaiveDate>,
    /// Where it was published, e.g. "Stcrt. 2016, 58653"; none when it was not verified.
    pub published_in: Option<String>,
    /// The first year whose days the decree sets.
    pub first_year: i32,
    /// The last year whose days the decree sets: after it a later decree is needed.
    pub last_year: i32,
    /// The days set equal to a holiday, in date order.
    pub days: Vec<DecreedDay>,
    /// What was checked against which source, and what was not.
    pub checked: String,
}

/// A day a decree sets equal to a holiday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecreedDay {
    pub date: NaiveDate,
    /// Why the day counts, e.g. "vrijdag na Hemelvaartsdag".
    pub name: String,
}

impl Decree {
    /// Whether the decree sets the days of `year`.
    pub fn covers(&self, year: i32) -> bool {
        (self.first_year..=self.last_year).contains(&year)
    }
}

/// What was checked for both decrees shipped here. Their Staatscourant publications could not be
/// read when this table was made, so the dates rest on the titles, which name every date.
const FROM_TITLE: &str = "The dates are those the decree's title names, as the title is cited \
    by mr. W.G.H.M. van der Putten on sterfgeval.nl (question 70745, 4 October 2025) and in \
    public code; each is the Friday after a Thursday holiday (engine test calendar_decrees). \
    NOT verified against the decree's own publication in the Staatscourant: its signing date \
    and its Staatscourant number are unknown here.";

/// A shipped decree as written in the table: dates as (year, month, day).
struct Shipped {
    title: &'static str,
    first_year: i32,
    last_year: i32,
    days: &'static [((i32, u32, u32), &'static str)],
    checked: &'static str,
}

const SHIPPED: &[Shipped] = &[
    Shipped {
        title: "Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, \
                27 december 2024 en 30 mei 2025 met een algemeen erkende feestdag",
        first_year: 2023,
        last_year: 2025,
        days: &[
            ((2023, 4, 28), "vrijdag na Koningsdag"),
            ((2023, 5, 19), "vrijdag na Hemelvaartsdag"),
            ((2024, 5, 10), "vrijdag na Hemelvaartsdag"),
            ((2024, 12, 27), "vrijdag na Tweede Kerstdag"),
            ((2025, 5, 30), "vrijdag na Hemelvaartsdag"),
        ],
        checked: FROM_TITLE,
    },
    Shipped {
        title: "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, \
                28 april 2028 en 26 mei 2028 met een algemeen erkende feestdag",
        first_year: 2026,
        last_year: 2028,
        days: &[
            ((2026, 1, 2), "vrijdag na Nieuwjaarsdag"),
            ((2026, 5, 15), "vrijdag na Hemelvaartsdag"),
            ((2027, 5, 7), "vrijdag na Hemelvaartsdag"),
            ((2028, 4, 28), "vrijdag na Koningsdag"),
            ((2028, 5, 26), "vrijdag na Hemelvaartsdag"),
        ],
        checked: FROM_TITLE,
    },
];

/// The decrees this release knows, oldest first: 2023 to 2028. No decree for 2029 and later
/// had been found when the table was made.
pub fn shipped() -> Vec<Decree> {
    SHIPPED
        .iter()
        .map(|s| Decree {
            title: s.title.to_string(),
            signed_on: None,
            published_in: None,
            first_year: s.first_year,
            last_year: s.last_year,
            days: s
                .days
                .iter()
                .filter_map(|&((y, m, d), name)| {
                    // Every date in the table is a real day; the test calendar_decrees reads
                    // each one, so a typo cannot drop a day unnoticed.
                    NaiveDate::from_ymd_opt(y, m, d).map(|date| DecreedDay {
                        date,
                        name: name.to_string(),
                    })
                })
                .collect(),
            checked: s.checked.to_string(),
        })
        .collect()
}
