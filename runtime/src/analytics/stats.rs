//! Summaries of a set of durations: count, mean, extremes and percentiles.
//!
//! Percentiles use the nearest-rank method: the p-th percentile of n sorted values is the value
//! at rank `ceil(p / 100 * n)` (ranks count from 1; rank 1 when that is 0). Every percentile is
//! therefore one of the measured durations, never an interpolation, so a manager can point at
//! the case behind it. For 4 values p50 is the 2nd, p90, p95 and p99 are the 4th.

use serde::{Deserialize, Serialize};

/// A summary of durations in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub count: usize,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    pub p50: f64,
    pub p90: f64,
    pub p95: f64,
    pub p99: f64,
}

impl Stats {
    /// Summarises `values` (seconds), sorting them in place once. None when there are none.
    /// NaN values sort last; durations computed from timestamps never are NaN.
    pub fn of(values: &mut [f64]) -> Option<Stats> {
        if values.is_empty() {
            return None;
        }
        values.sort_unstable_by(f64::total_cmp);
        let n = values.len();
        let sum: f64 = values.iter().sum();
        Some(Stats {
            count: n,
            mean: sum / n as f64,
            min: values[0],
            max: values[n - 1],
            p50: nearest_rank(values, 50.0),
            p90: nearest_rank(values, 90.0),
            p95: nearest_rank(values, 95.0),
            p99: nearest_rank(values, 99.0),
        })
    }
}

/// The `p`-th percentile (0 to 100) of sorted, non-empty `sorted` by the nearest-rank method.
pub fn nearest_rank(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    // Exact for the percentiles used here: p * n is an integer multiple of 1/100, so the
    // ceiling of the product computed in integers avoids floating-point rounding up.
    let rank = if p.fract() == 0.0 && p >= 0.0 {
        (p as usize * n).div_ceil(100)
    } else {
        (p / 100.0 * n as f64).ceil() as usize
    };
    sorted[rank.clamp(1, n) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_picks_measured_values() {
        let mut v: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        let s = Stats::of(&mut v).expect("ten values");
        assert_eq!(s.count, 10);
        assert_eq!(s.min, 1.0);
        assert_eq!(s.max, 10.0);
        assert_eq!(s.mean, 5.5);
        assert_eq!(s.p50, 5.0);
        assert_eq!(s.p90, 9.0);
        assert_eq!(s.p95, 10.0);
        assert_eq!(s.p99, 10.0);
    }

    #[test]
    fn hundred_values_give_their_own_rank() {
        let mut v: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = Stats::of(&mut v).expect("hundred values");
        assert_eq!((s.p50, s.p90, s.p95, s.p99), (50.0, 90.0, 95.0, 99.0));
    }

    #[test]
    fn empty_has_no_summary() {
        assert_eq!(Stats::of(&mut []), None);
    }
}
