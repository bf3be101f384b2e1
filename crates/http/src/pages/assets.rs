//! The stylesheet and the script, built into the binary: no front-end build
//! step and no other host. Each page's styles and enhancements live in their
//! own file under `static/`; they are served as one stylesheet and one script
//! so a page costs two small requests, both cached.

use super::PageError;
use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lodestar_services::App;

/// Every style sheet, in cascade order; printing rules come last.
pub(crate) const STYLESHEET: &str = concat!(
    include_str!("../../static/css/base.css"),
    include_str!("../../static/css/dashboard.css"),
    include_str!("../../static/css/roadmap.css"),
    include_str!("../../static/css/explorer.css"),
    include_str!("../../static/css/node.css"),
    include_str!("../../static/css/forms.css"),
    include_str!("../../static/css/imports.css"),
    include_str!("../../static/css/report.css"),
    include_str!("../../static/css/portfolio.css"),
    include_str!("../../static/css/print.css"),
);

/// Every script; `core.js` first, since it runs the others' set-ups.
const SCRIPT: &str = concat!(
    include_str!("../../static/js/core.js"),
    include_str!("../../static/js/explorer.js"),
    include_str!("../../static/js/forms.js"),
    include_str!("../../static/js/imports.js"),
);

/// The route of the static files.
pub(crate) fn routes() -> Router<App> {
    Router::new().route("/static/{file}", get(asset))
}

async fn asset(Path(file): Path<String>) -> Response {
    let (kind, body) = match file.as_str() {
        "lodestar.css" => ("text/css; charset=utf-8", STYLESHEET),
        "lodestar.js" => ("text/javascript; charset=utf-8", SCRIPT),
        _ => return PageError::not_found(format!("there is no file {file}")).into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}
