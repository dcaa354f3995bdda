//! The integration suite: every test runs against a real server over HTTP, once on
//! SQLite and once on PostgreSQL. Without PostgreSQL the PostgreSQL half is reported
//! as ignored, with the reason; in CI (`CI` set) a missing PostgreSQL fails the run.
// Test code: the runner is libtest-mimic (no `#[test]`), so clippy's test exemption
// for unwrap/expect does not see it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::pin::Pin;

use libtest_mimic::{Arguments, Failed, Trial};

mod access;
mod auth;
mod browser;
mod channels;
mod consents;
mod decisions;
mod harness;
mod input;
mod ledger;
mod process;
mod requests;
mod system;
mod web;
mod web_inspect;
mod web_org;
mod web_portal;
mod web_settings;
mod webhooks;

use harness::Backend;

type TestFn = fn(Backend) -> Pin<Box<dyn Future<Output = ()> + Send>>;

macro_rules! tests {
    ($($m:ident :: $f:ident),* $(,)?) => {
        vec![$( (concat!(stringify!($m), "::", stringify!($f)), (|b| Box::pin($m::$f(b))) as TestFn) ),*]
    };
}

fn all() -> Vec<(&'static str, TestFn)> {
    tests![
        system::health_openapi_and_keys,
        auth::staff_sign_in_needs_password_and_totp_always,
        auth::brute_force_is_throttled_and_the_user_gets_in_after,
        auth::subject_codes_cookies_csrf_and_totp,
        auth::api_keys_rotate_revoke_and_record_last_use,
        auth::every_operation_refuses_whoever_it_is_not_for,
        webhooks::webhooks_are_signed_retried_and_reported,
        channels::email_and_sms_reach_real_receivers_and_the_inbox_keeps_them,
        channels::subjects_are_told_of_consent_changes_and_of_every_action_on_their_data,
        channels::preferences_choose_channels_and_a_daily_digest,
        process::webhooks_exactly_once_across_sigkill,
        system::unknown_routes_and_methods_are_problems,
        consents::consent_from_request_to_withdrawal,
        consents::receipt_verifies_and_any_change_breaks_it,
        consents::withdrawal_refused_on_stated_ground,
        consents::subject_refuses,
        consents::lapse_is_exact,
        consents::expiry_is_exact,
        consents::code_expiry_attempts_and_resend,
        consents::new_version_supersedes_the_old,
        consents::legal_representative_answers,
        consents::operator_cannot_redirect_codes_of_a_proven_subject,
        consents::lists_paginate,
        consents::restart_keeps_everything,
        decisions::decisions_follow_the_consent,
        decisions::third_party_is_judged_by_the_holders_consent,
        decisions::legal_grounds_blocking_and_protective_actions,
        decisions::prewarm_reads_the_decisions_indexes,
        decisions::bad_decision_requests_record_nothing,
        access::requests_without_credentials_are_refused,
        access::organizations_see_only_their_own,
        access::subjects_see_only_their_own,
        access::scopes_and_roles_are_enforced,
        access::sign_in_does_not_reveal_whether_an_iin_is_known,
        input::bad_input_is_refused_and_changes_nothing,
        input::catalogue_rules,
        ledger::every_action_is_recorded_and_proven,
        ledger::tampering_is_detected,
        ledger::history_index_merges_keep_every_history,
        process::sigkill_loses_no_acknowledged_write,
        process::cli_admin_prints_json,
        process::cli_calendar_import_and_show,
        requests::information_request_filed_worked_and_answered,
        requests::requests_to_an_organization_holding_nothing_and_refusals,
        requests::block_request_stops_decisions_until_unblocked,
        requests::overdue_requests_are_flagged_once_and_told,
        requests::calendar_is_published,
        web_settings::dpo_and_policies_over_the_api,
        web_settings::console_organization_page,
        web_settings::console_api_keys,
        web_settings::console_webhooks,
        web_org::purposes_are_declared_with_their_approved_lists,
        web_org::consents_are_asked_for_and_followed,
        web_portal::representative_acts_for_the_person_they_represent,
        web_inspect::inspector_sees_organizations_overdue_requests_and_evidence,
        web_inspect::only_inspectors_enter_the_inspectors_view,
    ]
}

/// Tests that need a NATS server with JetStream (on each backend).
fn with_nats() -> Vec<(&'static str, TestFn)> {
    tests![process::nats_group_delivers_each_notification_once]
}

/// Tests in headless Chromium (SQLite only: the pages are the same on either backend).
fn with_browser() -> Vec<(&'static str, TestFn)> {
    tests![
        browser::subject_and_operator_in_every_language,
        web_org::console_purposes_and_consents_in_the_browser,
        browser::representative_in_the_portal,
        web_inspect::inspector_in_the_browser,
        web_settings::settings_in_the_browser,
    ]
}

fn run(f: TestFn, b: Backend) -> Result<(), Failed> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failed::from(e.to_string()))?;
    rt.block_on(f(b));
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let pg = harness::postgres_available();
    if let Err(why) = &pg {
        eprintln!();
        eprintln!("=== PostgreSQL suite SKIPPED: {why}");
        eprintln!("=== Set POSTGRES_TEST_URL to a PostgreSQL server to run it.");
        eprintln!();
        if std::env::var_os("CI").is_some() {
            eprintln!("=== CI is set: the PostgreSQL suite must run. Failing.");
            std::process::exit(1);
        }
    }
    let nats = harness::nats_available();
    if let Err(why) = &nats {
        eprintln!();
        eprintln!("=== NATS suite SKIPPED: {why}");
        eprintln!("=== Set NATS_TEST_URL to a NATS server with JetStream to run it.");
        eprintln!();
        if std::env::var_os("CI").is_some() {
            eprintln!("=== CI is set: the NATS suite must run. Failing.");
            std::process::exit(1);
        }
    }
    let browser = browser::available();
    if let Err(why) = &browser {
        eprintln!();
        eprintln!("=== Browser suite SKIPPED: {why}");
        eprintln!("=== Install Debian's chromium and chromium-driver (.ci/run does) to run it.");
        eprintln!();
        if std::env::var_os("CI").is_some() {
            eprintln!("=== CI is set: the browser suite must run. Failing.");
            std::process::exit(1);
        }
    }
    let mut trials = Vec::new();
    for (name, f) in with_browser() {
        let t = Trial::test(format!("sqlite::{name}"), move || run(f, Backend::Sqlite));
        trials.push(t.with_ignored_flag(browser.is_err()));
    }
    for (name, f) in with_nats() {
        let sqlite = Trial::test(format!("sqlite::{name}"), move || run(f, Backend::Sqlite));
        trials.push(sqlite.with_ignored_flag(nats.is_err()));
        let t = Trial::test(format!("postgres::{name}"), move || {
            run(f, Backend::Postgres)
        });
        trials.push(t.with_ignored_flag(pg.is_err() || nats.is_err()));
    }
    for (name, f) in all() {
        trials.push(Trial::test(format!("sqlite::{name}"), move || {
            run(f, Backend::Sqlite)
        }));
        let t = Trial::test(format!("postgres::{name}"), move || {
            run(f, Backend::Postgres)
        });
        trials.push(t.with_ignored_flag(pg.is_err()));
    }
    libtest_mimic::run(&args, trials).exit();
}
