//! Pages over plain HTTP, as a browser without script would use them: the cookies
//! the service sets (starting with a session), the page's anti-forgery token read
//! from its form, posts of form fields, redirects not followed (so a test sees where
//! a post leads).

use std::collections::BTreeMap;
use std::sync::Mutex;

use reqwest::header::{ACCEPT_LANGUAGE, COOKIE, LOCATION, SET_COOKIE};
use reqwest::StatusCode;

use crate::harness::TestApp;

pub struct Web {
    base: String,
    cookies: Mutex<BTreeMap<String, String>>,
    lang: &'static str,
    http: reqwest::Client,
}

/// A page's answer: status, where it redirects (if it does) and its HTML.
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub html: String,
}

impl Page {
    /// The value of the first `<input name="{name}" … value="…">` in the page.
    pub fn field(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\"");
        let at = self.html.find(&marker)?;
        let start = self.html[..at].rfind('<')?;
        let end = at + self.html[at..].find('>')?;
        let tag = &self.html[start..end];
        let v = tag.split("value=\"").nth(1)?;
        Some(unescape(&v[..v.find('"')?]))
    }

    /// The page's anti-forgery token (from any of its forms).
    pub fn csrf(&self) -> String {
        self.field("csrf")
            .unwrap_or_else(|| panic!("no anti-forgery field in the page: {}", self.html))
    }
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

impl Web {
    /// A browser holding the session `token` (from a sign-in over the API), reading
    /// pages in `lang`.
    pub fn new(app: &TestApp, token: &str, lang: &'static str) -> Web {
        Web {
            base: app.base.clone(),
            cookies: Mutex::new(BTreeMap::from([(
                "__Host-qorgau-session".to_owned(),
                token.to_owned(),
            )])),
            lang,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    /// The `Cookie` header a browser would send now.
    pub fn cookie_header(&self) -> String {
        let jar = self.cookies.lock().unwrap();
        jar.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Hold a cookie as if the service had set it earlier.
    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .lock()
            .unwrap()
            .insert(name.to_owned(), value.to_owned());
    }

    /// The value of a cookie the browser holds.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    async fn answer(&self, r: reqwest::Response) -> Page {
        {
            let mut jar = self.cookies.lock().unwrap();
            for v in r.headers().get_all(SET_COOKIE) {
                let v = v.to_str().unwrap();
                let (kv, attrs) = v.split_once(';').unwrap_or((v, ""));
                let (k, val) = kv.split_once('=').unwrap();
                if attrs.contains("Max-Age=0") {
                    jar.remove(k.trim());
                } else {
                    jar.insert(k.trim().to_owned(), val.trim().to_owned());
                }
            }
        }
        let status = r.status();
        let location = r
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Page {
            status,
            location,
            html: r.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .header(ACCEPT_LANGUAGE, self.lang)
            .send()
            .await
            .unwrap();
        self.answer(r).await
    }

    /// Post `fields` to `path` as a same-site form (add the `csrf` field yourself,
    /// from [`Page::csrf`]).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .header(ACCEPT_LANGUAGE, self.lang)
            .header("sec-fetch-site", "same-origin")
            .form(fields)
            .send()
            .await
            .unwrap();
        self.answer(r).await
    }

    /// Get `page`, then post `fields` with its anti-forgery token to `to`.
    pub async fn submit(&self, page: &str, to: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get(page).await.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(to, &all).await
    }
}
