//! Checkpoints in the C2SP `tlog-checkpoint` format, signed as C2SP `signed-note`s with
//! Ed25519.
//!
//! ```text
//! <origin>
//! <tree size>
//! <root hash, base64>
//!
//! — <key name> <base64(key id || signature)>
//! ```
//!
//! The key id is the first four bytes of `SHA-256(name || "\n" || 0x01 || public key)`;
//! the signature covers the text above the blank line, final newline included.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::tree::Hash;

/// A tree head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("the note is not a well-formed signed note")]
    Malformed,
    #[error("the checkpoint is not well formed")]
    BadBody,
    #[error("the note carries no signature by the expected key")]
    NoSignature,
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the checkpoint is for another log (origin {0})")]
    WrongOrigin(String),
    #[error("the verifier key is not well formed")]
    BadKey,
}

impl Checkpoint {
    /// The checkpoint's text: what gets signed.
    pub fn body(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            B64.encode(self.root)
        )
    }

    fn parse_body(body: &str) -> Result<Checkpoint, CheckpointError> {
        let mut lines = body.split_terminator('\n');
        let origin = lines
            .next()
            .filter(|o| !o.is_empty())
            .ok_or(CheckpointError::BadBody)?;
        let size_text = lines.next().ok_or(CheckpointError::BadBody)?;
        // Decimal, no sign, no leading zeros.
        if size_text.is_empty()
            || !size_text.bytes().all(|b| b.is_ascii_digit())
            || (size_text.len() > 1 && size_text.starts_with('0'))
        {
            return Err(CheckpointError::BadBody);
        }
        let size: u64 = size_text.parse().map_err(|_| CheckpointError::BadBody)?;
        let root_text = lines.next().ok_or(CheckpointError::BadBody)?;
        let root: Hash = B64
            .decode(root_text)
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or(CheckpointError::BadBody)?;
        // Further lines are extensions; none is defined here, so any is refused rather
        // than silently trusted.
        if lines.next().is_some() {
            return Err(CheckpointError::BadBody);
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
        })
    }
}

fn key_id(name: &str, key: &VerifyingKey) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n\x01");
    h.update(key.as_bytes());
    let d = h.finalize();
    [d[0], d[1], d[2], d[3]]
}

fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['+', ' ', '\n']) && name.chars().all(|c| !c.is_control())
}

/// Signs checkpoints for one log.
pub struct NoteSigner {
    name: String,
    key: SigningKey,
    id: [u8; 4],
}

impl std::fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoteSigner")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl NoteSigner {
    /// `name` is the key's name in the note; by convention the log's origin.
    pub fn new(name: &str, seed: [u8; 32]) -> Result<NoteSigner, CheckpointError> {
        if !valid_name(name) {
            return Err(CheckpointError::BadKey);
        }
        let key = SigningKey::from_bytes(&seed);
        let id = key_id(name, &key.verifying_key());
        Ok(NoteSigner {
            name: name.to_owned(),
            key,
            id,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Sign a checkpoint: the full note.
    pub fn sign(&self, c: &Checkpoint) -> String {
        let body = c.body();
        let sig = self.key.sign(body.as_bytes());
        let mut blob = Vec::with_capacity(68);
        blob.extend_from_slice(&self.id);
        blob.extend_from_slice(&sig.to_bytes());
        format!("{body}\n\u{2014} {} {}\n", self.name, B64.encode(blob))
    }

    pub fn verifier(&self) -> NoteVerifier {
        NoteVerifier {
            name: self.name.clone(),
            id: self.id,
            key: self.key.verifying_key(),
        }
    }
}

/// Verifies checkpoints of one log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteVerifier {
    name: String,
    id: [u8; 4],
    key: VerifyingKey,
}

impl NoteVerifier {
    /// The verifier key in the signed-note text form: `name+hex(key id)+base64(0x01 || key)`.
    pub fn encode(&self) -> String {
        let mut k = vec![1u8];
        k.extend_from_slice(self.key.as_bytes());
        let id: String = self.id.iter().map(|b| format!("{b:02x}")).collect();
        format!("{}+{}+{}", self.name, id, B64.encode(k))
    }

    pub fn parse(s: &str) -> Result<NoteVerifier, CheckpointError> {
        let mut parts = s.trim().splitn(3, '+');
        let (Some(name), Some(id_hex), Some(key_b64)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(CheckpointError::BadKey);
        };
        let raw = B64.decode(key_b64).map_err(|_| CheckpointError::BadKey)?;
        let (&[alg], key) = raw.split_at_checked(1).ok_or(CheckpointError::BadKey)? else {
            return Err(CheckpointError::BadKey);
        };
        if alg != 1 || !valid_name(name) {
            return Err(CheckpointError::BadKey);
        }
        let key: [u8; 32] = key.try_into().map_err(|_| CheckpointError::BadKey)?;
        let key = VerifyingKey::from_bytes(&key).map_err(|_| CheckpointError::BadKey)?;
        let id = key_id(name, &key);
        let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
        if hex != id_hex {
            return Err(CheckpointError::BadKey);
        }
        Ok(NoteVerifier {
            name: name.to_owned(),
            id,
            key,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Verify a note signed by this key and read its checkpoint. The checkpoint's origin
    /// must be the key's name (one key per log).
    pub fn verify(&self, note: &str) -> Result<Checkpoint, CheckpointError> {
        let split = note.find("\n\n").ok_or(CheckpointError::Malformed)?;
        let (body, sigs) = (&note[..split + 1], &note[split + 2..]);
        if sigs.is_empty() || !sigs.ends_with('\n') {
            return Err(CheckpointError::Malformed);
        }
        let mut found = false;
        for line in sigs.split_terminator('\n') {
            let rest = line
                .strip_prefix("\u{2014} ")
                .ok_or(CheckpointError::Malformed)?;
            let (name, b64) = rest.rsplit_once(' ').ok_or(CheckpointError::Malformed)?;
            let blob = B64.decode(b64).map_err(|_| CheckpointError::Malformed)?;
            if name != self.name || blob.len() < 4 || blob[..4] != self.id {
                continue;
            }
            let sig: [u8; 64] = blob[4..]
                .try_into()
                .map_err(|_| CheckpointError::BadSignature)?;
            self.key
                .verify(body.as_bytes(), &ed25519_dalek::Signature::from_bytes(&sig))
                .map_err(|_| CheckpointError::BadSignature)?;
            found = true;
        }
        if !found {
            return Err(CheckpointError::NoSignature);
        }
        let c = Checkpoint::parse_body(body)?;
        if c.origin != self.name {
            return Err(CheckpointError::WrongOrigin(c.origin));
        }
        Ok(c)
    }
}
