//! Lodestar over HTTP: the JSON API under `/api/v1/` (described by the
//! OpenAPI document at `/api/v1/openapi.json`), `GET /healthz`, and the
//! server-rendered pages.
//!
//! Handlers translate between HTTP and the services layer and nothing more;
//! every error becomes a response in one place ([`error::ApiError`]).

pub mod api;
pub mod auth;
pub mod error;
mod extract;
pub mod headers;
pub mod openapi;
pub mod opendata;
mod pages;
/// The annual report card as a standalone HTML document (what `lodestar report --format html` writes).
pub use pages::report_card::standalone as report_card_html;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use lodestar_services::App;
use std::future::Future;
use std::net::SocketAddr;
use tower_http::trace::TraceLayer;

/// The largest request body accepted, in bytes (a plan document of several
/// thousand nodes fits well within it).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Every route Lodestar serves.
pub fn router(app: App) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .merge(opendata::routes())
        .merge(auth::routes::routes())
        .merge(auth::pages::routes())
        .route_layer(middleware::from_fn_with_state(app.clone(), auth::guard))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(headers::secure))
        .layer(TraceLayer::new_for_http())
        .with_state(app)
}

/// Serves Lodestar on `listener` until `shutdown` completes, then lets
/// in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Unknown addresses: a JSON error under `/api/`, an error page elsewhere.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    let message = format!("there is nothing at {}", uri.path());
    if uri.path().starts_with("/api/") {
        error::ApiError::new(axum::http::StatusCode::NOT_FOUND, "not_found", message)
            .into_response()
    } else {
        pages::PageError::not_found(message).into_response()
    }
}
