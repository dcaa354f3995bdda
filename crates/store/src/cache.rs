//! In-process caches of what never changes once written: organizations' names, BINs
//! and kinds and their purposes (neither has an update path), and the set of category
//! codes (append-only: a code not found reloads the set). Safe with any number of
//! `serve` processes. An organization's DPO can change (Art. 25(2)(10)): whoever
//! needs the DPO reads the organization from the database, not from here.
//!
//! API keys are the exception: they can be revoked, so a verified key is kept for at most
//! [`KEY_CACHE_TTL`], and this process forgets it the moment it revokes or rotates it.
//! Another process sharing a PostgreSQL database stops accepting a key revoked elsewhere
//! within that time.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use qorgau_core::catalogue::{CategoryCode, PurposeCode};
use qorgau_core::Error;
use uuid::Uuid;

use crate::catalogue::{load_purpose, StoredPurpose};
use crate::orgs::{load_org, Organization};
use crate::{db, Store};

#[derive(Default)]
pub(crate) struct Cache {
    orgs: RwLock<HashMap<Uuid, Arc<Organization>>>,
    purposes: RwLock<HashMap<(Uuid, PurposeCode), Arc<StoredPurpose>>>,
    categories: RwLock<Arc<HashSet<String>>>,
    /// When this process last wrote each API key's last use.
    pub(crate) key_uses: std::sync::Mutex<HashMap<Uuid, jiff::Timestamp>>,
    pub(crate) keys: std::sync::Mutex<KeyCache>,
}

/// How long a verified API key is trusted without reading it again.
pub const KEY_CACHE_TTL: jiff::SignedDuration = jiff::SignedDuration::from_secs(1);

/// Verified API keys: the hash of the secret that was checked, the key, and when it was
/// read. `generation` moves on at every revocation or rotation, so that a read that began
/// before one is never cached after it.
#[derive(Default)]
pub(crate) struct KeyCache {
    generation: u64,
    keys: HashMap<Uuid, (Vec<u8>, crate::orgs::ApiKeyInfo, jiff::Timestamp)>,
}

impl KeyCache {
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// The key, if it was verified with this secret hash less than the TTL ago.
    pub(crate) fn get(
        &self,
        id: &Uuid,
        secret_hash: &[u8],
        now: jiff::Timestamp,
    ) -> Option<crate::orgs::ApiKeyInfo> {
        let (hash, key, read_at) = self.keys.get(id)?;
        let fresh = now >= *read_at && now.duration_since(*read_at) < KEY_CACHE_TTL;
        (fresh && qorgau_core::crypto::ct_eq(hash, secret_hash)).then(|| key.clone())
    }

    /// Keep a key read at `now`, unless a revocation or rotation came since `generation`.
    pub(crate) fn put(
        &mut self,
        generation: u64,
        secret_hash: Vec<u8>,
        key: crate::orgs::ApiKeyInfo,
        now: jiff::Timestamp,
    ) {
        if generation == self.generation {
            self.keys.insert(key.id, (secret_hash, key, now));
        }
    }

    /// Forget a key that was just revoked or rotated.
    pub(crate) fn forget(&mut self, id: &Uuid) {
        self.generation += 1;
        self.keys.remove(id);
    }
}

fn read<T: Clone, K: std::hash::Hash + Eq>(m: &RwLock<HashMap<K, T>>, k: &K) -> Option<T> {
    m.read().unwrap_or_else(|e| e.into_inner()).get(k).cloned()
}

fn put<T, K: std::hash::Hash + Eq>(m: &RwLock<HashMap<K, T>>, k: K, v: T) {
    m.write().unwrap_or_else(|e| e.into_inner()).insert(k, v);
}

impl Store {
    /// An organization, from the cache when it has been seen.
    pub async fn organization_cached(&self, id: Uuid) -> Result<Arc<Organization>, Error> {
        let cache = &self.inner.cache;
        if let Some(o) = read(&cache.orgs, &id) {
            return Ok(o);
        }
        let mut c = self.reader().await?;
        let org = Arc::new(load_org(&mut c, id).await?);
        put(&cache.orgs, id, org.clone());
        Ok(org)
    }

    /// An organization's purpose, from the cache when it has been seen.
    pub async fn purpose_cached(
        &self,
        org: Uuid,
        code: &PurposeCode,
    ) -> Result<Arc<StoredPurpose>, Error> {
        let cache = &self.inner.cache;
        let key = (org, code.clone());
        if let Some(p) = read(&cache.purposes, &key) {
            return Ok(p);
        }
        let mut c = self.reader().await?;
        let p = Arc::new(load_purpose(&mut c, org, code).await?);
        put(&cache.purposes, key, p.clone());
        Ok(p)
    }

    /// The first of `codes` that is not in the catalogue, if any.
    pub async fn unknown_category<'a>(
        &self,
        codes: impl Iterator<Item = &'a CategoryCode> + Clone,
    ) -> Result<Option<&'a CategoryCode>, Error> {
        let cache = &self.inner.cache;
        let known = cache
            .categories
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if codes.clone().all(|c| known.contains(c.as_str())) {
            return Ok(None);
        }
        let mut c = self.reader().await?;
        let rows: Vec<(String,)> = crate::db::query_as("SELECT code FROM categories")
            .fetch_all(&mut c)
            .await
            .map_err(db)?;
        let fresh: Arc<HashSet<String>> = Arc::new(rows.into_iter().map(|(k,)| k).collect());
        *cache.categories.write().unwrap_or_else(|e| e.into_inner()) = fresh.clone();
        Ok(codes.into_iter().find(|c| !fresh.contains(c.as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::ApiKeyInfo;
    use jiff::{SignedDuration, Timestamp};

    fn key(created_at: Timestamp) -> ApiKeyInfo {
        ApiKeyInfo {
            id: Uuid::from_u128(7),
            organization_id: None,
            label: "k".to_owned(),
            scopes: Vec::new(),
            created_at,
            revoked_at: None,
            expires_at: None,
            replaced_by: None,
            last_used_at: None,
        }
    }

    #[test]
    fn a_verified_key_is_kept_for_the_ttl_and_only_for_its_secret() {
        let t0 = Timestamp::from_second(1_800_000_000).unwrap();
        let k = key(t0);
        let mut c = KeyCache::default();
        c.put(c.generation(), vec![1; 32], k.clone(), t0);
        assert_eq!(c.get(&k.id, &[1; 32], t0).map(|k| k.id), Some(k.id));
        assert!(c.get(&k.id, &[2; 32], t0).is_none(), "another secret");
        let almost = t0 + KEY_CACHE_TTL - SignedDuration::from_millis(1);
        assert!(c.get(&k.id, &[1; 32], almost).is_some());
        assert!(
            c.get(&k.id, &[1; 32], t0 + KEY_CACHE_TTL).is_none(),
            "stale"
        );
        assert!(
            c.get(&k.id, &[1; 32], t0 - SignedDuration::from_secs(1))
                .is_none(),
            "a clock that went back"
        );
    }

    #[test]
    fn a_revocation_forgets_the_key_and_a_read_from_before_it_is_not_kept() {
        let t0 = Timestamp::from_second(1_800_000_000).unwrap();
        let k = key(t0);
        let mut c = KeyCache::default();
        c.put(c.generation(), vec![1; 32], k.clone(), t0);
        // A request read the key (live) just before it was revoked...
        let before = c.generation();
        c.forget(&k.id);
        assert!(c.get(&k.id, &[1; 32], t0).is_none());
        // ...and comes to keep what it read only after the revocation.
        c.put(before, vec![1; 32], k.clone(), t0);
        assert!(c.get(&k.id, &[1; 32], t0).is_none());
        // A read begun after the revocation is kept.
        c.put(c.generation(), vec![1; 32], k.clone(), t0);
        assert!(c.get(&k.id, &[1; 32], t0).is_some());
    }
}
