//! `lodestar user add|list|reset-password` and `lodestar token create`: the
//! first administrator of a fresh installation, and tokens for scripts.
//! No password exists until someone sets one here or over the API.

use super::table::{headings, write_table};
use crate::config::{AddUser, CreateToken, ResetPassword};
use crate::error::{CliError, CliResult};
use lodestar_services::{App, ServiceError};
use std::io::{BufRead, Write};

/// A password read from the first line of standard input, or a new random one
/// (then printed once, since no one else will ever see it).
fn password(from_stdin: bool) -> CliResult<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| {
            CliError::failed(format!("cannot read the password from standard input: {e}"))
        })?;
        let line = line.trim_end_matches(['\n', '\r']).to_owned();
        Ok((line, false))
    } else {
        Ok((lodestar_services::accounts::random_password(), true))
    }
}

/// Creates the account and says so; prints the password when it was made here.
pub async fn add(app: &App, settings: &AddUser, out: &mut impl Write) -> CliResult {
    let (secret, made) = password(settings.password_stdin)?;
    let user = app
        .add_user(
            &settings.email,
            &settings.name,
            settings.role,
            settings.person,
            secret.clone(),
        )
        .await?;
    writeln!(
        out,
        "Created account {} {} ({})",
        user.id, user.email, user.role
    )
    .map_err(CliError::stdout)?;
    if made {
        writeln!(out, "Password: {secret}").map_err(CliError::stdout)?;
        writeln!(
            out,
            "It is shown only now; the account can change it after signing in."
        )
        .map_err(CliError::stdout)?;
    }
    Ok(())
}

/// One line per account.
pub async fn list(app: &App, out: &mut impl Write) -> CliResult {
    let users = app.store().list_users().await.map_err(ServiceError::from)?;
    if users.is_empty() {
        return writeln!(out, "No accounts yet. Create the first administrator with `lodestar user add EMAIL --name NAME --role administrator`.")
            .map_err(CliError::stdout);
    }
    let rows: Vec<[String; 5]> = users
        .iter()
        .map(|u| {
            [
                u.id.to_string(),
                u.email.to_string(),
                u.role.to_string(),
                if u.disabled { "disabled" } else { "active" }.to_owned(),
                u.name.to_string(),
            ]
        })
        .collect();
    write_table(
        out,
        &headings(["ID", "EMAIL", "ROLE", "STATE", "NAME"]),
        &rows,
    )
    .map_err(CliError::stdout)
}

/// Sets a new password and ends the account's sessions.
pub async fn reset(app: &App, settings: &ResetPassword, out: &mut impl Write) -> CliResult {
    let (secret, made) = password(settings.password_stdin)?;
    let user = app.reset_password(&settings.email, secret.clone()).await?;
    writeln!(
        out,
        "New password set for {}; its sessions were ended",
        user.email
    )
    .map_err(CliError::stdout)?;
    if made {
        writeln!(out, "Password: {secret}").map_err(CliError::stdout)?;
    }
    Ok(())
}

/// Creates a token and prints only its secret, so scripts can capture it.
pub async fn token(app: &App, settings: &CreateToken, out: &mut impl Write) -> CliResult {
    let (user, _) = app
        .store()
        .find_user_by_email(&settings.user)
        .await
        .map_err(ServiceError::from)?
        .ok_or_else(|| {
            CliError::failed(format!("--user: there is no account for {}", settings.user))
        })?;
    let (_, secret) = app
        .create_token(user.id, &settings.name, &settings.scopes)
        .await?;
    writeln!(out, "{secret}").map_err(CliError::stdout)
}
