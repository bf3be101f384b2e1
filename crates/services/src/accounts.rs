//! Accounts and how callers prove who they are: passwords (argon2id), sign-in
//! sessions, API tokens, and sign-in throttling per account and per address.
//!
//! Secrets leave this module once and are never stored: a session or token
//! value is 32 random bytes shown to its holder, and only its SHA-256 is kept.
//! Throttling counts live in the database so they hold across instances.

use crate::{App, ServiceError, ServiceResult};
use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use lodestar_domain::{
    Email, Name, PersonId, Role, TokenId, TokenScope, User, UserId, ValidationError, check_password,
};
use lodestar_storage::{NewUser, SessionLifetime, TokenInfo};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

/// How long sessions live: eight idle hours, at most a week.
pub const SESSION_LIFETIME: SessionLifetime = SessionLifetime {
    idle: Duration::hours(8),
    absolute: Duration::days(7),
};

/// Failed sign-ins an account may have in a window before it is refused.
pub const ACCOUNT_FAILURES: i64 = 5;
/// Failed sign-ins one address may have in a window before it is refused.
pub const ADDRESS_FAILURES: i64 = 20;
/// The throttling window.
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);

/// The prefix of every API token, so that leaked tokens are recognizable.
pub const TOKEN_PREFIX: &str = "lst_";

/// A session just started: its secret goes into the cookie, once.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The cookie value.
    pub secret: String,
    /// The token state-changing requests must send back.
    pub csrf_token: String,
    /// When it ends unless used.
    pub expires_at: OffsetDateTime,
    /// Who signed in.
    pub user: User,
}

/// Someone whose credentials held: an account, and how it proved itself.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The account.
    pub user: User,
    /// A session (with its CSRF token) or an API token (with its scopes).
    pub via: Credential,
}

/// How a principal signed in.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A browser session.
    Session {
        /// The SHA-256 of the session value.
        hash: String,
        /// The token its forms and state-changing requests must carry.
        csrf_token: String,
    },
    /// An API token.
    Token(TokenInfo),
}

impl Principal {
    /// The name the audit log records for this caller.
    pub fn actor_name(&self) -> String {
        match &self.via {
            Credential::Session { .. } => self.user.email.as_str().to_owned(),
            Credential::Token(t) => format!("{} (token {})", self.user.email.as_str(), t.name),
        }
    }
}

/// The SHA-256 of a secret, in hex: what storage keeps.
pub fn digest(secret: &str) -> String {
    let hash = Sha256::digest(secret.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 random bytes from the operating system, in hex.
fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random password for an account that has none yet: 24 characters
/// from an alphabet without look-alikes (about 130 bits).
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    // Bytes at or above the largest multiple of the alphabet's size are
    // dropped, so that every character is equally likely.
    let limit = 256 - 256 % ALPHABET.len();
    let mut out = String::with_capacity(24);
    while out.len() < 24 {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        for b in bytes.iter().map(|b| usize::from(*b)).filter(|b| *b < limit) {
            if out.len() < 24 {
                out.push(char::from(ALPHABET[b % ALPHABET.len()]));
            }
        }
    }
    out
}

/// An argon2id hash of a password that passes the rules, in PHC format.
pub(crate) fn hash_password(password: &str) -> ServiceResult<String> {
    check_password(password).map_err(|m| ValidationError::new("password", m))?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(format!("password hashing failed: {e}").into()))
}

fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Runs CPU-heavy password work off the async runtime.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> ServiceResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ServiceError::Internal(Box::new(e)))
}

/// A stored hash to verify against when the account does not exist, so that
/// an unknown address takes as long as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(random_secret().as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

impl App {
    /// Creates an account with a password that passes the rules.
    pub async fn add_user(
        &self,
        email: &Email,
        name: &Name,
        role: Role,
        person_id: Option<PersonId>,
        password: String,
    ) -> ServiceResult<User> {
        if let Some(person) = person_id {
            self.store()
                .get_person(person)
                .await
                .map_err(|_| ServiceError::missing("person_id", "person", person.0))?;
        }
        let hash = blocking(move || hash_password(&password)).await??;
        Ok(self
            .store()
            .create_user(&NewUser {
                email,
                name,
                role,
                person_id,
                password_hash: &hash,
            })
            .await?)
    }

    /// Sets a new password for the account with this email and signs it out
    /// everywhere (an administrator's reset).
    pub async fn reset_password(&self, email: &str, password: String) -> ServiceResult<User> {
        let (user, _) = self
            .store()
            .find_user_by_email(email)
            .await?
            .ok_or_else(|| ServiceError::NotFound {
                entity: "account",
                id: email.to_owned(),
            })?;
        let hash = blocking(move || hash_password(&password)).await??;
        self.store().set_password_hash(user.id, &hash, None).await?;
        Ok(user)
    }

    /// Changes the caller's own password after checking the current one; the
    /// caller's other sessions end, this one stays.
    pub async fn change_password(
        &self,
        caller: &Principal,
        current: String,
        new: String,
    ) -> ServiceResult<()> {
        let (_, stored) = self
            .store()
            .find_user_by_email(caller.user.email.as_str())
            .await?
            .ok_or_else(|| ServiceError::Unauthenticated("the account no longer exists".into()))?;
        let hash = blocking(move || {
            if !password_matches(&current, &stored) {
                return Err(ServiceError::Invalid(ValidationError::new(
                    "current_password",
                    "the current password is not right",
                )));
            }
            hash_password(&new)
        })
        .await??;
        let keep = match &caller.via {
            Credential::Session { hash, .. } => Some(hash.as_str()),
            Credential::Token(_) => None,
        };
        Ok(self
            .store()
            .set_password_hash(caller.user.id, &hash, keep)
            .await?)
    }

    /// Signs in with email and password from `address`, or says why not.
    /// Failures are counted per account and per address; past the limit,
    /// even the right password is refused until the window passes.
    pub async fn sign_in(
        &self,
        email: &str,
        password: String,
        address: &str,
    ) -> ServiceResult<NewSession> {
        let store = self.store();
        let now = OffsetDateTime::now_utc();
        let window_start = now - THROTTLE_WINDOW;
        let account_key = format!(
            "account:{}",
            email.trim().to_lowercase().replace('\0', "\u{fffd}")
        );
        let address_key = format!("address:{address}");
        let throttled = |what: &str| ServiceError::Throttled {
            message: format!(
                "too many failed sign-ins for this {what}; try again in {} minutes",
                THROTTLE_WINDOW.whole_minutes()
            ),
            retry_after_seconds: THROTTLE_WINDOW.whole_seconds().unsigned_abs(),
        };
        if store.sign_in_failures(&account_key, window_start).await? >= ACCOUNT_FAILURES {
            return Err(throttled("account"));
        }
        if store.sign_in_failures(&address_key, window_start).await? >= ADDRESS_FAILURES {
            return Err(throttled("address"));
        }
        // No account's address holds a NUL, and PostgreSQL cannot compare one.
        let found = if email.contains('\0') {
            None
        } else {
            store.find_user_by_email(email.trim()).await?
        };
        let hash = found
            .as_ref()
            .map_or_else(|| decoy_hash().to_owned(), |(_, h)| h.clone());
        let matches = blocking(move || password_matches(&password, &hash)).await?;
        let user = match found {
            Some((user, _)) if matches && !user.disabled => user,
            _ => {
                store
                    .record_sign_in_failure(&account_key, window_start)
                    .await?;
                store
                    .record_sign_in_failure(&address_key, window_start)
                    .await?;
                return Err(ServiceError::Unauthenticated(
                    "the email address or password is not right".into(),
                ));
            }
        };
        store.clear_sign_in_failures(&account_key).await?;
        let secret = random_secret();
        let csrf_token = random_secret();
        let expires_at = store
            .create_session(user.id, &digest(&secret), &csrf_token, SESSION_LIFETIME)
            .await?;
        Ok(NewSession {
            secret,
            csrf_token,
            expires_at,
            user,
        })
    }

    /// The principal a session cookie's value stands for, if it is live.
    pub async fn session_principal(&self, secret: &str) -> ServiceResult<Option<Principal>> {
        let hash = digest(secret);
        Ok(self
            .store()
            .use_session(&hash, SESSION_LIFETIME)
            .await?
            .map(|s| Principal {
                user: s.user,
                via: Credential::Session {
                    hash,
                    csrf_token: s.csrf_token,
                },
            }))
    }

    /// Ends the session whose cookie value this is.
    pub async fn sign_out(&self, secret: &str) -> ServiceResult<()> {
        Ok(self.store().delete_session(&digest(secret)).await?)
    }

    /// The principal a bearer token stands for, if it is live.
    pub async fn token_principal(&self, token: &str) -> ServiceResult<Option<Principal>> {
        if !token.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        Ok(self
            .store()
            .use_token(&digest(token))
            .await?
            .map(|(user, info)| Principal {
                user,
                via: Credential::Token(info),
            }))
    }

    /// Creates an API token for `user`; the secret is returned once and
    /// never again.
    pub async fn create_token(
        &self,
        user: UserId,
        name: &str,
        scopes: &[TokenScope],
    ) -> ServiceResult<(TokenInfo, String)> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
            return Err(ValidationError::new(
                "name",
                "a token needs a name of 1 to 200 characters, without control characters",
            )
            .into());
        }
        if scopes.is_empty() {
            return Err(ValidationError::new(
                "scopes",
                "a token needs at least one scope: read, write-measures or admin",
            )
            .into());
        }
        let secret = format!("{TOKEN_PREFIX}{}", random_secret());
        let info = self
            .store()
            .create_token(user, name, &digest(&secret), scopes)
            .await?;
        Ok((info, secret))
    }

    /// Revokes a token; only its account or an administrator may.
    pub async fn revoke_token(&self, caller: &User, id: TokenId) -> ServiceResult<TokenInfo> {
        let token = self.store().get_token(id).await?;
        if token.user_id != caller.id && caller.role != Role::Administrator {
            return Err(ServiceError::NotFound {
                entity: "token",
                id: id.0.to_string(),
            });
        }
        Ok(self.store().revoke_token(id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_hash_is_argon2id_and_checks_only_its_password() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(password_matches("correct horse battery", &hash));
        assert!(!password_matches("correct horse batterY", &hash));
        assert!(!password_matches("anything", "not a hash"));
        assert!(hash_password("short").is_err());
    }

    #[test]
    fn secrets_are_random_and_stored_only_as_digests() {
        let (a, b) = (random_secret(), random_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(digest("x").len(), 64);
        assert_ne!(digest(&a), a);
        let password = random_password();
        assert_eq!(password.chars().count(), 24);
        assert!(check_password(&password).is_ok());
        assert_ne!(password, random_password());
    }
}
