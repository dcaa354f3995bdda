//! Subjects: the people whose data the service protects.
//!
//! A subject row holds a blind index of the IIN, the subject's data key wrapped under
//! the master key, and the subject's personal data sealed under that data key.
//! Nothing in it is readable without the master key; without the data key, nothing
//! at all (cryptographic destruction).

use jiff::Timestamp;
use qorgau_core::consent::{Contact, Language, PersonName};
use qorgau_core::crypto::{open, seal, Keyring, SecretKey};
use qorgau_core::id::Iin;
use qorgau_core::{Error, ErrorCode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{db, new_id, ts_to_db, Conn};

/// A subject's personal data, as sealed in the database.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubjectPii {
    pub iin: Iin,
    pub name: PersonName,
    pub contact: Contact,
    /// True once the subject proved they receive messages at `contact`.
    pub contact_verified: bool,
    pub language: Language,
}

/// An unlocked subject: id, data key and data.
#[derive(Debug, Clone)]
pub struct Subject {
    pub id: Uuid,
    pub key: SecretKey,
    pub pii: SubjectPii,
}

impl Subject {
    pub fn seal(&self, label: &str, data: &[u8]) -> Result<Vec<u8>, Error> {
        seal(&self.key, &aad(self.id, label), data)
    }

    pub fn open(&self, label: &str, sealed: &[u8]) -> Result<Vec<u8>, Error> {
        open(&self.key, &aad(self.id, label), sealed)
    }

    pub fn seal_json<T: Serialize>(&self, label: &str, v: &T) -> Result<Vec<u8>, Error> {
        self.seal(
            label,
            &serde_json::to_vec(v).map_err(|_| Error::internal())?,
        )
    }

    pub fn open_json<T: serde::de::DeserializeOwned>(
        &self,
        label: &str,
        sealed: &[u8],
    ) -> Result<T, Error> {
        serde_json::from_slice(&self.open(label, sealed)?).map_err(|_| Error::internal())
    }
}

fn aad(id: Uuid, label: &str) -> Vec<u8> {
    format!("qorgau subject {id} {label}").into_bytes()
}

/// Find or create the subject with this IIN and bring their details up to date.
///
/// A contact the subject has already proven is kept: an operator cannot redirect a
/// subject's one-time codes by supplying another phone number.
pub(crate) async fn upsert(
    c: &mut Conn,
    keyring: &Keyring,
    iin: Iin,
    name: &PersonName,
    contact: &Contact,
    language: Language,
    now: Timestamp,
) -> Result<Subject, Error> {
    let idx = keyring.blind_index(&iin);
    for _ in 0..2 {
        let row =
            crate::db::query("SELECT id, wrapped_key, pii FROM subjects WHERE iin_index = $1")
                .bind(idx.clone())
                .fetch_optional(&mut *c)
                .await
                .map_err(db)?;
        if let Some(row) = row {
            let id: String = row.try_get("id").map_err(db)?;
            let id: Uuid = id.parse().map_err(|_| Error::internal())?;
            let wrapped: Option<Vec<u8>> = row.try_get("wrapped_key").map_err(db)?;
            let sealed: Option<Vec<u8>> = row.try_get("pii").map_err(db)?;
            let mut subject = match (wrapped, sealed) {
                (Some(w), Some(p)) => {
                    let key = keyring.unwrap_key(id.as_bytes(), &w)?;
                    let pii: SubjectPii = {
                        let raw = open(&key, &aad(id, "pii"), &p)?;
                        serde_json::from_slice(&raw).map_err(|_| Error::internal())?
                    };
                    Subject { id, key, pii }
                }
                // The subject's data were destroyed; what comes now is collected anew.
                _ => Subject {
                    id,
                    key: SecretKey::generate(),
                    pii: SubjectPii {
                        iin,
                        name: name.clone(),
                        contact: Contact::default(),
                        contact_verified: false,
                        language,
                    },
                },
            };
            subject.pii.name = name.clone();
            subject.pii.language = language;
            if !subject.pii.contact_verified {
                if contact.phone.is_some() {
                    subject.pii.contact.phone = contact.phone.clone();
                }
                if contact.email.is_some() {
                    subject.pii.contact.email = contact.email.clone();
                }
            }
            save(c, keyring, &subject, now).await?;
            return Ok(subject);
        }
        let subject = Subject {
            id: new_id(),
            key: SecretKey::generate(),
            pii: SubjectPii {
                iin,
                name: name.clone(),
                contact: contact.clone(),
                contact_verified: false,
                language,
            },
        };
        let r = crate::db::query(
            "INSERT INTO subjects (id, iin_index, wrapped_key, pii, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (iin_index) DO NOTHING",
        )
        .bind(subject.id.to_string())
        .bind(idx.clone())
        .bind(keyring.wrap(subject.id.as_bytes(), &subject.key)?)
        .bind(subject.seal_json("pii", &subject.pii)?)
        .bind(ts_to_db(now))
        .execute(&mut *c)
        .await
        .map_err(db)?;
        if r.rows_affected() == 1 {
            return Ok(subject);
        }
        // Another process created the subject meanwhile: take theirs.
    }
    Err(Error::new(ErrorCode::Unavailable))
}

/// Write the subject's (possibly new) key and data.
pub(crate) async fn save(
    c: &mut Conn,
    keyring: &Keyring,
    s: &Subject,
    now: Timestamp,
) -> Result<(), Error> {
    crate::db::query(
        "UPDATE subjects SET wrapped_key = $1, pii = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(keyring.wrap(s.id.as_bytes(), &s.key)?)
    .bind(s.seal_json("pii", &s.pii)?)
    .bind(ts_to_db(now))
    .bind(s.id.to_string())
    .execute(&mut *c)
    .await
    .map_err(db)?;
    Ok(())
}

/// Unlock a subject by id; `None` if unknown or destroyed.
pub(crate) async fn load(
    c: &mut Conn,
    keyring: &Keyring,
    id: &str,
) -> Result<Option<Subject>, Error> {
    let row = crate::db::query("SELECT wrapped_key, pii FROM subjects WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *c)
        .await
        .map_err(db)?;
    let Some(row) = row else { return Ok(None) };
    let id: Uuid = id.parse().map_err(|_| Error::internal())?;
    let wrapped: Option<Vec<u8>> = row.try_get("wrapped_key").map_err(db)?;
    let sealed: Option<Vec<u8>> = row.try_get("pii").map_err(db)?;
    match (wrapped, sealed) {
        (Some(w), Some(p)) => {
            let key = keyring.unwrap_key(id.as_bytes(), &w)?;
            let raw = open(&key, &aad(id, "pii"), &p)?;
            let pii = serde_json::from_slice(&raw).map_err(|_| Error::internal())?;
            Ok(Some(Subject { id, key, pii }))
        }
        _ => Ok(None),
    }
}

/// Find a subject by IIN through the blind index.
pub(crate) async fn find_by_iin(
    c: &mut Conn,
    keyring: &Keyring,
    iin: &Iin,
) -> Result<Option<Subject>, Error> {
    let row: Option<(String,)> =
        crate::db::query_as("SELECT id FROM subjects WHERE iin_index = $1")
            .bind(keyring.blind_index(iin))
            .fetch_optional(&mut *c)
            .await
            .map_err(db)?;
    match row {
        Some((id,)) => load(c, keyring, &id).await,
        None => Ok(None),
    }
}

/// Someone a subject represents, with the authority recorded when they confirmed a
/// consent as the representative.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Represented {
    pub subject_id: Uuid,
    pub name: PersonName,
    /// The basis of the authority (law, power of attorney, court decision …).
    pub basis: String,
    #[schema(value_type = String, format = DateTime)]
    pub valid_until: jiff::Timestamp,
    /// The organization that recorded the authority.
    pub recorded_by: Uuid,
}

impl crate::Store {
    /// Whether `representative` holds a live authority for `subject` at `now`.
    pub async fn represents(
        &self,
        representative: Uuid,
        subject: Uuid,
        now: jiff::Timestamp,
    ) -> Result<bool, Error> {
        let mut c = self.reader().await?;
        let n: (i64,) = crate::db::query_as("SELECT COUNT(*) FROM representations WHERE representative_id = $1 AND subject_id = $2 AND valid_until > $3")
            .bind(representative.to_string())
            .bind(subject.to_string())
            .bind(crate::ts_to_db(now))
            .fetch_one(&mut c)
            .await
            .map_err(db)?;
        Ok(n.0 > 0)
    }

    /// Everyone `representative` may act for now, the longest authority per subject.
    pub async fn represented(
        &self,
        representative: Uuid,
        now: jiff::Timestamp,
    ) -> Result<Vec<Represented>, Error> {
        let keyring = self.secrets().keyring.clone();
        let mut c = self.reader().await?;
        let rows = crate::db::query("SELECT subject_id, basis, valid_until, recorded_by FROM representations WHERE representative_id = $1 AND valid_until > $2 ORDER BY valid_until DESC")
            .bind(representative.to_string())
            .bind(crate::ts_to_db(now))
            .fetch_all(&mut c)
            .await
            .map_err(db)?;
        let mut out: Vec<Represented> = Vec::new();
        for r in rows {
            let sid: String = r.try_get("subject_id").map_err(db)?;
            let subject_id: Uuid = sid.parse().map_err(|_| Error::internal())?;
            if out.iter().any(|o| o.subject_id == subject_id) {
                continue;
            }
            let Some(s) = load(&mut c, &keyring, &sid).await? else {
                continue; // destroyed
            };
            let org: String = r.try_get("recorded_by").map_err(db)?;
            out.push(Represented {
                subject_id,
                name: s.pii.name,
                basis: r.try_get("basis").map_err(db)?,
                valid_until: crate::ts_from_db(r.try_get("valid_until").map_err(db)?),
                recorded_by: org.parse().map_err(|_| Error::internal())?,
            });
        }
        Ok(out)
    }
}
