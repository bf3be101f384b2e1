//! Backups on every backend: round trips compared table by table, the
//! refusals, older and newer schema versions, and triggers.

use super::rows::Value;
use super::*;
use crate::testing::{self, TestStore};
use lodestar_domain::*;
use sqlx::Row;
use std::collections::BTreeMap;

/// Rows as values, by table.
type Dump = BTreeMap<String, Vec<Vec<Value>>>;

/// Every table of the store (the ledger too, not the change mark, which a
/// restore raises rather than copies) as sorted rows of values, read with
/// `SELECT *` so that no column can be left out.
async fn dump(store: &Store) -> Dump {
    let mut tables = Dump::new();
    match &store.backend {
        Backend::Sqlite { read, .. } => {
            let mut conn = read.acquire().await.unwrap();
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            for name in names.into_iter().filter(|n| n != schema::MARK) {
                let sql = format!("SELECT * FROM \"{name}\"");
                let rows = sqlx::query(&sql).fetch_all(&mut *conn).await.unwrap();
                let values = |r: &sqlx::sqlite::SqliteRow| {
                    (0..r.len())
                        .map(|i| Value::from_sqlite(r, i).unwrap())
                        .collect()
                };
                tables.insert(name, sorted(rows.iter().map(values)));
            }
        }
        Backend::Postgres(pool) => {
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            for name in names.into_iter().filter(|n| n != schema::MARK) {
                let sql = format!("SELECT * FROM \"{name}\"");
                let rows = sqlx::query(&sql).fetch_all(pool).await.unwrap();
                let values = |r: &sqlx::postgres::PgRow| {
                    (0..r.len())
                        .map(|i| Value::from_postgres(r, i).unwrap())
                        .collect()
                };
                tables.insert(name, sorted(rows.iter().map(values)));
            }
        }
    }
    tables
}

/// Rows in a fixed order, whatever order the database returned them in.
fn sorted(rows: impl Iterator<Item = Vec<Value>>) -> Vec<Vec<Value>> {
    let mut rows: Vec<Vec<Value>> = rows.collect();
    rows.sort_by_cached_key(|row| format!("{row:?}"));
    rows
}

/// The dump with every time as the instant it names: SQLite keeps a time as
/// the text it was given, and that text does not survive PostgreSQL.
fn as_instants(dump: Dump) -> Dump {
    let rfc3339 = &time::format_description::well_known::Rfc3339;
    let instant = |value: Value| match &value {
        Value::Text(text) => match time::OffsetDateTime::parse(text, rfc3339) {
            Ok(t) => Value::Timestamp(t.to_offset(time::UtcOffset::UTC)),
            Err(_) => value,
        },
        _ => value,
    };
    dump.into_iter()
        .map(|(table, rows)| {
            let rows = rows
                .into_iter()
                .map(|row| row.into_iter().map(instant).collect());
            (table, sorted(rows))
        })
        .collect()
}

/// A fresh store on the same backend as `like`.
async fn fresh(like: &TestStore) -> TestStore {
    match like.backend {
        "sqlite" => testing::sqlite().await,
        _ => testing::postgres().await.expect("PostgreSQL is configured"),
    }
}

fn name(s: &str) -> Name {
    Name::parse(s).unwrap()
}

/// Organizations, people, a plan and nodes whose rows refer to rows of the
/// same table written after them, so no single pass in id order can insert them.
async fn populate(store: &Store) {
    let child = store
        .create_organization(&OrganizationDraft {
            name: name("Parks Department"),
            parent_id: None,
        })
        .await
        .unwrap();
    let city = store
        .create_organization(&OrganizationDraft {
            name: name("City of Testville"),
            parent_id: None,
        })
        .await
        .unwrap();
    store
        .update_organization(
            child.id,
            crate::FIRST_VERSION,
            &OrganizationDraft {
                name: name("Parks Department"),
                parent_id: Some(city.id),
            },
        )
        .await
        .unwrap();
    let it = store
        .create_department(&DepartmentDraft {
            organization_id: city.id,
            name: name("Information Technology"),
        })
        .await
        .unwrap();
    let ada = store
        .create_person(&PersonDraft {
            organization_id: city.id,
            name: name("Ada O'Brien \"the owner\""),
            email: Email::parse("ada@testville.example.gov").ok(),
            department_id: Some(it.id),
        })
        .await
        .unwrap();
    let plan = store
        .create_plan(&PlanDraft {
            organization_id: city.id,
            key: Key::parse("testville-it").unwrap(),
            title: name("IT Strategic Plan"),
            period: Period::new(2025, 2029).unwrap(),
            status: PlanStatus::Active,
            vision: LongText::parse("Digital by default, ünïcode ✓").ok(),
            mission: None,
            principles: vec![],
            levels: LevelNames::standard(),
        })
        .await
        .unwrap();
    let draft = |parent: Option<NodeId>, code: &str| NodeDraft {
        plan_id: plan.id,
        parent_id: parent,
        code: Some(Code::parse(code).unwrap()),
        title: name(&format!("Node {code}")),
        description: None,
        level: None,
        position: None,
        owner_id: Some(ada.id),
        sponsor_id: None,
        department_id: Some(it.id),
        horizon: Some(Horizon::ShortTerm),
        start_date: "2025-01-01".parse().ok(),
        due_date: "2026-06-30".parse().ok(),
        weight: Some(Weight::new(0.1).unwrap()),
        cadence: Cadence::Monthly,
    };
    let moved = store.create_node(&draft(None, "9"), 0).await.unwrap();
    let goal = store.create_node(&draft(None, "1"), 0).await.unwrap();
    store
        .update_node(
            moved.id,
            crate::FIRST_VERSION,
            &draft(Some(goal.id), "1.1"),
            1,
            0,
        )
        .await
        .unwrap();
}

async fn backup_of(t: &TestStore, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    t.store.backup_to(&path).await.unwrap();
    path
}

async fn new_file(path: &Path) -> SqliteConnection {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    SqliteConnection::connect_with(&options).await.unwrap()
}

/// A temporary directory, removed when dropped (a failed test included).
struct ScratchDir(PathBuf);

impl std::ops::Deref for ScratchDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch_dir() -> ScratchDir {
    let dir = std::env::temp_dir().join(format!(
        "lodestar_backup_test_{}_{}",
        std::process::id(),
        time::OffsetDateTime::now_utc().unix_timestamp_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    ScratchDir(dir)
}

#[tokio::test]
async fn a_restored_backup_holds_every_row_of_every_table() {
    let dir = scratch_dir();
    for t in testing::all().await {
        populate(&t.store).await;
        let path = dir.join(format!("{}.lodestar-backup", t.backend));
        let summary = t.store.backup_to(&path).await.unwrap();
        assert_eq!(summary.schema_version, latest_version());
        let nodes = summary.tables.iter().find(|c| c.table == "nodes").unwrap();
        assert_eq!(nodes.rows, 2, "{}", t.backend);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(
                mode & 0o777,
                0o600,
                "{}: only the owner may read a backup",
                t.backend
            );
        }
        let left: Vec<_> = std::fs::read_dir(&*dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            left.iter()
                .all(|n| !n.to_string_lossy().contains("partial")),
            "{left:?}"
        );

        let restored = fresh(&t).await;
        let report = restored
            .store
            .restore_from(&path, Existing::Refuse)
            .await
            .unwrap();
        assert!(!report.replaced);
        assert_eq!(report.taken_from.as_deref(), Some(t.backend));
        assert_eq!(
            dump(&restored.store).await,
            dump(&t.store).await,
            "{}",
            t.backend
        );
    }
}

#[tokio::test]
async fn a_backup_moves_between_sqlite_and_postgres_unchanged() {
    let Some(postgres) = testing::postgres().await else {
        return;
    };
    let dir = scratch_dir();
    let sqlite = testing::sqlite().await;
    populate(&sqlite.store).await;
    let from_sqlite = backup_of(&sqlite, &dir, "from-sqlite").await;
    postgres
        .store
        .restore_from(&from_sqlite, Existing::Refuse)
        .await
        .unwrap();
    let from_postgres = backup_of(&postgres, &dir, "from-postgres").await;
    let back = testing::sqlite().await;
    back.store
        .restore_from(&from_postgres, Existing::Refuse)
        .await
        .unwrap();
    assert_eq!(
        as_instants(dump(&back.store).await),
        as_instants(dump(&sqlite.store).await)
    );
}

#[tokio::test]
async fn ids_given_after_a_restore_follow_the_restored_ones() {
    let dir = scratch_dir();
    for t in testing::all().await {
        populate(&t.store).await;
        let path = backup_of(&t, &dir, t.backend).await;
        let restored = fresh(&t).await;
        restored
            .store
            .restore_from(&path, Existing::Refuse)
            .await
            .unwrap();
        let highest = restored
            .store
            .list_organizations()
            .await
            .unwrap()
            .iter()
            .map(|o| o.id.0)
            .max();
        let added = restored
            .store
            .create_organization(&OrganizationDraft {
                name: name("Harbor Authority"),
                parent_id: None,
            })
            .await
            .unwrap();
        assert!(Some(added.id.0) > highest, "{}: {added:?}", t.backend);
    }
}

#[tokio::test]
async fn a_database_that_holds_data_is_refused_unless_replaced() {
    let dir = scratch_dir();
    for t in testing::all().await {
        populate(&t.store).await;
        let path = backup_of(&t, &dir, t.backend).await;
        let target = fresh(&t).await;
        let kept = OrganizationDraft {
            name: name("Already Here"),
            parent_id: None,
        };
        target.store.create_organization(&kept).await.unwrap();
        let before = dump(&target.store).await;

        let err = target
            .store
            .restore_from(&path, Existing::Refuse)
            .await
            .unwrap_err();
        assert!(
            matches!(err, BackupError::NotEmpty { .. }),
            "{}: {err:?}",
            t.backend
        );
        assert!(
            err.to_string().contains("organizations holds 1 row"),
            "{err}"
        );
        assert_eq!(
            dump(&target.store).await,
            before,
            "{}: nothing changed",
            t.backend
        );

        let report = target
            .store
            .restore_from(&path, Existing::Replace)
            .await
            .unwrap();
        assert!(report.replaced);
        assert_eq!(
            dump(&target.store).await,
            dump(&t.store).await,
            "{}",
            t.backend
        );
    }
}

#[tokio::test]
async fn a_backup_never_replaces_a_file() {
    let dir = scratch_dir();
    let t = testing::sqlite().await;
    let path = dir.join("taken");
    std::fs::write(&path, b"keep me").unwrap();
    let err = t.store.backup_to(&path).await.unwrap_err();
    assert!(matches!(err, BackupError::Exists(_)), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), b"keep me");
    let missing = dir.join("no-such-dir").join("backup");
    let err = t.store.backup_to(&missing).await.unwrap_err();
    assert!(err.to_string().contains("no-such-dir"), "{err}");
    assert_eq!(
        std::fs::read_dir(&*dir).unwrap().count(),
        1,
        "no partial file is left behind"
    );
}

#[tokio::test]
async fn files_that_are_not_backups_are_refused_by_name() {
    let dir = scratch_dir();
    let t = testing::sqlite().await;
    let refused = async |path: &Path| {
        let err = t
            .store
            .restore_from(path, Existing::Refuse)
            .await
            .unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with(&path.display().to_string()),
            "{message}"
        );
        message
    };
    let message = refused(&dir.join("missing")).await;
    assert!(message.contains("No such file"), "{message}");

    let text = dir.join("notes.txt");
    std::fs::write(
        &text,
        "not a database at all, but long enough to look like a header",
    )
    .unwrap();
    let message = refused(&text).await;
    assert!(message.contains("is not a Lodestar backup"), "{message}");

    let other = dir.join("other.db");
    let mut conn = new_file(&other).await;
    sqlx::query("CREATE TABLE t (x)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let message = refused(&other).await;
    assert!(message.contains("no migration ledger"), "{message}");
    assert!(t.store.is_empty().await.unwrap());
}

#[tokio::test]
async fn a_backup_from_a_newer_lodestar_is_refused() {
    let dir = scratch_dir();
    let t = testing::sqlite().await;
    let path = backup_of(&t, &dir, "newer").await;
    let mut file = open_file(&path, false).await.unwrap();
    sqlx::query("INSERT INTO lodestar_migrations (version, name) VALUES ($1, 'from the future')")
        .bind(latest_version() + 1)
        .execute(&mut file)
        .await
        .unwrap();
    file.close().await.unwrap();
    let err = testing::sqlite()
        .await
        .store
        .restore_from(&path, Existing::Refuse)
        .await
        .unwrap_err();
    assert!(
        matches!(err, BackupError::NewerBackup { found, .. } if found == latest_version() + 1),
        "{err:?}"
    );
    assert!(err.to_string().contains("newer"), "{err}");
}

/// A backup as the first `version` migrations left it, holding one organization.
async fn old_backup(path: &Path, version: i64) {
    let mut file = new_file(path).await;
    sqlx::query(crate::migrate::CREATE_LEDGER)
        .execute(&mut file)
        .await
        .unwrap();
    for m in MIGRATIONS.iter().filter(|m| m.version <= version) {
        for statement in m.statements(crate::Dialect::Sqlite) {
            sqlx::query(&statement).execute(&mut file).await.unwrap();
        }
        sqlx::query("INSERT INTO lodestar_migrations (version, name) VALUES ($1, $2)")
            .bind(m.version)
            .bind(m.name)
            .execute(&mut file)
            .await
            .unwrap();
    }
    sqlx::query("INSERT INTO organizations (id, name) VALUES (7, 'Old Town')")
        .execute(&mut file)
        .await
        .unwrap();
    file.close().await.unwrap();
}

#[tokio::test]
async fn an_older_backup_is_brought_up_to_date_as_it_is_restored() {
    let dir = scratch_dir();
    let path = dir.join("old");
    old_backup(&path, 1).await;
    let before = std::fs::read(&path).unwrap();
    for t in testing::all().await {
        let report = t.store.restore_from(&path, Existing::Refuse).await.unwrap();
        assert_eq!(
            (report.backup_version, report.schema_version),
            (1, latest_version())
        );
        assert_eq!(report.taken_at, None, "a file without a label restores too");
        let orgs = t.store.list_organizations().await.unwrap();
        assert_eq!(orgs.len(), 1, "{}", t.backend);
        assert_eq!((orgs[0].id.0, orgs[0].name.as_str()), (7, "Old Town"));
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the backup itself is not changed"
    );
}

/// Adds a trigger that marks every organization inserted: " (counted)" is
/// appended to its name.
async fn add_marking_trigger(store: &Store) {
    let statements: &[&str] = match store.dialect() {
        crate::Dialect::Sqlite => &["CREATE TRIGGER mark_orgs AFTER INSERT ON organizations \
             BEGIN UPDATE organizations SET name = name || ' (counted)' WHERE id = NEW.id; END"],
        crate::Dialect::Postgres => &[
            "CREATE FUNCTION mark_orgs() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN UPDATE organizations SET name = name || ' (counted)' WHERE id = NEW.id; RETURN NULL; END $$",
            "CREATE TRIGGER mark_orgs AFTER INSERT ON organizations \
             FOR EACH ROW EXECUTE FUNCTION mark_orgs()",
        ],
    };
    on_backend!(store, write, pool => {
        for statement in statements {
            sqlx::query(statement).execute(pool).await.unwrap();
        }
    });
}

async fn org_names(store: &Store) -> Vec<String> {
    let orgs = store.list_organizations().await.unwrap();
    orgs.into_iter()
        .map(|o| o.name.as_str().to_owned())
        .collect()
}

#[tokio::test]
async fn triggers_do_not_fire_for_restored_rows_but_do_afterwards() {
    let dir = scratch_dir();
    for t in testing::all().await {
        add_marking_trigger(&t.store).await;
        populate(&t.store).await;
        let marked = org_names(&t.store).await;
        assert!(
            marked.contains(&"City of Testville (counted)".to_owned()),
            "{marked:?}"
        );
        let path = backup_of(&t, &dir, t.backend).await;
        let target = fresh(&t).await;
        add_marking_trigger(&target.store).await;
        target
            .store
            .restore_from(&path, Existing::Refuse)
            .await
            .unwrap();
        assert_eq!(
            org_names(&target.store).await,
            marked,
            "{}: not marked again",
            t.backend
        );
        let more = OrganizationDraft {
            name: name("Harbor Authority"),
            parent_id: None,
        };
        target.store.create_organization(&more).await.unwrap();
        let names = org_names(&target.store).await;
        assert!(
            names.contains(&"Harbor Authority (counted)".to_owned()),
            "{}: {names:?}",
            t.backend
        );
    }
}

#[tokio::test]
async fn a_backup_missing_a_table_is_refused_and_changes_nothing() {
    let dir = scratch_dir();
    for t in testing::all().await {
        populate(&t.store).await;
        let path = backup_of(&t, &dir, t.backend).await;
        let mut file = open_file(&path, false).await.unwrap();
        sqlx::query("DROP TABLE alignments")
            .execute(&mut file)
            .await
            .unwrap();
        file.close().await.unwrap();
        let target = fresh(&t).await;
        let err = target
            .store
            .restore_from(&path, Existing::Refuse)
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("the backup has no table alignments"),
            "{err}"
        );
        assert!(
            target.store.list_organizations().await.unwrap().is_empty(),
            "{}",
            t.backend
        );
    }
}

#[tokio::test]
async fn a_column_empty_in_one_batch_and_filled_in_the_next_restores() {
    let dir = scratch_dir();
    for t in testing::all().await {
        let city = t
            .store
            .create_organization(&OrganizationDraft {
                name: name("City of Manyfolk"),
                parent_id: None,
            })
            .await
            .unwrap();
        let it = t
            .store
            .create_department(&DepartmentDraft {
                organization_id: city.id,
                name: name("Information Technology"),
            })
            .await
            .unwrap();
        for n in 0..400 {
            let person = PersonDraft {
                organization_id: city.id,
                name: name(&format!("Person {n}")),
                email: None,
                department_id: (n >= 200).then_some(it.id),
            };
            t.store.create_person(&person).await.unwrap();
        }
        let path = backup_of(&t, &dir, t.backend).await;
        let restored = fresh(&t).await;
        restored
            .store
            .restore_from(&path, Existing::Refuse)
            .await
            .unwrap();
        assert_eq!(
            dump(&restored.store).await,
            dump(&t.store).await,
            "{}",
            t.backend
        );
        let path = backup_of(&restored, &dir, &format!("{}-again", t.backend)).await;
        testing::sqlite()
            .await
            .store
            .restore_from(&path, Existing::Refuse)
            .await
            .unwrap();
    }
}
