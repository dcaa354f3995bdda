//! The one mapping from error codes to HTTP, and problem+json (RFC 9457) bodies.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use qorgau_core::{Error, ErrorCode};
use qorgau_i18n::Localizer;
use serde::Serialize;
use utoipa::ToSchema;

/// The HTTP status of each error code. One place; tested over every code.
pub fn status_of(code: ErrorCode) -> StatusCode {
    use ErrorCode::*;
    match code {
        MalformedJson => StatusCode::BAD_REQUEST,
        UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        InvalidCursor => StatusCode::BAD_REQUEST,
        ValidationFailed
        | InvalidIin
        | InvalidBin
        | InvalidCountry
        | InvalidCategoryCode
        | InvalidPurposeCode
        | UnknownCategory
        | UnknownPurpose
        | UnknownHolder
        | CategoryNotApproved
        | DatesOutOfOrder
        | TermInPast
        | InvalidContact
        | NoContact
        | RepresentativeAuthorityExpired
        | SupersedesMismatch
        | DocumentsRequired
        | ReasonRequired
        | WeakPassword => StatusCode::UNPROCESSABLE_ENTITY,
        CredentialsInvalid | MfaRequired => StatusCode::UNAUTHORIZED,
        CsrfFailed | AccountDisabled => StatusCode::FORBIDDEN,
        MfaNotEnrolled | AccountExists => StatusCode::CONFLICT,
        TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
        Unauthenticated => StatusCode::UNAUTHORIZED,
        Forbidden | InsufficientScope | NotAnOperator => StatusCode::FORBIDDEN,
        NotFound => StatusCode::NOT_FOUND,
        OrganizationExists | CategoryExists | PurposeExists | ConsentNotPending
        | ConsentNotActive | NotYetCheckpointed | RequestNotOpen => StatusCode::CONFLICT,
        ConsentRequestLapsed => StatusCode::GONE,
        CodeInvalid | CodeExpired => StatusCode::UNPROCESSABLE_ENTITY,
        CodeAttemptsExhausted | CodeResendLimit => StatusCode::TOO_MANY_REQUESTS,
        Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An `application/problem+json` body.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem kind: `urn:qorgau:problem:<code>`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The stable code; clients switch on this.
    pub code: String,
    pub status: u16,
    /// The explanation, in the language negotiated with the client.
    pub title: String,
    /// The input field the problem is about (a JSON path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An error on its way out. The response carries the error as an extension; the
/// `localize` middleware renders it in the client's language.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl From<ErrorCode> for ApiError {
    fn from(c: ErrorCode) -> Self {
        ApiError(Error::new(c))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = status_of(self.0.code).into_response();
        r.extensions_mut().insert(self.0);
        r
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Render `e` as problem+json in `lang`.
pub fn problem_response(e: &Error, lang: &str, l10n: &Localizer) -> Response {
    let status = status_of(e.code);
    let mut args = e.args.clone();
    if e.code == ErrorCode::CodeInvalid && !args.iter().any(|(k, _)| *k == "attempts_left") {
        args.push(("attempts_left", "none".to_owned()));
    }
    let problem = Problem {
        type_: format!("urn:qorgau:problem:{}", e.code.as_str()),
        code: e.code.as_str().to_owned(),
        status: status.as_u16(),
        title: l10n.text(lang, &format!("problem-{}", e.code.as_str()), &args),
        field: e.field.clone(),
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    r.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(match lang {
            "ru" => "ru",
            "en" => "en",
            _ => "kk",
        }),
    );
    if let Some((_, secs)) = e.args.iter().find(|(k, _)| *k == "retry_after") {
        if let Ok(v) = HeaderValue::from_str(secs) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    if matches!(e.code, ErrorCode::Unauthenticated | ErrorCode::MfaRequired) {
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_status_and_a_text_in_every_language() {
        let l10n = Localizer::new().unwrap();
        for code in ErrorCode::ALL {
            let s = status_of(*code);
            assert!(s.is_client_error() || s.is_server_error(), "{code}");
            for lang in qorgau_i18n::LANGUAGES {
                let key = format!("problem-{}", code.as_str());
                assert!(l10n.has(lang, &key), "{key} missing in {lang}");
            }
        }
        // Only the service's own failures are 5xx.
        for code in ErrorCode::ALL {
            let server_side = matches!(code, ErrorCode::Internal | ErrorCode::Unavailable);
            assert_eq!(status_of(*code).is_server_error(), server_side, "{code}");
        }
    }

    #[test]
    fn every_reason_has_a_text_in_every_language() {
        let l10n = Localizer::new().unwrap();
        for code in qorgau_core::decision::ReasonCode::ALL {
            for lang in qorgau_i18n::LANGUAGES {
                let key = format!("reason-{}", code.as_str());
                assert!(l10n.has(lang, &key), "{key} missing in {lang}");
            }
        }
    }

    #[test]
    fn codes_are_unique_and_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {code}");
            assert!(code
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_'));
        }
    }
}
