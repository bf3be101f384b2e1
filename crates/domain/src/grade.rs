//! The one rule that grades a goal, an objective or a whole plan for a year of
//! the annual report card (written out, with a worked example, in
//! `docs/report-card.md`; a change here is a change there).
//!
//! A node's score is the weighted mean of two shares, each 0–100:
//!
//! - delivery: of the initiatives beneath it due in the year, the share completed;
//! - measures: of its measures (and those beneath it) with a colour, green
//!   counting whole, amber half, red nothing.
//!
//! A share with nothing behind it (no initiative due, no measure with a value)
//! is left out and the other one counts alone; with neither the node is
//! "Not graded" and says why. The score maps to a grade on a scale: letters
//! A–F or four levels (Exceeds/Meets/Approaching/Below), thresholds configurable.

use serde::{Deserialize, Serialize};

/// How a score maps to a grade: each threshold is the lowest score (0–100) of
/// its grade; a score below the last one gets the bottom grade.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum GradeScale {
    /// A, B, C, D and F.
    Letters {
        /// The lowest score of an A (90 by default).
        a: f64,
        /// The lowest score of a B (80).
        b: f64,
        /// The lowest score of a C (70).
        c: f64,
        /// The lowest score of a D (60); below is F.
        d: f64,
    },
    /// Exceeds, Meets, Approaching and Below.
    Levels {
        /// The lowest score of "Exceeds" (90 by default).
        exceeds: f64,
        /// The lowest score of "Meets" (70).
        meets: f64,
        /// The lowest score of "Approaching" (50); below is "Below".
        approaching: f64,
    },
}

impl GradeScale {
    /// The letter scale with its usual thresholds: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, F below.
    pub const LETTERS: GradeScale = GradeScale::Letters {
        a: 90.0,
        b: 80.0,
        c: 70.0,
        d: 60.0,
    };

    /// The four-level scale: Exceeds ≥ 90, Meets ≥ 70, Approaching ≥ 50, Below under 50.
    pub const LEVELS: GradeScale = GradeScale::Levels {
        exceeds: 90.0,
        meets: 70.0,
        approaching: 50.0,
    };

    /// The grade a score (0–100) earns on this scale.
    pub fn grade(&self, score: f64) -> Grade {
        // Scores are rounded to one decimal before they are printed, so they
        // are compared rounded too: a printed 90.0 is always an A.
        let score = round1(score);
        match *self {
            GradeScale::Letters { a, b, c, d } => {
                if score >= a {
                    Grade::A
                } else if score >= b {
                    Grade::B
                } else if score >= c {
                    Grade::C
                } else if score >= d {
                    Grade::D
                } else {
                    Grade::F
                }
            }
            GradeScale::Levels {
                exceeds,
                meets,
                approaching,
            } => {
                if score >= exceeds {
                    Grade::Exceeds
                } else if score >= meets {
                    Grade::Meets
                } else if score >= approaching {
                    Grade::Approaching
                } else {
                    Grade::Below
                }
            }
        }
    }

    /// The scale in one line, for the report's key: "A ≥ 90, B ≥ 80, …".
    pub fn describe(&self) -> String {
        match *self {
            GradeScale::Letters { a, b, c, d } => {
                format!("A ≥ {a}, B ≥ {b}, C ≥ {c}, D ≥ {d}, F below {d}")
            }
            GradeScale::Levels {
                exceeds,
                meets,
                approaching,
            } => format!(
                "Exceeds ≥ {exceeds}, Meets ≥ {meets}, Approaching ≥ {approaching}, Below under {approaching}"
            ),
        }
    }

    /// Checks that the thresholds lie in 0–100 and fall from the top grade down.
    pub fn check(&self) -> Result<(), String> {
        let steps: Vec<f64> = match *self {
            GradeScale::Letters { a, b, c, d } => vec![a, b, c, d],
            GradeScale::Levels {
                exceeds,
                meets,
                approaching,
            } => vec![exceeds, meets, approaching],
        };
        if steps.iter().any(|t| !(0.0..=100.0).contains(t)) {
            return Err(format!(
                "grade thresholds must lie in 0–100 ({})",
                self.describe()
            ));
        }
        if steps.windows(2).any(|w| w[0] <= w[1]) {
            return Err(format!(
                "grade thresholds must fall from the top grade down ({})",
                self.describe()
            ));
        }
        Ok(())
    }
}

/// A grade: a letter, a level, or "Not graded" when there was nothing to grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Grade {
    /// Score at or above the A threshold.
    A,
    /// Score at or above the B threshold.
    B,
    /// Score at or above the C threshold.
    C,
    /// Score at or above the D threshold.
    D,
    /// Score below the D threshold.
    F,
    /// Four-level scale: the top level.
    Exceeds,
    /// Four-level scale: the second level.
    Meets,
    /// Four-level scale: the third level.
    Approaching,
    /// Four-level scale: the bottom level.
    Below,
    /// Nothing to grade: no initiative due and no measure with a value.
    #[serde(rename = "Not graded")]
    NotGraded,
}

impl Grade {
    /// The grade as printed: "A", "Meets", "Not graded".
    pub fn label(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::F => "F",
            Grade::Exceeds => "Exceeds",
            Grade::Meets => "Meets",
            Grade::Approaching => "Approaching",
            Grade::Below => "Below",
            Grade::NotGraded => "Not graded",
        }
    }

    /// A lowercase word for styling (`a`, `meets`, `not-graded`).
    pub fn slug(self) -> &'static str {
        match self {
            Grade::A => "a",
            Grade::B => "b",
            Grade::C => "c",
            Grade::D => "d",
            Grade::F => "f",
            Grade::Exceeds => "exceeds",
            Grade::Meets => "meets",
            Grade::Approaching => "approaching",
            Grade::Below => "below",
            Grade::NotGraded => "not-graded",
        }
    }
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// The grading rule: how much each share weighs and the scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GradingRule {
    /// The weight of the delivery share (initiatives completed of those due).
    pub delivery_weight: f64,
    /// The weight of the measures share (green whole, amber half).
    pub measure_weight: f64,
    /// How a score becomes a grade.
    pub scale: GradeScale,
}

impl Default for GradingRule {
    /// Equal weights on the letter scale.
    fn default() -> Self {
        GradingRule {
            delivery_weight: 1.0,
            measure_weight: 1.0,
            scale: GradeScale::LETTERS,
        }
    }
}

impl GradingRule {
    /// Checks the weights (finite, not negative, not both zero) and the scale.
    pub fn check(&self) -> Result<(), String> {
        let ok = |w: f64| w.is_finite() && w >= 0.0;
        if !ok(self.delivery_weight) || !ok(self.measure_weight) {
            return Err("grading weights must be numbers of 0 or more".into());
        }
        if self.delivery_weight + self.measure_weight <= 0.0 {
            return Err("at least one grading weight must be above 0".into());
        }
        self.scale.check()
    }

    /// The rule in one line, for the report's key.
    pub fn describe(&self) -> String {
        format!(
            "score = weighted mean of initiatives completed of those due (weight {}) and measures green, amber counting half (weight {}); {}",
            self.delivery_weight,
            self.measure_weight,
            self.scale.describe()
        )
    }

    /// Grades a node (or a plan) from its counts for `period` (a year, as printed).
    pub fn grade(&self, counts: &GradeCounts, period: &str) -> Graded {
        let delivery = (counts.initiatives_due > 0)
            .then(|| 100.0 * counts.initiatives_completed as f64 / counts.initiatives_due as f64);
        let colored = counts.measures_green + counts.measures_amber + counts.measures_red;
        let measures = (colored > 0).then(|| {
            100.0 * (counts.measures_green as f64 + 0.5 * counts.measures_amber as f64)
                / colored as f64
        });
        let mut parts = Vec::new();
        parts.push(match delivery {
            Some(share) => format!(
                "{} of {} initiatives due in {period} completed ({}%)",
                counts.initiatives_completed,
                counts.initiatives_due,
                pct(share)
            ),
            None => format!("no initiatives due in {period}"),
        });
        parts.push(match measures {
            Some(share) => format!(
                "{} of {} measures green, {} amber ({}%)",
                counts.measures_green,
                colored,
                counts.measures_amber,
                pct(share)
            ),
            None => "no measure with a value".to_string(),
        });
        if counts.measures_unknown > 0 {
            parts.push(format!(
                "{} measure{} without a value not counted",
                counts.measures_unknown,
                if counts.measures_unknown == 1 {
                    ""
                } else {
                    "s"
                }
            ));
        }
        let mut weighted = 0.0;
        let mut weights = 0.0;
        if let Some(share) = delivery.filter(|_| self.delivery_weight > 0.0) {
            weighted += share * self.delivery_weight;
            weights += self.delivery_weight;
        }
        if let Some(share) = measures.filter(|_| self.measure_weight > 0.0) {
            weighted += share * self.measure_weight;
            weights += self.measure_weight;
        }
        if weights <= 0.0 {
            return Graded {
                grade: Grade::NotGraded,
                score: None,
                basis: format!("not graded: {}", parts.join("; ")),
            };
        }
        let score = round1(weighted / weights);
        Graded {
            grade: self.scale.grade(score),
            score: Some(score),
            basis: parts.join("; "),
        }
    }
}

/// The numbers a grade is computed from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeCounts {
    /// Initiatives due in the period.
    pub initiatives_due: usize,
    /// Of those, how many are completed.
    pub initiatives_completed: usize,
    /// Measures whose latest value is green.
    pub measures_green: usize,
    /// Measures whose latest value is amber.
    pub measures_amber: usize,
    /// Measures whose latest value is red.
    pub measures_red: usize,
    /// Measures with no value (or no target) to colour; not counted in the score.
    pub measures_unknown: usize,
}

impl std::ops::AddAssign for GradeCounts {
    fn add_assign(&mut self, other: Self) {
        self.initiatives_due += other.initiatives_due;
        self.initiatives_completed += other.initiatives_completed;
        self.measures_green += other.measures_green;
        self.measures_amber += other.measures_amber;
        self.measures_red += other.measures_red;
        self.measures_unknown += other.measures_unknown;
    }
}

/// A grade with the score it came from and the numbers behind the score, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Graded {
    /// The grade.
    pub grade: Grade,
    /// The score, 0–100 rounded to one decimal; none when not graded.
    pub score: Option<f64>,
    /// The numbers it came from: "3 of 4 initiatives due in 2025 completed
    /// (75%); 2 of 3 measures green, 1 amber (83.3%)".
    pub basis: String,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A share as printed: whole numbers without decimals, otherwise one decimal.
fn pct(share: f64) -> String {
    let r = round1(share);
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

#[cfg(test)]
#[path = "grade_tests.rs"]
mod tests;
