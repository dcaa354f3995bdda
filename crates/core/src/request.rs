//! Subjects' requests to an organization (Art. 6, 13, 24, 25(2)(6)–(9); Rules p.15–16)
//! and the deadline each one has.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the subject asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Whether, why and how their data are processed, which data, for how long
    /// (Art. 24(1)(1), Rules p.15).
    Information,
    /// Change their data, with supporting documents (Art. 13, 24(1)(2)).
    Change,
    /// Supplement their data, with supporting documents (Art. 13, 24(1)(2)).
    Supplement,
    /// Block their data: the conditions of collection or processing were violated
    /// (Art. 24(1)(3)).
    Block,
    /// Lift a block: the violation was disproved.
    Unblock,
    /// Destroy their data (Art. 18, 24(1)(4)).
    Destroy,
    /// Remove their data from publicly accessible sources (Art. 6).
    RemoveFromPublicSources,
}

impl RequestKind {
    pub const ALL: &'static [RequestKind] = &[
        RequestKind::Information,
        RequestKind::Change,
        RequestKind::Supplement,
        RequestKind::Block,
        RequestKind::Unblock,
        RequestKind::Destroy,
        RequestKind::RemoveFromPublicSources,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Information => "information",
            RequestKind::Change => "change",
            RequestKind::Supplement => "supplement",
            RequestKind::Block => "block",
            RequestKind::Unblock => "unblock",
            RequestKind::Destroy => "destroy",
            RequestKind::RemoveFromPublicSources => "remove_from_public_sources",
        }
    }

    pub fn parse(s: &str) -> Option<RequestKind> {
        RequestKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// The working days the operator has to answer, from the day after receipt.
    pub fn working_days(self) -> u32 {
        match self {
            // Rules p.16, Art. 25(2)(9): three business days.
            RequestKind::Information => 3,
            // Art. 25(2)(6)–(8): one business day; Art. 6: one working day.
            _ => 1,
        }
    }

    /// The provision the request and its deadline rest on.
    pub fn article(self) -> &'static str {
        match self {
            RequestKind::Information => "Art. 24(1)(1), 25(2)(9); Rules p.15-16",
            RequestKind::Change | RequestKind::Supplement => "Art. 13, 24(1)(2), 25(2)(8)",
            RequestKind::Block | RequestKind::Unblock => "Art. 24(1)(3), 25(2)(6)-(7)",
            RequestKind::Destroy => "Art. 18, 24(1)(4), 25(2)(8)",
            RequestKind::RemoveFromPublicSources => "Art. 6",
        }
    }

    /// Change and supplement rest on documents that confirm the grounds.
    pub fn needs_documents(self) -> bool {
        matches!(self, RequestKind::Change | RequestKind::Supplement)
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    /// Received, not answered yet.
    Open,
    /// Done, with what was done.
    Completed,
    /// Refused, with a reason (Art. 25(2)(7)).
    Refused,
}

impl RequestState {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Open => "open",
            RequestState::Completed => "completed",
            RequestState::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<RequestState> {
        [
            RequestState::Open,
            RequestState::Completed,
            RequestState::Refused,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_deadlines_follow_the_law() {
        for k in RequestKind::ALL {
            assert_eq!(RequestKind::parse(k.as_str()), Some(*k));
            let json = serde_json::to_string(k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        assert_eq!(RequestKind::Information.working_days(), 3);
        assert_eq!(RequestKind::Destroy.working_days(), 1);
        assert_eq!(RequestKind::RemoveFromPublicSources.working_days(), 1);
        assert!(RequestKind::Change.needs_documents());
        assert!(!RequestKind::Block.needs_documents());
        assert_eq!(RequestKind::parse("erase"), None);
    }
}
