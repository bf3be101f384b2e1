//! Inputs no plan looks like: each ends in a clear error or a valid draft,
//! never a panic, a hang or runaway memory. The coverage-guided fuzz target
//! in `fuzz/` explores further; these are the cases worth naming.

use lodestar_importer::{ImportError, ImportOptions, MAX_INPUT_BYTES, import};
use proptest::prelude::*;

fn options(name: &str) -> ImportOptions {
    ImportOptions {
        source_name: name.into(),
        this_year: 2026,
        ..ImportOptions::default()
    }
}

/// Any outcome but a panic is acceptable; a draft must be a valid plan.
fn check(bytes: &[u8], name: &str) -> Result<usize, ImportError> {
    let draft = import(bytes, &options(name))?;
    assert!(
        draft.document.validate().is_ok(),
        "{:?}",
        draft.document.validate()
    );
    Ok(draft.document.nodes.len())
}

#[test]
fn empty_and_blank_documents_say_they_are_empty() {
    for input in [&b""[..], b"   \n\n\t\r\n"] {
        assert_eq!(check(input, "plan.txt"), Err(ImportError::Empty));
    }
}

#[test]
fn binary_data_is_named_as_such() {
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 256) as u8).collect();
    let err = check(&bytes, "plan.txt").unwrap_err();
    assert!(err.to_string().contains("binary data"), "{err}");
}

#[test]
fn a_document_over_the_limit_is_refused_before_it_is_read() {
    let bytes = vec![b'a'; MAX_INPUT_BYTES + 1];
    let err = check(&bytes, "plan.txt").unwrap_err();
    assert!(matches!(err, ImportError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("at most"), "{err}");
}

#[test]
fn a_50_megabyte_document_reads_into_a_plan() {
    let mut text = String::with_capacity(50 * 1024 * 1024);
    let mut goal = 0;
    while text.len() < 50 * 1024 * 1024 {
        goal += 1;
        text.push_str(&format!("GOAL {goal}: Serve district {goal}\n"));
        for _ in 0..400 {
            text.push_str("Prose about the district that is neither a goal nor an objective, repeated to fill pages.\n");
        }
    }
    let goals = check(text.as_bytes(), "huge.txt").expect("a plan");
    assert_eq!(goals, goal);
}

#[test]
fn a_million_lines_read_into_a_plan() {
    let mut text =
        String::from("1. One goal\n1.1. One objective\nKey Initiatives\nShort-Term Start\n");
    for _ in 0..1_000_000 {
        text.push_str("\tcontinued row text\n");
    }
    text.push_str("1.2. Another objective\n");
    let draft = import(text.as_bytes(), &options("long.txt")).expect("a plan");
    assert!(draft.document.validate().is_ok());
    let initiative = &draft.document.nodes[0].children[0].children[0];
    assert!(
        initiative
            .title
            .as_str()
            .starts_with("Start continued row text")
    );
}

#[test]
fn one_ten_megabyte_line_is_read_in_part_with_a_warning() {
    let mut text = String::from("GOAL 1: One\nGOAL 2: Two\n");
    text.push_str(&"word ".repeat(2 * 1024 * 1024));
    let draft = import(text.as_bytes(), &options("line.txt")).expect("a plan");
    assert_eq!(draft.document.nodes.len(), 2);
    assert!(
        draft
            .warnings
            .iter()
            .any(|w| w.line == Some(3) && w.message.contains("only its start"))
    );
}

#[test]
fn more_items_than_any_plan_is_an_error() {
    let mut text = String::new();
    for i in 0..60_000 {
        text.push_str(&format!("Goal {i}: Item {i}\n"));
    }
    let err = check(text.as_bytes(), "many.txt").unwrap_err();
    assert!(matches!(err, ImportError::TooManyItems { .. }), "{err}");
}

#[test]
fn pathological_marks_stay_linear() {
    for text in [
        "{% ".repeat(500_000),
        "<a ".repeat(500_000),
        "[x".repeat(500_000),
        format!("GOAL 1: A\n{}", "((((".repeat(200_000)),
        format!(
            "1. A\n1.1. B\nKey Initiatives\nShort-Term {}",
            "Word word ".repeat(300_000)
        ),
        "1.1.1.1.1.1.1.1 Deep\n".repeat(10_000),
        "\r".repeat(100_000),
    ] {
        let _ = check(text.as_bytes(), "odd.txt");
    }
}

#[test]
fn text_that_is_not_utf8_is_read_as_windows_1252_with_a_warning() {
    let draft = import(
        b"GOAL 1: Caf\xe9 service\nGOAL 2: Two\n",
        &options("plan.txt"),
    )
    .expect("a plan");
    assert_eq!(draft.document.nodes[0].title.as_str(), "Café service");
    assert!(
        draft
            .warnings
            .iter()
            .any(|w| w.message.contains("Windows-1252"))
    );
}

/// Fragments that real plans are made of, so that random documents reach deep into the reader.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("GOAL 1: Serve\n".to_owned()),
        Just("Objective 1.1: Answer\n".to_owned()),
        Just("1.".to_owned()),
        Just("1.1. ".to_owned()),
        Just("Short-Term\t".to_owned()),
        Just("Long Term ".to_owned()),
        Just("Key Initiatives\n".to_owned()),
        Just("- ".to_owned()),
        Just("# ".to_owned()),
        Just("## How we'll do this\n".to_owned()),
        Just("\t".to_owned()),
        Just("\n".to_owned()),
        Just("....... 12\n".to_owned()),
        Just("Principle: ".to_owned()),
        Just("II. ".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("{% include hx.html lvl=2 text=\"".to_owned()),
        "[A-Za-z ]{0,20}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_document_gives_a_valid_draft_or_an_error(parts in prop::collection::vec(fragment(), 0..60)) {
        let _ = check(parts.concat().as_bytes(), "random.txt");
    }

    #[test]
    fn any_bytes_give_a_valid_draft_or_an_error(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = check(&bytes, "random.bin");
    }
}
