//! Reading request bodies so that every mistake names the field it is about.
//!
//! axum's own `Json` says what went wrong but not in our problem format, and not always where.
//! [`Body`] takes the bytes; a handler reads them with [`Body::read`] only after it has checked
//! who is asking, so that a caller who may not do something hears 403, not what is wrong with
//! a body they should not have sent. Malformed JSON is a 400; a wrong, missing or unknown field
//! is a 422 with the field's path.

use super::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

/// A request body, not yet read.
pub struct Body {
    json: bool,
    bytes: Bytes,
}

impl Body {
    /// The body as JSON of type `T`.
    pub fn read<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if !self.json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as `Content-Type: application/json`",
            ));
        }
        parse(&self.bytes)
    }
}

/// The largest body the API reads: process sources are the biggest thing anyone sends.
const LIMIT: usize = 2 * 1024 * 1024;

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Body, ApiError> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let mime = v.split(';').next().unwrap_or("").trim();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        let bytes = axum::body::to_bytes(req.into_body(), LIMIT)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    format!("the body is larger than {LIMIT} bytes"),
                )
            })?;
        Ok(Body { json, bytes })
    }
}

/// Parses a body, naming the field that is wrong. The syntax is checked first and on its own,
/// so that a malformed body is always a 400, whatever its first bytes looked like. The body is
/// then read straight from its text, so that case data keeps the text of each value (see
/// `zaak_app::RawData`) and no digit of a number is lost on the way.
pub fn parse<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("the body is not valid JSON: {e}"),
        )
    })?;
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let message = strip_position(&e.into_inner().to_string());
        let field = field_of(&path, &message);
        if field.is_empty() {
            // The body as a whole has the wrong shape (an array instead of an object).
            return ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message);
        }
        ApiError::invalid_field(field, message)
    })
}

/// serde_json appends " at line 1 column 23" to its messages; the field path says more.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The field a data error is about. For a missing field serde's path points at the object
/// that should hold it, and the message names the field itself; for every other error, the
/// unknown field included, the path ends at the field.
fn field_of(path: &str, message: &str) -> String {
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match (missing, path) {
        (Some(name), "." | "") => name.to_string(),
        (Some(name), p) => format!("{p}.{name}"),
        (None, ".") => String::new(),
        (None, p) => p.to_string(),
    }
}

/// Query parameters of type `T`; a value of the wrong type is a 400 problem.
pub struct Params<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for Params<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Params<T>, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(Params)
            .map_err(|e| {
                let field = e.path().to_string();
                let message = e.into_inner().to_string();
                // A value that is not there has no path; its name is in the message.
                let field = match message.strip_prefix("missing field `") {
                    Some(rest) => rest.split('`').next().unwrap_or("").to_string(),
                    None => field,
                };
                ApiError::bad_query(field, message)
            })
    }
}

/// A path parameter of type `T`; a value of the wrong type (a case id that is not a number)
/// is a 404, since no such resource can exist.
pub struct Id<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for Id<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Id<T>, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Id(p.0))
            .map_err(|_| ApiError::not_found("there is no such resource"))
    }
}
