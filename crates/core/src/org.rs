//! Organizations (owners, operators, third parties), their responsible person, and API scopes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::catalogue::validate_text;
use crate::consent::Contact;
use crate::error::{Error, ErrorCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Owner of a database containing personal data (Art. 1 p.14).
    Owner,
    /// Operator of a database containing personal data (Art. 1 p.15).
    Operator,
    /// Third party (Art. 1 p.16).
    ThirdParty,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Owner => "owner",
            OrgKind::Operator => "operator",
            OrgKind::ThirdParty => "third_party",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "owner" => Some(OrgKind::Owner),
            "operator" => Some(OrgKind::Operator),
            "third_party" => Some(OrgKind::ThirdParty),
            _ => None,
        }
    }

    /// Owners and operators collect and process; third parties receive.
    pub fn collects(self) -> bool {
        matches!(self, OrgKind::Owner | OrgKind::Operator)
    }
}

/// The person responsible for organizing the processing of personal data (Art. 25(2)(10), 25(3)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Dpo {
    pub name: String,
    #[serde(flatten)]
    pub contact: Contact,
}

impl Dpo {
    pub fn validate(&self) -> Result<(), Error> {
        validate_text(&self.name, 200).map_err(|e| e.at("dpo.name"))?;
        self.contact.validate("dpo")?;
        if self.contact.is_empty() {
            return Err(Error::new(ErrorCode::NoContact).at("dpo"));
        }
        Ok(())
    }
}

macro_rules! scopes {
    ($( $variant:ident => $s:literal ),* $(,)?) => {
        /// What an API key may do. A key carries one or more scopes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        pub enum Scope { $( #[serde(rename = $s)] $variant ),* }

        impl Scope {
            pub const ALL: &'static [Scope] = &[ $( Scope::$variant ),* ];
            pub fn as_str(self) -> &'static str {
                match self { $( Scope::$variant => $s ),* }
            }
            pub fn parse(s: &str) -> Option<Scope> {
                match s { $( $s => Some(Scope::$variant), )* _ => None }
            }
        }
    };
}

scopes! {
    CatalogueWrite => "catalogue:write",
    ConsentsRead => "consents:read",
    ConsentsWrite => "consents:write",
    Decisions => "decisions",
    LedgerRead => "ledger:read",
    Events => "events",
    Requests => "requests",
}

/// Scopes as stored: space-separated.
pub fn scopes_to_string(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn scopes_from_string(s: &str) -> Vec<Scope> {
    s.split(' ').filter_map(Scope::parse).collect()
}
