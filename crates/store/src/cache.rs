//! In-process caches of what never changes once written: organizations' names, BINs
//! and kinds and their purposes (neither has an update path), and the set of category
//! codes (append-only: a code not found reloads the set). Safe with any number of
//! `serve` processes. An organization's DPO can change (Art. 25(2)(10)): whoever
//! needs the DPO reads the organization from the database, not from here.

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
