//! Accounts, sign-in sessions, API tokens and sign-in throttling. Secrets are
//! stored only as hashes (argon2id for passwords, SHA-256 for the random
//! session and token values); the services layer makes and checks them.

use crate::{Result, StorageError, Store};
use lodestar_domain::{Email, Name, PersonId, Role, TokenId, TokenScope, User, UserId};
use time::OffsetDateTime;

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// Its sign-in address.
    pub email: &'a Email,
    /// Its display name.
    pub name: &'a Name,
    /// What it may do.
    pub role: Role,
    /// The person it is, if any.
    pub person_id: Option<PersonId>,
    /// The argon2id hash of its password.
    pub password_hash: &'a str,
}

/// A session as stored, with the account it signs in.
#[derive(Debug, Clone)]
pub struct StoredSession {
    /// The account.
    pub user: User,
    /// The token forms and headers must send back.
    pub csrf_token: String,
    /// When it was created (sessions end a fixed time after, whatever their use).
    pub created_at: OffsetDateTime,
    /// When it ends unless used again.
    pub expires_at: OffsetDateTime,
}

/// An API token's description; the token itself is never stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    /// Its id, for revoking it.
    pub id: TokenId,
    /// The account it acts for.
    pub user_id: UserId,
    /// What it is for ("nightly ticket metrics").
    pub name: String,
    /// What it may do.
    pub scopes: Vec<TokenScope>,
    /// When it was made.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was last used.
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
    /// When it was revoked; a revoked token no longer works.
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

const USER_COLUMNS: &str = "u.id, u.email, u.name, u.role, u.person_id, u.disabled, u.created_at";
const TOKEN_COLUMNS: &str = "id, user_id, name, scopes, created_at, last_used_at, revoked_at";

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    person_id: Option<i64>,
    disabled: i32,
    created_at: OffsetDateTime,
}

impl TryFrom<UserRow> for User {
    type Error = StorageError;
    fn try_from(r: UserRow) -> Result<Self> {
        let corrupt =
            |what: &str, e: String| StorageError::Corrupt(format!("user {}: {what}: {e}", r.id));
        Ok(User {
            id: UserId(r.id),
            email: Email::parse(&r.email).map_err(|e| corrupt("email", e))?,
            name: Name::parse(&r.name).map_err(|e| corrupt("name", e))?,
            role: r.role.parse().map_err(|e| corrupt("role", e))?,
            person_id: r.person_id.map(PersonId),
            disabled: r.disabled != 0,
            created_at: r.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    user_id: i64,
    name: String,
    scopes: String,
    created_at: OffsetDateTime,
    last_used_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
}

impl TryFrom<TokenRow> for TokenInfo {
    type Error = StorageError;
    fn try_from(r: TokenRow) -> Result<Self> {
        let scopes = r
            .scopes
            .split_whitespace()
            .map(str::parse)
            .collect::<std::result::Result<Vec<TokenScope>, String>>()
            .map_err(|e| StorageError::Corrupt(format!("token {}: {e}", r.id)))?;
        Ok(TokenInfo {
            id: TokenId(r.id),
            user_id: UserId(r.user_id),
            name: r.name,
            scopes,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        })
    }
}

fn scopes_text(scopes: &[TokenScope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// How long an idle session lives, and the most any session lives.
#[derive(Debug, Clone, Copy)]
pub struct SessionLifetime {
    /// Ends this long after its last use.
    pub idle: time::Duration,
    /// Ends this long after sign-in, however much it is used.
    pub absolute: time::Duration,
}

impl Store {
    /// Creates an account; its email must be new.
    pub async fn create_user(&self, new: &NewUser<'_>) -> Result<User> {
        let now = OffsetDateTime::now_utc();
        let mut tx = self.begin().await?;
        let id: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
            "INSERT INTO users (email, name, role, person_id, password_hash, disabled, created_at, password_changed_at) \
             VALUES ($1, $2, $3, $4, $5, 0, $6, $6) RETURNING id",
        )
        .bind(new.email.as_str())
        .bind(new.name.as_str())
        .bind(new.role.as_str())
        .bind(new.person_id.map(|p| p.0))
        .bind(new.password_hash)
        .bind(now)
        .fetch_one(c)
        .await
        .map_err(crate::error::on_conflict("email", format!("an account for {} already exists", new.email.as_str())))?);
        tx.commit().await?;
        self.get_user(UserId(id)).await
    }

    /// One account.
    pub async fn get_user(&self, id: UserId) -> Result<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let row: Option<UserRow> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?);
        row.ok_or_else(|| StorageError::not_found("user", id))?
            .try_into()
    }

    /// Every account, by email.
    pub async fn list_users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.email");
        let rows: Vec<UserRow> =
            on_backend!(self, read, pool => sqlx::query_as(&sql).fetch_all(pool).await?);
        rows.into_iter().map(User::try_from).collect()
    }

    /// How many accounts there are.
    pub async fn count_users(&self) -> Result<i64> {
        Ok(
            on_backend!(self, read, pool => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await?),
        )
    }

    /// The account with this email (case-insensitive) and its password hash.
    pub async fn find_user_by_email(&self, email: &str) -> Result<Option<(User, String)>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE LOWER(u.email) = LOWER($1)"
        );
        let row: Option<(String, UserRowWithHash)> = on_backend!(self, read, pool => {
            sqlx::query_as::<_, UserRowWithHash>(&sql)
                .bind(email)
                .fetch_optional(pool)
                .await?
                .map(|r| (r.password_hash.clone(), r))
        });
        match row {
            Some((hash, r)) => Ok(Some((r.user.try_into()?, hash))),
            None => Ok(None),
        }
    }

    /// Changes an account's role, person and whether it is disabled.
    pub async fn update_user(
        &self,
        id: UserId,
        role: Role,
        person_id: Option<PersonId>,
        disabled: bool,
    ) -> Result<User> {
        let mut tx = self.begin().await?;
        let rows = on_tx!(&mut tx, c => sqlx::query("UPDATE users SET role = $1, person_id = $2, disabled = $3 WHERE id = $4")
            .bind(role.as_str())
            .bind(person_id.map(|p| p.0))
            .bind(i32::from(disabled))
            .bind(id.0)
            .execute(c)
            .await?
            .rows_affected());
        if rows == 0 {
            return Err(StorageError::not_found("user", id));
        }
        if disabled {
            on_tx!(&mut tx, c => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id.0).execute(c).await?.rows_affected());
        }
        tx.commit().await?;
        self.get_user(id).await
    }

    /// Sets an account's password hash and ends its sessions, except the one
    /// whose hash is `keep` (the session that changed the password).
    pub async fn set_password_hash(
        &self,
        id: UserId,
        hash: &str,
        keep: Option<&str>,
    ) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        let mut tx = self.begin().await?;
        let rows = on_tx!(&mut tx, c => sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(now)
            .bind(id.0)
            .execute(c)
            .await?
            .rows_affected());
        if rows == 0 {
            return Err(StorageError::not_found("user", id));
        }
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(id.0)
            .bind(keep.unwrap_or(""))
            .execute(c)
            .await?.rows_affected());
        tx.commit().await
    }

    /// Starts a session.
    pub async fn create_session(
        &self,
        user: UserId,
        token_hash: &str,
        csrf_token: &str,
        lifetime: SessionLifetime,
    ) -> Result<OffsetDateTime> {
        let now = OffsetDateTime::now_utc();
        let expires = now + lifetime.idle;
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(csrf_token)
        .bind(now)
        .bind(expires)
        .execute(c)
        .await?.rows_affected());
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(now).execute(c).await?.rows_affected());
        tx.commit().await?;
        Ok(expires)
    }

    /// The live session with this token hash, its idle expiry pushed forward
    /// (at most once a minute, and never past its absolute end). None for an
    /// unknown or expired session or a disabled account.
    pub async fn use_session(
        &self,
        token_hash: &str,
        lifetime: SessionLifetime,
    ) -> Result<Option<StoredSession>> {
        let now = OffsetDateTime::now_utc();
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, s.created_at AS session_created_at, s.expires_at, s.last_seen_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"
        );
        let row: Option<SessionJoin> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(token_hash).fetch_optional(pool).await?);
        let Some(row) = row else { return Ok(None) };
        if row.expires_at <= now || row.user.disabled != 0 {
            return Ok(None);
        }
        let mut expires_at = row.expires_at;
        if now - row.last_seen_at > time::Duration::minutes(1) {
            expires_at = (now + lifetime.idle).min(row.session_created_at + lifetime.absolute);
            on_backend!(self, write, pool => sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3")
                .bind(now)
                .bind(expires_at)
                .bind(token_hash)
                .execute(pool)
                .await?.rows_affected());
        }
        Ok(Some(StoredSession {
            user: row.user.try_into()?,
            csrf_token: row.csrf_token,
            created_at: row.session_created_at,
            expires_at,
        }))
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        on_backend!(self, write, pool => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Creates an API token for an account.
    pub async fn create_token(
        &self,
        user: UserId,
        name: &str,
        hash: &str,
        scopes: &[TokenScope],
    ) -> Result<TokenInfo> {
        let now = OffsetDateTime::now_utc();
        let mut tx = self.begin().await?;
        let id: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user.0)
        .bind(name)
        .bind(hash)
        .bind(scopes_text(scopes))
        .bind(now)
        .fetch_one(c)
        .await?);
        tx.commit().await?;
        self.get_token(TokenId(id)).await
    }

    /// One token's description.
    pub async fn get_token(&self, id: TokenId) -> Result<TokenInfo> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = $1");
        let row: Option<TokenRow> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?);
        row.ok_or_else(|| StorageError::not_found("token", id))?
            .try_into()
    }

    /// The tokens of one account, or of every account.
    pub async fn list_tokens(&self, user: Option<UserId>) -> Result<Vec<TokenInfo>> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE ($1 IS NULL OR user_id = $1) ORDER BY id"
        );
        let rows: Vec<TokenRow> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(user.map(|u| u.0)).fetch_all(pool).await?);
        rows.into_iter().map(TokenInfo::try_from).collect()
    }

    /// Revokes a token; revoking it again changes nothing.
    pub async fn revoke_token(&self, id: TokenId) -> Result<TokenInfo> {
        let now = OffsetDateTime::now_utc();
        let mut tx = self.begin().await?;
        let rows = on_tx!(&mut tx, c => sqlx::query("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
            .bind(now)
            .bind(id.0)
            .execute(c)
            .await?
            .rows_affected());
        if rows == 0 {
            return Err(StorageError::not_found("token", id));
        }
        tx.commit().await?;
        self.get_token(id).await
    }

    /// The live token with this hash and its account; None for an unknown or
    /// revoked token or a disabled account. Notes its use at most once a minute.
    pub async fn use_token(&self, hash: &str) -> Result<Option<(User, TokenInfo)>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, t.id AS token_id, t.name AS token_name, t.scopes, \
             t.created_at AS token_created_at, t.last_used_at, t.revoked_at \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = 0"
        );
        let row: Option<TokenJoin> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(hash).fetch_optional(pool).await?);
        let Some(row) = row else { return Ok(None) };
        let token = TokenInfo::try_from(TokenRow {
            id: row.token_id,
            user_id: row.user.id,
            name: row.token_name,
            scopes: row.scopes,
            created_at: row.token_created_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        })?;
        let now = OffsetDateTime::now_utc();
        if token
            .last_used_at
            .is_none_or(|t| now - t > time::Duration::minutes(1))
        {
            on_backend!(self, write, pool => sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(token.id.0)
                .execute(pool)
                .await?.rows_affected());
        }
        Ok(Some((row.user.try_into()?, token)))
    }

    /// Failed sign-ins under `key` since `window_start`; older ones are forgotten.
    pub async fn sign_in_failures(&self, key: &str, window_start: OffsetDateTime) -> Result<i64> {
        let row: Option<(i32, OffsetDateTime)> = on_backend!(self, read, pool => sqlx::query_as(
            "SELECT failures, window_start FROM login_attempts WHERE throttle_key = $1",
        )
        .bind(key)
        .fetch_optional(pool)
        .await?);
        Ok(row
            .filter(|(_, start)| *start >= window_start)
            .map_or(0, |(n, _)| i64::from(n)))
    }

    /// Counts a failed sign-in under `key`, starting a new window when the
    /// stored one began before `window_start`.
    pub async fn record_sign_in_failure(
        &self,
        key: &str,
        window_start: OffsetDateTime,
    ) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        on_backend!(self, write, pool => sqlx::query(
            "INSERT INTO login_attempts (throttle_key, failures, window_start) VALUES ($1, 1, $2) \
             ON CONFLICT (throttle_key) DO UPDATE SET \
               failures = CASE WHEN login_attempts.window_start < $3 THEN 1 ELSE login_attempts.failures + 1 END, \
               window_start = CASE WHEN login_attempts.window_start < $3 THEN $2 ELSE login_attempts.window_start END",
        )
        .bind(key)
        .bind(now)
        .bind(window_start)
        .execute(pool)
        .await?.rows_affected());
        Ok(())
    }

    /// Forgets the failures under `key` (after a successful sign-in).
    pub async fn clear_sign_in_failures(&self, key: &str) -> Result<()> {
        on_backend!(self, write, pool => sqlx::query("DELETE FROM login_attempts WHERE throttle_key = $1").bind(key).execute(pool).await?.rows_affected());
        Ok(())
    }
}

#[derive(sqlx::FromRow)]
struct UserRowWithHash {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
}

#[derive(sqlx::FromRow)]
struct SessionJoin {
    #[sqlx(flatten)]
    user: UserRow,
    csrf_token: String,
    session_created_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    last_seen_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct TokenJoin {
    #[sqlx(flatten)]
    user: UserRow,
    token_id: i64,
    token_name: String,
    scopes: String,
    token_created_at: OffsetDateTime,
    last_used_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
}
