//! A stacked bar: how many items are in each status, drawn as adjacent
//! rectangles whose widths add up to the bar's width exactly. Pure geometry;
//! the template draws the rectangles and the counts beside them in words.

/// One rectangle of a stacked bar.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Segment {
    /// Where it starts, from the bar's left edge.
    pub x: u32,
    /// How wide it is; never zero.
    pub width: u32,
    /// The CSS class that colours it (the status's).
    pub class: &'static str,
    /// What it stands for, in words ("3 On track").
    pub label: String,
}

/// A stacked bar `width` units wide over `(class, label, count)` parts, in
/// order. Parts with no items draw nothing; an empty total draws nothing.
///
/// Edges are rounded from the running total, so the segments touch and
/// together span exactly `width` whatever the counts.
pub(crate) fn stacked(width: u32, parts: &[(&'static str, &str, usize)]) -> Vec<Segment> {
    let total: usize = parts.iter().map(|p| p.2).sum();
    if total == 0 || width == 0 {
        return Vec::new();
    }
    let edge = |so_far: usize| -> u32 {
        let scaled = (so_far as u64 * u64::from(width) + total as u64 / 2) / total as u64;
        u32::try_from(scaled).unwrap_or(width).min(width)
    };
    let mut segments = Vec::new();
    let mut so_far = 0;
    for &(class, label, count) in parts {
        if count == 0 {
            continue;
        }
        let x = edge(so_far);
        so_far += count;
        let end = edge(so_far);
        if end > x {
            segments.push(Segment {
                x,
                width: end - x,
                class,
                label: format!("{count} {label}"),
            });
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(counts: &[usize]) -> Vec<(&'static str, &'static str, usize)> {
        const CLASSES: [&str; 7] = ["a", "b", "c", "d", "e", "f", "g"];
        counts
            .iter()
            .zip(CLASSES)
            .map(|(&n, c)| (c, "items", n))
            .collect()
    }

    #[test]
    fn segments_touch_and_fill_the_bar_exactly() {
        for counts in [
            vec![1, 1, 1],
            vec![3, 0, 7, 2],
            vec![1, 99],
            vec![5],
            vec![2, 3, 5, 7, 11, 13, 17],
        ] {
            let segs = stacked(300, &parts(&counts));
            let mut at = 0;
            for s in &segs {
                assert_eq!(s.x, at, "gap or overlap in {counts:?}");
                assert!(s.width > 0);
                at = s.x + s.width;
            }
            assert_eq!(at, 300, "{counts:?} does not span the bar");
        }
    }

    #[test]
    fn widths_follow_the_counts() {
        let segs = stacked(200, &parts(&[1, 3]));
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].width, 50);
        assert_eq!(segs[1].width, 150);
        assert_eq!(segs[1].label, "3 items");
        assert_eq!(segs[1].class, "b");
    }

    #[test]
    fn counts_add_up_in_the_labels() {
        let counts = [4, 0, 2, 9];
        let segs = stacked(120, &parts(&counts));
        let told: usize = segs
            .iter()
            .map(|s| s.label.split(' ').next().unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(told, counts.iter().sum::<usize>());
        assert_eq!(segs.len(), 3, "an empty status draws no segment");
    }

    #[test]
    fn nothing_to_count_draws_nothing() {
        assert!(stacked(300, &parts(&[0, 0])).is_empty());
        assert!(stacked(300, &[]).is_empty());
    }
}
