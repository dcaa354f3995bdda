//! The console's purposes, approved lists and consents pages, over HTTP and in the browser.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::browser::{attr, click, fill, shoot, staff_sign_in, text, Driver};
use crate::harness::{bin, iin, Backend, Operator, TestApp};
use crate::web::{Page, Web};

/// The organization's purposes as the API lists them.
async fn api_purposes(app: &TestApp, op: &Operator) -> Vec<Value> {
    let (s, v) = app.get("/v1/purposes", Some(&op.key)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.as_array().unwrap().clone()
}

/// The organization's consents as the API lists them.
async fn api_consents(app: &TestApp, op: &Operator) -> Vec<Value> {
    let (s, v) = app.get("/v1/consents?limit=200", Some(&op.key)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"].as_array().unwrap().clone()
}

fn assert_alert(p: &Page, text: &str) {
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.html);
    assert!(p.html.contains("role=\"alert\""), "{}", p.html);
    assert!(p.html.contains(text), "no «{text}» in {}", p.html);
}

pub async fn purposes_are_declared_with_their_approved_lists(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(&bin(70)).await;
    let dpo = crate::auth::staff(&app, &app.admin, "dpo@bank.kz", "dpo", Some(&op.id)).await;
    let processor =
        crate::auth::staff(&app, &app.admin, "proc@bank.kz", "processor", Some(&op.id)).await;
    let web = Web::new(&app, &dpo.token, "ru");

    // The list: the purpose, its approved list by name, its storage term.
    let p = web.get("/console/purposes").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    for s in [
        "Цели и утверждённые перечни данных",
        "href=\"/console/purposes/loan\"",
        "Выдача кредита",
        "Доходы",
        "Фамилия, имя, отчество",
        "1825 дней",
        "<caption>",
        "scope=\"col\"",
        "href=\"/console/purposes/new-purpose\"",
    ] {
        assert!(p.html.contains(s), "no «{s}» in {}", p.html);
    }
    let p = web.get("/console/purposes/loan").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    assert!(p.html.contains("Несие беру") && p.html.contains("Lending"));
    assert!(p.html.contains("В перечне 4 категории."), "{}", p.html);
    assert_eq!(
        web.get("/console/purposes/nosuch").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        web.get("/console/purposes/Bad%20Code").await.status,
        StatusCode::NOT_FOUND
    );

    // The form offers the catalogue, every input labelled.
    let form = web.get("/console/purposes/new-purpose").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    for s in [
        "value=\"biometric.face\"",
        "<label for=\"f-code\"",
        "<label for=\"cat-biometric-face\"",
        "<label for=\"f-storage-term-days\"",
    ] {
        assert!(form.html.contains(s), "no «{s}» in {}", form.html);
    }

    // A purpose declared in the form is the API's purpose.
    let good = [
        ("code", "marketing"),
        ("name.kk", "Жарнама таратылымы"),
        ("name.ru", "Рассылка рекламы"),
        ("name.en", "Advertising"),
        ("description.kk", ""),
        ("description.ru", "Рассылка\r\nпредложений"),
        ("description.en", ""),
        ("categories", "full_name"),
        ("categories", "email"),
        ("storage_term_days", "365"),
    ];
    // Half a description (Russian without Kazakh) is refused as the API refuses it.
    let r = web
        .submit("/console/purposes/new-purpose", "/console/purposes", &good)
        .await;
    assert_alert(&r, "Значение отсутствует");
    assert!(r.html.contains("href=\"#f-description-kk\""), "{}", r.html);
    assert!(
        r.html.contains("Рассылка рекламы"),
        "the form keeps what was typed"
    );
    assert!(r.html.contains("value=\"email\" checked"), "{}", r.html);
    assert_eq!(api_purposes(&app, &op).await.len(), 1);

    let mut fields = good.to_vec();
    fields[4] = ("description.kk", "Ұсыныстар\r\nжіберу");
    let r = web
        .submit(
            "/console/purposes/new-purpose",
            "/console/purposes",
            &fields,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    assert_eq!(r.location.as_deref(), Some("/console/purposes/marketing"));
    let list = api_purposes(&app, &op).await;
    let m = list.iter().find(|p| p["code"] == "marketing").unwrap();
    assert_eq!(m["categories"], json!(["email", "full_name"]));
    assert_eq!(m["storage_term_days"], 365);
    assert_eq!(m["name"]["en"], "Advertising");
    assert_eq!(m["description"]["ru"], "Рассылка\nпредложений");
    let p = web.get("/console/purposes/marketing").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.html.contains("Электронная почта") && p.html.contains("365 дней"));

    // Bad input: the store's error, in place, and nothing created.
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: [Case; 5] = [
        (
            &[
                ("code", "loan"),
                ("name.kk", "Несие"),
                ("name.ru", "Кредит"),
                ("categories", "iin"),
                ("storage_term_days", "30"),
            ],
            "У организации уже есть цель с этим кодом.",
            "href=\"#f-code\"",
        ),
        (
            &[
                ("code", "Bad Code"),
                ("name.kk", "Несие"),
                ("name.ru", "Кредит"),
                ("categories", "iin"),
                ("storage_term_days", "30"),
            ],
            "Код цели: от 2 до 64",
            "id=\"f-code-error\"",
        ),
        (
            &[
                ("code", "nocats"),
                ("name.kk", "Несие"),
                ("name.ru", "Кредит"),
                ("storage_term_days", "30"),
            ],
            "Значение отсутствует",
            "id=\"f-categories\" aria-invalid=\"true\"",
        ),
        (
            &[
                ("code", "term"),
                ("name.kk", "Несие"),
                ("name.ru", "Кредит"),
                ("categories", "iin"),
                ("storage_term_days", "0"),
            ],
            "Значение отсутствует",
            "id=\"f-storage-term-days-error\"",
        ),
        (
            &[
                ("code", "unknown"),
                ("name.kk", "Несие"),
                ("name.ru", "Кредит"),
                ("categories", "tattoos"),
                ("storage_term_days", "30"),
            ],
            "Категории данных tattoos нет в каталоге.",
            "id=\"f-categories-error\"",
        ),
    ];
    for (fields, message, place) in cases {
        let r = web
            .submit("/console/purposes/new-purpose", "/console/purposes", fields)
            .await;
        assert_alert(&r, message);
        assert!(r.html.contains(place), "no «{place}» in {}", r.html);
        assert!(
            r.html.contains("value=\"Кредит\""),
            "the form keeps what was typed"
        );
    }
    assert_eq!(api_purposes(&app, &op).await.len(), 2);

    // A form without the anti-forgery token, or with another, is refused and changes nothing.
    let mut forged = vec![("csrf", "forged")];
    forged.extend_from_slice(&fields);
    forged[1] = ("code", "forged");
    assert_eq!(
        web.post("/console/purposes", &forged).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        web.post("/console/purposes", &forged[1..]).await.status,
        StatusCode::FORBIDDEN
    );

    // A processor may read the purposes but not declare one.
    let proc_web = Web::new(&app, &processor.token, "ru");
    let p = proc_web.get("/console/purposes").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(!p.html.contains("href=\"/console/purposes/new-purpose\""));
    assert_eq!(
        proc_web.get("/console/purposes/new-purpose").await.status,
        StatusCode::FORBIDDEN
    );
    let mut fields = fields.clone();
    fields[0] = ("code", "byprocessor");
    let r = proc_web
        .submit("/console/purposes", "/console/purposes", &fields)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.html);
    assert_eq!(api_purposes(&app, &op).await.len(), 2);

    // The ledger holds one registration, the console's, as the API's would be recorded.
    let (st, v) = app
        .get("/v1/ledger/entries?limit=1000", Some(&app.admin))
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let registered: Vec<&Value> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["entry"])
        .filter(|e| e["kind"] == "purpose.registered")
        .collect();
    assert_eq!(
        registered.len(),
        2,
        "loan and marketing only: {registered:?}"
    );
    let m = registered
        .iter()
        .find(|e| e["purpose"] == "marketing")
        .unwrap();
    assert_eq!(m["categories"], json!(["email", "full_name"]), "{m}");
    assert_eq!(m["actor"]["kind"], "organization", "{m}");

    // Signed out: to the sign-in page.
    let stranger = Web::new(&app, "qs_nothing", "ru");
    let r = stranger.get("/console/purposes").await;
    assert_eq!(
        (r.status, r.location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/console/sign-in"))
    );
    app.cleanup().await;
}

/// The fields of a valid consent request for `subject`.
fn request_fields(subject: &str) -> Vec<(&'static str, String)> {
    [
        ("purpose", "loan"),
        ("subject.iin", subject),
        ("subject.name.surname", "Сериков"),
        ("subject.name.given_name", "Арман"),
        ("subject.name.patronymic", ""),
        ("subject.contact.phone", "+7 701 123 45 67"),
        ("subject.contact.email", ""),
        ("subject.language", "ru"),
        ("terms.categories", "full_name"),
        ("terms.categories", "income"),
        ("terms.valid_from", ""),
        ("terms.valid_until", "2027-03-01"),
        ("terms.transfer_to_third_parties.recipients", ""),
        ("terms.cross_border_transfer.countries", ""),
        ("terms.other_information.kk", "Несие шарты"),
        ("terms.other_information.ru", "Кредитный договор"),
        ("terms.other_information.en", ""),
        ("respond_by", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

fn set(fields: &mut Vec<(&'static str, String)>, name: &'static str, value: &str) {
    match fields.iter_mut().find(|(k, _)| *k == name) {
        Some(f) => f.1 = value.to_owned(),
        None => fields.push((name, value.to_owned())),
    }
}

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

pub async fn consents_are_asked_for_and_followed(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(&bin(70)).await;
    let other = app.operator(&bin(71)).await;
    let admin =
        crate::auth::staff(&app, &app.admin, "admin@bank.kz", "org_admin", Some(&op.id)).await;
    let dpo = crate::auth::staff(&app, &app.admin, "dpo@bank.kz", "dpo", Some(&op.id)).await;
    let web = Web::new(&app, &admin.token, "ru");
    let subject = iin(1);
    let mut locations = Vec::new();

    // The form: the purpose's approved list to choose from, the term a year ahead.
    let form = web.get("/console/consents/new").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    for s in [
        "name=\"terms.categories\" value=\"income\"",
        "name=\"terms.valid_until\" type=\"date\" value=\"2027-03-02\"",
        "<label for=\"f-subject-iin\"",
        "<label for=\"term-cat-income\"",
    ] {
        assert!(form.html.contains(s), "no «{s}» in {}", form.html);
    }
    assert!(
        !form.html.contains("value=\"health\""),
        "outside the approved list"
    );

    // Bad input: the error in place, what was typed kept, nothing created, no code sent.
    let bad: [(&str, &str, &str, &str); 5] = [
        (
            "subject.iin",
            "900101300018",
            "ИИН недействителен",
            "id=\"f-subject-iin-error\"",
        ),
        (
            "terms.categories",
            "health",
            "нет в утверждённом перечне",
            "id=\"f-terms-categories\" aria-invalid=\"true\"",
        ),
        (
            "subject.contact.phone",
            "8701",
            "Контакт недействителен",
            "id=\"f-subject-contact-phone-error\"",
        ),
        (
            "terms.valid_until",
            "2020-01-01",
            "Даты указаны не по порядку",
            "id=\"f-terms-valid-until-error\"",
        ),
        (
            "terms.transfer_to_third_parties.allowed",
            "on",
            "Значение отсутствует",
            "id=\"f-terms-transfer-to-third-parties-recipients-error\"",
        ),
    ];
    for (name, value, message, place) in bad {
        let mut fields = request_fields(&subject);
        if name == "terms.categories" {
            fields.retain(|(k, _)| *k != "terms.categories");
        }
        set(&mut fields, name, value);
        let r = web
            .submit(
                "/console/consents/new",
                "/console/consents",
                &borrowed(&fields),
            )
            .await;
        assert_alert(&r, message);
        assert!(r.html.contains(place), "no «{place}» in {}", r.html);
        assert!(
            r.html.contains("value=\"Сериков\""),
            "the form keeps what was typed"
        );
        assert!(
            !r.html.contains(&format!("ИИН {subject}")),
            "the IIN is not in the message"
        );
    }
    assert!(api_consents(&app, &op).await.is_empty());
    app.deliver().await;
    assert!(
        app.messages().iter().all(|m| m["kind"] != "consent_code"),
        "no code was sent"
    );

    // A good request: to the request's page, by id; the code reaches the subject.
    let fields = request_fields(&subject);
    let r = web
        .submit(
            "/console/consents/new",
            "/console/consents",
            &borrowed(&fields),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    let to = r.location.clone().unwrap();
    locations.push(to.clone());
    let id = to.strip_prefix("/console/consents/").unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{to}");
    app.code_for(&id).await;
    let sent: Vec<Value> = app
        .messages()
        .into_iter()
        .filter(|m| m["reference"] == id.as_str())
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["to"]["phone"], "+77011234567");
    assert_eq!(sent[0]["kind"], "consent_code");
    // As the API made it: the same terms, the same history.
    let (s, v) = app
        .get(&format!("/v1/consent-requests/{id}"), Some(&op.key))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "pending");
    assert_eq!(v["subject"]["iin"], subject.as_str());
    assert_eq!(v["terms"]["categories"], json!(["full_name", "income"]));
    assert_eq!(v["terms"]["other_information"]["ru"], "Кредитный договор");
    assert_eq!(
        v["terms"]["valid_until"], "2027-03-01T18:59:59Z",
        "end of the day in Almaty"
    );
    assert_eq!(v["history"][0]["kind"], "requested");
    assert_eq!(v["history"][0]["actor"], "organization");

    // The request's page: waiting, with "send the code again".
    let page = format!("/console/consents/{id}");
    let p = web.get(&page).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    for s in [
        "Ждёт ответа субъекта",
        "Сериков Арман",
        "Выдача кредита",
        "Доходы",
        "Кредитный договор",
        "Отправить код ещё раз",
    ] {
        assert!(p.html.contains(s), "no «{s}» in {}", p.html);
    }
    let r = web.submit(&page, &format!("{page}/code"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    locations.push(r.location.clone().unwrap());
    let again = web.get(r.location.as_deref().unwrap()).await;
    assert!(
        again.html.contains("Субъекту отправлен новый код."),
        "{}",
        again.html
    );
    let code2 = app.code_for(&id).await;
    let n = app
        .messages()
        .iter()
        .filter(|m| m["reference"] == id.as_str())
        .count();
    assert_eq!(n, 2, "a second code was sent");

    // The subject confirms: active in the list and on the page, with the receipt.
    let (s, v) = app
        .post(
            &format!("/v1/consent-requests/{id}/confirm"),
            None,
            json!({"code": code2}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let list = web.get("/console/consents?state=active").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.html
            .contains(&format!("href=\"/console/consents/{id}\"")),
        "{}",
        list.html
    );
    assert!(list.html.contains("Действует") && list.html.contains("Показано 1 согласие."));
    let pending = web.get("/console/consents?state=pending").await;
    assert!(!pending
        .html
        .contains(&format!("href=\"/console/consents/{id}\"")));
    assert!(pending.html.contains("По этому выбору согласий нет."));
    let p = web.get(&page).await;
    assert!(p.html.contains("state-active"), "{}", p.html);
    assert!(p.html.contains(&format!("href=\"{page}/receipt\"")));
    assert!(!p.html.contains("Отправить код ещё раз"));
    let receipt = reqwest::Client::new()
        .get(format!("{}{page}/receipt", app.base))
        .header("cookie", format!("__Host-qorgau-session={}", admin.token))
        .send()
        .await
        .unwrap();
    assert_eq!(receipt.status(), StatusCode::OK);
    assert_eq!(receipt.headers()["content-type"], "application/jose");
    let jws = receipt.text().await.unwrap();
    let (_, api_jws) = app
        .get(&format!("/v1/consents/{id}/receipt"), Some(&op.key))
        .await;
    assert_eq!(Value::String(jws), api_jws);

    // The Art. 8(2) ground: a bad one is refused in place; a good one is the API's; lifted.
    let ground = [
        ("kind", "unexecuted_obligation"),
        ("reference", "Договор займа № 123"),
        ("explanation.kk", "Қарыз өтелмеген"),
        ("explanation.ru", ""),
        ("explanation.en", ""),
    ];
    let r = web.submit(&page, &format!("{page}/ground"), &ground).await;
    assert_alert(&r, "Значение отсутствует");
    assert!(
        r.html.contains("id=\"f-explanation-ru-error\"") && r.html.contains("Договор займа № 123")
    );
    let (_, v) = app.get(&format!("/v1/consents/{id}"), Some(&op.key)).await;
    assert!(v.get("withdrawal_ground").is_none(), "{v}");
    let mut ground = ground.to_vec();
    ground[3] = ("explanation.ru", "Заём не погашен");
    let r = web.submit(&page, &format!("{page}/ground"), &ground).await;
    assert_eq!(
        (r.status, r.location.as_deref()),
        (StatusCode::SEE_OTHER, Some(page.as_str()))
    );
    let (_, v) = app.get(&format!("/v1/consents/{id}"), Some(&op.key)).await;
    assert_eq!(
        v["withdrawal_ground"]["kind"], "unexecuted_obligation",
        "{v}"
    );
    assert_eq!(
        v["withdrawal_ground"]["explanation"]["ru"],
        "Заём не погашен"
    );
    let p = web.get(&page).await;
    assert!(p.html.contains("Заём не погашен") && p.html.contains("Снять основание"));
    let r = web.submit(&page, &format!("{page}/ground/lift"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    let (_, v) = app.get(&format!("/v1/consents/{id}"), Some(&op.key)).await;
    assert!(v.get("withdrawal_ground").is_none(), "{v}");
    let kinds: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.ends_with(&["withdrawal_ground_stated", "withdrawal_ground_lifted"]),
        "{kinds:?}"
    );

    // The DPO reads consents but may not ask for one or state a ground.
    let dpo_web = Web::new(&app, &dpo.token, "ru");
    assert_eq!(
        dpo_web.get("/console/consents").await.status,
        StatusCode::OK
    );
    let p = dpo_web.get(&page).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(!p.html.contains(&format!("action=\"{page}/ground\"")));
    assert_eq!(
        dpo_web.get("/console/consents/new").await.status,
        StatusCode::FORBIDDEN
    );
    let second = iin(2);
    let r = dpo_web
        .submit(
            "/console/consents",
            "/console/consents",
            &borrowed(&request_fields(&second)),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let g = [
        ("kind", "law"),
        ("reference", "Закон"),
        ("explanation.kk", "Заң"),
        ("explanation.ru", "Закон"),
    ];
    let r = dpo_web.submit(&page, &format!("{page}/ground"), &g).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (_, v) = app.get(&format!("/v1/consents/{id}"), Some(&op.key)).await;
    assert!(v.get("withdrawal_ground").is_none(), "{v}");

    // Another organization's consent is not found, and stays as it is.
    let theirs = app.give_consent(&other, &iin(3), "+77017654321").await;
    let theirs = theirs["id"].as_str().unwrap();
    let their_page = format!("/console/consents/{theirs}");
    assert_eq!(web.get(&their_page).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        web.get(&format!("{their_page}/receipt")).await.status,
        StatusCode::NOT_FOUND
    );
    let r = web.submit(&page, &format!("{their_page}/ground"), &g).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = web.submit(&page, &format!("{their_page}/code"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let (_, v) = app
        .get(&their_page.replace("/console", "/v1"), Some(&other.key))
        .await;
    assert!(v.get("withdrawal_ground").is_none(), "{v}");
    let list = web.get("/console/consents").await;
    assert!(!list.html.contains(theirs));

    // Without the anti-forgery token: refused, nothing created, no code sent.
    app.deliver().await;
    let before = app.messages().len();
    let fields = request_fields(&second);
    let r = web.post("/console/consents", &borrowed(&fields)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut forged = vec![("csrf", "forged".to_owned())];
    forged.extend(fields.iter().cloned());
    let r = web.post("/console/consents", &borrowed(&forged)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(api_consents(&app, &op).await.len(), 1);
    app.deliver().await;
    assert_eq!(app.messages().len(), before);

    // Paging: 50 to a page, the next by a cursor, and back to the first.
    seed(&app, &op, 50).await;
    let first = web.get("/console/consents").await;
    assert!(
        first.html.contains("Показано 50 согласий."),
        "{}",
        first.html
    );
    let next = first
        .html
        .split("href=\"")
        .find(|h| h.contains("cursor="))
        .and_then(|h| h.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    locations.push(next.clone());
    let last = web.get(&next).await;
    assert_eq!(last.status, StatusCode::OK, "{}", last.html);
    assert!(last.html.contains("Показано 1 согласие."), "{}", last.html);
    assert!(last.html.contains("В начало списка") && !last.html.contains("Следующая страница"));

    // Nor in the ledger.
    let (st, v) = app
        .get("/v1/ledger/entries?limit=1000", Some(&app.admin))
        .await;
    assert_eq!(st, StatusCode::OK);
    let ledger = v.to_string();
    assert!(ledger.contains("consent.requested"), "{ledger}");
    assert!(!ledger.contains(&subject) && !ledger.contains("Сериков"));

    // An IIN never appears in an address the console redirects or links to.
    for l in &locations {
        for s in [&subject, &second] {
            assert!(!l.contains(s.as_str()), "{l}");
        }
    }
    app.cleanup().await;
}

/// `n` consents in force for `op`, straight into the store (as `qorgau bench seed` does).
pub async fn seed(app: &TestApp, op: &Operator, n: u32) {
    use qorgau_core::consent::{
        Contact, CrossBorderTerms, PersonName, SubjectDetails, TransferTerms,
    };
    let subjects = (100..100 + n)
        .map(|i| SubjectDetails {
            iin: qorgau_core::id::Iin::parse(&iin(i)).unwrap(),
            name: PersonName {
                surname: "Иванов".into(),
                given_name: "Иван".into(),
                patronymic: None,
            },
            contact: Contact {
                phone: Some("+77010000000".into()),
                email: None,
            },
            language: Default::default(),
        })
        .collect();
    let terms = qorgau_core::consent::ConsentTerms {
        categories: [qorgau_core::catalogue::CategoryCode::parse("income").unwrap()].into(),
        valid_from: None,
        valid_until: app.now() + jiff::SignedDuration::from_hours(24 * 30),
        transfer_to_third_parties: TransferTerms::default(),
        cross_border_transfer: CrossBorderTerms::default(),
        dissemination_in_public_sources: false,
        other_information: None,
    };
    let org = op.id.parse().unwrap();
    let loan = qorgau_core::catalogue::PurposeCode::parse("loan").unwrap();
    let made = app
        .store()
        .seed_consents(org, &loan, subjects, terms, app.now())
        .await
        .unwrap();
    assert_eq!(made, u64::from(n));
}

/// In Chromium: declare a purpose, ask for consent, see it given.
pub async fn console_purposes_and_consents_in_the_browser(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(&bin(70)).await;
    let staff =
        crate::auth::staff(&app, &app.admin, "admin@bank.kz", "org_admin", Some(&op.id)).await;
    let driver = Driver::start().await;
    let c = &driver.client;
    let base = app.base.clone();
    let subject = iin(5);

    app.clock.advance(jiff::SignedDuration::from_mins(1));
    staff_sign_in(c, &app, &staff).await;
    c.goto(&format!("{base}/lang/ru?back=/console/purposes"))
        .await
        .unwrap();
    assert_eq!(attr(c, "html", "lang").await, "ru");
    let page = text(c).await;
    assert!(page.contains("Выдача кредита"), "{page}");
    shoot(c, "org-purposes").await;

    // Declare a purpose with its approved list.
    click(c, "a[href='/console/purposes/new-purpose']").await;
    shoot(c, "org-purpose-form").await;
    fill(c, "#f-code", "deposit").await;
    fill(c, "#f-name-kk", "Депозит ашу").await;
    fill(c, "#f-name-ru", "Открытие депозита").await;
    fill(c, "#f-name-en", "Opening a deposit").await;
    for k in ["full_name", "phone", "bank_account"] {
        c.find(fantoccini::Locator::Css(&format!("#cat-{k}")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    fill(c, "#f-storage-term-days", "3650").await;
    click(c, "form.org button[type=submit]").await;
    let url = c.current_url().await.unwrap();
    assert_eq!(url.path(), "/console/purposes/deposit");
    let page = text(c).await;
    assert!(
        page.contains("Открытие депозита") && page.contains("Банковский счёт"),
        "{page}"
    );
    let (_, list) = app.get("/v1/purposes/deposit", Some(&op.key)).await;
    assert_eq!(
        list["categories"],
        json!(["bank_account", "full_name", "phone"])
    );

    // Ask a subject for consent for it.
    click(c, "a[href='/console/consents/new?purpose=deposit']").await;
    fill(c, "#f-subject-iin", &subject).await;
    fill(c, "#f-subject-name-surname", "Сапарова").await;
    fill(c, "#f-subject-name-given-name", "Әлия").await;
    fill(c, "#f-subject-contact-phone", "+77015550011").await;
    for k in ["full_name", "bank_account"] {
        c.find(fantoccini::Locator::Css(&format!("#term-cat-{k}")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    fill(c, "#f-terms-other-information-kk", "Депозит шарты").await;
    fill(c, "#f-terms-other-information-ru", "Договор депозита").await;
    shoot(c, "org-consent-request-form").await;
    click(c, "form.org button[type=submit]").await;
    let url = c.current_url().await.unwrap();
    assert!(!url.as_str().contains(&subject), "{url}");
    let id = url.path().rsplit('/').next().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{url}");
    let page = text(c).await;
    assert!(page.contains("Ждёт ответа субъекта"), "{page}");

    // The subject confirms with the code sent; the console shows it in force.
    let code = app.code_for(&id).await;
    let (s, v) = app
        .post(
            &format!("/v1/consent-requests/{id}/confirm"),
            None,
            json!({"code": code}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    c.goto(&format!("{base}/console/consents")).await.unwrap();
    let page = text(c).await;
    assert!(
        page.contains("Сапарова Әлия") && page.contains("Действует"),
        "{page}"
    );
    shoot(c, "org-consents").await;
    click(c, &format!("a[href='/console/consents/{id}']")).await;
    let page = text(c).await;
    for s in [
        "Действует",
        "Открытие депозита",
        "Банковский счёт",
        "Договор депозита",
    ] {
        assert!(page.contains(s), "no «{s}» in {page}");
    }
    shoot(c, "org-consent").await;

    driver.stop().await;
    app.cleanup().await;
}
