//! Sessions, tokens and sign-in counts in storage, on every backend: what
//! must hold for every instance that shares the database.

use lodestar_domain::*;
use lodestar_storage::{NewUser, SessionLifetime, testing};
use time::{Duration, OffsetDateTime};

const LIFETIME: SessionLifetime = SessionLifetime {
    idle: Duration::hours(8),
    absolute: Duration::days(7),
};

async fn user(store: &lodestar_storage::Store, email: &str) -> User {
    store
        .create_user(&NewUser {
            email: &Email::parse(email).unwrap(),
            name: &Name::parse("Kim Lee").unwrap(),
            role: Role::Viewer,
            person_id: None,
            password_hash: "$argon2id$not-checked-here",
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_session_lives_until_it_expires_or_is_deleted() {
    for t in testing::all().await {
        let store = &t.store;
        let kim = user(store, "kim@city.example").await;
        store
            .create_session(kim.id, "live", "csrf-1", LIFETIME)
            .await
            .unwrap();
        let expired = SessionLifetime {
            idle: Duration::seconds(-1),
            absolute: Duration::days(7),
        };
        store
            .create_session(kim.id, "stale", "csrf-2", expired)
            .await
            .unwrap();
        let live = store
            .use_session("live", LIFETIME)
            .await
            .unwrap()
            .expect("a live session");
        assert_eq!(live.user.email.as_str(), "kim@city.example");
        assert_eq!(live.csrf_token, "csrf-1");
        assert!(
            store
                .use_session("stale", LIFETIME)
                .await
                .unwrap()
                .is_none(),
            "{}",
            t.backend
        );
        assert!(
            store
                .use_session("unknown", LIFETIME)
                .await
                .unwrap()
                .is_none()
        );
        store.delete_session("live").await.unwrap();
        assert!(store.use_session("live", LIFETIME).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_stops_its_tokens() {
    for t in testing::all().await {
        let store = &t.store;
        let kim = user(store, "kim@city.example").await;
        store
            .create_session(kim.id, "s", "c", LIFETIME)
            .await
            .unwrap();
        store
            .create_token(kim.id, "job", "t", &[TokenScope::Read])
            .await
            .unwrap();
        assert!(store.use_token("t").await.unwrap().is_some());
        store
            .update_user(kim.id, Role::Viewer, None, true)
            .await
            .unwrap();
        assert!(
            store.use_session("s", LIFETIME).await.unwrap().is_none(),
            "{}",
            t.backend
        );
        assert!(store.use_token("t").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn sign_in_failures_count_within_their_window_only() {
    for t in testing::all().await {
        let store = &t.store;
        let now = OffsetDateTime::now_utc();
        let window = now - Duration::minutes(15);
        for _ in 0..3 {
            store
                .record_sign_in_failure("account:kim", window)
                .await
                .unwrap();
        }
        assert_eq!(
            store.sign_in_failures("account:kim", window).await.unwrap(),
            3
        );
        assert_eq!(
            store
                .sign_in_failures("address:10.0.0.1", window)
                .await
                .unwrap(),
            0
        );
        // Seen from a window that starts after them, they no longer count.
        let later = now + Duration::minutes(1);
        assert_eq!(
            store.sign_in_failures("account:kim", later).await.unwrap(),
            0,
            "{}",
            t.backend
        );
        store.clear_sign_in_failures("account:kim").await.unwrap();
        assert_eq!(
            store.sign_in_failures("account:kim", window).await.unwrap(),
            0
        );
    }
}

#[tokio::test]
async fn a_revoked_token_stops_working_and_the_email_is_unique() {
    for t in testing::all().await {
        let store = &t.store;
        let kim = user(store, "kim@city.example").await;
        let token = store
            .create_token(kim.id, "job", "hash", &[TokenScope::WriteMeasures])
            .await
            .unwrap();
        assert_eq!(token.scopes, [TokenScope::WriteMeasures]);
        store.revoke_token(token.id).await.unwrap();
        assert!(
            store.use_token("hash").await.unwrap().is_none(),
            "{}",
            t.backend
        );
        let again = store
            .create_user(&NewUser {
                email: &Email::parse("KIM@city.example").unwrap(),
                name: &Name::parse("Kim again").unwrap(),
                role: Role::Viewer,
                person_id: None,
                password_hash: "x",
            })
            .await;
        let err = again.expect_err("an address differing only in case is the same address");
        assert!(err.to_string().contains("already exists"), "{err}");
        let found = store.find_user_by_email("KIM@CITY.EXAMPLE").await.unwrap();
        assert_eq!(
            found.map(|(u, _)| u.id),
            Some(kim.id),
            "email lookup ignores case"
        );
    }
}
