//! When two titles are the same item: equal once case, spacing and
//! punctuation are folded away, or nearly so (a damaged repeat).

/// Lower case, letters and digits only, single spaces.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// Longest titles compared letter by letter; longer ones must fold equal.
const MAX_COMPARED: usize = 400;

/// Equal when folded, or within one edit in ten.
pub fn similar(a: &str, b: &str) -> bool {
    similar_folded(&fold(a), &fold(b))
}

/// [`similar`] for titles already folded.
pub fn similar_folded(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    if numbers(a) != numbers(b) {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let longest = a.len().max(b.len());
    if longest > MAX_COMPARED || a.len().abs_diff(b.len()) * 10 > longest {
        return false;
    }
    edit_distance(&a, &b) * 10 <= longest
}

/// "Phase 1" and "Phase 2" are different items, however alike their words.
fn numbers(folded: &str) -> Vec<&str> {
    folded
        .split(' ')
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .collect()
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_near_repeats() {
        assert_eq!(fold("Make “ONE OIT” a Reality!"), "make one oit a reality");
        assert!(similar("GOAL: One OIT", "goal one oit"));
        assert!(similar(
            "Conduct IT processes optimization review",
            "Conduct if processes optimization review"
        ));
        assert!(!similar(
            "Develop QA/QC framework",
            "Develop Release Management framework"
        ));
        assert!(!similar("", ""));
        assert!(!similar(
            "Dataset expansion (Phase 1)",
            "Dataset expansion (Phase 2)"
        ));
    }
}
