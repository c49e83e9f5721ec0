//! The HTTP side: the site from memory, the reload channel and the errors of the latest build.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, LOCATION, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;

use super::incremental::Body;
use super::{Event, Shared};
use crate::urls;

/// Where open pages listen for reloads.
const EVENTS: &str = "/__policybook/events";
/// The errors of the latest build as JSON (empty when it succeeded).
const ERRORS: &str = "/__policybook/errors";
/// The live-reload script, injected into HTML pages.
const LIVE_JS: &str = include_str!("live.js");
/// Served for every path until a first build succeeds; the overlay shows why.
const NO_SITE: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>policybook</title></head>\n<body><p>The handbook has errors, so there is no site to show yet. Fix them and this page reloads.</p></body></html>\n";

#[derive(Clone)]
struct App {
    shared: Arc<Shared>,
    /// Becomes true when the server stops; ends the reload streams.
    stopped: watch::Receiver<bool>,
}

/// Serves until `stopped` becomes true.
pub(super) async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    stopped: watch::Receiver<bool>,
) {
    let app = App {
        shared,
        stopped: stopped.clone(),
    };
    let router = Router::new()
        .route(EVENTS, get(events))
        .route(ERRORS, get(errors))
        .fallback(file)
        .with_state(app);
    let mut stopped = stopped;
    let result = axum::serve(listener, router)
        .with_graceful_shutdown(async move {
            // An error means the server handle is gone: stop as well.
            let _ = stopped.wait_for(|stop| *stop).await;
        })
        .await;
    if let Err(e) = result {
        eprintln!("error: the HTTP server stopped: {e}");
    }
}

/// The reload channel: a `hello` event on connecting, then `reload` and `errors` events.
async fn events(State(app): State<App>) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    // Subscribe before answering, so no change made after the page connected is missed.
    let rx = app.shared.events.subscribe();
    let hello = SseEvent::default().event("hello").data("policybook");
    let updates = stream::unfold((rx, app.stopped), |(mut rx, mut stopped)| async move {
        let event = tokio::select! {
            _ = stopped.wait_for(|stop| *stop) => return None,
            event = rx.recv() => event,
        };
        let sse = match event {
            Ok(Event::Reload) | Err(RecvError::Lagged(_)) => {
                // A page that missed messages reloads: that shows the current state either way.
                SseEvent::default().event("reload").data("reload")
            }
            Ok(Event::Errors(json)) => SseEvent::default().event("errors").data(&*json),
            Err(RecvError::Closed) => return None,
        };
        Some((sse, (rx, stopped)))
    });
    Sse::new(stream::once(async { hello }).chain(updates).map(Ok)).keep_alive(KeepAlive::default())
}

async fn errors(State(app): State<App>) -> Response {
    let errors = app.shared.snapshot().errors.to_string();
    (
        [
            (CONTENT_TYPE, "application/json"),
            (CACHE_CONTROL, "no-store"),
        ],
        errors,
    )
        .into_response()
}

/// A file of the site, the site's 404 page, or a refusal.
async fn file(State(app): State<App>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(ALLOW, "GET, HEAD")]).into_response();
    }
    let path = match site_path(uri.path()) {
        Ok(path) => path,
        Err(status) => return status.into_response(),
    };
    let snapshot = app.shared.snapshot();
    let Some(files) = &snapshot.files else {
        let html = inject(NO_SITE.as_bytes(), &snapshot.errors);
        return respond(StatusCode::SERVICE_UNAVAILABLE, "index.html", html);
    };
    let path = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    };
    let (status, path, body) = match files.get(path.as_str()) {
        Some(body) => (StatusCode::OK, path, body),
        None => {
            // A folder asked for without its slash: redirect, or its relative links would break.
            if files.contains_key(format!("{path}/index.html").as_str())
                && let Ok(location) = HeaderValue::from_str(&format!("{}/", uri.path()))
            {
                return (StatusCode::PERMANENT_REDIRECT, [(LOCATION, location)]).into_response();
            }
            match files.get(urls::NOT_FOUND) {
                Some(body) => (StatusCode::NOT_FOUND, urls::NOT_FOUND.to_string(), body),
                None => return StatusCode::NOT_FOUND.into_response(),
            }
        }
    };
    let bytes = match body {
        Body::Memory(bytes) => bytes.to_vec(),
        Body::Disk(source) => {
            let source = source.clone();
            match tokio::task::spawn_blocking(move || std::fs::read(source)).await {
                Ok(Ok(bytes)) => bytes,
                // Deleted since the last build: the next rebuild drops it.
                _ => return StatusCode::NOT_FOUND.into_response(),
            }
        }
    };
    let bytes = if content_type(&path).starts_with("text/html") {
        inject(&bytes, &snapshot.errors)
    } else {
        bytes
    };
    respond(status, &path, bytes)
}

fn respond(status: StatusCode, path: &str, bytes: Vec<u8>) -> Response {
    (
        status,
        [
            (CONTENT_TYPE, content_type(path).as_str()),
            // Authors must see their latest save, never a cached page.
            (CACHE_CONTROL, "no-store"),
            (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response()
}

/// The site path a request path names (no leading `/`), refusing anything that tries to leave
/// the site: `..` and `.` segments, backslashes, absolute and drive paths, NUL — whether
/// written plainly or percent-encoded. The site is served from memory, so such a path could
/// never reach other files; refusing it outright still says clearly what happened.
fn site_path(raw: &str) -> Result<String, StatusCode> {
    let decoded: Vec<u8> = percent_encoding::percent_decode_str(raw).collect();
    let decoded = String::from_utf8(decoded).map_err(|_| StatusCode::BAD_REQUEST)?;
    if decoded.contains(['\\', '\0', ':']) {
        return Err(StatusCode::FORBIDDEN);
    }
    let Some(rel) = decoded.strip_prefix('/') else {
        return Err(StatusCode::FORBIDDEN);
    };
    if rel.starts_with('/') || rel.split('/').any(|s| s == ".." || s == ".") {
        return Err(StatusCode::FORBIDDEN);
    }
    Ok(rel.to_string())
}

/// The media type of a site file, by its extension; text in UTF-8, as the site is written.
fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text =
        mime.type_() == mime_guess::mime::TEXT || mime.subtype() == mime_guess::mime::JAVASCRIPT;
    if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// `html` with the live-reload script (and the standing errors) before its last `</body>`.
fn inject(html: &[u8], errors_json: &str) -> Vec<u8> {
    // `<` only occurs inside JSON strings, where `\u003c` means the same and cannot close the
    // script element early.
    let script = format!(
        "<script id=\"policybook-live\">window.policybookErrors = {};\n{LIVE_JS}</script>\n",
        errors_json.replace('<', "\\u003c")
    );
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_site() {
        for raw in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%5c..%5cwindows",
            "/a\\..\\b",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/C:/Windows",
            "/./index.html",
            "/a%00.html",
        ] {
            assert_eq!(site_path(raw), Err(StatusCode::FORBIDDEN), "{raw}");
        }
        // A malformed escape is left as written, as browsers do: no such file.
        assert_eq!(site_path("/%zz").as_deref(), Ok("%zz"));
        assert_eq!(site_path("/%ff.html"), Err(StatusCode::BAD_REQUEST));
    }

    #[test]
    fn maps_request_paths_to_site_paths() {
        assert_eq!(site_path("/").as_deref(), Ok(""));
        assert_eq!(
            site_path("/policies/data%20policy.html").as_deref(),
            Ok("policies/data policy.html")
        );
        assert_eq!(site_path("/a..b/c.html").as_deref(), Ok("a..b/c.html"));
    }

    #[test]
    fn injects_before_the_last_body_end_and_escapes_the_errors() {
        let html = b"<html><body><p></body> in text</p></BODY></html>";
        let out = String::from_utf8(inject(html, r#"[{"message":"</script>"}]"#)).unwrap();
        let script = out.find("<script id=\"policybook-live\">").unwrap();
        assert!(script > out.find("in text").unwrap());
        assert!(out.ends_with("</script>\n</BODY></html>"));
        assert!(out.contains(r#"[{"message":"\u003c/script>"}]"#));
        assert_eq!(out.matches("</script>").count(), 1);
    }

    #[test]
    fn knows_the_content_types_of_the_site() {
        assert_eq!(content_type("a/b.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("static/app.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("sitemap.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("img/logo.SVG"), "image/svg+xml");
        assert_eq!(content_type("README"), "application/octet-stream");
    }
}
