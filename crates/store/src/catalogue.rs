//! The catalogue: data categories and organizations' purposes with approved lists.

use jiff::Timestamp;
use qorgau_core::catalogue::{
    default_categories, Category, CategoryCode, LocalizedText, Purpose, PurposeCode, Sensitivity,
};
use qorgau_core::{Error, ErrorCode};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{db, from_json, is_unique_violation, new_id, to_json, ts_to_db, Conn, Store};

/// A purpose as stored: the organization's declaration and its id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoredPurpose {
    pub id: Uuid,
    pub organization_id: Uuid,
    #[serde(flatten)]
    pub purpose: Purpose,
}

fn category_from_row(r: &crate::db::Row) -> Result<Category, Error> {
    let code: String = r.try_get("code").map_err(db)?;
    let sens: String = r.try_get("sensitivity").map_err(db)?;
    let name: String = r.try_get("name").map_err(db)?;
    Ok(Category {
        code: CategoryCode::parse(&code)?,
        sensitivity: Sensitivity::parse(&sens).ok_or_else(Error::internal)?,
        name: from_json(&name)?,
    })
}

pub(crate) async fn load_purpose(
    c: &mut Conn,
    organization: Uuid,
    code: &PurposeCode,
) -> Result<StoredPurpose, Error> {
    let row =
        crate::db::query("SELECT id, body FROM purposes WHERE organization_id = $1 AND code = $2")
            .bind(organization.to_string())
            .bind(code.as_str())
            .fetch_optional(&mut *c)
            .await
            .map_err(db)?
            .ok_or_else(|| {
                Error::new(ErrorCode::UnknownPurpose)
                    .at("purpose")
                    .arg("purpose", code.as_str())
            })?;
    purpose_from_row(&row, organization)
}

fn purpose_from_row(r: &crate::db::Row, organization: Uuid) -> Result<StoredPurpose, Error> {
    let id: String = r.try_get("id").map_err(db)?;
    let body: String = r.try_get("body").map_err(db)?;
    Ok(StoredPurpose {
        id: id.parse().map_err(|_| Error::internal())?,
        organization_id: organization,
        purpose: from_json(&body)?,
    })
}

impl Store {
    /// Add the categories the service ships with; existing ones are left as they are.
    pub async fn seed_default_categories(&self, now: Timestamp) -> Result<(), Error> {
        self.write(move |c| {
            Box::pin(async move {
                for (code, sens, kk, ru, en) in default_categories() {
                    let name = LocalizedText {
                        kk: kk.into(),
                        ru: ru.into(),
                        en: Some(en.into()),
                    };
                    crate::db::query(
                        "INSERT INTO categories (code, sensitivity, name, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING",
                    )
                    .bind(code)
                    .bind(sens.as_str())
                    .bind(to_json(&name)?)
                    .bind(ts_to_db(now))
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                }
                Ok(())
            })
        })
        .await
    }

    pub async fn create_category(&self, cat: Category, now: Timestamp) -> Result<Category, Error> {
        cat.name.validate("name", 200)?;
        let k = cat.clone();
        self.write(move |c| {
            Box::pin(async move {
                crate::db::query(
                    "INSERT INTO categories (code, sensitivity, name, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(k.code.as_str().to_owned())
                .bind(k.sensitivity.as_str())
                .bind(to_json(&k.name)?)
                .bind(ts_to_db(now))
                .execute(&mut *c)
                .await
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        Error::new(ErrorCode::CategoryExists).at("code")
                    } else {
                        db(e)
                    }
                })?;
                crate::ledger::append(
                    c,
                    &qorgau_ledger::Entry::new("category.created", now, qorgau_ledger::Actor::new("admin", None))
                        .object("category", k.code.as_str())
                        .detail("sensitivity", k.sensitivity.as_str()),
                )
                .await?;
                Ok(())
            })
        })
        .await?;
        Ok(cat)
    }

    pub async fn list_categories(&self) -> Result<Vec<Category>, Error> {
        let mut c = self.reader().await?;
        let rows = crate::db::query("SELECT code, sensitivity, name FROM categories ORDER BY code")
            .fetch_all(&mut c)
            .await
            .map_err(db)?;
        rows.iter().map(category_from_row).collect()
    }

    /// Declare a purpose with its approved list (Art. 25(2)(1)) and storage term (Art. 12(2)).
    pub async fn create_purpose(
        &self,
        organization: Uuid,
        purpose: Purpose,
        now: Timestamp,
    ) -> Result<StoredPurpose, Error> {
        purpose.validate()?;
        let stored = StoredPurpose {
            id: new_id(),
            organization_id: organization,
            purpose,
        };
        let s = stored.clone();
        self.write(move |c| {
            Box::pin(async move {
                let org = crate::orgs::load_org(c, s.organization_id).await?;
                if !org.kind.collects() {
                    return Err(Error::new(ErrorCode::NotAnOperator));
                }
                for cat in &s.purpose.categories {
                    let known: Option<(String,)> =
                        crate::db::query_as("SELECT code FROM categories WHERE code = $1")
                            .bind(cat.as_str().to_owned())
                            .fetch_optional(&mut *c)
                            .await
                            .map_err(db)?;
                    if known.is_none() {
                        return Err(Error::new(ErrorCode::UnknownCategory)
                            .at("categories")
                            .arg("category", cat.as_str()));
                    }
                }
                crate::db::query(
                    "INSERT INTO purposes (id, organization_id, code, body, created_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(s.id.to_string())
                .bind(s.organization_id.to_string())
                .bind(s.purpose.code.as_str().to_owned())
                .bind(to_json(&s.purpose)?)
                .bind(ts_to_db(now))
                .execute(&mut *c)
                .await
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        Error::new(ErrorCode::PurposeExists).at("code")
                    } else {
                        db(e)
                    }
                })?;
                for cat in &s.purpose.categories {
                    crate::db::query(
                        "INSERT INTO purpose_categories (purpose_id, category_code) VALUES ($1, $2)",
                    )
                    .bind(s.id.to_string())
                    .bind(cat.as_str().to_owned())
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                }
                let mut e = qorgau_ledger::Entry::new("purpose.registered", now, qorgau_ledger::Actor::new("organization", Some(s.organization_id.to_string())))
                    .organization(s.organization_id)
                    .object("purpose", s.id);
                e.purpose = Some(s.purpose.code.as_str().to_owned());
                e.categories = s.purpose.categories.iter().map(|c| c.as_str().to_owned()).collect();
                crate::ledger::append(c, &e).await?;
                Ok(())
            })
        })
        .await?;
        Ok(stored)
    }

    pub async fn list_purposes(&self, organization: Uuid) -> Result<Vec<StoredPurpose>, Error> {
        let mut c = self.reader().await?;
        let rows = crate::db::query(
            "SELECT id, body FROM purposes WHERE organization_id = $1 ORDER BY code",
        )
        .bind(organization.to_string())
        .fetch_all(&mut c)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| purpose_from_row(r, organization))
            .collect()
    }

    pub async fn purpose(
        &self,
        organization: Uuid,
        code: &PurposeCode,
    ) -> Result<StoredPurpose, Error> {
        let mut c = self.reader().await?;
        load_purpose(&mut c, organization, code).await
    }
}
