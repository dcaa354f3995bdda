//! Organizations and their API keys; the person responsible for organizing the
//! processing of personal data (Art. 25(2)(10), 25(3)) and the documents setting out
//! the organization's policy (Art. 25(2)(1-1)).

use jiff::civil::Date;
use jiff::Timestamp;
use qorgau_core::crypto::{ct_eq, random_token, sha256};
use qorgau_core::id::Bin;
use qorgau_core::org::{scopes_from_string, scopes_to_string, Dpo, OrgKind, Scope};
use qorgau_core::{Error, ErrorCode};
use qorgau_ledger::{Actor, Entry};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{db, from_json, is_unique_violation, new_id, to_json, ts_from_db, ts_to_db, Store};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Organization {
    pub id: Uuid,
    #[schema(value_type = String, example = "040840001231")]
    pub bin: Bin,
    pub name: String,
    pub kind: OrgKind,
    /// The person responsible for organizing the processing of personal data.
    pub dpo: Dpo,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub bin: Bin,
    pub name: String,
    pub kind: OrgKind,
    pub dpo: Dpo,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiKeyInfo {
    pub id: Uuid,
    /// `null` for a service administrator's key.
    pub organization_id: Option<Uuid>,
    pub label: String,
    pub scopes: Vec<Scope>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<Timestamp>,
    /// When a rotated key stops working (the grace period of its replacement).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<Timestamp>,
    /// The key that replaced this one, if it was rotated.
    pub replaced_by: Option<Uuid>,
    /// Last use, to the minute.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<Timestamp>,
}

/// Keys' last use is written at most this often per key and process.
const KEY_USE_RESOLUTION: jiff::SignedDuration = jiff::SignedDuration::from_mins(1);
/// The longest a rotated key may keep working beside its replacement.
pub const MAX_ROTATION_GRACE: jiff::SignedDuration = jiff::SignedDuration::from_hours(7 * 24);

fn key_from_row(r: &crate::db::Row) -> Result<ApiKeyInfo, Error> {
    let id: String = r.try_get("id").map_err(db)?;
    let org: Option<String> = r.try_get("organization_id").map_err(db)?;
    let scopes: String = r.try_get("scopes").map_err(db)?;
    let revoked: Option<i64> = r.try_get("revoked_at").map_err(db)?;
    let expires: Option<i64> = r.try_get("expires_at").map_err(db)?;
    let used: Option<i64> = r.try_get("last_used_at").map_err(db)?;
    let replaced: Option<String> = r.try_get("replaced_by").map_err(db)?;
    Ok(ApiKeyInfo {
        id: id.parse().map_err(|_| Error::internal())?,
        organization_id: org.and_then(|o| o.parse().ok()),
        label: r.try_get("label").map_err(db)?,
        scopes: scopes_from_string(&scopes),
        created_at: ts_from_db(r.try_get("created_at").map_err(db)?),
        revoked_at: revoked.map(ts_from_db),
        expires_at: expires.map(ts_from_db),
        replaced_by: replaced.and_then(|o| o.parse().ok()),
        last_used_at: used.map(ts_from_db),
    })
}

const KEY_PREFIX: &str = "qk_";

/// One version of the documents that set out the organization's policy on the
/// collection, processing and protection of personal data (Art. 25(2)(1-1)). A new
/// adoption is a new version; earlier versions are kept.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PolicyDocument {
    pub id: Uuid,
    pub organization_id: Uuid,
    /// 1, 2, … in the order the versions were adopted.
    pub version: i64,
    pub title: String,
    /// The day the organization adopted it.
    #[schema(value_type = String, format = Date)]
    pub adopted_on: Date,
    /// Where the document is published (https).
    pub url: Option<String>,
    /// The document's text, when given.
    pub text: Option<String>,
    /// SHA-256 of the UTF-8 bytes of `text` as stored, or (without a text) of the
    /// published file, as the organization gave it: lowercase hex.
    pub sha256: String,
    /// When the service recorded it.
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: Timestamp,
}

/// A policy document to adopt.
#[derive(Debug, Clone)]
pub struct NewPolicy {
    pub title: String,
    pub adopted_on: Date,
    pub url: Option<String>,
    pub text: Option<String>,
    /// Required without a text; with one, it must be the text's hash if given.
    pub sha256: Option<String>,
}

/// The longest policy title, in characters.
pub const POLICY_TITLE_MAX_CHARS: usize = 300;
/// The longest policy text, in bytes of UTF-8.
pub const POLICY_TEXT_MAX_BYTES: usize = 48 * 1024;
/// The longest address of a published policy.
pub const POLICY_URL_MAX_BYTES: usize = 2000;
/// No policy under Law 94-V was adopted before the Law (21 May 2013).
pub const LAW_94_V_DATE: Date = jiff::civil::date(2013, 5, 21);

/// An `https://` address with a host, no credentials, no spaces.
pub fn valid_https_url(url: &str, max: usize) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    url.len() <= max
        && !host.is_empty()
        && !host.contains('@')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn lower_hex(b: &[u8]) -> String {
    qorgau_ledger::entry::hex(b)
}

impl NewPolicy {
    /// Check everything that needs no database; the SHA-256 to record. `today` is the
    /// date in the deployment's time zone: a policy cannot have been adopted later.
    pub fn validate(&self, today: Date) -> Result<String, Error> {
        let bad = |field: &str| Error::new(ErrorCode::ValidationFailed).at(field);
        qorgau_core::catalogue::validate_text(&self.title, POLICY_TITLE_MAX_CHARS)
            .map_err(|e| e.at("title"))?;
        if self.adopted_on > today || self.adopted_on < LAW_94_V_DATE {
            return Err(bad("adopted_on"));
        }
        if let Some(u) = &self.url {
            if !valid_https_url(u, POLICY_URL_MAX_BYTES) {
                return Err(bad("url"));
            }
        }
        let given = match &self.sha256 {
            Some(h) => {
                if h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(bad("sha256"));
                }
                Some(h.to_ascii_lowercase())
            }
            None => None,
        };
        match (&self.text, given) {
            (Some(t), given) => {
                if t.trim().is_empty()
                    || t.len() > POLICY_TEXT_MAX_BYTES
                    || t.chars()
                        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
                {
                    return Err(bad("text").arg("max", POLICY_TEXT_MAX_BYTES.to_string()));
                }
                let computed = lower_hex(&sha256(t.as_bytes()));
                match given {
                    Some(g) if g != computed => Err(bad("sha256")),
                    _ => Ok(computed),
                }
            }
            (None, _) if self.url.is_none() => Err(bad("text")),
            (None, Some(g)) => Ok(g),
            (None, None) => Err(bad("sha256")),
        }
    }
}

fn policy_from_row(r: &crate::db::Row) -> Result<PolicyDocument, Error> {
    let id: String = r.try_get("id").map_err(db)?;
    let org: String = r.try_get("organization_id").map_err(db)?;
    let adopted: String = r.try_get("adopted_on").map_err(db)?;
    Ok(PolicyDocument {
        id: id.parse().map_err(|_| Error::internal())?,
        organization_id: org.parse().map_err(|_| Error::internal())?,
        version: r.try_get("version").map_err(db)?,
        title: r.try_get("title").map_err(db)?,
        adopted_on: adopted.parse().map_err(|_| Error::internal())?,
        url: r.try_get("url").map_err(db)?,
        text: r.try_get("body").map_err(db)?,
        sha256: r.try_get("sha256").map_err(db)?,
        recorded_at: ts_from_db(r.try_get("recorded_at").map_err(db)?),
    })
}

fn org_from_row(r: &crate::db::Row) -> Result<Organization, Error> {
    let id: String = r.try_get("id").map_err(db)?;
    let bin: String = r.try_get("bin").map_err(db)?;
    let kind: String = r.try_get("kind").map_err(db)?;
    let dpo: String = r.try_get("dpo").map_err(db)?;
    Ok(Organization {
        id: id.parse().map_err(|_| Error::internal())?,
        bin: Bin::parse(&bin)?,
        name: r.try_get("name").map_err(db)?,
        kind: OrgKind::parse(&kind).ok_or_else(Error::internal)?,
        dpo: from_json(&dpo)?,
        created_at: ts_from_db(r.try_get("created_at").map_err(db)?),
    })
}

pub(crate) async fn load_org(c: &mut crate::Conn, id: Uuid) -> Result<Organization, Error> {
    let row = crate::db::query("SELECT * FROM organizations WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await
        .map_err(db)?
        .ok_or_else(|| Error::new(ErrorCode::NotFound))?;
    org_from_row(&row)
}

impl Store {
    pub async fn create_organization(
        &self,
        new: NewOrganization,
        now: Timestamp,
    ) -> Result<Organization, Error> {
        new.dpo.validate()?;
        qorgau_core::catalogue::validate_text(&new.name, 300).map_err(|e| e.at("name"))?;
        let org = Organization {
            id: new_id(),
            bin: new.bin,
            name: new.name,
            kind: new.kind,
            dpo: new.dpo,
            created_at: now,
        };
        let o = org.clone();
        self.write(move |c| {
            Box::pin(async move {
                crate::db::query(
                    "INSERT INTO organizations (id, bin, name, kind, dpo, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(o.id.to_string())
                .bind(o.bin.as_string())
                .bind(o.name.clone())
                .bind(o.kind.as_str())
                .bind(to_json(&o.dpo)?)
                .bind(ts_to_db(o.created_at))
                .execute(&mut *c)
                .await
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        Error::new(ErrorCode::OrganizationExists).at("bin")
                    } else {
                        db(e)
                    }
                })?;
                crate::ledger::append(
                    c,
                    &Entry::new("organization.registered", o.created_at, Actor::new("admin", None))
                        .organization(o.id)
                        .object("organization", o.id)
                        .detail("kind", o.kind.as_str()),
                )
                .await?;
                Ok(())
            })
        })
        .await?;
        Ok(org)
    }

    pub async fn organization(&self, id: Uuid) -> Result<Organization, Error> {
        let mut c = self.reader().await?;
        load_org(&mut c, id).await
    }

    pub async fn organization_by_bin(&self, bin: &Bin) -> Result<Organization, Error> {
        let mut c = self.reader().await?;
        let row = crate::db::query("SELECT * FROM organizations WHERE bin = $1")
            .bind(bin.as_string())
            .fetch_optional(&mut c)
            .await
            .map_err(db)?
            .ok_or_else(|| Error::new(ErrorCode::NotFound))?;
        org_from_row(&row)
    }

    pub async fn list_organizations(&self) -> Result<Vec<Organization>, Error> {
        let mut c = self.reader().await?;
        let rows = crate::db::query("SELECT * FROM organizations ORDER BY created_at, id")
            .fetch_all(&mut c)
            .await
            .map_err(db)?;
        rows.iter().map(org_from_row).collect()
    }

    /// Name a new person responsible for organizing the processing of personal data
    /// (Art. 25(2)(10)). The change and its ledger entry are one transaction; the entry
    /// holds the organization's id and a keyed hash of the new record, never the
    /// person's name or contacts. Naming the same person again changes nothing.
    pub async fn set_dpo(
        &self,
        organization: Uuid,
        dpo: Dpo,
        by: Actor,
        now: Timestamp,
    ) -> Result<Organization, Error> {
        dpo.validate()?;
        let keyring = self.secrets().keyring.clone();
        self.write(move |c| {
            Box::pin(async move {
                let mut org = load_org(c, organization).await?;
                if org.dpo == dpo {
                    return Ok(org);
                }
                let json = to_json(&dpo)?;
                crate::db::query("UPDATE organizations SET dpo = $1 WHERE id = $2")
                    .bind(json.clone())
                    .bind(organization.to_string())
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                // Keyed, so that the entry cannot be matched against a guessed name or
                // phone; the service can still show which record it was.
                let context = format!("qorgau dpo record v1:{organization}");
                let digest = keyring.code_hash(context.as_bytes(), &json);
                let contact: Vec<&str> = [
                    dpo.contact.phone.as_ref().map(|_| "phone"),
                    dpo.contact.email.as_ref().map(|_| "email"),
                ]
                .into_iter()
                .flatten()
                .collect();
                crate::ledger::append(
                    c,
                    &Entry::new("organization.dpo_changed", now, by)
                        .organization(organization)
                        .object("organization", organization)
                        .detail("dpo_hmac", lower_hex(&digest))
                        .detail("contact", contact.join(" ")),
                )
                .await?;
                org.dpo = dpo;
                Ok(org)
            })
        })
        .await
    }

    /// Adopt a new version of the organization's policy document (Art. 25(2)(1-1)):
    /// numbered after the last one, adopted no earlier than it; earlier versions stay.
    /// One transaction with its ledger entry (ids, version, date and hash only).
    pub async fn adopt_policy(
        &self,
        organization: Uuid,
        new: NewPolicy,
        today: Date,
        by: Actor,
        now: Timestamp,
    ) -> Result<PolicyDocument, Error> {
        let hash = new.validate(today)?;
        self.write(move |c| {
            Box::pin(async move {
                load_org(c, organization).await?;
                let last = crate::db::query(
                    "SELECT version, adopted_on FROM organization_policies WHERE organization_id = $1 ORDER BY version DESC LIMIT 1",
                )
                .bind(organization.to_string())
                .fetch_optional(&mut *c)
                .await
                .map_err(db)?;
                let mut version = 1;
                if let Some(r) = last {
                    let v: i64 = r.try_get("version").map_err(db)?;
                    let on: String = r.try_get("adopted_on").map_err(db)?;
                    let on: Date = on.parse().map_err(|_| Error::internal())?;
                    if new.adopted_on < on {
                        return Err(Error::new(ErrorCode::DatesOutOfOrder)
                            .at("adopted_on")
                            .arg("previous", on.to_string()));
                    }
                    version = v + 1;
                }
                let doc = PolicyDocument {
                    id: new_id(),
                    organization_id: organization,
                    version,
                    title: new.title,
                    adopted_on: new.adopted_on,
                    url: new.url,
                    text: new.text,
                    sha256: hash,
                    recorded_at: now,
                };
                crate::db::query(
                    "INSERT INTO organization_policies (id, organization_id, version, title, adopted_on, url, body, sha256, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(doc.id.to_string())
                .bind(organization.to_string())
                .bind(doc.version)
                .bind(doc.title.clone())
                .bind(doc.adopted_on.to_string())
                .bind(doc.url.clone())
                .bind(doc.text.clone())
                .bind(doc.sha256.clone())
                .bind(ts_to_db(now))
                .execute(&mut *c)
                .await
                .map_err(db)?;
                crate::ledger::append(
                    c,
                    &Entry::new("organization.policy_adopted", now, by)
                        .organization(organization)
                        .object("policy_document", doc.id)
                        .detail("version", doc.version)
                        .detail("adopted_on", doc.adopted_on)
                        .detail("sha256", doc.sha256.clone()),
                )
                .await?;
                Ok(doc)
            })
        })
        .await
    }

    /// Every version of an organization's policy document, newest first.
    pub async fn policies(&self, organization: Uuid) -> Result<Vec<PolicyDocument>, Error> {
        let mut c = self.reader().await?;
        load_org(&mut c, organization).await?;
        let rows = crate::db::query(
            "SELECT * FROM organization_policies WHERE organization_id = $1 ORDER BY version DESC",
        )
        .bind(organization.to_string())
        .fetch_all(&mut c)
        .await
        .map_err(db)?;
        rows.iter().map(policy_from_row).collect()
    }

    /// Create an API key; returns its description and the secret token, which is
    /// shown this once and stored only as a hash. `organization: None` makes a
    /// service administrator's key.
    pub async fn create_api_key(
        &self,
        organization: Option<Uuid>,
        label: String,
        scopes: Vec<Scope>,
        by: Actor,
        now: Timestamp,
    ) -> Result<(ApiKeyInfo, String), Error> {
        qorgau_core::catalogue::validate_text(&label, 200).map_err(|e| e.at("label"))?;
        let scopes = if organization.is_none() {
            Vec::new()
        } else if scopes.is_empty() {
            Scope::ALL.to_vec()
        } else {
            let mut s = scopes;
            s.sort();
            s.dedup();
            s
        };
        let id = new_id();
        let secret = random_token(32);
        let token = format!("{KEY_PREFIX}{}.{secret}", id.simple());
        let info = ApiKeyInfo {
            id,
            organization_id: organization,
            label,
            scopes,
            created_at: now,
            revoked_at: None,
            expires_at: None,
            replaced_by: None,
            last_used_at: None,
        };
        let i = info.clone();
        let hash = sha256(secret.as_bytes()).to_vec();
        self.write(move |c| {
            Box::pin(async move {
                if let Some(org) = i.organization_id {
                    load_org(c, org).await?;
                }
                crate::db::query(
                    "INSERT INTO api_keys (id, organization_id, label, scopes, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(i.id.to_string())
                .bind(i.organization_id.map(|o| o.to_string()))
                .bind(i.label.clone())
                .bind(scopes_to_string(&i.scopes))
                .bind(hash)
                .bind(ts_to_db(i.created_at))
                .execute(&mut *c)
                .await
                .map_err(db)?;
                let mut e = Entry::new("api_key.created", i.created_at, by)
                    .object("api_key", i.id)
                    .detail("scopes", scopes_to_string(&i.scopes));
                if let Some(o) = i.organization_id {
                    e = e.organization(o);
                }
                crate::ledger::append(c, &e).await?;
                Ok(())
            })
        })
        .await?;
        Ok((info, token))
    }

    /// Find the live key a bearer token names. `None` for anything else, in the same
    /// way. Notes the key's last use (at most once a minute per key and process).
    pub async fn authenticate_api_key(
        &self,
        token: &str,
        now: Timestamp,
    ) -> Result<Option<ApiKeyInfo>, Error> {
        let Some(rest) = token.strip_prefix(KEY_PREFIX) else {
            return Ok(None);
        };
        let Some((id, secret)) = rest.split_once('.') else {
            return Ok(None);
        };
        let Ok(id) = Uuid::try_parse(id) else {
            return Ok(None);
        };
        let presented = sha256(secret.as_bytes());
        let keys = &self.inner.cache.keys;
        let (cached, generation) = {
            let k = keys.lock().unwrap_or_else(|e| e.into_inner());
            (k.get(&id, &presented, now), k.generation())
        };
        let key = match cached {
            Some(key) => key,
            None => {
                let mut c = self.reader().await?;
                let row = crate::db::query("SELECT * FROM api_keys WHERE id = $1")
                    .bind(id.to_string())
                    .fetch_optional(&mut c)
                    .await
                    .map_err(db)?;
                drop(c);
                let Some(row) = row else { return Ok(None) };
                let stored: Vec<u8> = row.try_get("secret_hash").map_err(db)?;
                if !ct_eq(&stored, &presented) {
                    return Ok(None);
                }
                let key = key_from_row(&row)?;
                keys.lock().unwrap_or_else(|e| e.into_inner()).put(
                    generation,
                    stored,
                    key.clone(),
                    now,
                );
                key
            }
        };
        if key.revoked_at.is_some() || key.expires_at.is_some_and(|e| now >= e) {
            return Ok(None);
        }
        let due = {
            let mut uses = self
                .inner
                .cache
                .key_uses
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            let due = uses
                .get(&id)
                .is_none_or(|last| now.duration_since(*last) >= KEY_USE_RESOLUTION);
            if due {
                uses.insert(id, now);
            }
            due
        };
        if due
            && key
                .last_used_at
                .is_none_or(|l| now.duration_since(l) >= KEY_USE_RESOLUTION)
        {
            self.write(move |c| {
                Box::pin(async move {
                    crate::db::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
                        .bind(ts_to_db(now))
                        .bind(id.to_string())
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                    Ok(())
                })
            })
            .await?;
        }
        Ok(Some(key))
    }

    /// An organization's keys (or the administrators' with `None`), newest first;
    /// never their secrets.
    pub async fn api_keys(&self, organization: Option<Uuid>) -> Result<Vec<ApiKeyInfo>, Error> {
        let mut c = self.reader().await?;
        let rows = match organization {
            Some(o) => crate::db::query(
                "SELECT * FROM api_keys WHERE organization_id = $1 ORDER BY created_at DESC, id",
            )
            .bind(o.to_string())
            .fetch_all(&mut c)
            .await,
            None => crate::db::query(
                "SELECT * FROM api_keys WHERE organization_id IS NULL ORDER BY created_at DESC, id",
            )
            .fetch_all(&mut c)
            .await,
        }
        .map_err(db)?;
        rows.iter().map(key_from_row).collect()
    }

    /// One key, if it belongs to `organization` (any key with `None`).
    pub async fn api_key(&self, id: Uuid, organization: Option<Uuid>) -> Result<ApiKeyInfo, Error> {
        let mut c = self.reader().await?;
        let row = crate::db::query("SELECT * FROM api_keys WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut c)
            .await
            .map_err(db)?
            .ok_or_else(|| Error::new(ErrorCode::NotFound))?;
        let key = key_from_row(&row)?;
        if organization.is_some() && key.organization_id != organization {
            return Err(Error::new(ErrorCode::NotFound));
        }
        Ok(key)
    }

    /// Rotate a key: a new key with the same label and scopes, shown once; the old
    /// one keeps working for `grace` (at most 7 days; none ends it now).
    pub async fn rotate_api_key(
        &self,
        id: Uuid,
        organization: Option<Uuid>,
        grace: jiff::SignedDuration,
        by: Actor,
        now: Timestamp,
    ) -> Result<(ApiKeyInfo, String), Error> {
        if grace.is_negative() || grace > MAX_ROTATION_GRACE {
            return Err(Error::new(ErrorCode::ValidationFailed).at("grace_seconds"));
        }
        let old = self.api_key(id, organization).await?;
        if old.revoked_at.is_some() || old.replaced_by.is_some() {
            return Err(Error::new(ErrorCode::NotFound));
        }
        let (new, token) = self
            .create_api_key(
                old.organization_id,
                old.label.clone(),
                old.scopes.clone(),
                by.clone(),
                now,
            )
            .await?;
        let new_id = new.id;
        self.write(move |c| {
            Box::pin(async move {
                let r = crate::db::query("UPDATE api_keys SET expires_at = $1, replaced_by = $2, revoked_at = $3 WHERE id = $4 AND revoked_at IS NULL AND replaced_by IS NULL")
                    .bind(ts_to_db(now + grace))
                    .bind(new_id.to_string())
                    .bind(grace.is_zero().then_some(ts_to_db(now)))
                    .bind(id.to_string())
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                if r.rows_affected() != 1 {
                    return Err(Error::new(ErrorCode::NotFound));
                }
                let mut e = Entry::new("api_key.rotated", now, by)
                    .object("api_key", id)
                    .detail("replaced_by", new_id.to_string())
                    .detail("grace_seconds", grace.as_secs().to_string());
                if let Some(o) = old.organization_id {
                    e = e.organization(o);
                }
                crate::ledger::append(c, &e).await?;
                Ok(())
            })
        })
        .await?;
        self.forget_key(&id);
        Ok((new, token))
    }

    /// Revoke a key at once (one of `organization`'s, or any with `None`).
    pub async fn revoke_api_key(
        &self,
        id: Uuid,
        organization: Option<Uuid>,
        by: Actor,
        now: Timestamp,
    ) -> Result<(), Error> {
        let key = self.api_key(id, organization).await?;
        self.write(move |c| {
            Box::pin(async move {
                let r = crate::db::query(
                    "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                )
                .bind(ts_to_db(now))
                .bind(id.to_string())
                .execute(&mut *c)
                .await
                .map_err(db)?;
                if r.rows_affected() == 0 {
                    return Err(Error::new(ErrorCode::NotFound));
                }
                let mut e = Entry::new("api_key.revoked", now, by).object("api_key", id);
                if let Some(o) = key.organization_id {
                    e = e.organization(o);
                }
                crate::ledger::append(c, &e).await?;
                Ok(())
            })
        })
        .await?;
        self.forget_key(&id);
        Ok(())
    }

    /// This process stops trusting its cached verification of a key.
    fn forget_key(&self, id: &Uuid) {
        self.inner
            .cache
            .keys
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .forget(id);
    }

    /// True once any administrator key exists.
    pub async fn has_admin_key(&self) -> Result<bool, Error> {
        let mut c = self.reader().await?;
        let n: (i64,) = crate::db::query_as(
            "SELECT COUNT(*) FROM api_keys WHERE organization_id IS NULL AND revoked_at IS NULL",
        )
        .fetch_one(&mut c)
        .await
        .map_err(db)?;
        Ok(n.0 > 0)
    }
}
