//! Signed receipts: compact JWS (RFC 7515) with Ed25519 (`alg: EdDSA`, RFC 8037),
//! and the JSON Web Key Set that verifies them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode};

/// The service's signing key with its key id (the RFC 7638 JWK thumbprint).
#[derive(Clone)]
pub struct ServiceKey {
    signing: SigningKey,
    kid: String,
}

impl std::fmt::Debug for ServiceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ServiceKey(kid={})", self.kid)
    }
}

impl ServiceKey {
    pub fn from_seed(seed: [u8; 32]) -> Self {
        let signing = SigningKey::from_bytes(&seed);
        let kid = thumbprint(&signing.verifying_key());
        ServiceKey { signing, kid }
    }

    pub fn generate() -> Self {
        Self::from_seed(*crate::crypto::SecretKey::generate().as_bytes())
    }

    pub fn seed(&self) -> [u8; 32] {
        self.signing.to_bytes()
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    pub fn jwk(&self) -> Jwk {
        Jwk::from_key(&self.signing.verifying_key())
    }

    /// Sign `payload` as a compact JWS with header `{"alg":"EdDSA","kid":…,"typ":typ}`.
    pub fn sign_jws<T: Serialize>(&self, typ: &str, payload: &T) -> Result<String, Error> {
        let header = serde_json::json!({"alg": "EdDSA", "kid": self.kid, "typ": typ});
        let h = B64.encode(serde_json::to_vec(&header).map_err(|_| Error::internal())?);
        let p = B64.encode(serde_json::to_vec(payload).map_err(|_| Error::internal())?);
        let signing_input = format!("{h}.{p}");
        let sig = self.signing.sign(signing_input.as_bytes());
        Ok(format!("{signing_input}.{}", B64.encode(sig.to_bytes())))
    }

    /// Sign raw bytes (used by checkpoints and other notes).
    pub fn sign_bytes(&self, msg: &[u8]) -> [u8; 64] {
        self.signing.sign(msg).to_bytes()
    }
}

/// A public key as a JWK (RFC 8037: `kty: OKP`, `crv: Ed25519`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Jwk {
    pub kty: String,
    pub crv: String,
    pub x: String,
    pub kid: String,
    #[serde(rename = "use")]
    pub use_: String,
    pub alg: String,
}

impl Jwk {
    pub fn from_key(key: &VerifyingKey) -> Self {
        Jwk {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            x: B64.encode(key.as_bytes()),
            kid: thumbprint(key),
            use_: "sig".into(),
            alg: "EdDSA".into(),
        }
    }

    pub fn verifying_key(&self) -> Result<VerifyingKey, Error> {
        let raw = B64
            .decode(&self.x)
            .map_err(|_| Error::new(ErrorCode::ValidationFailed))?;
        let bytes: [u8; 32] = raw
            .as_slice()
            .try_into()
            .map_err(|_| Error::new(ErrorCode::ValidationFailed))?;
        VerifyingKey::from_bytes(&bytes).map_err(|_| Error::new(ErrorCode::ValidationFailed))
    }
}

/// RFC 7638 thumbprint of an Ed25519 public key.
pub fn thumbprint(key: &VerifyingKey) -> String {
    // Members in lexicographic order, no whitespace.
    let canonical = format!(
        r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
        B64.encode(key.as_bytes())
    );
    B64.encode(crate::crypto::sha256(canonical.as_bytes()))
}

/// Why a JWS did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwsError {
    #[error("not a compact JWS")]
    Malformed,
    #[error("unsupported algorithm")]
    Algorithm,
    #[error("no published key with this kid")]
    UnknownKey,
    #[error("signature does not verify")]
    BadSignature,
}

/// Verify a compact JWS against a key set; returns the header `typ` and the payload.
pub fn verify_jws(jws: &str, keys: &[Jwk]) -> Result<(String, serde_json::Value), JwsError> {
    let mut parts = jws.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwsError::Malformed);
    };
    let header: serde_json::Value = B64
        .decode(h)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(JwsError::Malformed)?;
    if header.get("alg").and_then(|v| v.as_str()) != Some("EdDSA") {
        return Err(JwsError::Algorithm);
    }
    let kid = header
        .get("kid")
        .and_then(|v| v.as_str())
        .ok_or(JwsError::Malformed)?;
    let jwk = keys
        .iter()
        .find(|k| k.kid == kid)
        .ok_or(JwsError::UnknownKey)?;
    let key = jwk.verifying_key().map_err(|_| JwsError::UnknownKey)?;
    let sig_bytes: [u8; 64] = B64
        .decode(s)
        .ok()
        .and_then(|b| b.as_slice().try_into().ok())
        .ok_or(JwsError::Malformed)?;
    key.verify(
        format!("{h}.{p}").as_bytes(),
        &Signature::from_bytes(&sig_bytes),
    )
    .map_err(|_| JwsError::BadSignature)?;
    let payload = B64
        .decode(p)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(JwsError::Malformed)?;
    let typ = header
        .get("typ")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned();
    Ok((typ, payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_and_tamper_every_byte() {
        let key = ServiceKey::generate();
        let jws = key
            .sign_jws("test", &serde_json::json!({"a": 1, "b": "x"}))
            .unwrap();
        let keys = vec![key.jwk()];
        let (typ, payload) = verify_jws(&jws, &keys).unwrap();
        assert_eq!(typ, "test");
        assert_eq!(payload["a"], 1);
        let bytes = jws.as_bytes();
        for i in 0..bytes.len() {
            let mut t = bytes.to_vec();
            t[i] = if t[i] == b'A' { b'B' } else { b'A' };
            if t == bytes {
                continue;
            }
            let s = String::from_utf8(t).unwrap();
            assert!(
                verify_jws(&s, &keys).is_err(),
                "byte {i} changed yet verified"
            );
        }
        assert_eq!(
            verify_jws(&jws, &[ServiceKey::generate().jwk()]),
            Err(JwsError::UnknownKey)
        );
    }

    #[test]
    fn thumbprint_matches_rfc8037_example() {
        // RFC 8037 appendix A.3: the thumbprint of the example key.
        let x = B64
            .decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
            .unwrap();
        let key = VerifyingKey::from_bytes(&x.try_into().unwrap()).unwrap();
        assert_eq!(
            thumbprint(&key),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
    }

    #[test]
    fn rfc8037_signature_example() {
        // RFC 8037 appendix A.4/A.5.
        let d = B64
            .decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")
            .unwrap();
        let signing = SigningKey::from_bytes(&d.try_into().unwrap());
        let input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
        let sig = signing.sign(input.as_bytes());
        assert_eq!(
            B64.encode(sig.to_bytes()),
            "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
        );
    }
}
