//! `policybook serve` against the minimal fixture: pages over HTTP, reload events after edits,
//! the error overlay, refused traversal, and a served site identical to a full build.
//! Every server listens on a free loopback port and is stopped at the end of its test.

mod common;

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use common::http::{Events, get, request};
use common::{Handbook, snapshot};
use policybook::serve::{Error, Options, Server};

/// Long enough for a debug build on a busy machine; a passing run takes a fraction of it.
const WAIT: Duration = Duration::from_secs(20);
const SCRIPT_START: &str = "<script id=\"policybook-live\">";

fn options() -> Options {
    Options {
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 0,
    }
}

fn start(hb: &Handbook) -> Server {
    Server::start(hb.root(), &options()).expect("server starts")
}

/// The page as `build` writes it: without the injected live-reload script.
fn without_script(html: &str) -> String {
    let start = html.find(SCRIPT_START).expect("live script injected");
    let end = start + html[start..].find("</script>\n").expect("script end") + "</script>\n".len();
    format!("{}{}", &html[..start], &html[end..])
}

#[test]
fn serves_pages_and_reloads_after_an_edit() {
    let hb = Handbook::fixture("minimal");
    let server = start(&hb);
    assert!(server.addr().ip().is_loopback());
    assert_eq!(server.url(), format!("http://{}/", server.addr()));

    let page = get(server.addr(), "/guide/intro.html");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.text().contains("Read the"));
    assert!(page.text().contains(SCRIPT_START));
    assert!(page.text().contains("window.policybookErrors = [];"));

    let mut events = Events::open(server.addr());
    hb.edit(
        "content/guide/intro.md",
        "Read the",
        "Before anything else, read the",
    );
    events.wait_for("reload", WAIT).expect("reload event");
    let page = get(server.addr(), "/guide/intro.html");
    assert!(
        page.text().contains("Before anything else, read the"),
        "{}",
        page.text()
    );
    // A KPI change reaches the stage gate that uses it.
    hb.edit(
        "content/kpis/defects.md",
        "series: data/defects.csv",
        "series: [{ date: 2026-04-01, value: 0.5 }]",
    );
    events.wait_for("reload", WAIT).expect("reload event");
    let stage = get(server.addr(), "/stages/pilot.html").text();
    assert!(stage.contains("<td>0.5</td>"), "{stage}");
    server.stop();
}

#[test]
fn new_renamed_and_deleted_files_are_picked_up() {
    let hb = Handbook::fixture("minimal");
    let server = start(&hb);
    let mut events = Events::open(server.addr());
    assert_eq!(get(server.addr(), "/guide/faq.html").status, 404);
    hb.write(
        "content/guide/faq.md",
        "---\ntitle: FAQ\nowner: security\n---\n\nQuestions.\n",
    );
    events
        .wait_for("reload", WAIT)
        .expect("reload after create");
    assert!(
        get(server.addr(), "/guide/faq.html")
            .text()
            .contains("Questions.")
    );

    std::fs::rename(
        hb.path("content/guide/faq.md"),
        hb.path("content/guide/qa.md"),
    )
    .expect("rename");
    events
        .wait_for("reload", WAIT)
        .expect("reload after rename");
    assert_eq!(get(server.addr(), "/guide/faq.html").status, 404);
    assert!(
        get(server.addr(), "/guide/qa.html")
            .text()
            .contains("Questions.")
    );

    std::fs::remove_file(hb.path("content/guide/qa.md")).expect("remove");
    events
        .wait_for("reload", WAIT)
        .expect("reload after delete");
    assert_eq!(get(server.addr(), "/guide/qa.html").status, 404);
    server.stop();
}

#[test]
fn a_broken_edit_shows_the_errors_and_keeps_the_last_good_site() {
    let hb = Handbook::fixture("minimal");
    let server = start(&hb);
    let mut events = Events::open(server.addr());

    // Two errors in two files: the overlay lists both.
    hb.edit("content/risks/leak-risk.md", "impact: 5", "impact: 9");
    hb.edit(
        "content/guide/intro.md",
        "policy:data-policy#retention",
        "policy:data-polcy",
    );
    let errors = events.wait_for("errors", WAIT).expect("errors event");
    let errors = if errors.data.contains("intro.md") {
        errors
    } else {
        // The two saves may land in two rebuilds.
        events
            .wait_for("errors", WAIT)
            .expect("second errors event")
    };
    let list: serde_json::Value = serde_json::from_str(&errors.data).expect("JSON errors");
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), 2, "{list:?}");
    let risk = list
        .iter()
        .find(|e| e["file"] == "content/risks/leak-risk.md")
        .expect("the risk's error");
    assert_eq!(risk["line"], 6);
    assert!(risk["col"].as_u64().unwrap() > 0);
    assert!(risk["message"].as_str().unwrap().contains("out of range"));
    let link = list
        .iter()
        .find(|e| e["file"] == "content/guide/intro.md")
        .expect("the link's error");
    assert_eq!(link["line"], 9);
    assert!(link["help"].as_str().unwrap().contains("data-policy"));

    // The old page stays served, and a page loaded now shows the overlay too.
    let page = get(server.addr(), "/risks/leak-risk.html").text();
    assert!(page.contains("Leaks are costly."));
    assert!(
        page.contains("content/risks/leak-risk.md"),
        "errors injected"
    );
    let standing = get(server.addr(), "/__policybook/errors");
    assert_eq!(standing.header("content-type"), Some("application/json"));
    assert_eq!(standing.text(), errors.data);

    // Fixing both clears the errors and reloads.
    hb.edit("content/risks/leak-risk.md", "impact: 9", "impact: 5");
    hb.edit(
        "content/guide/intro.md",
        "policy:data-polcy",
        "policy:data-policy#retention",
    );
    events
        .wait_for("reload", WAIT)
        .expect("reload after the fix");
    // The second save may still be in flight.
    while get(server.addr(), "/__policybook/errors").text() != "[]" {
        events.next(WAIT).expect("another event after the fix");
    }
    let page = get(server.addr(), "/risks/leak-risk.html").text();
    assert!(page.contains("window.policybookErrors = [];"));
    server.stop();
}

#[test]
fn a_save_after_a_broken_one_still_shows_the_first_ones_error() {
    let hb = Handbook::fixture("minimal");
    let server = start(&hb);
    let mut events = Events::open(server.addr());

    hb.edit(
        "content/guide/intro.md",
        "policy:data-policy#retention",
        "policy:data-polcy",
    );
    events.wait_for("errors", WAIT).expect("errors event");
    // A good edit of another file: the broken link is still there, so is its error.
    hb.edit(
        "content/risks/leak-risk.md",
        "Leaks are costly.",
        "Leaks are very costly.",
    );
    let errors = events.wait_for("errors", WAIT).expect("errors again");
    assert!(
        errors.data.contains("content/guide/intro.md"),
        "{}",
        errors.data
    );
    let page = get(server.addr(), "/risks/leak-risk.html").text();
    assert!(
        page.contains("Leaks are costly."),
        "the last good site stays"
    );
    server.stop();
}

#[test]
fn a_handbook_broken_from_the_start_is_served_once_fixed() {
    let hb = Handbook::fixture("minimal");
    hb.edit("content/risks/leak-risk.md", "impact: 5", "impact: 0");
    let server = start(&hb);
    let page = get(server.addr(), "/");
    assert_eq!(page.status, 503);
    assert!(page.text().contains("content/risks/leak-risk.md"));
    let mut events = Events::open(server.addr());
    hb.edit("content/risks/leak-risk.md", "impact: 0", "impact: 5");
    events
        .wait_for("reload", WAIT)
        .expect("reload after the fix");
    let page = get(server.addr(), "/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Start with"));
    server.stop();
}

#[test]
fn refuses_requests_outside_the_site() {
    let hb = Handbook::fixture("minimal");
    let server = start(&hb);
    for target in [
        "/../book.toml",
        "/../../../../etc/passwd",
        "/static/../../book.toml",
        "/%2e%2e/book.toml",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%2fbook.toml",
        "/..%5cbook.toml",
        "/%5c..%5cbook.toml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/C:/Windows/win.ini",
        "http://localhost/../book.toml",
    ] {
        let response = get(server.addr(), target);
        assert!(
            [400, 403, 404].contains(&response.status),
            "{target}: {}",
            response.status
        );
        let text = response.text();
        assert!(
            !text.contains("root:") && !text.contains("[book]"),
            "{target}"
        );
    }
    assert_eq!(get(server.addr(), "/../book.toml").status, 403);
    assert_eq!(get(server.addr(), "/%2e%2e/book.toml").status, 403);
    assert_eq!(get(server.addr(), "/..%5cbook.toml").status, 403);
    // Only reading is allowed.
    let post = request(
        server.addr(),
        &format!(
            "POST /index.html HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            server.addr()
        ),
    );
    assert_eq!(post.status, 405);
    server.stop();
}

#[test]
fn answers_with_the_sites_404_page_content_types_and_folder_redirects() {
    let hb = Handbook::fixture("minimal");
    let server = start(&hb);
    let missing = get(server.addr(), "/policies/nope.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Page not found"));
    assert!(missing.text().contains(SCRIPT_START));
    // Its links lead to this server, not to the published site-url; the feed and the sitemap,
    // which need the published address, are not served.
    assert!(missing.text().contains("href=\"/static/style.css\""));
    assert_eq!(get(server.addr(), "/sitemap.xml").status, 404);
    assert_eq!(get(server.addr(), "/feed.xml").status, 404);
    let head = request(
        server.addr(),
        &format!(
            "HEAD /index.html HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr()
        ),
    );
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    for (path, mime) in [
        ("/", "text/html; charset=utf-8"),
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/static/app.js", "text/javascript; charset=utf-8"),
    ] {
        let response = get(server.addr(), path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("content-type"), Some(mime), "{path}");
    }
    assert!(
        !get(server.addr(), "/static/style.css")
            .text()
            .contains(SCRIPT_START)
    );
    let folder = get(server.addr(), "/policies");
    assert_eq!(folder.status, 308);
    assert_eq!(folder.header("location"), Some("/policies/"));
    assert_eq!(get(server.addr(), "/policies/").status, 200);
    server.stop();
}

#[test]
fn the_served_site_equals_a_full_build_after_incremental_rebuilds() {
    let hb = Handbook::fixture("minimal");
    let server = start(&hb);
    let mut events = Events::open(server.addr());
    // The same edits to a copy built with `build`: without site-url, which serve ignores so
    // that the 404 page points at the local server.
    let reference = Handbook::fixture("minimal");
    reference.edit(
        "book.toml",
        "site-url = \"https://handbook.example.com/\"",
        "",
    );
    for (file, from, to) in [
        ("content/kpis/defects.md", "target: 0.05", "target: 0.06"),
        (
            "content/policies/data-policy.md",
            "Keep data safe.",
            "Keep all data safe.",
        ),
        ("content/vendors/acme.md", "score: 2", "score: 3"),
    ] {
        hb.edit(file, from, to);
        reference.edit(file, from, to);
        events.wait_for("reload", WAIT).expect("reload event");
    }
    reference.run(&["build"]).ok();
    let built = snapshot(&reference.path("book"));
    // The search index follows the reload, written on a thread of its own.
    let index = &built[std::path::Path::new("search/index.js")];
    let started = std::time::Instant::now();
    while get(server.addr(), "/search/index.js").body != *index {
        assert!(
            started.elapsed() < WAIT,
            "the search index was never refreshed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut compared = 0;
    for (path, bytes) in &built {
        let path = path.to_string_lossy().replace('\\', "/");
        if path == "manifest.json" {
            continue; // written by `build` only
        }
        let served = get(server.addr(), &format!("/{path}"));
        assert_eq!(served.status, 200, "{path}");
        let served = if path.ends_with(".html") {
            without_script(&served.text()).into_bytes()
        } else {
            served.body
        };
        assert!(served == *bytes, "{path} differs from a full build");
        compared += 1;
    }
    assert!(compared > 16);
    server.stop();
}

#[test]
fn build_output_never_contains_the_live_script() {
    let hb = Handbook::fixture("minimal");
    hb.run(&["build"]).ok();
    for (path, bytes) in snapshot(&hb.path("book")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("policybook-live") && !text.contains("__policybook"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn a_taken_port_gets_a_clear_message() {
    let hb = Handbook::fixture("minimal");
    let first = start(&hb);
    let taken = Options {
        port: first.addr().port(),
        ..options()
    };
    match Server::start(hb.root(), &taken) {
        Err(e @ Error::PortInUse { .. }) => {
            let message = e.to_string();
            assert!(message.contains("already in use"), "{message}");
            assert!(message.contains("--port 0"), "{message}");
        }
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => panic!("a second server started on a taken port"),
    }
    first.stop();
}

#[cfg(unix)]
#[test]
fn the_command_prints_the_url_and_stops_cleanly_on_ctrl_c() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let hb = Handbook::fixture("minimal");
    let mut child = Command::new(env!("CARGO_BIN_EXE_policybook"))
        .args(["serve", "--port", "0", "--root"])
        .arg(hb.root())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start policybook serve");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut url = None;
    let mut line = String::new();
    while stderr.read_line(&mut line).expect("read stderr") > 0 {
        if let Some(rest) = line.trim().strip_prefix("serving ") {
            url = rest.split_whitespace().next().map(str::to_string);
            break;
        }
        line.clear();
    }
    let url = url.expect("the URL is printed");
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .expect("a socket address");
    assert_eq!(get(addr, "/").status, 200);
    let _events = Events::open(addr); // an open reload stream must not hold up the stop
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let deadline = std::time::Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("serve did not stop on Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut stderr, &mut rest);
    assert!(rest.contains("stopped"), "{rest}");
}
