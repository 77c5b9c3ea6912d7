//! The preview's HTTP side: one handler that checks the request (this machine's address and
//! port, GET or HEAD), routes its path ([`route`]) and answers with a preview page, an
//! embedded asset, a file of the outputs or the event stream.
//!
//! Files are served only when the draft's manifest lists them: a path is never joined to a
//! folder unless it names an artifact of the last build, so `..`, encoded separators and
//! absolute forms are refused before any file is touched.

use super::{Shared, pages};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

/// The preview's additions to the published page's style sheet.
pub(crate) const CSS: &str = include_str!("preview.css");
/// The preview's script: follows `/events` and swaps in what a rebuild changed.
pub(crate) const JS: &str = include_str!("preview.js");

/// Which view of a draft a preview page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The diagnostics and the web page.
    Page,
    /// The PDF.
    Pdf,
    /// The open data's CSV files as tables.
    Data,
    /// The 新旧対照表.
    Shinkyu,
}

impl View {
    /// Every view, in the order of the preview's tabs.
    pub const ALL: [View; 4] = [View::Page, View::Pdf, View::Data, View::Shinkyu];

    /// The last segment of the view's URL (`""` for the page).
    pub fn segment(self) -> &'static str {
        match self {
            View::Page => "",
            View::Pdf => "pdf",
            View::Data => "data",
            View::Shinkyu => "shinkyu",
        }
    }
}

/// What a request's path asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`: the list of drafts.
    Start,
    /// `/drafts/<slug>/…`: a preview page of a draft.
    Draft(String, View),
    /// `/out/<slug>/<path>`: a file of a draft's outputs (path relative to its folder).
    Out(String, String),
    /// `/events`: the server-sent events of rebuilds.
    Events,
    /// `/assets/<name>`: the preview's style sheet or script.
    Asset(&'static str),
    /// Nothing here.
    NotFound,
    /// A path that tries to leave the outputs (`..`, `.`, an encoded `/` or `\`, an empty
    /// segment, a NUL): refused without looking further.
    Refused,
}

/// The route of a raw request path (as sent, percent-encoded; the query already split off).
pub fn route(path: &str) -> Route {
    let Some(rest) = path.strip_prefix('/') else {
        return Route::Refused;
    };
    let mut segments = Vec::new();
    for raw in rest.split('/') {
        let Ok(s) = percent_decode_str(raw).decode_utf8() else {
            return Route::Refused;
        };
        if s == ".." || s == "." || s.contains(['/', '\\', '\0']) || s.chars().any(char::is_control)
        {
            return Route::Refused;
        }
        segments.push(s.into_owned());
    }
    // A trailing slash leaves one empty last segment; an empty one elsewhere (`//`) is refused.
    let trailing = segments.last().is_some_and(String::is_empty);
    if trailing {
        segments.pop();
    }
    if segments.iter().any(String::is_empty) {
        return Route::Refused;
    }
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    match s.as_slice() {
        [] => Route::Start,
        ["events"] => Route::Events,
        ["assets", "preview.css"] => Route::Asset("preview.css"),
        ["assets", "preview.js"] => Route::Asset("preview.js"),
        ["drafts", slug] if trailing => Route::Draft((*slug).to_owned(), View::Page),
        ["drafts", slug, view] if !trailing => {
            match View::ALL.iter().find(|v| v.segment() == *view) {
                Some(v) => Route::Draft((*slug).to_owned(), *v),
                None => Route::NotFound,
            }
        }
        ["out", slug, file @ ..] if !file.is_empty() && !trailing => {
            Route::Out((*slug).to_owned(), file.join("/"))
        }
        _ => Route::NotFound,
    }
}

/// Whether the request was made to this preview by its own address: `Host` must be
/// 127.0.0.1 or localhost with our port, so a page elsewhere cannot reach the preview through
/// a name that resolves here (DNS rebinding).
fn host_ok(headers: &HeaderMap, port: u16) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    ["127.0.0.1", "localhost"]
        .iter()
        .any(|name| host == format!("{name}:{port}") || (port == 80 && host == *name))
}

/// Start serving on `listener` in `runtime`'s threads.
pub(super) fn start(
    runtime: &tokio::runtime::Runtime,
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = {
        let _entered = runtime.enter();
        tokio::net::TcpListener::from_std(listener)?
    };
    let app = axum::Router::new().fallback(handle).with_state(shared);
    runtime.spawn(async move {
        // Ends only when the runtime does; a failed connection is the connection's own end.
        let _ = axum::serve(listener, app).await;
    });
    Ok(())
}

/// The security headers of every answer: no sniffing, no framing by other sites, and for the
/// preview's own pages nothing loaded from anywhere but here.
fn secure(mut r: Response, page: bool) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let csp = if page {
        "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
         frame-src 'self'; object-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
         form-action 'none'"
    } else {
        // The published files as they are (inline styles, inline SVG), framed only here.
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         script-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
    };
    if let Ok(v) = HeaderValue::from_str(csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    r
}

fn answer(status: StatusCode, content_type: &'static str, body: impl Into<Body>) -> Response {
    let mut r = Response::new(body.into());
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

const HTML: &str = "text/html; charset=utf-8";

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let lang = shared.lang;
    if !host_ok(&headers, shared.port) {
        let page = pages::problem(lang, pages::Problem::Host);
        return secure(answer(StatusCode::MISDIRECTED_REQUEST, HTML, page), true);
    }
    if method != Method::GET && method != Method::HEAD {
        let page = pages::problem(lang, pages::Problem::Method);
        let mut r = answer(StatusCode::METHOD_NOT_ALLOWED, HTML, page);
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return secure(r, true);
    }
    let not_found = || {
        let page = pages::problem(lang, pages::Problem::NotFound);
        secure(answer(StatusCode::NOT_FOUND, HTML, page), true)
    };
    match route(uri.path()) {
        Route::Start => {
            let page = pages::start(&shared.snapshot(), lang);
            secure(answer(StatusCode::OK, HTML, page), true)
        }
        Route::Draft(slug, view) => {
            let snapshot = shared.snapshot();
            match snapshot.drafts.iter().find(|d| d.slug == slug) {
                Some(d) => {
                    let page = pages::draft(&snapshot, d, view, &shared.out, lang);
                    secure(answer(StatusCode::OK, HTML, page), true)
                }
                None => not_found(),
            }
        }
        Route::Out(slug, path) => {
            let known = shared.lock().drafts.iter().any(|d| d.slug == slug);
            if !known {
                return not_found();
            }
            let dir = shared.out.join(&slug);
            let listed = crate::build::read_manifest(&dir).is_some_and(|m| {
                path == crate::build::MANIFEST || m.artifacts.iter().any(|a| a.path == path)
            });
            if !listed {
                return not_found();
            }
            match std::fs::read(dir.join(&path)) {
                Ok(bytes) => secure(answer(StatusCode::OK, content_type(&path), bytes), false),
                Err(_) => not_found(),
            }
        }
        Route::Asset(name) => {
            let (ty, body) = match name {
                // The published page's look, then the preview's own parts.
                "preview.css" => (
                    "text/css; charset=utf-8",
                    format!("{}\n{CSS}", crate::write::html::CSS),
                ),
                _ => ("text/javascript; charset=utf-8", JS.to_owned()),
            };
            secure(answer(StatusCode::OK, ty, body), true)
        }
        Route::Events => secure(events(&shared).into_response(), true),
        Route::NotFound => not_found(),
        Route::Refused => {
            let page = pages::problem(lang, pages::Problem::Refused);
            secure(answer(StatusCode::FORBIDDEN, HTML, page), true)
        }
    }
}

/// The content type of an output file, by its extension.
fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => HTML,
        "pdf" => "application/pdf",
        "csv" => "text/csv",
        "jsonld" => "application/ld+json",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

/// The stream of rebuilds: the current generation at once (so a page made before a missed
/// rebuild catches up), then one `update` event per rebuild.
fn events(
    shared: &Shared,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>> + use<>> {
    let rx = shared.changes.subscribe();
    let stream = futures_util::stream::unfold((rx, true), |(mut rx, first)| async move {
        if !first && rx.changed().await.is_err() {
            return None;
        }
        let (generation, slug) = rx.borrow_and_update().clone();
        let data = serde_json::json!({ "generation": generation, "slug": slug }).to_string();
        let event = Event::default()
            .event("update")
            .retry(Duration::from_millis(500))
            .data(data);
        Some((Ok(event), (rx, false)))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_route_to_pages_files_and_events() {
        assert_eq!(route("/"), Route::Start);
        assert_eq!(route("/events"), Route::Events);
        assert_eq!(route("/assets/preview.js"), Route::Asset("preview.js"));
        assert_eq!(
            route("/drafts/tomakomai/"),
            Route::Draft("tomakomai".into(), View::Page)
        );
        assert_eq!(
            route("/drafts/tomakomai/pdf"),
            Route::Draft("tomakomai".into(), View::Pdf)
        );
        assert_eq!(
            route("/drafts/%E8%8B%AB%E5%B0%8F%E7%89%A7/data"),
            Route::Draft("苫小牧".into(), View::Data)
        );
        assert_eq!(
            route("/out/tomakomai/data/a.csv"),
            Route::Out("tomakomai".into(), "data/a.csv".into())
        );
        assert_eq!(route("/drafts/tomakomai"), Route::NotFound);
        assert_eq!(route("/drafts/tomakomai/other"), Route::NotFound);
        assert_eq!(route("/out/tomakomai/"), Route::NotFound);
        assert_eq!(route("/favicon.ico"), Route::NotFound);
    }

    #[test]
    fn paths_that_leave_the_outputs_are_refused() {
        for p in [
            "/out/tomakomai/../../Cargo.toml",
            "/out/../etc/passwd",
            "/out/tomakomai/%2e%2e/%2e%2e/Cargo.toml",
            "/out/tomakomai/%2E%2E%2F%2E%2E%2FCargo.toml",
            "/out/tomakomai/..%2f..%2fCargo.toml",
            "/out/tomakomai/..%5c..%5cCargo.toml",
            "/out/%2Fetc%2Fpasswd/x",
            "/out/tomakomai//etc/passwd",
            "//etc/passwd",
            "/out/tomakomai/./index.html",
            "/out/tomakomai/a%00.html",
            "/out/tomakomai/%ff",
            "etc/passwd",
        ] {
            assert_eq!(route(p), Route::Refused, "{p}");
        }
    }

    #[test]
    fn only_this_machine_by_its_own_names_is_served() {
        let with = |h: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::HOST, HeaderValue::from_str(h).expect("header"));
            host_ok(&m, 8000)
        };
        assert!(with("127.0.0.1:8000"));
        assert!(with("localhost:8000"));
        assert!(with("LOCALHOST:8000"));
        assert!(!with("127.0.0.1:8001"));
        assert!(!with("evil.example:8000"));
        assert!(!with("127.0.0.1.evil.example:8000"));
        assert!(!host_ok(&HeaderMap::new(), 8000));
    }
}
