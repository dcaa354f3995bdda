//! Who is calling, as types: a handler that takes [`Admin`], [`Org`],
//! [`SubjectSession`] or another extractor here cannot run unless that check
//! passed. An organization acts through an API key with scopes, or through a
//! staff member whose role grants the same scopes; the scope a handler needs is the
//! type parameter of [`Org`].
//!
//! Credentials: `Authorization: Bearer` (API keys `qk_…`, session tokens `qs_…`), or
//! the session cookie. A cookie-borne session must send its anti-forgery token in
//! `X-CSRF-Token` on every unsafe method, and is refused on cross-site requests.
//! A session that has passed only the first factor is good for nothing but
//! finishing the sign-in ([`PendingSession`]): everything else answers
//! `mfa_required`.

use std::marker::PhantomData;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, Method};
use qorgau_core::auth::Role;
use qorgau_core::crypto::ct_eq;
use qorgau_core::org::Scope;
use qorgau_core::{Error, ErrorCode};
use qorgau_ledger::Actor;
use qorgau_store::consents::Viewer;
use qorgau_store::sessions::{Session, SessionOwner, Stage};
use uuid::Uuid;

use crate::error::ApiError;
use crate::App;

/// The session cookie. `__Host-` binds it to this host, `Secure` and path `/`.
pub const SESSION_COOKIE: &str = "__Host-qorgau-session";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// A legal representative acts for the subject whose id this header names.
pub const ACTING_FOR_HEADER: &str = "qorgau-acting-for";

fn acting_for(parts: &Parts) -> Result<Option<Uuid>, ApiError> {
    match parts.headers.get(ACTING_FOR_HEADER) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|v| Uuid::try_parse(v.trim()).ok())
            .map(Some)
            .ok_or_else(|| ErrorCode::Forbidden.into()),
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let v = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// The value of the cookie `name` in a request's headers.
pub(crate) fn cookie_value<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| k.trim() == name)
        .map(|(_, v)| v.trim())
}

fn safe_method(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The credential a request carries, and whether it came in the cookie.
fn credential(parts: &Parts) -> Option<(&str, bool)> {
    bearer(parts)
        .map(|t| (t, false))
        .or_else(|| cookie_value(&parts.headers, SESSION_COOKIE).map(|t| (t, true)))
}

/// The session behind the request's credential, in whatever stage, with the
/// cookie's CSRF rules applied.
async fn session(parts: &Parts, app: &App) -> Result<Session, ApiError> {
    let (token, from_cookie) = credential(parts).ok_or(ErrorCode::Unauthenticated)?;
    let s = app
        .store
        .authenticate_session(token, app.clock.now())
        .await?
        .ok_or(ErrorCode::Unauthenticated)?;
    if from_cookie {
        check_csrf(parts, app, &s)?;
    }
    Ok(s)
}

fn check_csrf(parts: &Parts, app: &App, s: &Session) -> Result<(), ApiError> {
    let cross_site = parts
        .headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site");
    if cross_site {
        return Err(ErrorCode::CsrfFailed.into());
    }
    if safe_method(&parts.method) {
        return Ok(());
    }
    let sent = parts
        .headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct_eq(sent.as_bytes(), app.store.csrf_token(&s.id).as_bytes()) {
        Ok(())
    } else {
        Err(ErrorCode::CsrfFailed.into())
    }
}

/// The authenticated principal behind a request.
enum Principal {
    AdminKey(Uuid),
    OrgKey {
        org: Uuid,
        scopes: Vec<Scope>,
        key: Uuid,
    },
    /// A subject's session; the subject whose data it reaches (the holder, or the
    /// person they represent), and the representative when acting for someone.
    Subject(Session, Uuid, Option<Uuid>),
    Staff {
        account: Uuid,
        role: Role,
        org: Option<Uuid>,
    },
}

async fn principal(parts: &Parts, app: &App) -> Result<Principal, ApiError> {
    let (token, _) = credential(parts).ok_or(ErrorCode::Unauthenticated)?;
    if token.starts_with("qs_") {
        let s = session(parts, app).await?;
        if s.stage != Stage::Active {
            return Err(ErrorCode::MfaRequired.into());
        }
        let acting_for = acting_for(parts)?;
        return Ok(match (s.owner, acting_for) {
            (SessionOwner::Subject(id), None) => Principal::Subject(s, id, None),
            (SessionOwner::Subject(me), Some(other)) => {
                if !app.store.represents(me, other, app.clock.now()).await? {
                    return Err(ErrorCode::Forbidden.into());
                }
                Principal::Subject(s, other, Some(me))
            }
            (SessionOwner::Account { .. }, Some(_)) => return Err(ErrorCode::Forbidden.into()),
            (
                SessionOwner::Account {
                    id,
                    role,
                    organization,
                },
                None,
            ) => Principal::Staff {
                account: id,
                role,
                org: organization,
            },
        });
    }
    if parts.headers.contains_key(ACTING_FOR_HEADER) {
        return Err(ErrorCode::Forbidden.into());
    }
    let key = app
        .store
        .authenticate_api_key(token, app.clock.now())
        .await?
        .ok_or(ErrorCode::Unauthenticated)?;
    Ok(match key.organization_id {
        None => Principal::AdminKey(key.id),
        Some(org) => Principal::OrgKey {
            org,
            scopes: key.scopes,
            key: key.id,
        },
    })
}

fn key_actor(kind: &str, id: Uuid) -> Actor {
    Actor::new(kind, Some(id.to_string()))
}

/// A service administrator: an administrator's API key, or a person with the
/// `service_admin` role signed in with MFA.
pub struct Admin {
    /// Who, for the ledger.
    pub actor: Actor,
}

impl FromRequestParts<App> for Admin {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        match principal(parts, app).await? {
            Principal::AdminKey(id) => Ok(Admin {
                actor: key_actor("admin", id),
            }),
            Principal::Staff {
                account,
                role: Role::ServiceAdmin,
                ..
            } => Ok(Admin {
                actor: key_actor("account", account),
            }),
            _ => Err(ErrorCode::Forbidden.into()),
        }
    }
}

/// Someone who may look across every organization without changing anything: a
/// service administrator or an inspector of the authorized body.
pub struct Overseer {
    pub actor: Actor,
}

impl FromRequestParts<App> for Overseer {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        overseer(principal(parts, app).await?)
            .map(|actor| Overseer { actor })
            .ok_or_else(|| ErrorCode::Forbidden.into())
    }
}

fn overseer(p: Principal) -> Option<Actor> {
    match p {
        Principal::AdminKey(id) => Some(key_actor("admin", id)),
        Principal::Staff {
            account,
            role: Role::ServiceAdmin | Role::Inspector,
            ..
        } => Some(key_actor("account", account)),
        _ => None,
    }
}

/// What an organization's key (or staff member's role) must allow for a handler.
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
pub struct Events;
impl Requires for Events {
    const SCOPE: Option<Scope> = Some(Scope::Events);
}
pub struct LedgerRead;
impl Requires for LedgerRead {
    const SCOPE: Option<Scope> = Some(Scope::LedgerRead);
}
pub struct Requests;
impl Requires for Requests {
    const SCOPE: Option<Scope> = Some(Scope::Requests);
}

fn check_scope<R: Requires>(scopes: &[Scope]) -> Result<(), ApiError> {
    match R::SCOPE {
        Some(s) if !scopes.contains(&s) => Err(ApiError(
            Error::new(ErrorCode::InsufficientScope).arg("scope", s.as_str()),
        )),
        _ => Ok(()),
    }
}

/// The organization a principal acts for, once scope `R` is checked.
fn as_org<R: Requires>(p: &Principal) -> Result<Option<(Uuid, Actor)>, ApiError> {
    match p {
        Principal::OrgKey { org, scopes, key } => {
            check_scope::<R>(scopes)?;
            Ok(Some((*org, key_actor("api_key", *key))))
        }
        Principal::Staff {
            account,
            role,
            org: Some(org),
        } => {
            check_scope::<R>(role.scopes())?;
            Ok(Some((*org, key_actor("account", *account))))
        }
        _ => Ok(None),
    }
}

/// An organization, through a key that has scope `R` or a staff member whose role has it.
pub struct Org<R: Requires> {
    pub id: Uuid,
    /// The key or the person, for the ledger.
    pub actor: Actor,
    _r: PhantomData<R>,
}

impl<R: Requires> FromRequestParts<App> for Org<R> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        match as_org::<R>(&principal(parts, app).await?)? {
            Some((id, actor)) => Ok(Org {
                id,
                actor,
                _r: PhantomData,
            }),
            None => Err(ErrorCode::Forbidden.into()),
        }
    }
}

/// A signed-in subject (second factor passed, if they set one up), or their legal
/// representative acting for them (`Qorgau-Acting-For`, checked against a live
/// recorded authority).
pub struct SubjectSession {
    /// Whose data: the subject, also when a representative acts for them.
    pub subject_id: Uuid,
    /// The representative acting, if one is.
    pub representative: Option<Uuid>,
    pub session: Session,
}

impl FromRequestParts<App> for SubjectSession {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        match principal(parts, app).await? {
            Principal::Subject(session, subject_id, representative) => Ok(SubjectSession {
                subject_id,
                representative,
                session,
            }),
            _ => Err(ErrorCode::Forbidden.into()),
        }
    }
}

/// Any session at all, including one that still owes its second factor: for
/// finishing a sign-in, setting up the authenticator, and signing out.
pub struct PendingSession(pub Session);

impl FromRequestParts<App> for PendingSession {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        Ok(PendingSession(session(parts, app).await?))
    }
}

/// A session whose sign-in is complete (subject or staff).
pub struct ActiveSession(pub Session);

impl FromRequestParts<App> for ActiveSession {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let s = session(parts, app).await?;
        if s.stage != Stage::Active {
            return Err(ErrorCode::MfaRequired.into());
        }
        Ok(ActiveSession(s))
    }
}

/// Either an organization (scope `R`) or a signed-in subject; what it may see is
/// scoped by the store through [`Viewer`].
pub struct OrgOrSubject<R: Requires> {
    pub viewer: Viewer,
    _r: PhantomData<R>,
}

impl<R: Requires> FromRequestParts<App> for OrgOrSubject<R> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let p = principal(parts, app).await?;
        let viewer = match (&p, as_org::<R>(&p)?) {
            (_, Some((org, _))) => Viewer::Organization(org),
            (Principal::Subject(_, subject, _), None) => Viewer::Subject(*subject),
            _ => return Err(ErrorCode::Forbidden.into()),
        };
        Ok(OrgOrSubject {
            viewer,
            _r: PhantomData,
        })
    }
}

/// Who reads the ledger, and so which entries they may see: an administrator or an
/// inspector (the auditor's view, every entry), an organization with `ledger:read`
/// (entries it is party to), or a signed-in subject (entries about them).
pub enum LedgerReader {
    Admin,
    Org(Uuid),
    Subject(Uuid),
}

impl FromRequestParts<App> for LedgerReader {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let p = principal(parts, app).await?;
        if let Some((org, _)) = as_org::<LedgerRead>(&p)? {
            return Ok(LedgerReader::Org(org));
        }
        if let Principal::Subject(_, s, _) = p {
            return Ok(LedgerReader::Subject(s));
        }
        overseer(p)
            .map(|_| LedgerReader::Admin)
            .ok_or_else(|| ErrorCode::Forbidden.into())
    }
}

/// An overseer (administrator or inspector), or the organization itself (any key,
/// any staff role).
pub enum OverseerOrOrg {
    Overseer,
    Org(Uuid),
}

impl FromRequestParts<App> for OverseerOrOrg {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let p = principal(parts, app).await?;
        if let Some((org, _)) = as_org::<AnyScope>(&p)? {
            return Ok(OverseerOrOrg::Org(org));
        }
        overseer(p)
            .map(|_| OverseerOrOrg::Overseer)
            .ok_or_else(|| ErrorCode::Forbidden.into())
    }
}

/// Who manages people and keys: a service administrator (any organization), or an
/// organization's administrator signed in with MFA (their own organization only).
/// API keys never manage keys or accounts.
pub enum Manager {
    Admin(Actor),
    OrgAdmin { org: Uuid, actor: Actor },
}

impl Manager {
    /// The organization this manager is confined to, if any.
    pub fn confined_to(&self) -> Option<Uuid> {
        match self {
            Manager::Admin(_) => None,
            Manager::OrgAdmin { org, .. } => Some(*org),
        }
    }

    pub fn actor(&self) -> Actor {
        match self {
            Manager::Admin(a) | Manager::OrgAdmin { actor: a, .. } => a.clone(),
        }
    }

    /// Refuse (as not found) anything outside the manager's organization.
    pub fn check_org(&self, org: Option<Uuid>) -> Result<(), ApiError> {
        match self.confined_to() {
            Some(own) if org != Some(own) => Err(ErrorCode::NotFound.into()),
            _ => Ok(()),
        }
    }
}

impl FromRequestParts<App> for Manager {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        match principal(parts, app).await? {
            Principal::AdminKey(id) => Ok(Manager::Admin(key_actor("admin", id))),
            Principal::Staff {
                account,
                role: Role::ServiceAdmin,
                ..
            } => Ok(Manager::Admin(key_actor("account", account))),
            Principal::Staff {
                account,
                role: Role::OrgAdmin,
                org: Some(org),
            } => Ok(Manager::OrgAdmin {
                org,
                actor: key_actor("account", account),
            }),
            _ => Err(ErrorCode::Forbidden.into()),
        }
    }
}

/// Who looks at requests: the subject (their own), an organization with `requests`
/// (its queue), or an overseer (every request's status, never its content).
pub struct RequestReader(pub qorgau_store::requests::RequestViewer);

impl FromRequestParts<App> for RequestReader {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        use qorgau_store::requests::RequestViewer;
        let p = principal(parts, app).await?;
        if let Some((org, _)) = as_org::<Requests>(&p)? {
            return Ok(RequestReader(RequestViewer::Organization(org)));
        }
        if let Principal::Subject(_, s, _) = p {
            return Ok(RequestReader(RequestViewer::Subject(s)));
        }
        overseer(p)
            .map(|_| RequestReader(RequestViewer::Admin))
            .ok_or_else(|| ErrorCode::Forbidden.into())
    }
}

/// The client's address, for the sign-in throttle: the peer address, or the first
/// address in the header named by the `client_ip_header` setting when the service
/// runs behind a proxy that sets it.
pub struct ClientAddr(pub Option<String>);

impl FromRequestParts<App> for ClientAddr {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        if let Some(h) = &app.settings.client_ip_header {
            let from_header = parts
                .headers
                .get(h)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok());
            if let Some(ip) = from_header {
                return Ok(ClientAddr(Some(ip.to_string())));
            }
        }
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string()),
        ))
    }
}
