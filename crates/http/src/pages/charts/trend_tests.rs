//! Unit tests of the trend chart's geometry.

use super::*;
use lodestar_domain::Value;
use lodestar_domain::status::health_of;

fn v(x: f64) -> Value {
    Value::new(x).unwrap()
}

fn thresholds(basis: ThresholdBasis, green: f64, amber: f64) -> Thresholds {
    Thresholds {
        basis,
        green: v(green),
        amber: v(amber),
    }
}

fn goal(x: f64) -> Option<Goal> {
    Some(Goal::Value { value: v(x) })
}

fn slot(label: &str, value: Option<f64>, goal: Option<Goal>, bands: Vec<Band>) -> Slot {
    Slot {
        label: label.into(),
        value,
        goal,
        bands,
    }
}

/// Every number a chart carries, to check none is NaN or outside the chart.
fn numbers(t: &Trend) -> Vec<f64> {
    let mut all = vec![t.frame.x, t.frame.y, t.frame.width, t.frame.height];
    for b in &t.bands {
        all.extend([b.x, b.y, b.width, b.height]);
    }
    for d in &t.dots {
        all.extend([d.cx, d.cy]);
    }
    all.extend(t.y_ticks.iter().map(|t| t.at));
    all.extend(t.x_ticks.iter().map(|t| t.at));
    all
}

fn assert_sane(t: &Trend) {
    for n in numbers(t) {
        assert!(n.is_finite() && (0.0..=WIDTH).contains(&n), "{n} in {t:?}");
    }
    assert!(!t.line.contains("NaN") && !t.target.contains("NaN"));
}

#[test]
fn bands_agree_with_the_status_rules() {
    use MeasureDirection::*;
    use ThresholdBasis::*;
    let range = Some(Goal::Range {
        low: v(40.0),
        high: v(60.0),
    });
    let cases = [
        (
            HigherIsBetter,
            thresholds(PercentOfTarget, 100.0, 90.0),
            goal(80.0),
        ),
        (HigherIsBetter, thresholds(Absolute, 99.5, 99.0), goal(99.9)),
        (
            LowerIsBetter,
            thresholds(PercentOfTarget, 100.0, 110.0),
            goal(20.0),
        ),
        (LowerIsBetter, thresholds(Absolute, 4.0, 8.0), None),
        (
            LowerIsBetter,
            thresholds(PercentOfTarget, 100.0, 110.0),
            goal(0.0),
        ),
        (WithinRange, thresholds(PercentOfTarget, 0.0, 10.0), range),
        (WithinRange, thresholds(Absolute, 1.0, 5.0), range),
    ];
    for (direction, th, g) in cases {
        let bands = bands(direction, &th, g);
        assert!(!bands.is_empty(), "{direction} {th:?}");
        for x in (-400..=4000).map(|i| f64::from(i) * 0.0371) {
            let inside: Vec<_> = bands.iter().filter(|b| b.low < x && x < b.high).collect();
            if inside.is_empty() {
                continue; // on a bound
            }
            assert_eq!(inside.len(), 1, "{x} in overlapping bands {bands:?}");
            let rule = health_of(direction, &th, g, x).unwrap();
            assert_eq!(inside[0].health, rule, "{direction} {th:?} {g:?} at {x}");
        }
    }
}

#[test]
fn no_bands_where_the_thresholds_cannot_judge() {
    let percent = thresholds(ThresholdBasis::PercentOfTarget, 100.0, 90.0);
    assert!(bands(MeasureDirection::HigherIsBetter, &percent, None).is_empty());
    assert!(bands(MeasureDirection::HigherIsBetter, &percent, goal(0.0)).is_empty());
    assert!(bands(MeasureDirection::WithinRange, &percent, goal(5.0)).is_empty());
}

#[test]
fn values_scale_into_the_plot_with_higher_values_higher() {
    let slots = [
        slot("2025", Some(40.0), goal(45.0), vec![]),
        slot("2026", Some(50.0), goal(55.0), vec![]),
        slot("2027", Some(60.0), goal(65.0), vec![]),
    ];
    let t = draw(&slots).unwrap();
    assert_sane(&t);
    assert_eq!(t.dots.len(), 3);
    assert!(t.dots[0].cy > t.dots[1].cy && t.dots[1].cy > t.dots[2].cy);
    assert!(t.dots[0].cx < t.dots[1].cx && t.dots[1].cx < t.dots[2].cx);
    let bottom = t.frame.y + t.frame.height;
    for d in &t.dots {
        assert!(d.cy >= t.frame.y && d.cy <= bottom);
    }
    assert_eq!(t.dots[1].label, "2026: 50");
    assert!(t.line.starts_with('M') && t.line.matches('L').count() == 2);
    // The axis covers 40 to 65 in whole steps, labelled.
    let first = t.y_ticks.first().unwrap();
    let last = t.y_ticks.last().unwrap();
    assert!(first.label.parse::<f64>().unwrap() <= 40.0);
    assert!(last.label.parse::<f64>().unwrap() >= 65.0);
    assert_eq!(t.x_ticks.len(), 3);
}

#[test]
fn the_target_line_sits_at_each_periods_target() {
    let slots = [
        slot("2025", Some(0.0), goal(10.0), vec![]),
        slot("2026", Some(10.0), goal(10.0), vec![]),
    ];
    let t = draw(&slots).unwrap();
    // The second value is on its target: the line's height is the dot's.
    let at = format!("M{} {}H", t.frame.x + t.frame.width / 2.0, t.dots[1].cy);
    assert!(t.target.contains(&at), "{at} not in {}", t.target);
    assert_eq!(t.target.matches('M').count(), 2);
}

#[test]
fn bands_fill_each_periods_column_within_the_plot() {
    let th = thresholds(ThresholdBasis::Absolute, 99.5, 99.0);
    let b = bands(MeasureDirection::HigherIsBetter, &th, None);
    let slots = [
        slot("2026-01", Some(99.7), None, b.clone()),
        slot("2026-02", Some(98.9), None, b),
    ];
    let t = draw(&slots).unwrap();
    assert_sane(&t);
    let classes: Vec<_> = t.bands.iter().map(|b| b.class).collect();
    assert_eq!(classes.iter().filter(|c| **c == "band-green").count(), 2);
    assert!(classes.contains(&"band-amber") && classes.contains(&"band-red"));
    let height: f64 = t.bands[..3].iter().map(|b| b.height).sum();
    assert!((height - t.frame.height).abs() < 0.5, "{height}");
    for b in &t.bands {
        assert!(b.y >= t.frame.y && b.y + b.height <= t.frame.y + t.frame.height + 0.1);
    }
}

#[test]
fn one_point_is_centred_and_a_flat_series_still_has_an_axis() {
    let t = draw(&[slot("2026-Q1", Some(7.0), None, vec![])]).unwrap();
    assert_sane(&t);
    assert_eq!(t.dots.len(), 1);
    assert_eq!(t.dots[0].cx, t.frame.x + t.frame.width / 2.0);
    assert!(t.y_ticks.len() >= 2);
    assert!(t.dots[0].cy > t.frame.y && t.dots[0].cy < t.frame.y + t.frame.height);
    assert_eq!(t.line.matches('M').count(), 1);
}

#[test]
fn no_points_no_chart() {
    assert!(draw(&[]).is_none());
    assert!(draw(&[slot("2026", None, goal(5.0), vec![])]).is_none());
}

#[test]
fn a_missing_value_breaks_the_line_and_nan_is_never_drawn() {
    let slots = [
        slot("1", Some(1.0), None, vec![]),
        slot("2", None, None, vec![]),
        slot("3", Some(f64::NAN), None, vec![]),
        slot("4", Some(3.0), None, vec![]),
        slot("5", Some(4.0), None, vec![]),
    ];
    let t = draw(&slots).unwrap();
    assert_sane(&t);
    assert_eq!(t.dots.len(), 3);
    assert_eq!(t.line.matches('M').count(), 2);
}

#[test]
fn many_periods_get_a_label_every_few_ending_at_the_latest() {
    let slots: Vec<_> = (1..=24)
        .map(|m| slot(&format!("m{m}"), Some(f64::from(m)), None, vec![]))
        .collect();
    let t = draw(&slots).unwrap();
    assert!(t.x_ticks.len() <= MAX_X_LABELS);
    assert_eq!(t.x_ticks.last().unwrap().label, "m24");
}

#[test]
fn axis_labels_have_the_decimals_their_step_needs() {
    assert_eq!(tick_label(99.0, 0.5), "99.0");
    assert_eq!(tick_label(40.0, 5.0), "40");
    assert_eq!(tick_label(-0.0001, 0.1), "0.0");
    assert_eq!(number(55.00001), "55");
    assert_eq!(number(-0.0), "0");
}
