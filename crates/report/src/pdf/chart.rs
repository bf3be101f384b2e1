//! Small trend charts ("sparklines") for a measure's values, drawn with
//! Typst's own vector primitives (`curve`, `line`, `circle`, in the
//! preamble's `spark` function), so they stay sharp at any zoom and cost no
//! image decoding. Rust scales the values to points; Typst draws them.

use lodestar_domain::report_card::TrendPoint;

/// The chart's width in points.
const WIDTH: f64 = 72.0;
/// The chart's height in points.
const HEIGHT: f64 = 18.0;
/// Room left at the top and bottom so the line and the dot are not clipped.
const PAD: f64 = 2.0;

/// Typst code (without a leading `#`) drawing `series` as a line, with the
/// target as a dashed line when it is known and a dot on the latest value:
/// `spark(target-y, last-x, last-y, ((x, y), ...))`, in points from the top
/// left. A series without values gives a dash.
pub(crate) fn sparkline(series: &[TrendPoint], target: Option<f64>) -> String {
    let values: Vec<f64> = series
        .iter()
        .map(|p| p.value)
        .filter(|v| v.is_finite())
        .collect();
    if values.is_empty() {
        return "[—]".to_string();
    }
    let target = target.filter(|t| t.is_finite());
    let (mut lo, mut hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    if let Some(t) = target {
        lo = lo.min(t);
        hi = hi.max(t);
    }
    let span = if hi - lo > f64::EPSILON { hi - lo } else { 1.0 };
    let y = |v: f64| {
        if hi - lo > f64::EPSILON {
            PAD + (hi - v) / span * (HEIGHT - 2.0 * PAD)
        } else {
            HEIGHT / 2.0
        }
    };
    let step = if values.len() > 1 {
        WIDTH / (values.len() - 1) as f64
    } else {
        0.0
    };
    let x = |i: usize| {
        if values.len() > 1 {
            i as f64 * step
        } else {
            WIDTH / 2.0
        }
    };

    // `spark(target-y, last-x, last-y, points)` is defined in the preamble.
    let mut out = String::with_capacity(24 + 16 * values.len());
    out.push_str("spark(");
    match target {
        Some(t) => out.push_str(&format!("{:.1}", y(t))),
        None => out.push_str("none"),
    }
    let last = values.len() - 1;
    out.push_str(&format!(", {:.1}, {:.1}, (", x(last), y(values[last])));
    if values.len() > 1 {
        for (i, v) in values.iter().enumerate() {
            out.push_str(&format!("({:.1}, {:.1}), ", x(i), y(*v)));
        }
    }
    out.push_str("))");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(values: &[f64]) -> Vec<TrendPoint> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| TrendPoint {
                period: format!("2025-Q{}", i + 1),
                value: *v,
            })
            .collect()
    }

    #[test]
    fn an_empty_series_is_a_dash() {
        assert_eq!(sparkline(&[], Some(3.0)), "[—]");
    }

    #[test]
    fn a_series_gives_every_point_the_target_and_the_last_value() {
        let chart = sparkline(&series(&[1.0, 3.0, 2.0]), Some(4.0));
        // The target (4, the highest) is at the top; the last point at the right.
        assert!(
            chart.starts_with(&format!("spark({PAD:.1}, {WIDTH:.1}, ")),
            "{chart}"
        );
        assert_eq!(chart.matches("), (").count() + 1, 3, "{chart}");
        assert!(
            chart.contains(&format!("(0.0, {:.1})", HEIGHT - PAD)),
            "{chart}"
        );
    }

    #[test]
    fn a_single_or_flat_value_is_centred() {
        let chart = sparkline(&series(&[5.0]), None);
        let middle = format!("{:.1}", HEIGHT / 2.0);
        assert_eq!(
            chart,
            format!("spark(none, {:.1}, {middle}, ())", WIDTH / 2.0)
        );
        let flat = sparkline(&series(&[5.0, 5.0]), Some(5.0));
        assert!(flat.starts_with(&format!("spark({middle}, ")), "{flat}");
    }
}
