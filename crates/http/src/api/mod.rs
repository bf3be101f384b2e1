//! The JSON API under `/api/v1/`: one module per resource, each owning its routes.

pub mod alignments;
pub mod audit;
pub mod departments;
pub mod evidence;
pub mod execution;
pub mod imports;
pub mod measures;
pub mod milestones;
pub mod nodes;
pub mod organizations;
pub mod people;
pub mod plans;
/// Portfolio governance (issue 8).
pub mod portfolio;
pub mod publication;
pub mod revisions;
pub mod tags;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lodestar_services::{App, Versioned};

/// A JSON answer carrying the record's version as its strong `ETag` (`"3"`),
/// which the client sends back in `If-Match` to change or delete the record.
pub struct Tagged<T>(pub Versioned<T>);

impl<T: serde::Serialize> IntoResponse for Tagged<T> {
    fn into_response(self) -> Response {
        let etag = format!("\"{}\"", self.0.version);
        ([(header::ETAG, etag)], axum::Json(self.0.value)).into_response()
    }
}

/// A JSON body serialized once and kept by [`App::memoized`], for reads
/// that large plans make expensive (a plan's tree, a measure's series): a hit
/// sends the same bytes without reading or serializing anything again.
#[derive(Clone)]
pub struct KeptJson(axum::body::Bytes);

impl KeptJson {
    /// `value` serialized.
    pub fn of<T: serde::Serialize>(value: &T) -> crate::error::ApiResult<Self> {
        serde_json::to_vec(value)
            .map(|bytes| Self(bytes.into()))
            .map_err(|e| lodestar_services::ServiceError::Internal(Box::new(e)).into())
    }
}

impl lodestar_services::memo::Memoizable for KeptJson {
    fn weight(&self) -> usize {
        self.0.len()
    }
}

impl IntoResponse for KeptJson {
    fn into_response(self) -> Response {
        ([(header::CONTENT_TYPE, "application/json")], self.0).into_response()
    }
}

impl<T> Tagged<T> {
    /// A record just created, at the version every record starts at.
    pub fn created(value: T) -> (StatusCode, Self) {
        let version = lodestar_services::FIRST_VERSION;
        (StatusCode::CREATED, Self(Versioned { value, version }))
    }
}

/// Generates the get, create, update (full replacement) and delete handlers of
/// a resource, with their OpenAPI descriptions. Creates and updates go through
/// the services layer, which checks references; reads and deletes go to
/// storage. Reads and writes answer with the record's version as `ETag`; an
/// update must send it back in `If-Match`, a delete may.
macro_rules! item_handlers {
    (
        tag: $tag:literal, what: $what:literal,
        collection: $coll:literal, item: $item:literal,
        entity: $E:ty, draft: $D:ty, id: $Id:path,
        create: $create:ident, update: $update:ident, delete: $delete:ident $(,)?
    ) => {
        #[doc = concat!("Reads one ", $what, ", with its version as ETag.")]
        #[utoipa::path(get, path = $item, tag = $tag,
            params(("id" = i64, Path, description = concat!("The ", $what, "'s id"))),
            responses(
                (status = 200, description = concat!("The ", $what), body = $E,
                    headers(("ETag" = String, description = "Its version, to send back in If-Match"))),
                (status = 400, description = "Malformed id", body = $crate::error::ErrorBody),
                (status = 404, description = "No such record", body = $crate::error::ErrorBody),
            ))]
        pub async fn show(
            axum::extract::State(app): axum::extract::State<lodestar_services::App>,
            $crate::extract::ApiPath(id): $crate::extract::ApiPath<i64>,
        ) -> $crate::error::ApiResult<$crate::api::Tagged<$E>> {
            let found = app.store().versioned::<$E>($Id(id)).await;
            Ok($crate::api::Tagged(found.map_err(lodestar_services::ServiceError::from)?))
        }

        #[doc = concat!("Creates a ", $what, ".")]
        #[utoipa::path(post, path = $coll, tag = $tag, request_body = $D,
            responses(
                (status = 201, description = concat!("The new ", $what), body = $E,
                    headers(("ETag" = String, description = "Its version, to send back in If-Match"))),
                (status = 400, description = "Malformed JSON", body = $crate::error::ErrorBody),
                (status = 409, description = "Clashes with a stored record", body = $crate::error::ErrorBody),
                (status = 413, description = "Body too large", body = $crate::error::ErrorBody),
                (status = 415, description = "Body is not JSON", body = $crate::error::ErrorBody),
                (status = 422, description = "A field breaks a rule", body = $crate::error::ErrorBody),
            ))]
        pub async fn create(
            axum::extract::State(app): axum::extract::State<lodestar_services::App>,
            $crate::extract::ApiJson(draft): $crate::extract::ApiJson<$D>,
        ) -> $crate::error::ApiResult<(axum::http::StatusCode, $crate::api::Tagged<$E>)> {
            Ok($crate::api::Tagged::created(app.$create(&draft).await?))
        }

        #[doc = concat!("Replaces a ", $what, "'s fields, if it is still at the version If-Match names.")]
        #[utoipa::path(put, path = $item, tag = $tag, request_body = $D,
            params(("id" = i64, Path, description = concat!("The ", $what, "'s id")),
                   ("If-Match" = String, Header, description = "The version the change is based on: the ETag reading it gave, like \"3\"")),
            responses(
                (status = 200, description = concat!("The ", $what, " as stored"), body = $E,
                    headers(("ETag" = String, description = "Its new version"))),
                (status = 400, description = "Malformed id, JSON or If-Match", body = $crate::error::ErrorBody),
                (status = 404, description = "No such record", body = $crate::error::ErrorBody),
                (status = 409, description = "Clashes with a stored record (`conflict`), or it changed since the version sent (`version_conflict`, with `current_version`)", body = $crate::error::ErrorBody),
                (status = 413, description = "Body too large", body = $crate::error::ErrorBody),
                (status = 415, description = "Body is not JSON", body = $crate::error::ErrorBody),
                (status = 422, description = "A field breaks a rule", body = $crate::error::ErrorBody),
                (status = 428, description = "No If-Match, or If-Match: *", body = $crate::error::ErrorBody),
            ))]
        pub async fn update(
            axum::extract::State(app): axum::extract::State<lodestar_services::App>,
            $crate::extract::ApiPath(id): $crate::extract::ApiPath<i64>,
            $crate::extract::IfMatch(expected): $crate::extract::IfMatch,
            $crate::extract::ApiJson(draft): $crate::extract::ApiJson<$D>,
        ) -> $crate::error::ApiResult<$crate::api::Tagged<$E>> {
            Ok($crate::api::Tagged(app.$update($Id(id), expected, &draft).await?))
        }

        #[doc = concat!("Deletes a ", $what, "; with If-Match, only if it is still at that version.")]
        #[utoipa::path(delete, path = $item, tag = $tag,
            params(("id" = i64, Path, description = concat!("The ", $what, "'s id")),
                   ("If-Match" = Option<String>, Header, description = "Delete only if still at this version, like \"3\"")),
            responses(
                (status = 204, description = "Deleted"),
                (status = 400, description = "Malformed id or If-Match", body = $crate::error::ErrorBody),
                (status = 404, description = "No such record", body = $crate::error::ErrorBody),
                (status = 409, description = "Still in use (`conflict`), or changed since the version sent (`version_conflict`)", body = $crate::error::ErrorBody),
                (status = 428, description = "If-Match: *", body = $crate::error::ErrorBody),
            ))]
        pub async fn delete(
            axum::extract::State(app): axum::extract::State<lodestar_services::App>,
            $crate::extract::ApiPath(id): $crate::extract::ApiPath<i64>,
            $crate::extract::OptionalIfMatch(expected): $crate::extract::OptionalIfMatch,
        ) -> $crate::error::ApiResult<axum::http::StatusCode> {
            let deleted = app.store().$delete($Id(id), expected).await;
            deleted.map_err(lodestar_services::ServiceError::from)?;
            Ok(axum::http::StatusCode::NO_CONTENT)
        }

        /// The resource's routes.
        pub fn routes() -> axum::Router<lodestar_services::App> {
            axum::Router::new()
                .route($coll, axum::routing::get(list).post(create))
                .route($item, axum::routing::get(show).put(update).delete(delete))
                .merge(extra_routes())
        }
    };
}
pub(crate) use item_handlers;

/// Generates the handlers of a record that belongs to a node (milestones,
/// evidence): list and create under `/api/v1/nodes/{id}/…`, and read,
/// replace and delete under its own path, with their OpenAPI descriptions and
/// the same versioning as [`item_handlers`].
macro_rules! node_record_handlers {
    (
        tag: $tag:literal, what: $what:literal,
        collection: $coll:literal, item: $item:literal,
        entity: $E:ty, draft: $D:ty, id: $Id:path,
        list: $list:ident ($list_doc:literal),
        create: $create:ident, update: $update:ident, delete: $delete:ident,
        rules: $rules:literal $(,)?
    ) => {
        #[doc = concat!("A node's ", $tag, ": ", $list_doc, ".")]
        #[utoipa::path(get, path = $coll, tag = $tag,
            params(("id" = i64, Path, description = "The node's id")),
            responses((status = 200, description = $list_doc, body = Vec<$E>),
                      (status = 400, description = "Malformed id", body = $crate::error::ErrorBody),
                      (status = 404, description = "No such node", body = $crate::error::ErrorBody)))]
        pub async fn list(
            axum::extract::State(app): axum::extract::State<lodestar_services::App>,
            $crate::extract::ApiPath(id): $crate::extract::ApiPath<i64>,
        ) -> $crate::error::ApiResult<axum::Json<Vec<$E>>> {
            let found = app.store().$list(lodestar_domain::NodeId(id)).await;
            Ok(axum::Json(found.map_err(lodestar_services::ServiceError::from)?))
        }

        #[doc = concat!("Adds a ", $what, " to a node.")]
        #[utoipa::path(post, path = $coll, tag = $tag, request_body = $D,
            params(("id" = i64, Path, description = "The node's id")),
            responses((status = 201, description = concat!("The new ", $what), body = $E,
                          headers(("ETag" = String, description = "Its version, to send back in If-Match"))),
                      (status = 400, description = "Malformed id or JSON", body = $crate::error::ErrorBody),
                      (status = 404, description = "No such node", body = $crate::error::ErrorBody),
                      (status = 413, description = "Body too large", body = $crate::error::ErrorBody),
                      (status = 415, description = "Body is not JSON", body = $crate::error::ErrorBody),
                      (status = 422, description = $rules, body = $crate::error::ErrorBody)))]
        pub async fn create(
            axum::extract::State(app): axum::extract::State<lodestar_services::App>,
            $crate::extract::ApiPath(id): $crate::extract::ApiPath<i64>,
            $crate::extract::ApiJson(draft): $crate::extract::ApiJson<$D>,
        ) -> $crate::error::ApiResult<(axum::http::StatusCode, $crate::api::Tagged<$E>)> {
            let created = app.$create(lodestar_domain::NodeId(id), &draft).await?;
            Ok($crate::api::Tagged::created(created))
        }

        #[doc = concat!("Reads one ", $what, ", with its version as ETag.")]
        #[utoipa::path(get, path = $item, tag = $tag,
            params(("id" = i64, Path, description = concat!("The ", $what, "'s id"))),
            responses((status = 200, description = concat!("The ", $what), body = $E,
                          headers(("ETag" = String, description = "Its version, to send back in If-Match"))),
                      (status = 400, description = "Malformed id", body = $crate::error::ErrorBody),
                      (status = 404, description = "No such record", body = $crate::error::ErrorBody)))]
        pub async fn show(
            axum::extract::State(app): axum::extract::State<lodestar_services::App>,
            $crate::extract::ApiPath(id): $crate::extract::ApiPath<i64>,
        ) -> $crate::error::ApiResult<$crate::api::Tagged<$E>> {
            let found = app.store().versioned::<$E>($Id(id)).await;
            Ok($crate::api::Tagged(found.map_err(lodestar_services::ServiceError::from)?))
        }

        #[doc = concat!("Replaces a ", $what, "'s fields, if it is still at the version If-Match names.")]
        #[utoipa::path(put, path = $item, tag = $tag, request_body = $D,
            params(("id" = i64, Path, description = concat!("The ", $what, "'s id")),
                   ("If-Match" = String, Header, description = "The version the change is based on: the ETag reading it gave, like \"3\"")),
            responses((status = 200, description = concat!("The ", $what, " as stored"), body = $E,
                          headers(("ETag" = String, description = "Its new version"))),
                      (status = 400, description = "Malformed id, JSON or If-Match", body = $crate::error::ErrorBody),
                      (status = 404, description = "No such record", body = $crate::error::ErrorBody),
                      (status = 409, description = "It changed since the version sent (`version_conflict`, with `current_version`)", body = $crate::error::ErrorBody),
                      (status = 413, description = "Body too large", body = $crate::error::ErrorBody),
                      (status = 415, description = "Body is not JSON", body = $crate::error::ErrorBody),
                      (status = 422, description = $rules, body = $crate::error::ErrorBody),
                      (status = 428, description = "No If-Match, or If-Match: *", body = $crate::error::ErrorBody)))]
        pub async fn update(
            axum::extract::State(app): axum::extract::State<lodestar_services::App>,
            $crate::extract::ApiPath(id): $crate::extract::ApiPath<i64>,
            $crate::extract::IfMatch(expected): $crate::extract::IfMatch,
            $crate::extract::ApiJson(draft): $crate::extract::ApiJson<$D>,
        ) -> $crate::error::ApiResult<$crate::api::Tagged<$E>> {
            Ok($crate::api::Tagged(app.$update($Id(id), expected, &draft).await?))
        }

        #[doc = concat!("Deletes a ", $what, "; with If-Match, only if it is still at that version.")]
        #[utoipa::path(delete, path = $item, tag = $tag,
            params(("id" = i64, Path, description = concat!("The ", $what, "'s id")),
                   ("If-Match" = Option<String>, Header, description = "Delete only if still at this version, like \"3\"")),
            responses((status = 204, description = "Deleted"),
                      (status = 400, description = "Malformed id or If-Match", body = $crate::error::ErrorBody),
                      (status = 404, description = "No such record", body = $crate::error::ErrorBody),
                      (status = 409, description = "It changed since the version sent (`version_conflict`)", body = $crate::error::ErrorBody),
                      (status = 428, description = "If-Match: *", body = $crate::error::ErrorBody)))]
        pub async fn delete(
            axum::extract::State(app): axum::extract::State<lodestar_services::App>,
            $crate::extract::ApiPath(id): $crate::extract::ApiPath<i64>,
            $crate::extract::OptionalIfMatch(expected): $crate::extract::OptionalIfMatch,
        ) -> $crate::error::ApiResult<axum::http::StatusCode> {
            let deleted = app.store().$delete($Id(id), expected).await;
            deleted.map_err(lodestar_services::ServiceError::from)?;
            Ok(axum::http::StatusCode::NO_CONTENT)
        }

        /// The resource's routes.
        pub fn routes() -> axum::Router<lodestar_services::App> {
            axum::Router::new()
                .route($coll, axum::routing::get(list).post(create))
                .route($item, axum::routing::get(show).put(update).delete(delete))
        }
    };
}
pub(crate) use node_record_handlers;

/// Health of the process and its database.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, description = "Serving, and the database answers", body = String),
              (status = 503, description = "The database does not answer", body = String)))]
pub async fn healthz(
    axum::extract::State(app): axum::extract::State<App>,
) -> (StatusCode, &'static str) {
    match app.store().ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// Every API route.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/openapi.json", get(crate::openapi::document))
        .merge(organizations::routes())
        .merge(departments::routes())
        .merge(people::routes())
        .merge(plans::routes())
        .merge(revisions::routes())
        .merge(nodes::routes())
        .merge(tags::routes())
        .merge(alignments::routes())
        .merge(execution::routes())
        .merge(measures::routes())
        .merge(milestones::routes())
        .merge(evidence::routes())
        .merge(imports::routes())
        .merge(audit::routes())
        .merge(publication::routes())
        // Portfolio governance (issue 8).
        .merge(portfolio::routes())
        .fallback(not_found)
}

async fn not_found(uri: axum::http::Uri) -> crate::error::ApiError {
    crate::error::ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no route for {}", uri.path()),
    )
}
