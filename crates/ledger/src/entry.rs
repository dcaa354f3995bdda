//! What one ledger entry records. Only pseudonymous identifiers: the subject as a keyed
//! hash of the IIN, organizations and objects by their ids, purposes and categories by
//! their codes; never a name, an IIN, a phone, an email or a document.
//!
//! An entry is stored as the exact bytes that were hashed, so how it is serialized here
//! only has to be stable for new entries, never reproducible for old ones.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The entry format's version.
pub const VERSION: u8 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub v: u8,
    /// What happened, as `area.event`: `consent.confirmed`, `access.decided`, `request.filed` …
    pub kind: String,
    pub at: jiff::Timestamp,
    /// Who acted.
    pub actor: Actor,
    /// The subject, as the hex keyed hash of the IIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The organization whose data or act this is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// What the entry is about, as `type:id` (`consent:…`, `decision:…`, `api_key:…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Stable reason codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// Further codes and ids (never personal data), sorted by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub detail: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// `subject`, `representative`, `organization`, `admin`, `service`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl Actor {
    pub fn new(kind: &str, id: Option<String>) -> Actor {
        Actor {
            kind: kind.to_owned(),
            id,
        }
    }
}

impl Entry {
    pub fn new(kind: &str, at: jiff::Timestamp, actor: Actor) -> Entry {
        Entry {
            v: VERSION,
            kind: kind.to_owned(),
            at,
            actor,
            subject: None,
            organization: None,
            object: None,
            purpose: None,
            action: None,
            categories: Vec::new(),
            outcome: None,
            reasons: Vec::new(),
            detail: BTreeMap::new(),
        }
    }

    pub fn subject(mut self, keyed_hash: &[u8]) -> Entry {
        self.subject = Some(hex(keyed_hash));
        self
    }

    pub fn organization(mut self, id: impl ToString) -> Entry {
        self.organization = Some(id.to_string());
        self
    }

    pub fn object(mut self, kind: &str, id: impl std::fmt::Display) -> Entry {
        self.object = Some(format!("{kind}:{id}"));
        self
    }

    pub fn detail(mut self, key: &str, value: impl ToString) -> Entry {
        self.detail.insert(key.to_owned(), value.to_string());
        self
    }

    /// The bytes that go into the log.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serializing plain strings, numbers and maps cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn from_bytes(b: &[u8]) -> Option<Entry> {
        serde_json::from_slice(b).ok()
    }
}

pub fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        s.push(char::from(b"0123456789abcdef"[usize::from(x >> 4)]));
        s.push(char::from(b"0123456789abcdef"[usize::from(x & 15)]));
    }
    s
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

pub fn unhex32(s: &str) -> Option<[u8; 32]> {
    unhex(s)?.try_into().ok()
}
