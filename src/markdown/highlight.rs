//! Code highlighting with syntect, emitting CSS classes so one stylesheet serves light and dark.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Highlights code blocks; the syntax set is loaded once per build.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    /// Blocks already highlighted: a build shows every block at least twice (on its page and
    /// in print.html, and a policy's on each version page), handbooks repeat snippets, and
    /// highlighting is the costliest part of rendering.
    done: Mutex<Done>,
}

/// Highlighted blocks by language, then code, and the bytes they hold; forgotten all at once
/// past [`Done::BUDGET`], so that a large handbook's code is not all held.
#[derive(Default)]
struct Done {
    blocks: HashMap<String, HashMap<String, Arc<str>>>,
    bytes: usize,
}

impl Done {
    const BUDGET: usize = 8 << 20;
}

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            done: Mutex::default(),
        }
    }
}

impl Highlighter {
    /// The HTML of a code block in `lang` (plain escaped text for an unknown language).
    pub fn block(&self, lang: &str, code: &str) -> Arc<str> {
        let lock = || self.done.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(html) = lock().blocks.get(lang).and_then(|blocks| blocks.get(code)) {
            return html.clone();
        }
        // Highlighted unlocked, so that the other threads go on meanwhile.
        let html: Arc<str> = self.highlight(lang, code).into();
        let mut done = lock();
        if done.bytes > Done::BUDGET {
            *done = Done::default();
        }
        done.bytes += code.len() + html.len();
        done.blocks
            .entry(lang.to_string())
            .or_default()
            .insert(code.to_string(), html.clone());
        html
    }

    fn highlight(&self, lang: &str, code: &str) -> String {
        let lang = lang.split([',', ' ']).next().unwrap_or("").trim();
        let syntax = (!lang.is_empty())
            .then(|| self.syntaxes.find_syntax_by_token(lang))
            .flatten();
        let body = match syntax {
            Some(syntax) => {
                let mut generator =
                    ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
                let parsed = LinesWithEndings::from(code).try_for_each(|line| {
                    generator.parse_html_for_line_which_includes_newline(line)
                });
                match parsed {
                    Ok(()) => generator.finalize(),
                    Err(_) => escape(code),
                }
            }
            None => escape(code),
        };
        let lang_attr = if lang.is_empty() {
            String::new()
        } else {
            format!(" data-lang=\"{}\"", escape(lang))
        };
        // Focusable, because a long line makes the block scroll sideways, and a keyboard user
        // scrolls only what has focus (axe-core's `scrollable-region-focusable`).
        format!("<pre class=\"code\"{lang_attr} tabindex=\"0\"><code>{body}</code></pre>\n")
    }
}

/// The background of code blocks in the default theme (`--panel` in style.css), light and dark;
/// tests/contrast.rs reads the stylesheet, so the two cannot drift apart unnoticed.
const LIGHT_PANEL: Color = Color {
    r: 0xf5,
    g: 0xf7,
    b: 0xfa,
    a: 0xff,
};
const DARK_PANEL: Color = Color {
    r: 0x1c,
    g: 0x20,
    b: 0x27,
    a: 0xff,
};

/// WCAG 2's minimum contrast for text (success criterion 1.4.3); code is never "large text".
const MIN_CONTRAST: f64 = 4.5;

/// The stylesheet for highlighted code: a light theme, and a dark one for `[data-theme="dark"]`,
/// each scoped to its mode so that a scope only one theme colours never shows the other mode's
/// colour on the wrong background. The dark rules apply on screen only: style.css prints the
/// light palette whatever the mode, so code printed from dark mode is plain text.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str, panel: Color| {
        themes
            .themes
            .get(name)
            .map(|theme| readable(theme.clone(), panel))
            .and_then(|theme| css_for_theme_with_class_style(&theme, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    let mut out = scope_rules(
        &css("InspiredGitHub", LIGHT_PANEL),
        "html:not([data-theme=\"dark\"])",
    );
    out.push_str("\n@media screen {\n");
    out.push_str(&scope_rules(
        &css("base16-ocean.dark", DARK_PANEL),
        "html[data-theme=\"dark\"]",
    ));
    out.push_str("}\n");
    out
}

/// `theme` with every text colour moved just far enough towards black or white to reach
/// [`MIN_CONTRAST`] on its scope's background, or on `panel`: the themes syntect ships were made
/// for their own backgrounds, and several of their colours (comments, numbers) fail even there.
fn readable(mut theme: Theme, panel: Color) -> Theme {
    for item in &mut theme.scopes {
        let background = item.style.background.unwrap_or(panel);
        if let Some(fg) = &mut item.style.foreground {
            *fg = with_contrast(*fg, background);
        }
    }
    if let Some(fg) = &mut theme.settings.foreground {
        *fg = with_contrast(*fg, theme.settings.background.unwrap_or(panel));
    }
    theme
}

/// `fg` mixed with black or white (whichever contrasts more with `bg`) in the smallest of 100
/// steps that passes [`MIN_CONTRAST`]. Pure black or white always does: one of the two has at
/// least √21 ≈ 4.58:1 on any background.
fn with_contrast(fg: Color, bg: Color) -> Color {
    let black = Color::BLACK;
    let white = Color::WHITE;
    let target = if contrast(black, bg) > contrast(white, bg) {
        black
    } else {
        white
    };
    (0..=100)
        .map(|step| {
            let mix = |from: u8, to: u8| {
                let t = f64::from(step) / 100.0;
                (f64::from(from) + (f64::from(to) - f64::from(from)) * t).round() as u8
            };
            Color {
                r: mix(fg.r, target.r),
                g: mix(fg.g, target.g),
                b: mix(fg.b, target.b),
                a: fg.a,
            }
        })
        // Strictly above, as axe-core's `color-contrast` counts.
        .find(|c| contrast(*c, bg) > MIN_CONTRAST)
        .unwrap_or(target)
}

/// WCAG 2's contrast ratio of two colours, from 1 to 21.
fn contrast(a: Color, b: Color) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// WCAG 2's relative luminance of an sRGB colour.
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

/// Prefixes every selector of `css` with `scope`.
fn scope_rules(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let selectors = &rest[..open];
        // Drop comments before the selector list.
        let selectors = selectors.rsplit_once("*/").map_or(selectors, |(_, s)| s);
        let scoped: Vec<String> = selectors
            .split(',')
            .map(|s| format!("{scope} {}", s.trim()))
            .collect();
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        out.push_str(&scoped.join(", "));
        out.push_str(&rest[open..close]);
        out.push('\n');
        rest = &rest[close..];
    }
    out
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped for HTML: for callers that build a page from many pieces.
pub fn escape_into(out: &mut String, text: &str) {
    // Byte by byte (the special characters are ASCII, so never inside a character); runs without
    // one, the common case, are copied whole. Every word of every redline comes through here.
    let mut run = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[run..at]);
        out.push_str(escaped);
        run = at + 1;
    }
    out.push_str(&text[run..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_special_characters_only() {
        assert_eq!(
            escape("«a<b>» & \"c\" 'd'é"),
            "«a&lt;b&gt;» &amp; &quot;c&quot; &#39;d&#39;é"
        );
    }

    #[test]
    fn highlights_with_classes() {
        let html = Highlighter::default().block("rust", "fn main() {}\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.starts_with("<pre class=\"code\" data-lang=\"rust\" tabindex=\"0\">"));
    }

    #[test]
    fn colours_move_just_far_enough_to_be_readable() {
        let hex = |c: Color| format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b);
        let teal = Color {
            r: 0x00,
            g: 0x86,
            b: 0xb3,
            a: 0xff,
        };
        // The Rust integer literal of issue 19: 3.87:1 on the light panel.
        let fixed = with_contrast(teal, LIGHT_PANEL);
        assert!(contrast(fixed, LIGHT_PANEL) > MIN_CONTRAST);
        assert!(contrast(fixed, LIGHT_PANEL) < 4.7, "{}", hex(fixed));
        let comment = Color {
            r: 0x65,
            g: 0x73,
            b: 0x7e,
            a: 0xff,
        };
        let lighter = with_contrast(comment, DARK_PANEL);
        assert!(contrast(lighter, DARK_PANEL) > MIN_CONTRAST);
        assert!(lighter.r > comment.r, "{}", hex(lighter));
        // Readable colours are kept.
        assert_eq!(with_contrast(Color::BLACK, LIGHT_PANEL), Color::BLACK);
    }
}
