//! The geometry of a measure's trend chart: its values over time, the target
//! of each period as a line, and the threshold bands that colour a value,
//! all in SVG user units so that the template only places what is computed
//! here. Pure: no markup, no I/O.

use lodestar_domain::status::Health;
use lodestar_domain::{Goal, MeasureDirection, ThresholdBasis, Thresholds};

/// The chart's width in SVG user units.
pub(crate) const WIDTH: f64 = 640.0;
/// The chart's height in SVG user units.
pub(crate) const HEIGHT: f64 = 240.0;
/// Room left of the plot for the value axis labels.
const LEFT: f64 = 56.0;
/// Room right of the plot.
const RIGHT: f64 = 12.0;
/// Room above the plot.
const TOP: f64 = 12.0;
/// Room below the plot for the period labels.
const BOTTOM: f64 = 32.0;
/// At most this many period labels, so they do not overlap.
const MAX_X_LABELS: usize = 8;

/// A span of values that the thresholds colour one way; a bound may be infinite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Band {
    /// The lowest value of the band.
    pub low: f64,
    /// The highest value of the band.
    pub high: f64,
    /// The colour a value in it gets.
    pub health: Health,
}

/// The threshold bands of one period, in the measure's own unit: what
/// `health_of` would give a value there. Empty when the thresholds cannot
/// work with the goal (a percentage of no target, a range for a single value).
pub(crate) fn bands(
    direction: MeasureDirection,
    thresholds: &Thresholds,
    goal: Option<Goal>,
) -> Vec<Band> {
    let (g, a) = (thresholds.green.get(), thresholds.amber.get());
    let percent = thresholds.basis == ThresholdBasis::PercentOfTarget;
    let band = |low, high, health| Band { low, high, health };
    let inf = f64::INFINITY;
    match direction {
        MeasureDirection::HigherIsBetter | MeasureDirection::LowerIsBetter => {
            let higher = direction == MeasureDirection::HigherIsBetter;
            let (green, amber) = if percent {
                let Some(Goal::Value { value }) = goal else {
                    return Vec::new();
                };
                let t = value.get();
                if (higher && t <= 0.0) || (!higher && t < 0.0) {
                    return Vec::new();
                }
                if !higher && t == 0.0 {
                    return vec![band(-inf, 0.0, Health::Green), band(0.0, inf, Health::Red)];
                }
                (g * t / 100.0, a * t / 100.0)
            } else {
                (g, a)
            };
            if higher {
                vec![
                    band(green, inf, Health::Green),
                    band(amber, green, Health::Amber),
                    band(-inf, amber, Health::Red),
                ]
            } else {
                vec![
                    band(-inf, green, Health::Green),
                    band(green, amber, Health::Amber),
                    band(amber, inf, Health::Red),
                ]
            }
        }
        MeasureDirection::WithinRange => {
            let Some(Goal::Range { low, high }) = goal else {
                return Vec::new();
            };
            let (low, high) = (low.get(), high.get());
            if low > high {
                return Vec::new();
            }
            let width = high - low;
            let (dg, da) = match (percent, width == 0.0) {
                (false, _) => (g, a),
                (true, true) => (0.0, 0.0),
                (true, false) => (g * width / 100.0, a * width / 100.0),
            };
            vec![
                band(-inf, low - da, Health::Red),
                band(low - da, low - dg, Health::Amber),
                band(low - dg, high + dg, Health::Green),
                band(high + dg, high + da, Health::Amber),
                band(high + da, inf, Health::Red),
            ]
        }
    }
}

/// One period of a trend: its label, its value (if it has one), its goal and
/// its threshold bands.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Slot {
    /// The period in words (`2026-Q1`).
    pub label: String,
    /// Its value; none when it has none (a calculated measure missing an input).
    pub value: Option<f64>,
    /// The target of the period.
    pub goal: Option<Goal>,
    /// The period's threshold bands (see [`bands`]).
    pub bands: Vec<Band>,
}

/// A rectangle: a threshold band, or the plot's frame.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// The CSS class that colours it (`band-green`).
    pub class: &'static str,
}

/// A value drawn as a point, with its words for a tooltip.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dot {
    /// Centre, across.
    pub cx: f64,
    /// Centre, down.
    pub cy: f64,
    /// `2026-Q1: 55`.
    pub label: String,
}

/// A labelled position along an axis.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tick {
    /// Where along the axis (x for periods, y for values).
    pub at: f64,
    /// What it says.
    pub label: String,
}

/// A trend chart laid out: every number finite and rounded to a tenth.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Trend {
    /// The plot area.
    pub frame: Rect,
    /// The threshold bands, one column per period.
    pub bands: Vec<Rect>,
    /// The target line as path data; empty when no period has a target.
    pub target: String,
    /// The values' line as path data, broken where a period has no value.
    pub line: String,
    /// The values as points.
    pub dots: Vec<Dot>,
    /// The value axis.
    pub y_ticks: Vec<Tick>,
    /// The period axis.
    pub x_ticks: Vec<Tick>,
    /// Where the period labels sit, down.
    pub x_label_y: f64,
    /// Where the value labels end, across.
    pub y_label_x: f64,
}

/// Rounds to a tenth, so the markup stays short; anything not finite is 0.
fn r(x: f64) -> f64 {
    if x.is_finite() {
        (x * 10.0).round() / 10.0
    } else {
        0.0
    }
}

/// A step of 1, 2 or 5 times a power of ten that cuts `span` into about four.
fn nice_step(span: f64) -> f64 {
    let raw = span / 4.0;
    let power = 10f64.powf(raw.log10().floor());
    let fraction = raw / power;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// The value axis: from `min` to `max` widened to whole steps, and the step.
fn value_scale(min: f64, max: f64) -> (f64, f64, f64) {
    let (min, max) = if max - min < 1e-9 {
        let pad = (min.abs() * 0.1).max(1.0);
        (min - pad, max + pad)
    } else {
        (min, max)
    };
    let step = nice_step(max - min);
    (
        (min / step).floor() * step,
        (max / step).ceil() * step,
        step,
    )
}

/// A value axis label: as many decimals as the step needs.
fn tick_label(value: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil().clamp(0.0, 6.0) as usize
    };
    let text = format!("{value:.decimals$}");
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        format!("{:.decimals$}", 0.0)
    } else {
        text
    }
}

/// A value as a tooltip or a table shows it.
pub(crate) fn number(value: f64) -> String {
    let rounded = (value * 10_000.0).round() / 10_000.0;
    format!("{}", if rounded == 0.0 { 0.0 } else { rounded })
}

/// Lays out the chart of `slots`, oldest first; none when no period has a
/// value, since there is nothing to draw.
pub(crate) fn draw(slots: &[Slot]) -> Option<Trend> {
    let values: Vec<f64> = slots
        .iter()
        .filter_map(|s| s.value)
        .filter(|v| v.is_finite())
        .collect();
    if values.is_empty() {
        return None;
    }
    let goals = slots.iter().filter_map(|s| s.goal).flat_map(|g| match g {
        Goal::Value { value } => [value.get(), value.get()],
        Goal::Range { low, high } => [low.get(), high.get()],
    });
    let bounds = slots
        .iter()
        .flat_map(|s| s.bands.iter().flat_map(|b| [b.low, b.high]));
    let all: Vec<f64> = values
        .iter()
        .copied()
        .chain(goals)
        .chain(bounds)
        .filter(|v| v.is_finite())
        .collect();
    let min = all.iter().copied().fold(f64::INFINITY, f64::min);
    let max = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi, step) = value_scale(min, max);
    let (plot_w, plot_h) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    let y = |v: f64| r(TOP + plot_h * (hi - v.clamp(lo, hi)) / (hi - lo));
    let column = plot_w / slots.len() as f64;
    let x_of = |i: usize| r(LEFT + column * (i as f64 + 0.5));
    let mut bands = Vec::new();
    let mut target = String::new();
    let mut line = String::new();
    let mut dots = Vec::new();
    let mut joined = false;
    for (i, slot) in slots.iter().enumerate() {
        let (x0, x1) = (
            r(LEFT + column * i as f64),
            r(LEFT + column * (i + 1) as f64),
        );
        for b in &slot.bands {
            let (top, bottom) = (y(b.high), y(b.low));
            if bottom - top > 0.0 {
                bands.push(Rect {
                    x: x0,
                    y: top,
                    width: r(x1 - x0),
                    height: r(bottom - top),
                    class: band_class(b.health),
                });
            }
        }
        let goal_values = match slot.goal {
            Some(Goal::Value { value }) => vec![value.get()],
            Some(Goal::Range { low, high }) => vec![low.get(), high.get()],
            None => Vec::new(),
        };
        for g in goal_values.into_iter().filter(|g| g.is_finite()) {
            target.push_str(&format!("M{x0} {}H{x1}", y(g)));
        }
        match slot.value.filter(|v| v.is_finite()) {
            Some(v) => {
                let (cx, cy) = (x_of(i), y(v));
                line.push_str(&format!("{}{cx} {cy}", if joined { "L" } else { "M" }));
                joined = true;
                dots.push(Dot {
                    cx,
                    cy,
                    label: format!("{}: {}", slot.label, number(v)),
                });
            }
            None => joined = false,
        }
    }
    let mut y_ticks = Vec::new();
    let mut k = 0.0;
    while lo + k * step <= hi + step * 1e-6 {
        let v = lo + k * step;
        y_ticks.push(Tick {
            at: y(v),
            label: tick_label(v, step),
        });
        k += 1.0;
    }
    let every = slots.len().div_ceil(MAX_X_LABELS).max(1);
    let last = slots.len() - 1;
    let x_ticks = slots
        .iter()
        .enumerate()
        .filter(|(i, _)| (last - i).is_multiple_of(every))
        .map(|(i, s)| Tick {
            at: x_of(i),
            label: s.label.clone(),
        })
        .collect();
    Some(Trend {
        frame: Rect {
            x: LEFT,
            y: TOP,
            width: r(plot_w),
            height: r(plot_h),
            class: "frame",
        },
        bands,
        target,
        line,
        dots,
        y_ticks,
        x_ticks,
        x_label_y: r(TOP + plot_h + 20.0),
        y_label_x: LEFT - 6.0,
    })
}

/// The CSS class of a band of this colour.
fn band_class(health: Health) -> &'static str {
    match health {
        Health::Green => "band-green",
        Health::Amber => "band-amber",
        Health::Red => "band-red",
    }
}

#[cfg(test)]
#[path = "trend_tests.rs"]
mod tests;
