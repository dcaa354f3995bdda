//! The portal and the console in real headless Chromium, driven over WebDriver
//! (chromedriver): a subject signs in with the code from the `file` channel, gives a
//! consent, sees the operator's access in the history, withdraws and files a request
//! that the operator's staff answers in the console; once in each language.
//! Screenshots of the main pages at phone and desktop widths go to
//! `target/screenshots/` (or `QORGAU_SCREENSHOTS`).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{bin, iin, Backend, TestApp};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// Whether the browser tests can run here.
pub fn available() -> Result<(), String> {
    for p in [CHROMEDRIVER, CHROMIUM] {
        if !std::path::Path::new(p).exists() {
            return Err(format!(
                "{p} not found (Debian packages chromium and chromium-driver)"
            ));
        }
    }
    Ok(())
}

pub(crate) struct Driver {
    child: Child,
    pub(crate) client: Client,
    _profile: tempfile::TempDir,
}

impl Driver {
    pub(crate) async fn start() -> Driver {
        // fantoccini's client is built with rustls; it needs a process-wide provider.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", format!("--user-data-dir={}", profile.path().display())]
            }
        });
        let caps = match caps {
            serde_json::Value::Object(m) => m,
            _ => unreachable!(),
        };
        let mut last = None;
        for _ in 0..100 {
            match ClientBuilder::rustls()
                .unwrap()
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => {
                    return Driver {
                        child,
                        client,
                        _profile: profile,
                    }
                }
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start: {last:?}");
    }

    pub(crate) async fn stop(mut self) {
        let _ = self.client.close().await;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn screenshots_dir() -> PathBuf {
    let dir = std::env::var_os("QORGAU_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots")
        });
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The page at phone (390 px) and desktop (1280 px) widths, after [`audit`] found
/// nothing wrong with it.
pub(crate) async fn shoot(c: &Client, name: &str) {
    audit(c).await;
    let dir = screenshots_dir();
    for (w, h, label) in [(390u32, 844u32, "phone"), (1280, 900, "desktop")] {
        c.set_window_size(w, h).await.unwrap();
        let png = c.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("{name}-{label}.png")), png).unwrap();
    }
}

pub(crate) async fn fill(c: &Client, css: &str, value: &str) {
    let e = c.find(Locator::Css(css)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(value).await.unwrap();
}

/// Click what leads to a new page, and wait until the old page is gone.
pub(crate) async fn click(c: &Client, css: &str) {
    let old = c.find(Locator::Css("main")).await.unwrap();
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for _ in 0..200 {
        if old.text().await.is_err() {
            // Stale: the new page replaced it; wait for it to be loaded.
            c.wait().for_element(Locator::Css("footer")).await.unwrap();
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("clicking {css} did not lead to a new page");
}

pub(crate) async fn text(c: &Client) -> String {
    c.find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

pub(crate) async fn attr(c: &Client, css: &str, name: &str) -> String {
    let Ok(e) = c.find(Locator::Css(css)).await else {
        let url = c.current_url().await.unwrap();
        let page = c.source().await.unwrap();
        panic!("no {css} on {url}: {page}");
    };
    e.attr(name).await.unwrap().unwrap()
}

/// Checks of the page as rendered, after WCAG 2.1: the language is declared (3.1.1);
/// one `h1` and no skipped heading level (1.3.1, 2.4.6); every form control has a
/// label (1.3.1, 3.3.2, 4.1.2) and every link and button a name (2.4.4, 4.1.2); ids
/// are unique (4.1.1); images have alternatives (1.1.1); tables have captions and
/// header cells (1.3.1); and every piece of text has a contrast of at least 4.5:1
/// against its background, 3:1 when large (1.4.3). An automated pass, not an audit
/// by people: what it cannot judge (plain words, focus order) it does not claim.
const AUDIT: &str = r#"
const problems = [];
const name = el => (el.getAttribute('aria-label') || el.innerText || el.value || el.getAttribute('title') || '').trim();
const where = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.name ? '[name=' + el.name + ']' : '');
if (!document.documentElement.lang) problems.push('html has no lang');
const h1 = document.querySelectorAll('h1').length;
if (h1 !== 1) problems.push(h1 + ' h1 elements');
let last = 0;
for (const h of document.querySelectorAll('h1,h2,h3,h4,h5,h6')) {
  const n = +h.tagName[1];
  if (last && n > last + 1) problems.push('heading ' + h.tagName + ' after h' + last + ': ' + name(h));
  last = n;
}
for (const el of document.querySelectorAll('input:not([type=hidden]),select,textarea')) {
  const labelled = (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
  if (!labelled) problems.push('no label for ' + where(el));
}
for (const el of document.querySelectorAll('a[href],button')) {
  if (!name(el)) problems.push('no name for ' + where(el));
}
const ids = {};
for (const el of document.querySelectorAll('[id]')) {
  if (ids[el.id]) problems.push('duplicate id ' + el.id);
  ids[el.id] = true;
}
for (const el of document.querySelectorAll('img:not([alt])')) problems.push('img without alt');
for (const t of document.querySelectorAll('table')) {
  if (!t.querySelector('caption')) problems.push('table without caption');
  if (!t.querySelector('th')) problems.push('table without header cells');
}
const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
const lum = ([r, g, b]) => {
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
const background = el => {
  for (let e = el; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length >= 3 && (c.length < 4 || c[3] > 0)) return c;
  }
  return [255, 255, 255];
};
for (const el of document.querySelectorAll('body *')) {
  const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own) continue;
  const st = getComputedStyle(el);
  if (st.visibility === 'hidden' || st.display === 'none' || el.getClientRects().length === 0) continue;
  if (el.closest('.skip') && document.activeElement !== el) continue;
  const fg = lum(rgb(st.color)), bg = lum(background(el));
  const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  const size = parseFloat(st.fontSize), bold = +st.fontWeight >= 700;
  const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
  if (ratio < need) problems.push('contrast ' + ratio.toFixed(2) + ' < ' + need + ' for ' + where(el) + ': ' + el.textContent.trim().slice(0, 40));
}
return problems;
"#;

/// Run [`AUDIT`] on the page shown; panic with what it found.
pub(crate) async fn audit(c: &Client) {
    let found = c.execute(AUDIT, vec![]).await.unwrap();
    let url = c.current_url().await.unwrap();
    let found = found.as_array().cloned().unwrap_or_default();
    assert!(
        found.is_empty(),
        "accessibility problems on {url}: {found:#?}"
    );
}

/// Staff (enrolled, from `crate::auth::staff`) sign in on the console with password and
/// the authenticator's code of the current step (advance the clock between sign-ins).
pub(crate) async fn staff_sign_in(c: &Client, app: &TestApp, staff: &crate::auth::Staff) {
    c.goto(&format!("{}/console/sign-in", app.base))
        .await
        .unwrap();
    fill(c, "#email", &staff.email).await;
    fill(c, "#password", crate::auth::PASSWORD).await;
    click(c, "main form button[type=submit]").await;
    let totp = qorgau_core::auth::totp_code(&staff.secret, qorgau_core::auth::totp_step(app.now()));
    fill(c, "#code", &totp).await;
    click(c, "main form button[type=submit]").await;
}

/// What each language must show at each step (from the Fluent files).
struct Words {
    lang: &'static str,
    home: &'static str,
    active: &'static str,
    viewed: &'static str,
    withdrawn: &'static str,
    answered: &'static str,
}

const LANGS: [Words; 3] = [
    Words {
        lang: "kk",
        home: "Менің дербес деректерім",
        active: "Қолданыста",
        viewed: "қарады",
        withdrawn: "Кері қайтарып алынды",
        answered: "Жауап берілді",
    },
    Words {
        lang: "ru",
        home: "Мои персональные данные",
        active: "Действует",
        viewed: "просмотрел(а)",
        withdrawn: "Отозвано",
        answered: "Дан ответ",
    },
    Words {
        lang: "en",
        home: "My personal data",
        active: "In force",
        viewed: "viewed",
        withdrawn: "Withdrawn",
        answered: "Answered",
    },
];

pub async fn subject_and_operator_in_every_language(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(&bin(70)).await;
    let (s, org) = app
        .get(&format!("/v1/organizations/{}", op.id), Some(&app.admin))
        .await;
    assert_eq!(s, StatusCode::OK, "{org}");
    let org_bin = org["bin"].as_str().unwrap().to_owned();
    let staff = crate::auth::staff(&app, &app.admin, "dpo@bank.kz", "dpo", Some(&op.id)).await;
    let driver = Driver::start().await;
    let c = &driver.client;
    let base = app.base.clone();

    for (n, w) in LANGS.iter().enumerate() {
        // A subject of their own in each language; a new TOTP step for the staff.
        let subject = iin(900 + n as u32);
        let subject = subject.as_str();
        app.clock.advance(jiff::SignedDuration::from_mins(2));
        // The language switch, remembered in a cookie; the rest follows it.
        c.goto(&format!("{base}/lang/{}?back=/portal/sign-in", w.lang))
            .await
            .unwrap();
        assert_eq!(attr(c, "html", "lang").await, w.lang);
        if w.lang == "kk" {
            shoot(c, "sign-in").await;
        }

        // The operator asks for consent; the subject signs in with the code sent.
        let mut body = app.request_body(subject, "+77011234567");
        body["subject"]["language"] = json!(w.lang);
        let req = app.create_request(&op, body).await;
        let req_id = req["id"].as_str().unwrap().to_owned();
        let consent_code = app.code_for(&req_id).await;

        fill(c, "#iin", subject).await;
        click(c, "form button[type=submit]").await;
        let challenge = attr(c, "input[name=challenge_id]", "value").await;
        let code = app.code_for(&challenge).await;
        fill(c, "#code", &code).await;
        click(c, "main form button[type=submit]").await;
        assert!(text(c).await.contains(w.home), "{}", text(c).await);
        if w.lang == "kk" {
            shoot(c, "home").await;
        }

        // The pending request, every Art. 8(4) item; confirm with the code.
        click(c, &format!("a[href='/portal/consents/{req_id}']")).await;
        let page = text(c).await;
        assert!(page.contains(&format!("Org {org_bin}")), "{page}");
        if w.lang == "ru" {
            assert!(page.contains("Выдача кредита"), "{page}");
            shoot(c, "consent-request").await;
        }
        fill(c, "#code", &consent_code).await;
        click(c, "button[value=confirm]").await;
        let page = text(c).await;
        assert!(page.contains(w.active), "{page}");
        let (s, v) = app
            .get(&format!("/v1/consents/{req_id}"), Some(&op.key))
            .await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("active")),
            "{v}"
        );

        // The operator views the data; the subject sees it in the history with its proof.
        let (s, v) = app
            .post(
                "/v1/processing-events",
                Some(&op.key),
                json!({"subject_iin": subject, "action": "view", "purpose": "loan", "categories": ["income"]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let index = v["ledger_index"].as_u64().unwrap();
        c.goto(&format!("{base}/portal/history?action=view"))
            .await
            .unwrap();
        let page = text(c).await;
        assert!(page.contains(w.viewed), "{page}");
        let proof = format!("/v1/ledger/proofs/inclusion?index={index}");
        assert!(
            c.find(Locator::Css(&format!("a[href='{proof}']")))
                .await
                .is_ok(),
            "no proof link for entry {index}: {page}"
        );
        if w.lang == "en" {
            shoot(c, "history").await;
        }

        // Withdraw, with the confirmation step.
        c.goto(&format!("{base}/portal/consents/{req_id}"))
            .await
            .unwrap();
        click(c, &format!("a[href='/portal/consents/{req_id}/withdraw']")).await;
        click(c, "main form button.danger").await;
        assert!(text(c).await.contains(w.withdrawn), "{}", text(c).await);
        let (_, v) = app
            .get(&format!("/v1/consents/{req_id}"), Some(&op.key))
            .await;
        assert_eq!(v["state"], "withdrawn", "{v}");

        // File a request.
        c.goto(&format!("{base}/portal/requests/new"))
            .await
            .unwrap();
        if w.lang == "kk" {
            shoot(c, "file-request").await;
        }
        fill(c, "#bin", &org_bin).await;
        c.find(Locator::Css("#kind option[value=information]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        fill(c, "#text", "Which of my data do you hold?").await;
        click(c, "main form button[type=submit]").await;
        let url = c.current_url().await.unwrap();
        let request_id = url.path().rsplit('/').next().unwrap().to_owned();
        assert!(uuid::Uuid::parse_str(&request_id).is_ok(), "{url}");

        // Sign out, then the operator's staff answers in the console.
        click(c, "header form button").await;
        assert!(c
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/portal/sign-in"));
        staff_sign_in(c, &app, &staff).await;
        click(c, &format!("a[href='/console/requests/{request_id}']")).await;
        if w.lang == "en" {
            shoot(c, "console-request").await;
        }
        fill(c, "#text", "We hold your name and income for the loan.").await;
        click(c, "form[action$='/complete'] button").await;
        let page = text(c).await;
        assert!(page.contains("We hold your name and income"), "{page}");
        c.goto(&format!("{base}/console")).await.unwrap();
        if w.lang == "ru" {
            shoot(c, "console-queue").await;
        }
        click(c, "header form button").await;

        // The subject reads the answer.
        let (s, v) = app
            .get(&format!("/v1/requests/{request_id}"), Some(&op.key))
            .await;
        assert_eq!(
            (s, v["state"].as_str()),
            (StatusCode::OK, Some("completed")),
            "{v}"
        );
        c.goto(&format!("{base}/portal/sign-in")).await.unwrap();
        fill(c, "#iin", subject).await;
        click(c, "form button[type=submit]").await;
        let challenge = attr(c, "input[name=challenge_id]", "value").await;
        let code = app.code_for(&challenge).await;
        fill(c, "#code", &code).await;
        click(c, "main form button[type=submit]").await;
        c.goto(&format!("{base}/portal/requests/{request_id}"))
            .await
            .unwrap();
        let page = text(c).await;
        assert!(page.contains(w.answered), "{page}");
        assert!(page.contains("We hold your name and income"), "{page}");
        click(c, "header form button").await;
    }

    // A forged form (no anti-forgery token) changes nothing.
    let token = app.sign_in(&iin(900)).await;
    let resp = reqwest::Client::new()
        .post(format!("{base}/portal/preferences"))
        .header("cookie", format!("__Host-qorgau-session={token}"))
        .form(&[("csrf", "forged"), ("digest", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let (_, prefs) = app.get("/v1/subject/preferences", Some(&token)).await;
    assert_eq!(prefs["digest"], false, "{prefs}");

    driver.stop().await;
    app.cleanup().await;
}

/// A parent signs in and acts for their child in the portal: every page says so,
/// and the way back is on every page.
pub async fn representative_in_the_portal(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(&bin(72)).await;
    let (child, parent) = (iin(950), iin(951));
    let mut body = app.request_body(&child, "+77010000950");
    body["subject"]["contact"] = json!({});
    body["representative"] = json!({
        "iin": parent, "name": {"surname": "Серикова", "given_name": "Дана"},
        "contact": {"email": "dana@example.kz"}, "language": "ru",
        "authority": {"basis": "parent", "document_reference": "Свидетельство о рождении № 123456",
                      "valid_until": (app.now() + jiff::SignedDuration::from_hours(24 * 365)).to_string()}
    });
    let consent = app.give_consent_on(&op, body).await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let driver = Driver::start().await;
    let c = &driver.client;
    let base = app.base.clone();
    c.goto(&format!("{base}/lang/ru?back=/portal/sign-in"))
        .await
        .unwrap();
    fill(c, "#iin", &parent).await;
    click(c, "form button[type=submit]").await;
    let challenge = attr(c, "input[name=challenge_id]", "value").await;
    let code = app.code_for(&challenge).await;
    fill(c, "#code", &code).await;
    click(c, "main form button[type=submit]").await;
    let page = text(c).await;
    assert!(page.contains("Кого я представляю"), "{page}");
    click(c, "section[aria-labelledby=represented] form button").await;
    let page = text(c).await;
    assert!(
        page.contains("Вы действуете от имени Сериков Арман Болатұлы как законный представитель (основание: родитель;"),
        "{page}"
    );
    shoot(c, "acting-for").await;
    c.goto(&format!("{base}/portal/consents/{consent}"))
        .await
        .unwrap();
    click(c, &format!("a[href='/portal/consents/{consent}/withdraw']")).await;
    click(c, "main form button.danger").await;
    let (_, v) = app
        .get(&format!("/v1/consents/{consent}"), Some(&op.key))
        .await;
    assert_eq!(v["state"], "withdrawn", "{v}");
    click(c, "div.acting form button").await;
    let page = text(c).await;
    assert!(!page.contains("Вы действуете от имени"), "{page}");
    driver.stop().await;
    app.cleanup().await;
}
