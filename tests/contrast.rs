//! The colours of highlighted code, read from the stylesheets a build writes: every token must
//! reach WCAG's 4.5:1 on the code block background, in light and in dark mode.

mod common;

use common::Handbook;

const LIGHT: &str = "html:not([data-theme=\"dark\"]) ";
const DARK: &str = "html[data-theme=\"dark\"] ";

/// A CSS rule: the `@media` conditions around it, its selectors and its declarations.
struct Rule {
    media: Vec<String>,
    selectors: Vec<String>,
    declarations: Vec<(String, String)>,
}

impl Rule {
    fn get(&self, property: &str) -> Option<&str> {
        self.declarations
            .iter()
            .rev()
            .find(|(p, _)| p == property)
            .map(|(_, v)| v.as_str())
    }
}

/// The rules of a stylesheet, with nested `@media` blocks; enough CSS for the theme's files.
fn rules(css: &str) -> Vec<Rule> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);

    let mut rules = Vec::new();
    let mut media = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find(['{', '}']) {
        if rest[at..].starts_with('}') {
            assert!(media.pop().is_some(), "unbalanced `}}`");
            rest = &rest[at + 1..];
            continue;
        }
        let prelude = rest[..at].trim();
        if let Some(condition) = prelude.strip_prefix("@media") {
            media.push(condition.trim().to_string());
            rest = &rest[at + 1..];
            continue;
        }
        let end = at + rest[at..].find('}').expect("unclosed rule");
        let declarations = rest[at + 1..end]
            .split(';')
            .filter_map(|d| d.split_once(':'))
            .map(|(p, v)| (p.trim().to_string(), v.trim().to_string()))
            .collect();
        rules.push(Rule {
            media: media.clone(),
            selectors: prelude.split(',').map(|s| s.trim().to_string()).collect(),
            declarations,
        });
        rest = &rest[end + 1..];
    }
    assert!(media.is_empty(), "unclosed @media");
    rules
}

fn rgb(colour: &str) -> [u8; 3] {
    let hex = colour.strip_prefix('#').filter(|h| h.len() == 6);
    let hex = hex.unwrap_or_else(|| panic!("not a #rrggbb colour: {colour}"));
    [0, 2, 4].map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect(colour))
}

/// WCAG 2's contrast ratio (relative luminance of sRGB).
fn contrast(a: &str, b: &str) -> f64 {
    let luminance = |c: &str| {
        let [r, g, b] = rgb(c).map(|v| {
            let v = f64::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        });
        0.2126 * r + 0.7152 * g + 0.0722 * b
    };
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// The value of `--name` in style.css's top-level rule for `selector`.
fn variable(style: &[Rule], selector: &str, name: &str) -> String {
    style
        .iter()
        .filter(|r| r.media.is_empty() && r.selectors == [selector])
        .find_map(|r| r.get(name))
        .unwrap_or_else(|| panic!("style.css sets no {name} for {selector}"))
        .to_string()
}

#[test]
fn every_token_colour_reaches_4_5_to_1_on_the_code_background_in_both_modes() {
    let hb = Handbook::fixture("minimal");
    hb.run(&["build"]).ok();
    let style = rules(&hb.read("book/static/style.css"));
    let highlight = rules(&hb.read("book/static/highlight.css"));
    assert!(
        hb.read("book/static/style.css")
            .contains("pre.code { background: var(--panel);"),
        "code blocks are no longer on --panel: the test reads the wrong background"
    );

    let modes = [
        ("light", LIGHT, ":root"),
        ("dark", DARK, "html[data-theme=\"dark\"]"),
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for (mode, prefix, root) in modes {
        let panel = variable(&style, root, "--panel");
        // Text no token colours is the page's.
        let fg = variable(&style, root, "--fg");
        if contrast(&fg, &panel) < 4.5 {
            failures.push(format!("{mode}: plain code text {fg} on {panel}"));
        }
        for rule in highlight
            .iter()
            .filter(|r| r.selectors.iter().all(|s| s.starts_with(prefix)))
        {
            let Some(colour) = rule.get("color") else {
                continue;
            };
            let background = rule.get("background-color").unwrap_or(&panel);
            let ratio = contrast(colour, background);
            checked += 1;
            if ratio < 4.5 {
                failures.push(format!(
                    "{mode}: {ratio:.2}:1 for {colour} on {background} in {}",
                    rule.selectors.join(", ")
                ));
            }
        }
    }
    assert!(checked > 100, "only {checked} coloured rules found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn each_highlighting_rule_belongs_to_one_mode() {
    // A rule of the light theme that applied in dark mode too would colour a token the dark
    // theme leaves alone with a light-mode colour, on the dark background.
    let hb = Handbook::fixture("minimal");
    hb.run(&["build"]).ok();
    for rule in rules(&hb.read("book/static/highlight.css")) {
        let light = rule.selectors.iter().all(|s| s.starts_with(LIGHT));
        let dark = rule.selectors.iter().all(|s| s.starts_with(DARK));
        assert!(
            (light && rule.media.is_empty()) || (dark && rule.media == ["screen"]),
            "rule not scoped to one mode: {:?} in @media {:?}",
            rule.selectors,
            rule.media
        );
    }
}
