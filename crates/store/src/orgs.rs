//! Organizations and their API keys.

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
        let mut c = self.reader().await?;
        let row = crate::db::query("SELECT * FROM api_keys WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut c)
            .await
            .map_err(db)?;
        drop(c);
        let Some(row) = row else { return Ok(None) };
        let stored: Vec<u8> = row.try_get("secret_hash").map_err(db)?;
        if !ct_eq(&stored, &sha256(secret.as_bytes())) {
            return Ok(None);
        }
        let key = key_from_row(&row)?;
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
        .await
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
