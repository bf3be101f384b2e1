//! Plans as code: import, export and round trips between backends, malformed
//! and invalid documents, unreadable files, usage errors and help.

use crate::harness::*;
use std::io::Write;
use std::process::Stdio;

#[test]
fn an_imported_plan_is_listed_and_exports_byte_for_byte_the_same_after_a_round_trip() {
    let work = Workspace::new("round_trip");
    let first = work.sqlite("first");
    let exported = import_then_export(&first, &sample_plan(), &work.path("first.yaml"));

    let listing = first.ok(&[&"plans"]);
    let row = listing
        .lines()
        .find(|line| line.contains(SAMPLE_KEY))
        .unwrap_or_else(|| panic!("no row for the plan in:\n{listing}"));
    assert!(row.contains("active") && row.contains("2025-2029"), "{row}");
    assert!(listing.starts_with("ID "), "{listing}");

    let second = work.sqlite("second");
    let again = import_then_export(&second, &work.path("first.yaml"), &work.path("second.yaml"));
    assert!(
        exported == again,
        "the second export differs from the first"
    );

    let to_stdout = first.ok(&[&"export", &SAMPLE_KEY]);
    assert_eq!(to_stdout.as_bytes(), exported.as_slice());
}

#[test]
fn a_plan_moves_between_sqlite_and_postgresql_unchanged() {
    let Some(postgres) = Database::postgres() else {
        eprintln!("notice: LODESTAR_TEST_DATABASE_URL is not set; skipped the PostgreSQL CLI test");
        return;
    };
    let work = Workspace::new("postgres");
    let sqlite = work.sqlite("data");
    let from_sqlite = import_then_export(&sqlite, &sample_plan(), &work.path("sqlite.yaml"));
    let from_postgres =
        import_then_export(&postgres, &work.path("sqlite.yaml"), &work.path("pg.yaml"));
    assert!(
        from_sqlite == from_postgres,
        "PostgreSQL exported other bytes"
    );
    assert!(postgres.ok(&[&"plans"]).contains(SAMPLE_KEY));
}

#[test]
fn json_exports_import_like_yaml_and_standard_input_works() {
    let work = Workspace::new("json");
    let first = work.sqlite("first");
    first.ok(&[&"import", &sample_plan()]);
    let json = work.path("plan.json");
    first.ok(&[&"export", &"1", &"-o", &json]);
    assert!(std::fs::read_to_string(&json).unwrap().starts_with('{'));

    let second = work.sqlite("second");
    let mut child = lodestar()
        .args(&second.args)
        .args(["import", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lodestar");
    let text = std::fs::read(&json).unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", describe(&output));
    assert!(second.ok(&[&"plans"]).contains(SAMPLE_KEY));
}

#[test]
fn malformed_yaml_is_reported_at_its_line_and_column_and_nothing_is_imported() {
    let work = Workspace::new("broken");
    let db = work.sqlite("data");
    let file = work.write(
        "broken.yaml",
        b"format: lodestar-plan/1\nkey: broken\ntitle: [unclosed\nperiod: {start_year: 2025\n",
    );
    let output = db.run_with(&[&"import", &file]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let err = stderr(&output);
    let prefix = format!("{}:", file.display());
    let location = err
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no line starts with {prefix} in:\n{err}"));
    let mut parts = location.splitn(3, ':');
    let line: u64 = parts.next().unwrap().parse().expect("a line number");
    let column: u64 = parts.next().unwrap().parse().expect("a column number");
    assert!(line >= 3 && column >= 1, "{err}");
    assert!(err.contains("error: "), "{err}");

    let listing = db.ok(&[&"plans"]);
    assert!(listing.starts_with("No plans"), "{listing}");
}

#[test]
fn every_problem_in_an_invalid_document_is_listed_with_its_field() {
    let work = Workspace::new("invalid");
    let db = work.sqlite("data");
    let file = work.write(
        "refs.yaml",
        concat!(
            "organization: {name: Test City}\n",
            "key: refs\n",
            "title: Refs\n",
            "period: {start_year: 2025, end_year: 2026}\n",
            "people:\n",
            "  - name: Ann\n",
            "    department: Nowhere\n",
            "  - name: Bo\n",
            "    department: Elsewhere\n",
        )
        .as_bytes(),
    );
    let output = db.run_with(&[&"import", &file]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let err = stderr(&output);
    for field in ["people[0].department: ", "people[1].department: "] {
        let expected = format!("{}: {field}", file.display());
        assert!(
            err.lines().any(|l| l.starts_with(&expected)),
            "no line {expected} in:\n{err}"
        );
    }
    assert!(db.ok(&[&"plans"]).starts_with("No plans"));
}

#[test]
fn missing_and_non_utf8_files_are_named_in_the_error() {
    let work = Workspace::new("files");
    let db = work.sqlite("data");
    let missing = work.path("missing.yaml");
    let output = db.run_with(&[&"import", &missing]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stderr(&output).starts_with(&format!("error: cannot read {}", missing.display())),
        "{}",
        describe(&output)
    );

    let latin1 = work.write("latin1.yaml", b"title: Caf\xe9\n");
    let output = db.run_with(&[&"import", &latin1]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stderr(&output).contains(&format!("{} is not UTF-8", latin1.display())),
        "{}",
        describe(&output)
    );
}

#[test]
fn exporting_an_unknown_plan_fails_with_not_found() {
    let work = Workspace::new("unknown");
    let output = work.sqlite("data").run(&["export", "nope"]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert_eq!(stderr(&output).trim_end(), "error: plan nope not found");
    assert!(output.stdout.is_empty());
}

#[test]
fn usage_errors_exit_with_two() {
    let output = lodestar().args(["export"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
}

#[test]
fn help_says_what_lodestar_and_each_command_do() {
    let help = |args: &[&str]| {
        let output = lodestar().args(args).output().unwrap();
        assert!(output.status.success(), "{}", describe(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    let top = help(&["--help"]);
    for word in [
        "strategic plan",
        "serve",
        "plans",
        "import",
        "export",
        "--data-dir",
        "--database-url",
    ] {
        assert!(top.contains(word), "{word:?} missing from:\n{top}");
    }
    let serve = help(&["serve", "--help"]);
    for word in [
        "--bind",
        "--no-sample",
        "sample plan",
        "SIGTERM",
        "LODESTAR_BIND",
    ] {
        assert!(serve.contains(word), "{word:?} missing from:\n{serve}");
    }
    assert!(help(&["import", "--help"]).contains("every problem"));
    assert!(help(&["export", "--help"]).contains("--format"));
}

#[test]
fn the_database_password_never_appears_in_help_or_errors() {
    let output = lodestar()
        .env("LODESTAR_DATABASE_URL", "mysql://app:hunter2@db/lodestar")
        .args(["plans"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        !stderr(&output).contains("hunter2"),
        "{}",
        describe(&output)
    );

    let output = lodestar()
        .env(
            "LODESTAR_DATABASE_URL",
            "postgres://app:hunter2@db/lodestar",
        )
        .args(["--help"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&output.stdout).contains("hunter2"));
}
