//! Request body extraction with clear, coded errors.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use qorgau_core::{Error, ErrorCode};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body. Wrong media type, oversized, malformed or mistyped bodies become
/// problem responses naming the field at fault; nothing is changed.
pub struct Json<T>(pub T);

/// Codes that domain types put in their serde errors (e.g. an invalid IIN).
const DOMAIN_CODES: &[ErrorCode] = &[
    ErrorCode::InvalidIin,
    ErrorCode::InvalidBin,
    ErrorCode::InvalidCountry,
    ErrorCode::InvalidCategoryCode,
    ErrorCode::InvalidPurposeCode,
];

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                let m = m.trim();
                m.eq_ignore_ascii_case("application/json") || m.ends_with("+json")
            });
        if !json {
            return Err(ErrorCode::UnsupportedMediaType.into());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::from(ErrorCode::PayloadTooLarge)
            } else {
                ApiError::from(ErrorCode::MalformedJson)
            }
        })?;
        parse(&bytes).map(Json)
    }
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let code = match inner.classify() {
            serde_json::error::Category::Data => {
                let msg = inner.to_string();
                DOMAIN_CODES
                    .iter()
                    .copied()
                    .find(|c| msg.starts_with(c.as_str()))
                    .unwrap_or(ErrorCode::ValidationFailed)
            }
            _ => ErrorCode::MalformedJson,
        };
        let mut err = Error::new(code);
        if path != "." && code != ErrorCode::MalformedJson {
            err = err.at(path);
        }
        ApiError(err)
    })
}

/// The `{id}` of a path, a UUID. Anything else is simply "not found".
pub struct PathId(pub uuid::Uuid);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, ApiError> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::from(ErrorCode::NotFound))?;
        uuid::Uuid::try_parse(&raw)
            .map(PathId)
            .map_err(|_| ErrorCode::NotFound.into())
    }
}

/// Query parameters, with coded errors.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|_| ErrorCode::ValidationFailed.into())
    }
}
