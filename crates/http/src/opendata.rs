//! Open data for anonymous visitors: the downloads of a published plan
//! (`/public/plans/{key}/nodes.csv` … `observations.json`) and the DCAT-US
//! 1.1 catalog that lists them (`/data.json`). See docs/open-data.md.
//!
//! Everything is drawn from the services layer's public reader; an
//! unpublished plan answers 404 like an unknown one.

use crate::pages::PageError;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lodestar_services::App;
use lodestar_services::opendata::{Format, Kind};

/// The catalog's address.
pub const CATALOG_PATH: &str = "/data.json";

/// The route template of one download.
pub fn download_template(kind: Kind, format: Format) -> String {
    format!(
        "/public/plans/{{key}}/{}.{}",
        kind.file_stem(),
        format.extension()
    )
}

/// The catalog and the six downloads.
pub fn routes() -> Router<App> {
    let mut router = Router::new().route(CATALOG_PATH, get(data_json));
    for kind in Kind::ALL {
        for format in Format::ALL {
            router = router.route(
                &download_template(kind, format),
                get(
                    move |State(app): State<App>, Path(key): Path<String>| async move {
                        download(&app, &key, kind, format).await
                    },
                ),
            );
        }
    }
    router
}

/// Public data may be read by any site's scripts; no credentials are involved.
const ANY_ORIGIN: (header::HeaderName, &str) = (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");

async fn download(app: &App, key: &str, kind: Kind, format: Format) -> Result<Response, PageError> {
    let table = app.open_data_table(key, kind).await?;
    let (body, content_type) = match format {
        Format::Csv => (
            table.to_csv().map_err(|m| {
                PageError::from(lodestar_services::ServiceError::Internal(m.into()))
            })?,
            "text/csv; charset=utf-8",
        ),
        Format::Json => (
            serde_json::to_vec_pretty(&table.to_json()).map_err(|e| {
                PageError::from(lodestar_services::ServiceError::Internal(
                    e.to_string().into(),
                ))
            })?,
            "application/json",
        ),
    };
    // The key is a plan key (lowercase letters, digits, hyphens), safe in a header.
    let disposition = format!(
        "attachment; filename=\"{key}-{}.{}\"",
        kind.file_stem(),
        format.extension()
    );
    let disposition = HeaderValue::from_str(&disposition)
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (ANY_ORIGIN.0, HeaderValue::from_static(ANY_ORIGIN.1)),
        ],
        body,
    )
        .into_response())
}

async fn data_json(State(app): State<App>, headers: HeaderMap) -> Result<Response, PageError> {
    let catalog = app.data_catalog(&request_base(&headers)).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json"), ANY_ORIGIN],
        serde_json::to_string_pretty(&catalog).map_err(|e| {
            PageError::from(lodestar_services::ServiceError::Internal(
                e.to_string().into(),
            ))
        })?,
    )
        .into_response())
}

/// The site's address as the caller reached it: `X-Forwarded-Proto` (https
/// or http) and `X-Forwarded-Host` or `Host`. Used only when no public URL
/// is configured; a host that is not a plain host name falls back to
/// `localhost`.
pub fn request_base(headers: &HeaderMap) -> String {
    let scheme = if crate::auth::is_https(headers) {
        "https"
    } else {
        "http"
    };
    let host = ["x-forwarded-host", "host"]
        .iter()
        .filter_map(|name| headers.get(*name))
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(',').next().unwrap_or(v).trim())
        .find(|h| !h.is_empty())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn the_base_follows_the_proxy_headers_and_refuses_odd_hosts() {
        assert_eq!(
            request_base(&headers(&[("host", "127.0.0.1:8080")])),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            request_base(&headers(&[
                ("host", "10.0.0.5"),
                ("x-forwarded-host", "plans.example.gov"),
                ("x-forwarded-proto", "https"),
            ])),
            "https://plans.example.gov"
        );
        assert_eq!(
            request_base(&headers(&[("host", "evil.example/\"><x")])),
            "http://localhost"
        );
        assert_eq!(request_base(&HeaderMap::new()), "http://localhost");
    }

    #[test]
    fn each_download_has_its_own_route() {
        assert_eq!(
            download_template(Kind::Measures, Format::Csv),
            "/public/plans/{key}/measures.csv"
        );
    }
}
