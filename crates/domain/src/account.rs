//! Who uses Lodestar and what they may do: accounts with one role each, the
//! scopes of API tokens, and the rules for passwords.

use crate::keyword::keyword_enum;
use crate::{Email, Name, PersonId, UserId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

keyword_enum!(
    /// What an account may do across the installation. Sponsors and owners
    /// are not roles: an account linked to a person may also edit beneath
    /// the goals that person sponsors and report on the nodes they own.
    Role, what = "role" {
        /// Everything, including accounts.
        Administrator = "administrator",
        /// Edits plans' structure, imports plans, manages the directory.
        PlanEditor = "plan-editor",
        /// Scores proposals; reads everything internal.
        Reviewer = "reviewer",
        /// Reads everything internal.
        Viewer = "viewer",
    }
);

keyword_enum!(
    /// What an API token may do, within what its account may do.
    TokenScope, what = "scope" {
        /// Read what the account may read.
        Read = "read",
        /// Read, and record values of measures (a nightly metrics job).
        WriteMeasures = "write-measures",
        /// Everything the account may do.
        Admin = "admin",
    }
);

/// An account as stored, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// The address it signs in with.
    pub email: Email,
    /// The name shown for it.
    pub name: Name,
    /// What it may do.
    pub role: Role,
    /// The person it is, which makes it sponsor or owner of nodes.
    pub person_id: Option<PersonId>,
    /// A disabled account cannot sign in and its tokens do not work.
    pub disabled: bool,
    /// When it was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted (argon2 takes any length; this bounds the work).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Why a password is refused, or `Ok` for one that may be set.
pub fn check_password(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!(
            "a password needs at least {MIN_PASSWORD_CHARS} characters, this one has {chars}"
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(format!(
            "a password may have at most {MAX_PASSWORD_CHARS} characters"
        ));
    }
    if password.trim().is_empty() {
        return Err("a password cannot be only spaces".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_blank_passwords_are_refused() {
        assert!(check_password("short").unwrap_err().contains("at least 12"));
        assert!(check_password(&" ".repeat(20)).is_err());
        assert!(check_password(&"x".repeat(300)).is_err());
        assert!(check_password("correct horse battery").is_ok());
    }

    #[test]
    fn roles_and_scopes_read_as_their_keywords() {
        assert_eq!("plan-editor".parse::<Role>(), Ok(Role::PlanEditor));
        assert_eq!(TokenScope::WriteMeasures.as_str(), "write-measures");
        assert!("root".parse::<Role>().is_err());
    }
}
