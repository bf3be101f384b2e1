//! What can go wrong in storage, in terms the layers above can act on.

use lodestar_domain::ValidationError;

/// A storage failure. `NotFound`, `Conflict` and `Invalid` are the caller's
/// doing and become 4xx responses; the rest are ours and become 500s.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// No record of this kind has this id (or key).
    #[error("{entity} {id} not found")]
    NotFound {
        /// What was looked for: "plan", "node".
        entity: &'static str,
        /// How it was named.
        id: String,
    },
    /// The write would break a uniqueness rule or remove something still in use.
    #[error("{message}")]
    Conflict {
        /// The input field at fault, if one is.
        field: Option<String>,
        /// What clashes, in words a user can act on.
        message: String,
    },
    /// The record changed since the version the write was based on (or is
    /// gone, when `current` is `None`); nothing was written.
    #[error("{}", stale_message(entity, id, *expected, *current))]
    Stale {
        /// What was written: "node", "status override of node".
        entity: &'static str,
        /// How it was named.
        id: String,
        /// The version the write was based on.
        expected: i64,
        /// The version the record is at now, if it still exists.
        current: Option<i64>,
    },
    /// The write would replace a record without naming the version it
    /// replaces, so it could undo a change its author never saw.
    #[error("{entity} {id} exists at version {current}; name the version to replace")]
    VersionRequired {
        /// What was written.
        entity: &'static str,
        /// How it was named.
        id: String,
        /// The version the record is at.
        current: i64,
    },
    /// The input breaks a rule that only the stored data can tell.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// A stored value no longer parses: the database was edited by hand or is damaged.
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    /// The database was brought up to a newer schema by a newer Lodestar;
    /// this one would misread it, so it does not start.
    #[error(
        "the database's schema is at version {found}, newer than this Lodestar knows ({known}); run the newer Lodestar, or restore a backup made by this one"
    )]
    NewerSchema {
        /// The newest migration the database records.
        found: i64,
        /// The newest migration this binary has.
        known: i64,
    },
    /// The database URL names no database Lodestar supports.
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    /// The database refused or failed.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

/// PostgreSQL's code for a character its text type cannot hold: in a Rust
/// string, only NUL (U+0000), which SQLite stores without complaint.
const CHARACTER_NOT_IN_REPERTOIRE: &str = "22021";

impl From<sqlx::Error> for StorageError {
    /// A failure of the database, except a NUL character in text, which is
    /// input PostgreSQL cannot store and so the caller's to fix.
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::Database(db)
                if db.code().as_deref() == Some(CHARACTER_NOT_IN_REPERTOIRE) =>
            {
                Self::Invalid(ValidationError::new(
                    "",
                    "text must not contain the NUL character (U+0000)",
                ))
            }
            _ => Self::Database(err),
        }
    }
}

/// Shorthand for storage results.
pub type Result<T, E = StorageError> = std::result::Result<T, E>;

impl StorageError {
    /// A record that is not there.
    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    /// A clash, blamed on `field`.
    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        Self::Conflict {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }
}

/// Says who lost a race: the version sent and, if the record still exists, the one it is at.
pub fn stale_message(entity: &str, id: &str, expected: i64, current: Option<i64>) -> String {
    match current {
        Some(current) => format!(
            "{entity} {id} was changed by someone else: you sent version {expected}, it is now at version {current}"
        ),
        None => format!(
            "{entity} {id} was removed by someone else: you sent version {expected}, it no longer exists"
        ),
    }
}

/// Turns a unique-constraint violation into a `Conflict` naming `field`, and a
/// foreign-key violation into one that says a referenced record is missing or
/// still in use; other errors pass through.
pub(crate) fn on_conflict(
    field: &'static str,
    message: impl Into<String>,
) -> impl FnOnce(sqlx::Error) -> StorageError {
    let message = message.into();
    move |err| {
        match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StorageError::conflict(field, message),
        sqlx::Error::Database(db) if is_foreign_key_violation(db.as_ref()) => StorageError::Conflict {
            field: None,
            message: "the record refers to, or is referred to by, another record that prevents this change".into(),
        },
        _ => StorageError::from(err),
    }
    }
}

/// Turns a foreign-key violation on delete into a `Conflict` saying what still
/// depends on the record.
pub(crate) fn in_use(message: &'static str) -> impl FnOnce(sqlx::Error) -> StorageError {
    move |err| match &err {
        sqlx::Error::Database(db) if is_foreign_key_violation(db.as_ref()) => {
            StorageError::Conflict {
                field: None,
                message: message.into(),
            }
        }
        _ => StorageError::from(err),
    }
}

/// Fails with `NotFound` when a write touched no row.
pub(crate) fn touched(rows: u64, entity: &'static str, id: impl ToString) -> Result<()> {
    if rows == 0 {
        Err(StorageError::not_found(entity, id))
    } else {
        Ok(())
    }
}

/// SQLite reports a RESTRICT foreign key as a trigger constraint (code 1811),
/// which sqlx does not classify as a foreign-key violation; its message does.
fn is_foreign_key_violation(db: &dyn sqlx::error::DatabaseError) -> bool {
    db.is_foreign_key_violation() || db.message().contains("FOREIGN KEY constraint failed")
}
