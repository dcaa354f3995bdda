//! Qorgau's domain: identifiers, the catalogue, consent rules, receipts, errors.
//!
//! No I/O and no clock: every function that depends on time takes `now`.
#![forbid(unsafe_code)]

pub mod auth;
pub mod calendar;
pub mod catalogue;
pub mod consent;
pub mod crypto;
pub mod decision;
pub mod error;
pub mod id;
pub mod org;
pub mod receipt;
pub mod request;

pub use error::{Error, ErrorCode, Result};

/// The source of the current time. Domain code never reads the clock itself:
/// handlers take `now` from a `Clock` once per request and pass it down.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> jiff::Timestamp;
}
