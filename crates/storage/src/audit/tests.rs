//! The triggers as the database enforces them, on every backend: writes that
//! bypass the store's own methods are logged too, and the log cannot be edited.

use super::*;
use crate::actor::{Actor, acting_as};
use crate::{Store, testing};
use lodestar_domain::{Name, OrganizationDraft};
use time::OffsetDateTime;

async fn execute(store: &Store, sql: &str) -> std::result::Result<u64, sqlx::Error> {
    on_backend!(store, write, pool => sqlx::query(sql).execute(pool).await.map(|r| r.rows_affected()))
}

async fn logged(store: &Store, entity: &str) -> Vec<(String, Option<String>, Option<String>)> {
    on_backend!(store, read, pool => {
        sqlx::query_as("SELECT action, before_json, after_json FROM audit_log WHERE entity = $1 ORDER BY id")
            .bind(entity)
            .fetch_all(pool)
            .await
            .unwrap()
    })
}

async fn organization(store: &Store, name: &str) {
    let draft = OrganizationDraft {
        name: Name::parse(name).unwrap(),
        parent_id: None,
    };
    store.create_organization(&draft).await.unwrap();
}

#[tokio::test]
async fn a_second_install_changes_nothing() {
    for t in testing::all().await {
        let changed = on_backend!(t.store, write, pool => {
            let mut conn = pool.acquire().await.unwrap();
            Triggers::install_audit(&mut *conn).await.unwrap()
        });
        assert_eq!(changed, 0, "{}", t.backend);
    }
}

#[tokio::test]
async fn the_log_refuses_updates_deletes_and_truncation() {
    for t in testing::all().await {
        organization(&t.store, "City of Testville").await;
        let mut statements = vec![
            "UPDATE audit_log SET actor = 'mallory'",
            "DELETE FROM audit_log",
        ];
        if t.backend == "postgres" {
            statements.push("TRUNCATE audit_log");
        }
        for sql in statements {
            let err = execute(&t.store, sql).await.unwrap_err();
            assert!(
                err.to_string().contains(APPEND_ONLY),
                "{}: {sql}: {err}",
                t.backend
            );
        }
        assert_eq!(
            logged(&t.store, "organizations").await.len(),
            1,
            "{}",
            t.backend
        );
    }
}

#[tokio::test]
async fn secrets_never_reach_the_log_but_their_changes_do() {
    for t in testing::all().await {
        let mut tx = t.store.begin().await.unwrap();
        on_tx!(&mut tx, conn => {
            sqlx::query(
                "INSERT INTO users (email, name, role, password_hash, created_at, password_changed_at) \
                 VALUES ('ada@city.gov', 'Ada', 'viewer', 'argon2-SECRET', $1, $1)",
            )
            .bind(OffsetDateTime::now_utc())
            .execute(&mut *conn)
            .await
            .unwrap();
            sqlx::query(
                "INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at) \
                 SELECT id, 'nightly', 'sha-SECRET', 'read', $1 FROM users",
            )
            .bind(OffsetDateTime::now_utc())
            .execute(&mut *conn)
            .await
            .unwrap();
        });
        tx.commit().await.unwrap();
        execute(
            &t.store,
            "UPDATE users SET password_hash = 'argon2-NEW-SECRET'",
        )
        .await
        .unwrap();
        let users = logged(&t.store, "users").await;
        let actions: Vec<&str> = users.iter().map(|(a, _, _)| a.as_str()).collect();
        assert_eq!(actions, ["insert", "update"], "{}", t.backend);
        for (_, before, after) in users.iter().chain(&logged(&t.store, "api_tokens").await) {
            for json in [before, after].into_iter().flatten() {
                assert!(
                    !json.contains("SECRET") && !json.contains("_hash"),
                    "{}: {json}",
                    t.backend
                );
            }
        }
        assert!(
            users[0].2.as_deref().unwrap().contains("ada@city.gov"),
            "{}",
            t.backend
        );
    }
}

#[tokio::test]
async fn sessions_and_cache_only_changes_are_not_logged() {
    for t in testing::all().await {
        organization(&t.store, "City of Testville").await;
        execute(
            &t.store,
            "INSERT INTO login_attempts (throttle_key, failures, window_start) VALUES ('address:1', 1, '2025-01-01T00:00:00Z')",
        )
        .await
        .unwrap();
        execute(&t.store, "INSERT INTO plans (organization_id, plan_key, title, start_year, end_year, status, principles_json, levels_json) \
                           SELECT id, 'p', 'P', 2025, 2026, 'draft', '[]', '[]' FROM organizations").await.unwrap();
        execute(&t.store, "UPDATE plans SET rollups_on = '2025-06-01'")
            .await
            .unwrap();
        assert!(
            logged(&t.store, "login_attempts").await.is_empty(),
            "{}",
            t.backend
        );
        let plans: Vec<String> = logged(&t.store, "plans")
            .await
            .into_iter()
            .map(|(a, _, _)| a)
            .collect();
        assert_eq!(plans, ["insert"], "{}", t.backend);
        let (_, _, after) = &logged(&t.store, "plans").await[0];
        assert!(
            !after.as_deref().unwrap().contains("rollups_on"),
            "{}",
            t.backend
        );
    }
}

#[tokio::test]
async fn the_actor_is_recorded_and_forgotten_when_the_transaction_ends() {
    for t in testing::all().await {
        let ada = Actor {
            user_id: Some(3),
            name: "ada@city.gov".into(),
        };
        acting_as(ada, organization(&t.store, "Harbor Falls")).await;
        execute(
            &t.store,
            "UPDATE organizations SET name = 'Harbor Falls City'",
        )
        .await
        .unwrap();
        let actors: Vec<(Option<i64>, String)> = on_backend!(t.store, read, pool => {
            sqlx::query_as("SELECT actor_id, actor FROM audit_log ORDER BY id").fetch_all(pool).await.unwrap()
        });
        assert_eq!(
            actors,
            [
                (Some(3), "ada@city.gov".to_owned()),
                (None, "system".to_owned())
            ],
            "{}",
            t.backend
        );
    }
}

#[tokio::test]
async fn a_column_added_later_is_logged_after_the_next_start() {
    let dir = std::env::temp_dir().join(format!("lodestar_audit_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("lodestar.db");
    let store = Store::open_sqlite(&path).await.unwrap();
    organization(&store, "City of Testville").await;
    execute(&store, "ALTER TABLE organizations ADD COLUMN motto TEXT")
        .await
        .unwrap();
    store.close().await;
    let store = Store::open_sqlite(&path).await.unwrap();
    execute(&store, "UPDATE organizations SET motto = 'Onward'")
        .await
        .unwrap();
    let (_, before, after) = logged(&store, "organizations").await.pop().unwrap();
    assert!(before.unwrap().contains(r#""motto":null"#));
    assert!(after.unwrap().contains(r#""motto":"Onward""#));
    store.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
