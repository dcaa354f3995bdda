//! Who is calling, as types: a handler that takes [`Admin`], [`Org`] or
//! [`SubjectSession`] cannot run unless that check passed. Organization keys also
//! carry scopes, checked by the type parameter of [`Org`].

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use qorgau_core::org::Scope;
use qorgau_core::{Error, ErrorCode};
use qorgau_store::consents::Viewer;
use uuid::Uuid;

use crate::error::ApiError;
use crate::App;

fn bearer(parts: &Parts) -> Option<&str> {
    let v = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// The authenticated principal behind a bearer token.
enum Principal {
    Admin(Uuid),
    Org { org: Uuid, scopes: Vec<Scope> },
    Subject { subject: Uuid, session: String },
}

async fn principal(parts: &Parts, app: &App) -> Result<Principal, ApiError> {
    let token = bearer(parts).ok_or(ErrorCode::Unauthenticated)?;
    if token.starts_with("qs_") {
        let s = app
            .store
            .authenticate_session(token, app.clock.now())
            .await?
            .ok_or(ErrorCode::Unauthenticated)?;
        return Ok(Principal::Subject {
            subject: s.subject_id,
            session: s.id,
        });
    }
    let key = app
        .store
        .authenticate_api_key(token)
        .await?
        .ok_or(ErrorCode::Unauthenticated)?;
    Ok(match key.organization_id {
        None => Principal::Admin(key.id),
        Some(org) => Principal::Org {
            org,
            scopes: key.scopes,
        },
    })
}

/// A service administrator.
pub struct Admin {
    pub key_id: Uuid,
}

impl FromRequestParts<App> for Admin {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        match principal(parts, app).await? {
            Principal::Admin(key_id) => Ok(Admin { key_id }),
            _ => Err(ErrorCode::Forbidden.into()),
        }
    }
}

/// What an organization's key must allow for a handler.
pub trait Requires: Send + Sync {
    const SCOPE: Option<Scope>;
}

/// Any key of the organization.
pub struct AnyScope;
impl Requires for AnyScope {
    const SCOPE: Option<Scope> = None;
}
pub struct CatalogueWrite;
impl Requires for CatalogueWrite {
    const SCOPE: Option<Scope> = Some(Scope::CatalogueWrite);
}
pub struct ConsentsRead;
impl Requires for ConsentsRead {
    const SCOPE: Option<Scope> = Some(Scope::ConsentsRead);
}
pub struct ConsentsWrite;
impl Requires for ConsentsWrite {
    const SCOPE: Option<Scope> = Some(Scope::ConsentsWrite);
}

pub struct Decisions;
impl Requires for Decisions {
    const SCOPE: Option<Scope> = Some(Scope::Decisions);
}

/// An organization, through a key that has scope `R`.
pub struct Org<R: Requires> {
    pub id: Uuid,
    _r: PhantomData<R>,
}

fn check_scope<R: Requires>(scopes: &[Scope]) -> Result<(), ApiError> {
    match R::SCOPE {
        Some(s) if !scopes.contains(&s) => Err(ApiError(
            Error::new(ErrorCode::InsufficientScope).arg("scope", s.as_str()),
        )),
        _ => Ok(()),
    }
}

impl<R: Requires> FromRequestParts<App> for Org<R> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        match principal(parts, app).await? {
            Principal::Org { org, scopes } => {
                check_scope::<R>(&scopes)?;
                Ok(Org {
                    id: org,
                    _r: PhantomData,
                })
            }
            _ => Err(ErrorCode::Forbidden.into()),
        }
    }
}

/// A signed-in subject.
pub struct SubjectSession {
    pub subject_id: Uuid,
    pub session_id: String,
}

impl FromRequestParts<App> for SubjectSession {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        match principal(parts, app).await? {
            Principal::Subject { subject, session } => Ok(SubjectSession {
                subject_id: subject,
                session_id: session,
            }),
            _ => Err(ErrorCode::Forbidden.into()),
        }
    }
}

/// Either an organization (through a key with scope `R`) or a signed-in subject;
/// what it may see is scoped by the store through [`Viewer`].
pub struct OrgOrSubject<R: Requires> {
    pub viewer: Viewer,
    _r: PhantomData<R>,
}

impl<R: Requires> FromRequestParts<App> for OrgOrSubject<R> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let viewer = match principal(parts, app).await? {
            Principal::Org { org, scopes } => {
                check_scope::<R>(&scopes)?;
                Viewer::Organization(org)
            }
            Principal::Subject { subject, .. } => Viewer::Subject(subject),
            Principal::Admin(_) => return Err(ErrorCode::Forbidden.into()),
        };
        Ok(OrgOrSubject {
            viewer,
            _r: PhantomData,
        })
    }
}

pub struct Events;
impl Requires for Events {
    const SCOPE: Option<Scope> = Some(Scope::Events);
}

pub struct LedgerRead;
impl Requires for LedgerRead {
    const SCOPE: Option<Scope> = Some(Scope::LedgerRead);
}

/// Who reads the ledger, and so which entries they may see: an administrator (the
/// auditor's view, every entry), an organization through a key with `ledger:read`
/// (entries it is party to), or a signed-in subject (entries about them).
pub enum LedgerReader {
    Admin,
    Org(Uuid),
    Subject(Uuid),
}

impl FromRequestParts<App> for LedgerReader {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        Ok(match principal(parts, app).await? {
            Principal::Admin(_) => LedgerReader::Admin,
            Principal::Org { org, scopes } => {
                check_scope::<LedgerRead>(&scopes)?;
                LedgerReader::Org(org)
            }
            Principal::Subject { subject, .. } => LedgerReader::Subject(subject),
        })
    }
}

/// An administrator, or the organization itself (any of its keys).
pub enum AdminOrOrg {
    Admin,
    Org(Uuid),
}

impl FromRequestParts<App> for AdminOrOrg {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        match principal(parts, app).await? {
            Principal::Admin(_) => Ok(AdminOrOrg::Admin),
            Principal::Org { org, .. } => Ok(AdminOrOrg::Org(org)),
            Principal::Subject { .. } => Err(ErrorCode::Forbidden.into()),
        }
    }
}

pub struct Requests;
impl Requires for Requests {
    const SCOPE: Option<Scope> = Some(Scope::Requests);
}

/// Who looks at requests: the subject (their own), an organization through a key
/// with `requests` (its queue), or an administrator (every request's status).
pub struct RequestReader(pub qorgau_store::requests::RequestViewer);

impl FromRequestParts<App> for RequestReader {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        use qorgau_store::requests::RequestViewer;
        Ok(RequestReader(match principal(parts, app).await? {
            Principal::Admin(_) => RequestViewer::Admin,
            Principal::Org { org, scopes } => {
                check_scope::<Requests>(&scopes)?;
                RequestViewer::Organization(org)
            }
            Principal::Subject { subject, .. } => RequestViewer::Subject(subject),
        }))
    }
}
