use super::*;
use crate::plan_code::{self, DocFormat};

const PLAN: &str = r#"
organization: { name: City of Harbor Falls }
key: hf-review
title: Harbor Falls IT Plan
period: { start_year: 2026, end_year: 2030 }
nodes:
  - code: "1"
    title: Residents first
    children:
      - code: "1.1"
        title: Open data
        children:
          - { code: "1.1.1", title: Open data portal }
          - { code: "1.1.2", title: Budget as open data }
      - code: "1.2"
        title: One resident account
  - code: "2"
    title: Reliable systems
"#;

fn doc() -> PlanDocument {
    plan_code::parse("plan.yaml", PLAN, DocFormat::Yaml).unwrap()
}

/// The row of the node with this code.
fn at(code: &str) -> usize {
    rows(&doc())
        .iter()
        .position(|r| r.code.as_deref() == Some(code))
        .unwrap()
}

fn fields(errors: &[ValidationError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

fn outline(entries: &[NodeEntry], depth: usize, out: &mut Vec<String>) {
    for e in entries {
        let level = e.level.as_ref().map_or("", Name::as_str);
        out.push(
            format!(
                "{}{} {} {level}",
                "  ".repeat(depth),
                e.code.as_ref().unwrap().as_str(),
                e.title
            )
            .trim_end()
            .to_owned(),
        );
        outline(&e.children, depth + 1, out);
    }
}

fn tree_of(d: &PlanDocument) -> Vec<String> {
    let mut out = Vec::new();
    outline(&d.nodes, 0, &mut out);
    out
}

#[test]
fn rows_are_in_tree_order_with_levels_parents_and_depths() {
    let rows = rows(&doc());
    let shown: Vec<_> = rows
        .iter()
        .map(|r| (r.label(), r.level, r.parent, r.depth))
        .collect();
    assert_eq!(
        shown,
        [
            ("1 Residents first".to_owned(), 0, None, 0),
            ("1.1 Open data".to_owned(), 1, Some(0), 1),
            ("1.1.1 Open data portal".to_owned(), 2, Some(1), 2),
            ("1.1.2 Budget as open data".to_owned(), 2, Some(1), 2),
            ("1.2 One resident account".to_owned(), 1, Some(0), 1),
            ("2 Reliable systems".to_owned(), 0, None, 0),
        ]
    );
}

#[test]
fn a_form_sent_back_unchanged_changes_nothing() {
    let d = doc();
    assert_eq!(apply(&d, &ReviewForm::of(&d)).unwrap(), d);
}

#[test]
fn fields_are_read_by_name_and_blank_trailing_levels_dropped() {
    let sent = [
        ("title", "New title"),
        ("level-0", "Pillar"),
        ("level-1", "Aim"),
        ("level-2", ""),
        ("node-1-title", "Data"),
        ("node-1-parent", "5"),
        ("node-1-remove", "on"),
        ("node-9-title", "ignored"),
        ("csrf_token", "ignored"),
    ];
    let form = ReviewForm::from_fields(sent, 6);
    assert_eq!(form.title, "New title");
    assert_eq!(form.levels, ["Pillar", "Aim"]);
    assert_eq!(form.rows.len(), 6);
    assert_eq!(form.rows[1].title, "Data");
    assert_eq!(form.rows[1].parent, "5");
    assert!(form.rows[1].remove);
    assert!(!form.rows[0].remove);
}

#[test]
fn a_renamed_and_moved_item_keeps_its_code_and_takes_its_new_place() {
    let d = doc();
    let mut form = ReviewForm::of(&d);
    form.rows[at("1.1.2")].title = "Publish the budget".into();
    form.rows[at("1.1.2")].parent = at("1.2").to_string();
    form.title = "Harbor Falls Technology Plan".into();
    let edited = apply(&d, &form).unwrap();
    assert_eq!(edited.title.as_str(), "Harbor Falls Technology Plan");
    assert_eq!(
        tree_of(&edited),
        [
            "1 Residents first",
            "  1.1 Open data",
            "    1.1.1 Open data portal",
            "  1.2 One resident account",
            "    1.1.2 Publish the budget",
            "2 Reliable systems",
        ]
    );
}

#[test]
fn a_moved_item_and_its_sub_items_follow_the_new_parents_level() {
    let d = doc();
    let mut form = ReviewForm::of(&d);
    form.rows[at("1.1")].parent = String::new();
    form.rows[at("1.2")].parent = at("2").to_string();
    let edited = apply(&d, &form).unwrap();
    let rows = rows(&edited);
    let level = |code: &str| {
        rows.iter()
            .find(|r| r.code.as_deref() == Some(code))
            .unwrap()
            .level
    };
    assert_eq!((level("1.1"), level("1.1.1"), level("1.2")), (1, 2, 1));

    let mut form = ReviewForm::of(&d);
    form.rows[at("1.1")].parent = at("1.2").to_string();
    let errors = apply(&d, &form).unwrap_err();
    assert_eq!(
        fields(&errors),
        ["node-2-level", "node-3-level"],
        "{errors:?}"
    );
    assert!(errors[0].message.contains("too deep"), "{errors:?}");
}

#[test]
fn a_level_chosen_by_hand_must_fit_the_parent() {
    let d = doc();
    let mut form = ReviewForm::of(&d);
    form.rows[at("1.2")].level = "2".into();
    let errors = apply(&d, &form).unwrap_err();
    assert_eq!(fields(&errors), ["node-4-level"]);
    assert!(
        errors[0].message.contains("under Goal comes Objective"),
        "{errors:?}"
    );

    form.rows[at("1.2")].parent = at("1.1").to_string();
    let edited = apply(&d, &form).unwrap();
    assert_eq!(tree_of(&edited)[4], "    1.2 One resident account");

    let mut form = ReviewForm::of(&d);
    form.rows[at("2")].level = "1".into();
    let edited = apply(&d, &form).unwrap();
    assert_eq!(tree_of(&edited)[5], "2 Reliable systems Objective");

    form.rows[at("2")].level = "7".into();
    let errors = apply(&d, &form).unwrap_err();
    assert_eq!(fields(&errors), ["node-5-level"]);
}

#[test]
fn an_item_cannot_sit_beneath_itself_and_the_moved_row_is_named() {
    let d = doc();
    let mut form = ReviewForm::of(&d);
    form.rows[at("1")].parent = at("1.1.1").to_string();
    form.rows[at("2")].title = "Kept as typed".into();
    let errors = apply(&d, &form).unwrap_err();
    assert_eq!(fields(&errors), ["node-0-parent"]);
    assert!(
        errors[0]
            .message
            .contains("“1.1.1 Open data portal” is beneath “1 Residents first”"),
        "{errors:?}"
    );

    form.rows[at("1")].parent = at("1").to_string();
    let errors = apply(&d, &form).unwrap_err();
    assert_eq!(fields(&errors), ["node-0-parent"]);
    assert!(errors[0].message.contains("its own parent"));
}

#[test]
fn titles_cannot_be_empty_unless_the_item_is_removed() {
    let d = doc();
    let mut form = ReviewForm::of(&d);
    form.rows[at("1.2")].title = "  ".into();
    form.title = String::new();
    let errors = apply(&d, &form).unwrap_err();
    assert_eq!(fields(&errors), ["title", "node-4-title"]);

    form.title = "Plan".into();
    form.rows[at("1.2")].remove = true;
    assert!(apply(&d, &form).is_ok());
}

#[test]
fn removing_an_item_removes_what_stays_beneath_it() {
    let d = doc();
    let mut form = ReviewForm::of(&d);
    form.rows[at("1.1")].remove = true;
    form.rows[at("1.1.2")].parent = at("1.2").to_string();
    let edited = apply(&d, &form).unwrap();
    assert_eq!(
        tree_of(&edited),
        [
            "1 Residents first",
            "  1.2 One resident account",
            "    1.1.2 Budget as open data",
            "2 Reliable systems",
        ]
    );
}

#[test]
fn levels_are_renamed_in_place_and_a_level_in_use_cannot_be_dropped() {
    let d = doc();
    let mut form = ReviewForm::of(&d);
    form.levels = vec!["Pillar".into(), "Aim".into(), "Action".into()];
    let edited = apply(&d, &form).unwrap();
    assert_eq!(edited.levels.describe(), "Pillar, Aim, Action");
    assert_eq!(rows(&edited)[2].level, 2);

    form.levels.pop();
    let errors = apply(&d, &form).unwrap_err();
    assert_eq!(fields(&errors), ["node-2-level", "node-3-level"]);

    form.levels = vec!["Goal".into(), "".into(), "goal".into()];
    let errors = apply(&d, &form).unwrap_err();
    assert_eq!(fields(&errors), ["level-1", "level-2"]);
}

#[test]
fn plan_fields_are_checked_where_they_are_typed() {
    let d = doc();
    let mut form = ReviewForm::of(&d);
    form.start_year = "soon".into();
    form.key = "Not a key!".into();
    let errors = apply(&d, &form).unwrap_err();
    assert_eq!(fields(&errors), ["key", "start_year"]);
    form.start_year = "2031".into();
    form.key = "hf".into();
    let errors = apply(&d, &form).unwrap_err();
    assert_eq!(fields(&errors), ["end_year"]);
}

#[test]
fn a_warning_points_at_the_node_whose_title_it_quotes() {
    let rows = rows(&doc());
    let found = warning_rows(
        [
            "\"Open data portal\" ends mid-sentence",
            "the document names no period",
            "\"Open data\" may hold several items",
        ],
        &rows,
    );
    assert_eq!(found, [Some(2), None, Some(1)]);
}
