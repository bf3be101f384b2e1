//! From runs of text placed on a page to lines in reading order: runs on
//! the same baseline form a line, lines go top to bottom, runs left to
//! right, and a space goes wherever the gap between runs is a word gap.

/// A gap between runs wider than this many ems is a word gap.
const WORD_GAP_EMS: f64 = 0.2;
/// Runs whose baselines differ by at most this many ems share a line, so
/// superscripts and subscripts stay with their line.
const SAME_LINE_EMS: f64 = 0.45;
/// The smallest em a run is taken to have, in points.
const MIN_EM: f64 = 1.0;

/// Text shown in one go, in page coordinates (points, y up).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Run {
    /// Where the text starts and ends along the baseline.
    x0: f64,
    x1: f64,
    /// The baseline.
    y: f64,
    /// The font size.
    em: f64,
    text: String,
}

impl Run {
    pub(super) fn new(x0: f64, x1: f64, y: f64, em: f64, text: String) -> Self {
        let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
        let (x0, x1) = (finite(x0), finite(x1));
        Self {
            x0: x0.min(x1),
            x1: x0.max(x1),
            y: finite(y),
            em: finite(em).max(MIN_EM),
            text,
        }
    }
}

/// A line being gathered: its runs, and the baseline and size of its largest run.
struct Line {
    runs: Vec<Run>,
    y: f64,
    em: f64,
}

/// The page's lines, top to bottom, without empty ones.
pub(super) fn lines(mut runs: Vec<Run>) -> Vec<String> {
    runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Line> = Vec::new();
    for run in runs {
        match lines.last_mut() {
            Some(line) if (line.y - run.y).abs() <= SAME_LINE_EMS * line.em.max(run.em) => {
                if run.em > line.em {
                    line.y = run.y;
                    line.em = run.em;
                }
                line.runs.push(run);
            }
            _ => lines.push(Line {
                y: run.y,
                em: run.em,
                runs: vec![run],
            }),
        }
    }
    lines
        .into_iter()
        .map(|line| join(line.runs))
        .filter(|text| !text.is_empty())
        .collect()
}

/// The runs of one line as text, left to right.
fn join(mut runs: Vec<Run>) -> String {
    runs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut text = String::new();
    let mut previous: Option<&Run> = None;
    let mut end = f64::NEG_INFINITY;
    for run in &runs {
        if let Some(prev) = previous {
            let em = (prev.em + run.em) / 2.0;
            let overprinted = run.text == prev.text && (run.x0 - prev.x0).abs() < WORD_GAP_EMS * em;
            if overprinted {
                continue;
            }
            let gap = run.x0 - end;
            let spaced =
                text.ends_with(char::is_whitespace) || run.text.starts_with(char::is_whitespace);
            if gap > WORD_GAP_EMS * em && !spaced {
                text.push(' ');
            }
        }
        text.push_str(&run.text);
        end = end.max(run.x1);
        previous = Some(run);
    }
    normalize(&text)
}

/// One space between words, none at the ends; typographic ligatures and
/// odd spaces as the plain letters and spaces a reader would type.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        let replacement = match c {
            '\u{ad}' => "-",
            '\u{fb00}' => "ff",
            '\u{fb01}' => "fi",
            '\u{fb02}' => "fl",
            '\u{fb03}' => "ffi",
            '\u{fb04}' => "ffl",
            '\u{fb05}' | '\u{fb06}' => "st",
            '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => "",
            c if c.is_whitespace() || c.is_control() => " ",
            _ => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
                continue;
            }
        };
        if replacement == " " {
            pending_space = true;
        } else if !replacement.is_empty() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push_str(replacement);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(x0: f64, x1: f64, y: f64, text: &str) -> Run {
        Run::new(x0, x1, y, 10.0, text.into())
    }

    #[test]
    fn runs_on_one_baseline_form_a_line_top_to_bottom() {
        let runs = vec![
            run(72.0, 120.0, 600.0, "second"),
            run(200.0, 240.0, 700.0, "right"),
            run(72.0, 120.0, 700.0, "left"),
            run(72.0, 90.0, 500.0, "third"),
        ];
        assert_eq!(lines(runs), vec!["left right", "second", "third"]);
    }

    #[test]
    fn abutting_runs_join_and_gaps_become_one_space() {
        // "Stra" ends at 100; "tegic" starts at 100.5: a kerning, not a gap.
        let runs = vec![
            run(72.0, 100.0, 700.0, "Stra"),
            run(100.5, 130.0, 700.0, "tegic"),
            run(133.0, 160.0, 700.0, "plan"),
            run(160.0, 170.0, 700.0, "  "),
            run(170.0, 180.0, 700.0, "now"),
        ];
        assert_eq!(lines(runs), vec!["Strategic plan now"]);
    }

    #[test]
    fn a_superscript_stays_on_its_line() {
        let runs = vec![
            run(72.0, 100.0, 700.0, "Goal"),
            Run::new(100.0, 103.0, 703.5, 6.0, "1".into()),
            run(72.0, 100.0, 688.0, "next"),
        ];
        assert_eq!(lines(runs), vec!["Goal1", "next"]);
    }

    #[test]
    fn overprinted_bold_reads_once() {
        let runs = vec![
            run(72.0, 100.0, 700.0, "Vision"),
            run(72.3, 100.3, 700.0, "Vision"),
        ];
        assert_eq!(lines(runs), vec!["Vision"]);
    }

    #[test]
    fn ligatures_and_odd_spaces_are_plain_text() {
        assert_eq!(
            normalize("\u{fb01}nancial\u{a0}\u{a0}plan\t "),
            "financial plan"
        );
        assert_eq!(normalize(" a\u{200b}b "), "ab");
    }
}
