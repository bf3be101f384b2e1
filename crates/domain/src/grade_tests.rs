use super::*;

fn counts(due: usize, done: usize, g: usize, a: usize, r: usize) -> GradeCounts {
    GradeCounts {
        initiatives_due: due,
        initiatives_completed: done,
        measures_green: g,
        measures_amber: a,
        measures_red: r,
        measures_unknown: 0,
    }
}

#[test]
fn equal_weights_average_the_two_shares_and_say_so() {
    let graded = GradingRule::default().grade(&counts(4, 3, 2, 0, 1), "2025");
    // (75 + 66.7) / 2 = 70.8
    assert_eq!(graded.score, Some(70.8));
    assert_eq!(graded.grade, Grade::C);
    assert_eq!(
        graded.basis,
        "3 of 4 initiatives due in 2025 completed (75%); 2 of 3 measures green, 0 amber (66.7%)"
    );
}

#[test]
fn amber_counts_half() {
    let graded = GradingRule::default().grade(&counts(0, 0, 1, 2, 1), "2025");
    // (1 + 2 × 0.5) / 4 = 50%
    assert_eq!(graded.score, Some(50.0));
    assert_eq!(graded.grade, Grade::F);
    assert!(
        graded.basis.starts_with("no initiatives due in 2025;"),
        "{}",
        graded.basis
    );
}

#[test]
fn weights_shift_the_score() {
    let rule = GradingRule {
        delivery_weight: 3.0,
        measure_weight: 1.0,
        ..GradingRule::default()
    };
    // (100 × 3 + 0 × 1) / 4 = 75
    let graded = rule.grade(&counts(2, 2, 0, 0, 1), "2025");
    assert_eq!(graded.score, Some(75.0));
    assert_eq!(graded.grade, Grade::C);
}

#[test]
fn a_zero_weight_leaves_its_share_out() {
    let rule = GradingRule {
        delivery_weight: 0.0,
        measure_weight: 1.0,
        ..GradingRule::default()
    };
    assert_eq!(
        rule.grade(&counts(2, 0, 1, 0, 0), "2025").score,
        Some(100.0)
    );
    let nothing = rule.grade(&counts(2, 0, 0, 0, 0), "2025");
    assert_eq!(nothing.grade, Grade::NotGraded);
}

#[test]
fn nothing_to_grade_is_not_graded_with_the_reason() {
    let mut c = counts(0, 0, 0, 0, 0);
    c.measures_unknown = 2;
    let graded = GradingRule::default().grade(&c, "2025");
    assert_eq!(graded.grade, Grade::NotGraded);
    assert_eq!(graded.score, None);
    assert_eq!(
        graded.basis,
        "not graded: no initiatives due in 2025; no measure with a value; 2 measures without a value not counted"
    );
    assert_eq!(graded.grade.label(), "Not graded");
    assert_eq!(
        serde_json::to_string(&graded.grade).unwrap(),
        r#""Not graded""#
    );
}

#[test]
fn letter_thresholds_are_inclusive() {
    let s = GradeScale::LETTERS;
    let grades: Vec<Grade> = [100.0, 90.0, 89.99, 80.0, 70.0, 60.0, 59.9, 0.0]
        .iter()
        .map(|&x| s.grade(x))
        .collect();
    // 89.99 prints as 90.0, so it is an A.
    use Grade::*;
    assert_eq!(grades, [A, A, A, B, C, D, F, F]);
}

#[test]
fn four_levels_with_configured_thresholds() {
    let rule = GradingRule {
        scale: GradeScale::Levels {
            exceeds: 95.0,
            meets: 75.0,
            approaching: 40.0,
        },
        ..GradingRule::default()
    };
    assert!(rule.check().is_ok());
    let grade = |due, done| rule.grade(&counts(due, done, 0, 0, 0), "2025").grade;
    assert_eq!(grade(20, 19), Grade::Exceeds);
    assert_eq!(grade(4, 3), Grade::Meets);
    assert_eq!(grade(2, 1), Grade::Approaching);
    assert_eq!(grade(3, 1), Grade::Below);
}

#[test]
fn bad_rules_are_refused_with_the_reason() {
    let backwards = GradingRule {
        scale: GradeScale::Letters {
            a: 60.0,
            b: 70.0,
            c: 80.0,
            d: 90.0,
        },
        ..GradingRule::default()
    };
    assert!(
        backwards
            .check()
            .unwrap_err()
            .contains("fall from the top grade down")
    );
    let negative = GradingRule {
        delivery_weight: -1.0,
        ..GradingRule::default()
    };
    assert!(negative.check().unwrap_err().contains("weights"));
    let zero = GradingRule {
        delivery_weight: 0.0,
        measure_weight: 0.0,
        ..GradingRule::default()
    };
    assert!(zero.check().unwrap_err().contains("above 0"));
}
