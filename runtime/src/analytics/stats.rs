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
    /// Summarises `values` (seconds), reordering them in place. None when there are none.
    /// NaN values order last; durations computed from timestamps never are NaN.
    ///
    /// The percentiles are found by selection, not by sorting: each is the value of its rank
    /// in the order of [`f64::total_cmp`], and selecting the four ranks one after the other,
    /// each in the part above the previous one, takes linear time. A report over 100,000
    /// cases summarises some millions of durations.
    pub fn of(values: &mut [f64]) -> Option<Stats> {
        if values.is_empty() {
            return None;
        }
        let n = values.len();
        let mut min = values[0];
        let mut max = values[0];
        let mut sum = 0.0;
        for &v in values.iter() {
            if v.total_cmp(&min).is_lt() {
                min = v;
            }
            if v.total_cmp(&max).is_gt() {
                max = v;
            }
            sum += v;
        }
        let mut percentiles = [0.0; 4];
        let mut done = 0;
        for (slot, p) in [50, 90, 95, 99].into_iter().enumerate() {
            let rank = nearest_rank_index(n, p);
            let (_, value, _) = values[done..].select_nth_unstable_by(rank - done, f64::total_cmp);
            percentiles[slot] = *value;
            done = rank;
        }
        Some(Stats {
            count: n,
            mean: sum / n as f64,
            min,
            max,
            p50: percentiles[0],
            p90: percentiles[1],
            p95: percentiles[2],
            p99: percentiles[3],
        })
    }
}

/// The index (from 0) in sorted order of the `p`-th percentile (whole, 0 to 100) of `n > 0`
/// values by the nearest-rank method: rank `ceil(p * n / 100)`, at least 1. In integers, so
/// that no floating-point rounding moves it.
fn nearest_rank_index(n: usize, p: usize) -> usize {
    (p * n).div_ceil(100).clamp(1, n) - 1
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
    fn selection_agrees_with_sorting() {
        // Values in an order that is neither sorted nor reversed, with repeats.
        for n in 1..=300usize {
            let mut v: Vec<f64> = (0..n).map(|i| ((i * 7919) % 101) as f64).collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let s = Stats::of(&mut v).expect("values");
            assert_eq!(s.min, sorted[0]);
            assert_eq!(s.max, sorted[n - 1]);
            assert_eq!(s.p50, nearest_rank(&sorted, 50.0), "p50 of {n}");
            assert_eq!(s.p90, nearest_rank(&sorted, 90.0), "p90 of {n}");
            assert_eq!(s.p95, nearest_rank(&sorted, 95.0), "p95 of {n}");
            assert_eq!(s.p99, nearest_rank(&sorted, 99.0), "p99 of {n}");
        }
    }

    #[test]
    fn empty_has_no_summary() {
        assert_eq!(Stats::of(&mut []), None);
    }
}
