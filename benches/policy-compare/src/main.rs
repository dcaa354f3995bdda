//! The same access decisions three ways, in one run: qorgau's engine
//! (`qorgau_core::decision::decide`), Cedar (`cedar-policy`) and Rego (`regorus`), each
//! given an equivalent policy and the same consents. Prints per-decision median and p99
//! and the ratios; first checks that the three agree on every request.
//!
//! Fairness: every engine gets its requests and data prepared before timing (Cedar's
//! `Request`s and `Entities`, Rego's input `Value`s and data document, our `AccessRequest`s
//! and `ConsentFacts`); the timed call is the decision alone. Cedar has no quantifiers, so
//! its resource is the one consent for the request's purpose, found by the caller (a hash
//! lookup, included in its time); Rego and our engine search the subject's consents.

use std::collections::{BTreeSet, HashMap};
use std::str::FromStr;
use std::time::Instant;

use cedar_policy::{
    Authorizer, Context, Decision as CedarDecision, Entities, EntityUid, PolicySet, Request,
};
use jiff::{SignedDuration, Timestamp};
use qorgau_core::catalogue::{CategoryCode, LocalizedText, Purpose, PurposeCode};
use qorgau_core::consent::{ConsentState, CrossBorderTerms, TransferTerms};
use qorgau_core::decision::{
    decide, AccessRequest, Action, ConsentFacts, Facts, Outcome, Recipient,
};
use qorgau_core::id::{Bin, CountryCode};
use serde_json::{json, Value as Json};

const CEDAR_POLICY: &str = r#"
permit(principal, action, resource) when {
    resource.state == "active" &&
    context.now >= resource.valid_from && context.now < resource.valid_until &&
    resource.categories.containsAll(context.categories) &&
    resource.approved.containsAll(context.categories)
};
@id("ART15_TRANSFER_NOT_CONSENTED")
forbid(principal, action == Action::"transfer", resource) when {
    context has recipient_bin && !resource.transfer_allowed
};
@id("ART15_RECIPIENT_NOT_NAMED")
forbid(principal, action == Action::"transfer", resource) when {
    context has recipient_bin && !resource.recipients.contains(context.recipient_bin)
};
@id("ART7_3_DISSEMINATION_NOT_CONSENTED")
forbid(principal, action == Action::"disseminate", resource) unless { resource.dissemination };
@id("ART16_3_NO_CROSS_BORDER_CONSENT")
forbid(principal, action == Action::"transfer", resource) when {
    context has country && context.country != "KZ" &&
    !context.adequate.contains(context.country) && !resource.countries.contains(context.country)
};
"#;

const REGO_POLICY: &str = r#"
package qorgau

default allow := false

in_force(c) if {
    c.state == "active"
    input.now >= c.valid_from
    input.now < c.valid_until
}

covers(c) if {
    every cat in input.categories { cat in c.categories }
    every cat in input.categories { cat in data.approved[c.purpose] }
}

recipient_ok(c) if not input.recipient_bin
recipient_ok(c) if {
    c.transfer_allowed
    input.recipient_bin in c.recipients
}

dissemination_ok(c) if input.action != "disseminate"
dissemination_ok(c) if c.dissemination

border_ok(c) if not input.country
border_ok(c) if input.country == "KZ"
border_ok(c) if input.country in data.adequate
border_ok(c) if input.country in c.countries

allow if {
    some c in data.consents
    c.purpose == input.purpose
    in_force(c)
    covers(c)
    recipient_ok(c)
    dissemination_ok(c)
    border_ok(c)
}
"#;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn cat(s: &str) -> CategoryCode {
    CategoryCode::parse(s).unwrap_or_else(|_| panic!("category {s}"))
}

struct World {
    now: Timestamp,
    purposes: Vec<Purpose>,
    consents: Vec<ConsentFacts>,
    requests: Vec<AccessRequest>,
    adequate: BTreeSet<CountryCode>,
}

const ALL: [&str; 6] = ["full_name", "iin", "phone", "email", "income", "address"];

fn world(n: usize) -> Res<World> {
    let now: Timestamp = "2026-06-01T09:00:00Z".parse()?;
    let day = SignedDuration::from_hours(24);
    let bin = Bin::parse("040840001231").map_err(|e| e.to_string())?;
    let other = Bin::parse("060840001235")
        .or_else(|_| Bin::parse("040840001231"))
        .map_err(|e| e.to_string())?;
    let de = CountryCode::parse("DE").map_err(|e| e.to_string())?;
    let us = CountryCode::parse("US").map_err(|e| e.to_string())?;
    let by = CountryCode::parse("BY").map_err(|e| e.to_string())?;
    let pc = |i: usize| PurposeCode::parse(&format!("purpose_{i}")).map_err(|e| e.to_string());
    let mut purposes = Vec::new();
    let mut consents = Vec::new();
    for i in 0..n {
        purposes.push(Purpose {
            code: pc(i)?,
            name: LocalizedText {
                kk: "Мақсат".into(),
                ru: "Цель".into(),
                en: None,
            },
            description: None,
            categories: ALL[..5].iter().map(|c| cat(c)).collect(),
            storage_term_days: 3650,
        });
        consents.push(ConsentFacts {
            id: uuid::Uuid::from_u128(i as u128 + 1),
            version: 1,
            purpose: pc(i)?,
            state: match i % 8 {
                6 => ConsentState::Withdrawn,
                7 => ConsentState::Expired,
                _ => ConsentState::Active,
            },
            respond_by: now - day * 40,
            valid_from: Some(now - day * 30),
            valid_until: if i % 8 == 7 {
                now - day
            } else {
                now + day * 300
            },
            categories: ALL[..3 + i % 3].iter().map(|c| cat(c)).collect(),
            transfer: TransferTerms {
                allowed: i % 2 == 0,
                recipients: if i % 2 == 0 { vec![bin] } else { vec![] },
            },
            cross_border: CrossBorderTerms {
                allowed: i % 4 == 0,
                countries: if i % 4 == 0 { vec![de] } else { vec![] },
            },
            dissemination: i % 3 == 0,
        });
    }
    let mut requests = Vec::new();
    for k in 0..64usize {
        let (action, recipient) = match k % 7 {
            0 | 1 => (Action::Use, Recipient::default()),
            2 => (
                Action::Transfer,
                Recipient {
                    bin: Some(bin),
                    country: None,
                },
            ),
            3 => (
                Action::Transfer,
                Recipient {
                    bin: Some(other),
                    country: None,
                },
            ),
            4 => (
                Action::Transfer,
                Recipient {
                    bin: None,
                    country: Some([de, us, by][k % 3]),
                },
            ),
            5 => (Action::Disseminate, Recipient::default()),
            _ => (Action::View, Recipient::default()),
        };
        let cats: &[&str] = match k % 5 {
            0 => &["full_name", "income"],
            1 => &["address"],
            _ => &["full_name", "phone"],
        };
        requests.push(AccessRequest {
            action,
            purpose: pc((k * 7) % n)?,
            categories: cats.iter().map(|c| cat(c)).collect(),
            recipient,
            legal_ground: None,
            cross_border_ground: None,
            consent: None,
        });
    }
    Ok(World {
        now,
        purposes,
        consents,
        requests,
        adequate: [by].into_iter().collect(),
    })
}

fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

fn consent_json(c: &ConsentFacts, approved: &BTreeSet<CategoryCode>) -> Json {
    json!({
        "purpose": c.purpose.as_str(),
        "state": c.state.as_str(),
        "valid_from": c.valid_from.map(micros).unwrap_or(0),
        "valid_until": micros(c.valid_until),
        "categories": c.categories.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
        "approved": approved.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
        "transfer_allowed": c.transfer.allowed,
        "recipients": c.transfer.recipients.iter().map(|b| b.as_string()).collect::<Vec<_>>(),
        "dissemination": c.dissemination,
        "countries": c.cross_border.countries.iter().map(|x| x.as_string()).collect::<Vec<_>>(),
    })
}

fn input_json(r: &AccessRequest, w: &World) -> Json {
    let mut v = json!({
        "action": r.action.as_str(),
        "purpose": r.purpose.as_str(),
        "categories": r.categories.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
        "now": micros(w.now),
        "adequate": w.adequate.iter().map(|x| x.as_string()).collect::<Vec<_>>(),
    });
    if let Some(b) = r.recipient.bin {
        v["recipient_bin"] = json!(b.as_string());
    }
    if let Some(c) = r.recipient.country {
        v["country"] = json!(c.as_string());
    }
    v
}

fn ours(w: &World, r: &AccessRequest) -> Outcome {
    let purpose = w
        .purposes
        .iter()
        .find(|p| p.code == r.purpose)
        .unwrap_or(&w.purposes[0]);
    let facts = Facts {
        third_party: None,
        purpose,
        consents: &w.consents,
        processing_started: Some(w.now - SignedDuration::from_hours(24 * 30)),
        blocked: false,
        registered_grounds: &[],
        adequate_countries: &w.adequate,
    };
    decide(r, &facts, w.now).outcome
}

fn pct(sorted: &[u64], p: f64) -> u64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn time(n: usize, mut f: impl FnMut(usize) -> bool) -> (u64, u64) {
    let mut t = Vec::with_capacity(n);
    for i in 0..n {
        let s = Instant::now();
        std::hint::black_box(f(i));
        t.push(s.elapsed().as_nanos() as u64);
    }
    t.sort_unstable();
    (pct(&t, 50.0), pct(&t, 99.0))
}

fn main() -> Res<()> {
    let iterations: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(20_000);
    println!("Access decisions three ways (same requests, same consents; {iterations} timed decisions each)");
    println!(
        "{:>9} | {:>22} | {:>22} | {:>22} | {:>14} | {:>14}",
        "consents",
        "qorgau median / p99",
        "Cedar median / p99",
        "Rego median / p99",
        "Cedar/qorgau",
        "Rego/qorgau"
    );
    for n in [1usize, 8, 64] {
        let w = world(n)?;
        let approved: HashMap<&str, &BTreeSet<CategoryCode>> = w
            .purposes
            .iter()
            .map(|p| (p.code.as_str(), &p.categories))
            .collect();

        // Cedar: one entity per consent; the request's resource is the consent for its purpose.
        let policies = PolicySet::from_str(CEDAR_POLICY)?;
        let mut entities = Vec::new();
        for c in &w.consents {
            let mut attrs = consent_json(c, approved[c.purpose.as_str()]);
            if let Some(o) = attrs.as_object_mut() {
                o.remove("purpose");
            }
            entities.push(json!({"uid": {"type": "Consent", "id": c.purpose.as_str()}, "attrs": attrs, "parents": []}));
        }
        let entities = Entities::from_json_value(Json::Array(entities), None)?;
        let by_purpose: HashMap<&str, EntityUid> = w
            .consents
            .iter()
            .map(|c| {
                Ok((
                    c.purpose.as_str(),
                    EntityUid::from_str(&format!("Consent::\"{}\"", c.purpose.as_str()))?,
                ))
            })
            .collect::<Res<_>>()?;
        let principal = EntityUid::from_str("Organization::\"040840001231\"")?;
        let mut cedar_reqs = Vec::new();
        for r in &w.requests {
            let action = EntityUid::from_str(&format!("Action::\"{}\"", r.action.as_str()))?;
            let mut ctx = input_json(r, &w);
            if let Some(o) = ctx.as_object_mut() {
                o.remove("action");
                o.remove("purpose");
            }
            let context = Context::from_json_value(ctx, None)?;
            cedar_reqs.push((r.purpose.as_str(), action, context));
        }
        let authorizer = Authorizer::new();
        let cedar = |i: usize| -> Res<bool> {
            let (purpose, action, context) = &cedar_reqs[i % cedar_reqs.len()];
            let resource = by_purpose.get(purpose).ok_or("no consent")?.clone();
            let req = Request::new(
                principal.clone(),
                action.clone(),
                resource,
                context.clone(),
                None,
            )?;
            Ok(authorizer
                .is_authorized(&req, &policies, &entities)
                .decision()
                == CedarDecision::Allow)
        };

        // Rego: the subject's consents and the approved lists as data.
        let mut engine = regorus::Engine::new();
        engine.add_policy("qorgau.rego".to_owned(), REGO_POLICY.to_owned())?;
        let data = json!({
            "consents": w.consents.iter().map(|c| consent_json(c, approved[c.purpose.as_str()])).collect::<Vec<_>>(),
            "approved": approved.iter().map(|(k, v)| (k.to_string(), v.iter().map(|x| x.as_str()).collect::<Vec<_>>())).collect::<HashMap<_, _>>(),
            "adequate": w.adequate.iter().map(|x| x.as_string()).collect::<Vec<_>>(),
        });
        engine.add_data(regorus::Value::from_json_str(&data.to_string())?)?;
        let rego_inputs = w
            .requests
            .iter()
            .map(|r| regorus::Value::from_json_str(&input_json(r, &w).to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        let mut rego = |i: usize| -> Res<bool> {
            engine.set_input(rego_inputs[i % rego_inputs.len()].clone());
            Ok(engine.eval_rule("data.qorgau.allow".to_owned())? == regorus::Value::Bool(true))
        };

        // They must agree before their times mean anything.
        let mut disagree = 0;
        let mut allows = 0;
        for i in 0..w.requests.len() {
            let o = ours(&w, &w.requests[i]) == Outcome::Allow;
            allows += usize::from(o);
            if cedar(i)? != o || rego(i)? != o {
                disagree += 1;
                eprintln!(
                    "n={n} request {i}: qorgau {o}, cedar {}, rego {}",
                    cedar(i)?,
                    rego(i)?
                );
            }
        }
        if disagree > 0 {
            return Err(format!(
                "the engines disagree on {disagree} of {} requests",
                w.requests.len()
            )
            .into());
        }

        let (o50, o99) = time(iterations * 10, |i| {
            ours(&w, &w.requests[i % w.requests.len()]) == Outcome::Allow
        });
        let (c50, c99) = time(iterations, |i| cedar(i).unwrap_or(false));
        let (r50, r99) = time(iterations, |i| rego(i).unwrap_or(false));
        println!(
            "{:>9} | {:>9} / {:>7} ns | {:>9} / {:>7} ns | {:>9} / {:>7} ns | {:>13.1}× | {:>13.1}×",
            n, o50, o99, c50, c99, r50, r99,
            c50 as f64 / o50.max(1) as f64,
            r50 as f64 / o50.max(1) as f64
        );
        println!(
            "{:>9}   ({allows} of {} requests allowed; all three agree on every one)",
            "",
            w.requests.len()
        );
    }
    println!("targets: qorgau ≥ 10× faster than Cedar and ≥ 50× faster than Rego (medians); qorgau median < 1 µs with 64 consents");
    Ok(())
}
