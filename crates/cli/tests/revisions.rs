//! `lodestar revise`, `revisions` and `diff` on SQLite and (when
//! `LODESTAR_TEST_DATABASE_URL` is set) PostgreSQL.

mod support;

use serde_json::Value;
use support::{Database, Workspace, describe, sample_plan};

const PLAN: &str = "harbor-falls-it-2025";

fn databases(work: &Workspace) -> Vec<Database> {
    let mut databases = vec![work.sqlite("data")];
    match Database::postgres() {
        Some(postgres) => databases.push(postgres),
        None => eprintln!(
            "notice: {} is not set; ran on SQLite only",
            support::POSTGRES_ENV
        ),
    }
    databases
}

/// The node entry with `code` in a plan-as-code document's tree.
fn entry<'a>(nodes: &'a mut Value, code: &str) -> Option<&'a mut Value> {
    for n in nodes.as_array_mut()? {
        if n["code"] == code {
            return Some(n);
        }
        if let Some(found) = n.get_mut("children").and_then(|c| entry(c, code)) {
            return Some(found);
        }
    }
    None
}

#[test]
fn diff_lists_what_a_revision_changed() {
    let work = Workspace::new("revisions");
    for db in databases(&work) {
        db.ok(&[&"import", &sample_plan()]);
        let exported = work.path(&format!("{}.json", db.backend()));
        db.ok(&[&"export", &PLAN, &"--format", &"json", &"-o", &exported]);
        let mut doc: Value =
            serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
        entry(&mut doc["nodes"], "1.1").unwrap()["title"] =
            "Core systems that never go down".into();
        let goal = entry(&mut doc["nodes"], "1.4").unwrap();
        let children = goal["children"].as_array_mut().unwrap();
        let dropped = children.pop().unwrap();
        let edited = work.path(&format!("{}-edited.json", db.backend()));
        std::fs::write(&edited, serde_json::to_string_pretty(&doc).unwrap()).unwrap();

        let said = db.ok(&[&"revise", &PLAN, &edited, &"--note", &"Annual review 2026"]);
        assert!(
            said.contains("now at revision 2"),
            "{}: {said}",
            db.backend()
        );

        let listed = db.ok(&[&"revisions", &PLAN]);
        assert!(listed.contains("Annual review 2026"), "{listed}");
        assert_eq!(listed.lines().count(), 2, "{listed}");

        let text = db.ok(&[&"diff", &PLAN, &"--from", &"1", &"--to", &"2"]);
        assert!(
            text.starts_with("Plan revision 1 → 2: 2 node(s) changed"),
            "{text}"
        );
        assert!(
            text.contains("re-worded: \"Reliable") || text.contains("re-worded:"),
            "{text}"
        );
        assert!(
            text.contains("\"Core systems that never go down\""),
            "{text}"
        );
        assert!(text.contains(dropped["title"].as_str().unwrap()), "{text}");
        assert!(text.contains("retired (its history is kept)"), "{text}");

        let json: Value = serde_json::from_str(&db.ok(&[
            &"diff",
            &PLAN,
            &"--from",
            &"1",
            &"--to",
            &"2",
            &"--format",
            &"json",
        ]))
        .unwrap();
        let kinds: Vec<&str> = json["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["changes"][0]["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, vec!["retitled", "retired"]);

        let same = db.ok(&[&"diff", &PLAN, &"--from", &"2", &"--to", &"2"]);
        assert!(
            same.starts_with("Plan revision 2 → 2: 0 node(s) changed"),
            "{same}"
        );

        let missing = db.run(&[&"diff", &PLAN, &"--from", &"1", &"--to", &"9"]);
        assert!(!missing.status.success());
        assert!(
            String::from_utf8_lossy(&missing.stderr).contains("revision 9"),
            "{}",
            describe(&missing)
        );
    }
}
