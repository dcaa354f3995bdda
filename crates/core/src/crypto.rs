//! Encryption at rest with per-subject data keys, blind indexes, and secret hashing.
//!
//! The personal data the service keeps is sealed with AES-256-GCM under a random
//! data key per subject; that key is wrapped under the master key, which lives
//! outside the database. Destroying the wrapped key makes every copy of the data
//! unreadable. Lookups by IIN go through an HMAC-SHA256 blind index.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Error, ErrorCode};

const NONCE_LEN: usize = 12;
const VERSION: u8 = 1;

/// A 256-bit secret key. Zeroed on drop; `Debug` never prints it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    pub fn from_bytes(b: [u8; 32]) -> Self {
        SecretKey(b)
    }

    pub fn generate() -> Self {
        let mut b = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut b);
        SecretKey(b)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Derive an independent key for one use (HMAC-SHA256 as a PRF).
    pub fn derive(&self, label: &str) -> SecretKey {
        SecretKey(hmac_sha256(&self.0, label.as_bytes()))
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return [0u8; 32],
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// Constant-time equality of two byte strings.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// Seal `plaintext` under `key`, binding it to `aad` (e.g. the subject id and field).
/// Output: version ‖ nonce ‖ ciphertext+tag.
pub fn seal(key: &SecretKey, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, Error> {
    let cipher = Aes256Gcm::new_from_slice(key.as_bytes()).map_err(|_| Error::internal())?;
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let ct = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| Error::internal())?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + ct.len());
    out.push(VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Open what [`seal`] produced. Fails on any change to the data, the key or the aad.
pub fn open(key: &SecretKey, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Error> {
    if sealed.len() < 1 + NONCE_LEN + 16 || sealed[0] != VERSION {
        return Err(Error::new(ErrorCode::Internal));
    }
    let cipher = Aes256Gcm::new_from_slice(key.as_bytes()).map_err(|_| Error::internal())?;
    cipher
        .decrypt(
            Nonce::from_slice(&sealed[1..1 + NONCE_LEN]),
            Payload {
                msg: &sealed[1 + NONCE_LEN..],
                aad,
            },
        )
        .map_err(|_| Error::internal())
}

/// The keys the service holds outside the database.
#[derive(Clone, Debug)]
pub struct Keyring {
    master: SecretKey,
    index: SecretKey,
    codes: SecretKey,
    service: SecretKey,
}

impl Keyring {
    pub fn new(master: SecretKey) -> Self {
        Keyring {
            index: master.derive("qorgau blind index v1"),
            codes: master.derive("qorgau one-time codes v1"),
            service: master.derive("qorgau service data v1"),
            master,
        }
    }

    /// Blind index of an IIN: lets the database find a subject without storing the IIN.
    pub fn blind_index(&self, iin: &crate::id::Iin) -> Vec<u8> {
        hmac_sha256(self.index.as_bytes(), iin.as_string().as_bytes()).to_vec()
    }

    /// Keyed hash of a one-time code bound to what it unlocks.
    pub fn code_hash(&self, context: &[u8], code: &str) -> Vec<u8> {
        let mut data = Vec::with_capacity(context.len() + 1 + code.len());
        data.extend_from_slice(context);
        data.push(0);
        data.extend_from_slice(code.as_bytes());
        hmac_sha256(self.codes.as_bytes(), &data).to_vec()
    }

    /// Seal data that belongs to no subject but is personal all the same (a staff
    /// member's contact in a queued message).
    pub fn seal_service(&self, aad: &[u8], data: &[u8]) -> Result<Vec<u8>, Error> {
        seal(&self.service, aad, data)
    }

    pub fn open_service(&self, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Error> {
        open(&self.service, aad, sealed)
    }

    pub fn wrap(&self, subject_id: &[u8], dek: &SecretKey) -> Result<Vec<u8>, Error> {
        seal(&self.master, &wrap_aad(subject_id), dek.as_bytes())
    }

    pub fn unwrap_key(&self, subject_id: &[u8], wrapped: &[u8]) -> Result<SecretKey, Error> {
        let mut raw = open(&self.master, &wrap_aad(subject_id), wrapped)?;
        let key: [u8; 32] = raw.as_slice().try_into().map_err(|_| Error::internal())?;
        raw.zeroize();
        Ok(SecretKey(key))
    }
}

fn wrap_aad(subject_id: &[u8]) -> Vec<u8> {
    let mut aad = b"qorgau dek wrap v1:".to_vec();
    aad.extend_from_slice(subject_id);
    aad
}

/// A random one-time code of `digits` decimal digits, uniformly distributed.
pub fn one_time_code(digits: u32) -> String {
    let modulus = 10u64.pow(digits);
    // Rejection sampling avoids modulo bias.
    let limit = u64::MAX - (u64::MAX % modulus);
    loop {
        let v = rand::rngs::OsRng.next_u64();
        if v < limit {
            return format!("{:0width$}", v % modulus, width = digits as usize);
        }
    }
}

/// A random token of `bytes` bytes, base64url without padding.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    let mut b = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_roundtrip_and_tamper() {
        let k = SecretKey::generate();
        let sealed = seal(&k, b"subject-1", b"hello").unwrap();
        assert_eq!(open(&k, b"subject-1", &sealed).unwrap(), b"hello");
        assert!(open(&k, b"subject-2", &sealed).is_err());
        assert!(open(&SecretKey::generate(), b"subject-1", &sealed).is_err());
        for i in 0..sealed.len() {
            let mut t = sealed.clone();
            t[i] ^= 1;
            assert!(open(&k, b"subject-1", &t).is_err(), "byte {i}");
        }
    }

    #[test]
    fn wrapped_keys_are_bound_to_their_subject() {
        let ring = Keyring::new(SecretKey::generate());
        let dek = SecretKey::generate();
        let w = ring.wrap(b"a", &dek).unwrap();
        assert_eq!(
            ring.unwrap_key(b"a", &w).unwrap().as_bytes(),
            dek.as_bytes()
        );
        assert!(ring.unwrap_key(b"b", &w).is_err());
    }

    #[test]
    fn codes_have_the_right_shape() {
        for _ in 0..100 {
            let c = one_time_code(6);
            assert_eq!(c.len(), 6);
            assert!(c.bytes().all(|b| b.is_ascii_digit()));
        }
        assert_ne!(random_token(32), random_token(32));
    }

    #[test]
    fn blind_index_is_keyed() {
        let iin = crate::id::Iin::parse("900101300017").unwrap();
        let a = Keyring::new(SecretKey::generate());
        let b = Keyring::new(SecretKey::generate());
        assert_eq!(a.blind_index(&iin), a.blind_index(&iin));
        assert_ne!(a.blind_index(&iin), b.blind_index(&iin));
    }
}
