//! Who is writing: the actor the audit log names for every change.
//!
//! The front end (the HTTP authorization middleware, a CLI command) wraps the
//! work it does for someone in [`acting_as`]; every transaction the store opens
//! inside that future records the actor, and the audit triggers copy it into
//! each row they write. The actor lives in a task-local, so it follows the
//! request through every `.await` without being passed to each storage call,
//! but not into tasks spawned from it: a write made there is the system's.

use std::future::Future;

/// Someone or something that changes data: a signed-in user, an API token, the CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The account acting, when there is one.
    pub user_id: Option<i64>,
    /// How the audit log names the actor: `ada@city.gov`, `token:nightly-metrics`, `cli:root`.
    pub name: String,
}

tokio::task_local! {
    static ACTOR: Actor;
}

/// Runs `f` as `actor`: every write the store makes while `f` runs is recorded as theirs.
pub async fn acting_as<F: Future>(actor: Actor, f: F) -> F::Output {
    ACTOR.scope(actor, f).await
}

/// The actor of the work in progress, if it runs inside [`acting_as`].
pub fn current() -> Option<Actor> {
    ACTOR.try_with(Clone::clone).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_actor_is_known_only_inside_acting_as() {
        let ada = Actor {
            user_id: Some(7),
            name: "ada@city.gov".into(),
        };
        assert_eq!(current(), None);
        let inside = acting_as(ada.clone(), async {
            tokio::task::yield_now().await;
            current()
        })
        .await;
        assert_eq!(inside, Some(ada));
        assert_eq!(current(), None);
    }
}
