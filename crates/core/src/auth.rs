//! Who may sign in and how: staff roles and what each may do, password hashing
//! (Argon2id), TOTP (RFC 6238) with replay protection, and the sign-in throttle's
//! soft-lock schedule. No I/O; time is always passed in.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use hmac::{Hmac, Mac};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{Error, ErrorCode};
use crate::org::Scope;

/// The role of a person who signs in with a password and TOTP. Subjects (and their
/// legal representatives, who are subjects too) sign in by one-time code instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the service: onboards organizations, keys, accounts, the calendar.
    ServiceAdmin,
    /// An inspector of the authorized body: reads every organization's status, the
    /// ledger and evidence; changes nothing.
    Inspector,
    /// An organization's administrator: its staff accounts and API keys, and all it may do.
    OrgAdmin,
    /// The person responsible for organizing the processing of personal data (Art. 25(3)).
    Dpo,
    /// Staff who process personal data for the organization (for a third party: its staff).
    Processor,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::ServiceAdmin,
        Role::Inspector,
        Role::OrgAdmin,
        Role::Dpo,
        Role::Processor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::ServiceAdmin => "service_admin",
            Role::Inspector => "inspector",
            Role::OrgAdmin => "org_admin",
            Role::Dpo => "dpo",
            Role::Processor => "processor",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.as_str() == s)
    }

    /// Staff of an organization (as opposed to the service's own people).
    pub fn in_organization(self) -> bool {
        matches!(self, Role::OrgAdmin | Role::Dpo | Role::Processor)
    }

    /// What a member of an organization with this role may do through the API: the
    /// same scopes an API key carries.
    pub fn scopes(self) -> &'static [Scope] {
        match self {
            Role::ServiceAdmin | Role::Inspector => &[],
            Role::OrgAdmin => Scope::ALL,
            Role::Dpo => &[
                Scope::CatalogueWrite,
                Scope::ConsentsRead,
                Scope::LedgerRead,
                Scope::Requests,
            ],
            Role::Processor => &[
                Scope::ConsentsRead,
                Scope::ConsentsWrite,
                Scope::Decisions,
                Scope::Events,
                Scope::Requests,
            ],
        }
    }
}

// ---------------------------------------------------------------------------
// Passwords

/// At least this many characters (ASVS 5.0 6.2.1 asks for 8; with MFA always on we
/// ask for 12), at most 128 (6.2.9 asks that 64 be allowed).
pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// A few passwords that meet the length rule and are still the first an attacker
/// tries (ASVS 6.2.4 asks to refuse the commonest).
const COMMON: &[&str] = &[
    "password1234",
    "123456789012",
    "qwertyuiop12",
    "qwerty123456",
    "passwordpassword",
    "1234567890123",
    "administrator",
    "iloveyou1234",
    "qazwsxedcrfv",
    "abc123456789",
];

/// Check a new password: length in characters, not one repeated character, not a
/// well-known one, not containing the login.
pub fn validate_password(password: &str, login: &str) -> Result<(), Error> {
    let n = password.chars().count();
    let weak = || Error::new(ErrorCode::WeakPassword).at("password");
    if !(PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&n) {
        return Err(weak()
            .arg("min", PASSWORD_MIN_CHARS.to_string())
            .arg("max", PASSWORD_MAX_CHARS.to_string()));
    }
    let mut chars = password.chars();
    let first = chars.next();
    let lower = password.to_lowercase();
    let login = login.trim().to_lowercase();
    let local = login.split('@').next().unwrap_or_default();
    if chars.all(|c| Some(c) == first)
        || COMMON.contains(&lower.as_str())
        || (local.len() >= 4 && lower.contains(local))
    {
        return Err(weak()
            .arg("min", PASSWORD_MIN_CHARS.to_string())
            .arg("max", PASSWORD_MAX_CHARS.to_string()));
    }
    Ok(())
}

/// Argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane),
/// as ASVS 5.0 11.4.2 points to.
fn argon2() -> Result<Argon2<'static>, Error> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|_| Error::internal())?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hash a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`). CPU-bound:
/// call it off the async executor.
pub fn hash_password(password: &str) -> Result<String, Error> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Ok(argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|_| Error::internal())?
        .to_string())
}

/// Verify a password against a PHC string. With `None` (no such account, or no
/// password yet) it still spends the same work on a throwaway hash and answers
/// false, so timing does not tell known logins from unknown ones.
pub fn verify_password(phc: Option<&str>, password: &str) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("not a password at all").unwrap_or_default());
    let (stored, real) = match phc {
        Some(p) => (p, true),
        None => (dummy.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let Ok(a) = argon2() else { return false };
    a.verify_password(password.as_bytes(), &parsed).is_ok() && real
}

// ---------------------------------------------------------------------------
// TOTP (RFC 6238 over RFC 4226): HMAC-SHA1, 30-second steps, 6 digits.

pub const TOTP_STEP_SECONDS: i64 = 30;
pub const TOTP_DIGITS: u32 = 6;
/// Steps either side of now that are accepted, for clock drift.
pub const TOTP_SKEW: i64 = 1;

/// The time step `now` falls in.
pub fn totp_step(now: Timestamp) -> i64 {
    now.as_second().div_euclid(TOTP_STEP_SECONDS)
}

/// The code for a step (RFC 4226 dynamic truncation).
pub fn totp_code(secret: &[u8], step: i64) -> String {
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(&(step as u64).to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = (h[19] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]]);
    format!(
        "{:0width$}",
        bin % 10u32.pow(TOTP_DIGITS),
        width = TOTP_DIGITS as usize
    )
}

/// Check a TOTP code at `now`. `last_step` is the last step ever accepted for this
/// secret: a code from it or an earlier step is refused, so a code cannot be used
/// twice (RFC 6238 5.2; ASVS 6.5.1). Returns the step to remember.
pub fn verify_totp(secret: &[u8], code: &str, now: Timestamp, last_step: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != TOTP_DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = totp_step(now);
    let mut found = None;
    // Look at every step in the window, so the time taken does not tell which matched.
    for step in current - TOTP_SKEW..=current + TOTP_SKEW {
        if crate::crypto::ct_eq(totp_code(secret, step).as_bytes(), code.as_bytes())
            && step > last_step
        {
            found = Some(step);
        }
    }
    found
}

/// A new TOTP secret: 160 random bits (RFC 4226 recommends 160).
pub fn new_totp_secret() -> Vec<u8> {
    use rand::RngCore;
    let mut s = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut s);
    s
}

/// The secret as authenticator apps take it (RFC 4648 base32, no padding).
pub fn totp_secret_base32(secret: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(secret)
}

/// A base32 secret as an authenticator shows it (spaces and case do not matter).
pub fn totp_secret_from_base32(s: &str) -> Option<Vec<u8>> {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    data_encoding::BASE32_NOPAD.decode(clean.as_bytes()).ok()
}

/// The `otpauth://` URI that authenticator apps read from a QR code. The label is
/// the account's id, never a name or address.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    fn enc(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={TOTP_DIGITS}&period={TOTP_STEP_SECONDS}",
        enc(issuer),
        enc(account),
        totp_secret_base32(secret),
        enc(issuer)
    )
}

// ---------------------------------------------------------------------------
// Recovery codes

pub const RECOVERY_CODES: usize = 10;

/// One recovery code: 10 characters from an alphabet without look-alikes, shown as
/// `xxxxx-xxxxx`. About 50 bits each; single use.
pub fn new_recovery_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    let s: String = (0..10)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &s[..5], &s[5..])
}

/// A recovery code as typed: case, spaces and the dash do not matter.
pub fn normalize_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

// ---------------------------------------------------------------------------
// Throttle

/// What a throttle counts failures against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleScope {
    /// One account, one subject (by IIN), or one login name whether it exists or not.
    Account,
    /// One client address.
    Address,
    /// Codes sent to one subject (each costs an SMS and may annoy them).
    Sends,
}

impl ThrottleScope {
    /// Failures allowed between locks.
    pub fn allowance(self) -> i64 {
        match self {
            ThrottleScope::Account => 5,
            ThrottleScope::Address => 20,
            ThrottleScope::Sends => 5,
        }
    }
}

/// Failures are forgotten after this long without a new one.
pub const THROTTLE_MEMORY: SignedDuration = SignedDuration::from_hours(24);

/// The soft-lock schedule: after every `allowance` failures in a row the key is locked,
/// each time for longer: 1 minute, 5 minutes, 15 minutes, then 1 hour for every
/// further round. Never a permanent lock, which would let anyone lock a real user
/// out for good (ASVS 6.3.1); a success clears the account's count.
pub fn lock_after(scope: ThrottleScope, failures: i64) -> Option<SignedDuration> {
    let per = scope.allowance();
    if failures <= 0 || failures % per != 0 {
        return None;
    }
    Some(match failures / per {
        1 => SignedDuration::from_mins(1),
        2 => SignedDuration::from_mins(5),
        3 => SignedDuration::from_mins(15),
        _ => SignedDuration::from_hours(1),
    })
}

// ---------------------------------------------------------------------------
// Sessions

/// How long sessions live without activity and at most, by who holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: SignedDuration,
    pub absolute: SignedDuration,
}

/// A subject's session: 30 minutes idle, 8 hours at most.
pub const SUBJECT_SESSION: SessionPolicy = SessionPolicy {
    idle: SignedDuration::from_mins(30),
    absolute: SignedDuration::from_hours(8),
};

/// Staff, inspectors, administrators: 15 minutes idle, 8 hours at most.
pub const STAFF_SESSION: SessionPolicy = SessionPolicy {
    idle: SignedDuration::from_mins(15),
    absolute: SignedDuration::from_hours(8),
};

/// Between the first factor and the second: 5 minutes, whoever it is.
pub const PENDING_MFA_SESSION: SessionPolicy = SessionPolicy {
    idle: SignedDuration::from_mins(5),
    absolute: SignedDuration::from_mins(5),
};

/// How long the one-time token that lets a new staff member set their password lives.
pub const SETUP_TOKEN_TTL: SignedDuration = SignedDuration::from_hours(72);

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: i64) -> Timestamp {
        Timestamp::from_second(s).unwrap()
    }

    #[test]
    fn totp_matches_rfc_6238_vectors() {
        // RFC 6238 Appendix B, SHA-1 secret, last 6 digits of the 8-digit values.
        let secret = b"12345678901234567890";
        for (t, code) in [
            (59, "287082"),
            (1111111109, "081804"),
            (1111111111, "050471"),
            (1234567890, "005924"),
            (2000000000, "279037"),
            (20000000000, "353130"),
        ] {
            assert_eq!(totp_code(secret, totp_step(ts(t))), code, "t={t}");
        }
    }

    #[test]
    fn totp_accepts_one_step_of_drift_and_never_the_same_step_twice() {
        let secret = new_totp_secret();
        let now = ts(1_800_000_015);
        let step = totp_step(now);
        let code = totp_code(&secret, step);
        assert_eq!(verify_totp(&secret, &code, now, 0), Some(step));
        // Replay of the same code (same step) is refused.
        assert_eq!(verify_totp(&secret, &code, now, step), None);
        // The previous and the next step are accepted once; two steps away is not.
        let prev = totp_code(&secret, step - 1);
        let next = totp_code(&secret, step + 1);
        let far = totp_code(&secret, step - 2);
        assert_eq!(verify_totp(&secret, &prev, now, 0), Some(step - 1));
        assert_eq!(verify_totp(&secret, &next, now, 0), Some(step + 1));
        assert_eq!(verify_totp(&secret, &far, now, 0), None);
        // An older step than the one already used is refused too.
        assert_eq!(verify_totp(&secret, &prev, now, step), None);
        // Wrong shape.
        assert_eq!(verify_totp(&secret, "12345", now, 0), None);
        assert_eq!(verify_totp(&secret, "12345a", now, 0), None);
        // Whitespace around is fine.
        assert_eq!(
            verify_totp(&secret, &format!(" {code} "), now, 0),
            Some(step)
        );
    }

    #[test]
    fn otpauth_uri_carries_base32_secret_and_parameters() {
        let uri = otpauth_uri("Qorgau", "0192-ab", b"12345678901234567890");
        assert_eq!(
            totp_secret_from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").unwrap(),
            b"12345678901234567890"
        );
        assert_eq!(
            uri,
            "otpauth://totp/Qorgau:0192-ab?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Qorgau&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password(Some(&h), "correct horse battery"));
        assert!(!verify_password(Some(&h), "correct horse batterx"));
        assert!(!verify_password(None, "correct horse battery"));
        assert!(!verify_password(Some("not a phc string"), "x"));
        // Salted: the same password hashes differently.
        assert_ne!(h, hash_password("correct horse battery").unwrap());
    }

    #[test]
    fn password_policy() {
        let ok = |p: &str| validate_password(p, "aigerim@bank.kz").is_ok();
        assert!(ok("correct horse battery"));
        assert!(ok("Қорғау-құпия-сөз")); // characters, not bytes, are counted
        assert!(!ok("short pass"));
        assert!(!ok(&"a".repeat(129)));
        assert!(!ok("aaaaaaaaaaaaaaaa"));
        assert!(!ok("Password1234"));
        assert!(!ok("my-aigerim-password"));
        assert_eq!(
            validate_password("x", "a@b.kz").unwrap_err().code,
            ErrorCode::WeakPassword
        );
    }

    #[test]
    fn lock_schedule_grows_and_never_locks_for_good() {
        use ThrottleScope::*;
        let m = SignedDuration::from_mins;
        assert_eq!(lock_after(Account, 4), None);
        assert_eq!(lock_after(Account, 5), Some(m(1)));
        assert_eq!(lock_after(Account, 6), None);
        assert_eq!(lock_after(Account, 10), Some(m(5)));
        assert_eq!(lock_after(Account, 15), Some(m(15)));
        assert_eq!(lock_after(Account, 20), Some(m(60)));
        assert_eq!(lock_after(Account, 500), Some(m(60)));
        assert_eq!(lock_after(Address, 19), None);
        assert_eq!(lock_after(Address, 20), Some(m(1)));
        assert_eq!(lock_after(Sends, 5), Some(m(1)));
    }

    #[test]
    fn recovery_codes_are_distinct_and_normalize() {
        let a = new_recovery_code();
        assert_eq!(a.len(), 11);
        assert_ne!(a, new_recovery_code());
        assert_eq!(normalize_recovery_code(" AbCde-fGhjk "), "abcdefghjk");
    }

    #[test]
    fn roles_round_trip_and_scope() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(*r));
        }
        assert!(Role::Processor.scopes().contains(&Scope::Decisions));
        assert!(!Role::Dpo.scopes().contains(&Scope::Decisions));
        assert!(Role::Inspector.scopes().is_empty());
        assert!(!Role::Inspector.in_organization());
    }
}
