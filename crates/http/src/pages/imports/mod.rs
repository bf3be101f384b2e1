//! Importing a plan document from the browser: `/imports/new` uploads it
//! (multipart, as large as the API's upload accepts), and [`review`] shows
//! the draft beside the importer's warnings to fix and confirm.

mod fields;
mod review;

use super::error::render;
use super::{Chrome, PageError, Viewer};
use askama::Template;
use axum::Router;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use lodestar_domain::{Key, Name};
use lodestar_services::imports::{MAX_INPUT_BYTES, Overrides};
use lodestar_services::{App, ServiceError};

/// The import pages' routes; an upload may be as large as the importer reads.
pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/imports/new", get(new))
        .route(
            "/imports",
            post(upload).layer(DefaultBodyLimit::max(MAX_INPUT_BYTES)),
        )
        .merge(review::routes())
}

/// The upload form, empty or as sent with the reasons it was refused.
#[derive(Template)]
#[template(path = "imports/new.html")]
struct NewImportPage {
    chrome: Chrome,
    organization: String,
    key: String,
    file_error: Option<String>,
    organization_error: Option<String>,
    key_error: Option<String>,
    limit_mib: usize,
}

impl NewImportPage {
    fn new(viewer: &Viewer) -> Self {
        Self {
            chrome: Chrome::new(viewer),
            organization: String::new(),
            key: String::new(),
            file_error: None,
            organization_error: None,
            key_error: None,
            limit_mib: MAX_INPUT_BYTES >> 20,
        }
    }

    fn any_error(&self) -> bool {
        self.file_error.is_some() || self.organization_error.is_some() || self.key_error.is_some()
    }

    /// Drawn again with status 422, keeping what was typed.
    fn refused(self) -> Result<Response, PageError> {
        Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&self)?).into_response())
    }
}

/// `GET /imports/new`: the upload form.
async fn new(viewer: Viewer) -> Result<Response, PageError> {
    Ok(render(&NewImportPage::new(&viewer))?.into_response())
}

/// What the upload form sent.
#[derive(Default)]
struct Upload {
    file_name: String,
    bytes: Vec<u8>,
    organization: String,
    key: String,
}

/// Reads the upload form's fields; a body over the limit is a 413 page.
async fn read_upload(mut multipart: Multipart) -> Result<Upload, PageError> {
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(refused_body)? {
        match field.name().unwrap_or_default() {
            "file" => {
                upload.file_name = field
                    .file_name()
                    .and_then(|n| n.rsplit(['/', '\\']).next())
                    .unwrap_or_default()
                    .trim()
                    .to_owned();
                upload.bytes = field.bytes().await.map_err(refused_body)?.to_vec();
            }
            "organization" => upload.organization = field.text().await.map_err(refused_body)?,
            "key" => upload.key = field.text().await.map_err(refused_body)?,
            _ => {}
        }
    }
    Ok(upload)
}

/// A multipart body that could not be read: 413 beyond the limit, else 400.
fn refused_body(err: MultipartError) -> PageError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        PageError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "The document is larger than the {} MiB an import may be. Save it in a smaller form (text, or a PDF without images) and try again.",
                MAX_INPUT_BYTES >> 20
            ),
        )
    } else {
        PageError::new(
            StatusCode::BAD_REQUEST,
            format!("The upload could not be read: {}", err.body_text()),
        )
    }
}

/// `POST /imports`: reads the document into a draft and opens its review;
/// a document that cannot be read is the form again with the reason.
async fn upload(
    State(app): State<App>,
    viewer: Viewer,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let multipart = multipart.map_err(|e| {
        PageError::new(
            StatusCode::BAD_REQUEST,
            format!("send the document with the upload form: {}", e.body_text()),
        )
    })?;
    let sent = read_upload(multipart).await?;
    let mut page = NewImportPage::new(&viewer);
    page.organization = sent.organization.clone();
    page.key = sent.key.clone();
    let mut overrides = Overrides::default();
    if !sent.organization.trim().is_empty() {
        match Name::parse(&sent.organization) {
            Ok(n) => overrides.organization = Some(n),
            Err(m) => page.organization_error = Some(m),
        }
    }
    if !sent.key.trim().is_empty() {
        match Key::parse(&sent.key) {
            Ok(k) => overrides.key = Some(k),
            Err(m) => page.key_error = Some(m),
        }
    }
    if sent.file_name.is_empty() && sent.bytes.is_empty() {
        page.file_error = Some("Choose a plan document to upload.".into());
    }
    if page.any_error() {
        return page.refused();
    }
    let name = if sent.file_name.is_empty() {
        "upload".to_owned()
    } else {
        sent.file_name
    };
    match app.start_import(&name, sent.bytes, &overrides).await {
        Ok(import) => Ok(Redirect::to(&format!("/imports/{}", import.id)).into_response()),
        Err(err) => {
            match err {
                ServiceError::Unreadable { .. } | ServiceError::Syntax { .. } => {
                    page.file_error = Some(err.to_string());
                }
                ServiceError::InvalidDocument {
                    source_name,
                    errors,
                } => {
                    let problems: Vec<String> = errors.iter().map(ToString::to_string).collect();
                    page.file_error = Some(format!(
                        "{source_name} breaks the plan's rules: {}",
                        problems.join("; ")
                    ));
                }
                ServiceError::Invalid(e) if e.field == "organization" => {
                    page.organization_error = Some(e.message);
                }
                ServiceError::Invalid(e) if e.field == "key" => page.key_error = Some(e.message),
                ServiceError::Invalid(e) => page.file_error = Some(e.to_string()),
                other => return Err(other.into()),
            }
            page.refused()
        }
    }
}
