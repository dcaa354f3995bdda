//! Qorgau's verifiable ledger: every action on personal data, in an RFC 9162 Merkle
//! log with signed checkpoints, inclusion and consistency proofs, and an offline
//! verifier for evidence bundles. No I/O: the store keeps the entries and nodes.
#![forbid(unsafe_code)]

pub mod bundle;
pub mod checkpoint;
pub mod entry;
pub mod proof;
pub mod tree;

pub use checkpoint::{Checkpoint, CheckpointError, NoteSigner, NoteVerifier};
pub use entry::{Actor, Entry};
pub use proof::{verify_consistency, verify_inclusion, ProofError};
pub use tree::{leaf_hash, node_hash, Frontier, Hash, MemoryTree, NodeId, Range};

#[cfg(test)]
mod tests;
