//! One coded error for the whole service.
//!
//! Every failure a client can see has a stable [`ErrorCode`]. The HTTP layer maps
//! each code to one status (tested there) and renders the text from the Fluent
//! files in the client's language. An error carries *named arguments* (a field
//! name, a category code), never personal data.

use std::fmt;

macro_rules! codes {
    ($( $variant:ident => $s:literal ),* $(,)?) => {
        /// Stable error codes. Once released a code's string never changes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $( $variant ),* }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant ),* ];
            pub fn as_str(self) -> &'static str {
                match self { $( ErrorCode::$variant => $s ),* }
            }
        }
    };
}

codes! {
    // Malformed or invalid input.
    MalformedJson => "malformed_json",
    UnsupportedMediaType => "unsupported_media_type",
    MethodNotAllowed => "method_not_allowed",
    PayloadTooLarge => "payload_too_large",
    ValidationFailed => "validation_failed",
    InvalidIin => "invalid_iin",
    InvalidBin => "invalid_bin",
    InvalidCountry => "invalid_country",
    InvalidCategoryCode => "invalid_category_code",
    InvalidPurposeCode => "invalid_purpose_code",
    UnknownCategory => "unknown_category",
    UnknownPurpose => "unknown_purpose",
    UnknownHolder => "unknown_holder",
    CategoryNotApproved => "category_not_approved",
    DatesOutOfOrder => "dates_out_of_order",
    TermInPast => "term_in_past",
    InvalidContact => "invalid_contact",
    InvalidCursor => "invalid_cursor",
    // Authentication and authorization.
    Unauthenticated => "unauthenticated",
    Forbidden => "forbidden",
    InsufficientScope => "insufficient_scope",
    // Resources and state.
    NotFound => "not_found",
    OrganizationExists => "organization_exists",
    CategoryExists => "category_exists",
    PurposeExists => "purpose_exists",
    NotAnOperator => "not_an_operator",
    ConsentNotPending => "consent_not_pending",
    ConsentRequestLapsed => "consent_request_lapsed",
    ConsentNotActive => "consent_not_active",
    SupersedesMismatch => "supersedes_mismatch",
    CodeInvalid => "code_invalid",
    CodeExpired => "code_expired",
    CodeAttemptsExhausted => "code_attempts_exhausted",
    CodeResendLimit => "code_resend_limit",
    NoContact => "no_contact",
    RepresentativeAuthorityExpired => "representative_authority_expired",
    NotYetCheckpointed => "not_yet_checkpointed",
    RequestNotOpen => "request_not_open",
    DocumentsRequired => "documents_required",
    ReasonRequired => "reason_required",
    WeakPassword => "weak_password",
    CredentialsInvalid => "credentials_invalid",
    MfaRequired => "mfa_required",
    MfaNotEnrolled => "mfa_not_enrolled",
    TooManyAttempts => "too_many_attempts",
    CsrfFailed => "csrf_failed",
    AccountExists => "account_exists",
    AccountDisabled => "account_disabled",
    // The service's own failures.
    Unavailable => "unavailable",
    Internal => "internal",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A coded error with named arguments for its message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}{}", self.field.as_ref().map(|f| format!(" ({f})")).unwrap_or_default())]
pub struct Error {
    pub code: ErrorCode,
    /// The input field the error is about (a JSON path such as `subject.iin`).
    pub field: Option<String>,
    /// Named arguments for the localized message. Never personal data.
    pub args: Vec<(&'static str, String)>,
}

impl Error {
    pub fn new(code: ErrorCode) -> Self {
        Error {
            code,
            field: None,
            args: Vec::new(),
        }
    }

    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    pub fn internal() -> Self {
        Error::new(ErrorCode::Internal)
    }
}

impl From<ErrorCode> for Error {
    fn from(code: ErrorCode) -> Self {
        Error::new(code)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
