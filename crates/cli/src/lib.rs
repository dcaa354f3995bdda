//! The `qorgau` binary's pieces, also used by the integration tests.
#![forbid(unsafe_code)]

pub mod app;
pub mod bench;
pub mod bench_decisions;
pub mod bench_ledger;
pub mod bench_requests;
pub mod bench_webhooks;
pub mod calendar_cmd;
pub mod config;
pub mod ledger_cmd;
