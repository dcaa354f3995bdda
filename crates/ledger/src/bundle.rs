//! Evidence bundles for an inspection: entries with their inclusion proofs against the
//! latest checkpoint, every checkpoint up to it with the consistency proofs between
//! them, and the verifier key. Checked offline by [`verify_bundle`].

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::checkpoint::{Checkpoint, NoteVerifier};
use crate::entry::{hex, unhex32, Entry};
use crate::proof::{verify_consistency, verify_inclusion};
use crate::tree::{leaf_hash, Hash};

pub const FORMAT: &str = "qorgau-ledger-bundle/1";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: String,
    /// The signed-note verifier key of the log.
    pub verifier_key: String,
    /// Every checkpoint up to the one the proofs are against, by increasing size.
    pub checkpoints: Vec<String>,
    /// `consistency[i]` proves `checkpoints[i + 1]` extends `checkpoints[i]` (hex).
    pub consistency: Vec<Vec<String>>,
    /// What was asked for (informational).
    pub selection: String,
    pub entries: Vec<BundleEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleEntry {
    pub index: u64,
    /// The entry's exact bytes, base64.
    pub entry: String,
    /// Inclusion proof against the last checkpoint (hex).
    pub inclusion: Vec<String>,
}

pub fn hashes_to_hex(h: &[Hash]) -> Vec<String> {
    h.iter().map(|x| hex(x)).collect()
}

fn hashes_from_hex(h: &[String]) -> Option<Vec<Hash>> {
    h.iter().map(|x| unhex32(x)).collect()
}

/// What a bundle proves.
#[derive(Debug, Clone)]
pub struct BundleReport {
    pub head: Checkpoint,
    pub checkpoints: usize,
    pub entries: usize,
    pub key_from_bundle: bool,
}

/// Check a bundle: every checkpoint signed by the key, each extending the one before,
/// and every entry included in the last. `key` is the verifier key the inspector got
/// from the service independently; without it the bundle's own key is used, and the
/// report says so.
pub fn verify_bundle(b: &Bundle, key: Option<&NoteVerifier>) -> Result<BundleReport, String> {
    if b.format != FORMAT {
        return Err(format!("unknown bundle format {:?}", b.format));
    }
    let own = NoteVerifier::parse(&b.verifier_key).map_err(|e| format!("bundle key: {e}"))?;
    if let Some(k) = key {
        if k != &own {
            return Err("the bundle names another key than the one given".to_owned());
        }
    }
    let verifier = key.unwrap_or(&own);
    let mut heads = Vec::with_capacity(b.checkpoints.len());
    for (i, note) in b.checkpoints.iter().enumerate() {
        heads.push(
            verifier
                .verify(note)
                .map_err(|e| format!("checkpoint {i}: {e}"))?,
        );
    }
    let head = heads
        .last()
        .cloned()
        .ok_or("the bundle has no checkpoint")?;
    if b.consistency.len() + 1 != heads.len() {
        return Err("the bundle's consistency proofs do not match its checkpoints".to_owned());
    }
    for (i, w) in heads.windows(2).enumerate() {
        let proof = hashes_from_hex(&b.consistency[i])
            .ok_or_else(|| format!("consistency proof {i}: not hex hashes"))?;
        verify_consistency(w[0].size, w[1].size, &w[0].root, &w[1].root, &proof).map_err(|e| {
            format!(
                "checkpoint of size {} does not extend the one of size {}: {e}",
                w[1].size, w[0].size
            )
        })?;
    }
    for e in &b.entries {
        let bytes = B64
            .decode(&e.entry)
            .map_err(|_| format!("entry {}: not base64", e.index))?;
        if Entry::from_bytes(&bytes).is_none() {
            return Err(format!("entry {}: not a ledger entry", e.index));
        }
        let proof = hashes_from_hex(&e.inclusion)
            .ok_or_else(|| format!("entry {}: proof not hex hashes", e.index))?;
        verify_inclusion(&leaf_hash(&bytes), e.index, head.size, &proof, &head.root)
            .map_err(|err| format!("entry {} is not in the log: {err}", e.index))?;
    }
    Ok(BundleReport {
        head,
        checkpoints: heads.len(),
        entries: b.entries.len(),
        key_from_bundle: key.is_none(),
    })
}
