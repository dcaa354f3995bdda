//! Benchmarks. Placeholder module filled below.
use clap::Subcommand;

#[derive(Subcommand)]
pub enum BenchCommand {}

pub async fn run(_c: BenchCommand) -> Result<(), String> {
    Ok(())
}
