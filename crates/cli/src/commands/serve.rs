//! `lodestar serve`: the web application and JSON API, until told to stop.

use crate::config::Serve;
use crate::error::{CliError, CliResult};
use lodestar_services::{App, ServiceError};
use tokio::net::TcpListener;

/// Loads the sample plan if wanted, listens, and serves until Ctrl-C or
/// SIGTERM. Then it accepts no more connections, lets the requests in
/// progress finish, and closes the database once the last one has.
pub async fn run(app: &App, settings: &Serve) -> CliResult {
    let app = &app.clone().with_open_data(settings.open_data.clone());
    if settings.load_sample
        && let Some(plan) = app.load_sample_if_empty().await?
    {
        tracing::info!(
            plan = %plan.id,
            key = %plan.key,
            "the database was empty; loaded the sample plan {:?}",
            plan.title.as_str()
        );
    }
    let listener = TcpListener::bind(settings.bind)
        .await
        .map_err(|e| CliError::failed(format!("cannot listen on {}: {e}", settings.bind)))?;
    let address = listener
        .local_addr()
        .map_err(|e| CliError::failed(format!("cannot tell the listening address: {e}")))?;
    tracing::info!("Lodestar listening on http://{address}");
    if app
        .store()
        .count_users()
        .await
        .map_err(ServiceError::from)?
        == 0
    {
        tracing::warn!(
            "no accounts yet, so no one can sign in: create the first administrator with \
             `lodestar user add EMAIL --name NAME --role administrator`"
        );
    }
    lodestar_http::serve(listener, app.clone(), shutdown_requested())
        .await
        .map_err(|e| CliError::failed(format!("the server stopped: {e}")))?;
    app.store().close().await;
    tracing::info!("requests finished and database closed; Lodestar stopped");
    Ok(())
}

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM, the signal service
/// managers and container runtimes send to stop a process.
async fn shutdown_requested() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: no new connections; finishing the requests in progress");
}
