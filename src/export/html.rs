//! Self-contained HTML pages: one file with its styles inline, no fonts, scripts or images
//! from elsewhere, readable without JavaScript and printable. Pages are written with maud,
//! which escapes every interpolated string, so register text (names are user text) can never
//! become markup.

use super::i18n::Lang;
use foldhash::{HashMap, HashMapExt};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use sha2::{Digest, Sha256};

/// The styles of every page: system fonts, a readable measure, tables that wrap, and print
/// rules (no background colours, no breaks inside an entry, links written out).
const CSS: &str = r#"
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); line-height: 1.5; max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.1rem; margin: 0 0 .5rem; }
.meta, .muted { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem; }
.entries .card { margin: 0 0 1rem; }
.entries .card dl { grid-template-columns: minmax(10rem, max-content) 1fr; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 1rem; break-inside: avoid; page-break-inside: avoid; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .75rem; margin: .5rem 0 0; }
.card dt { color: var(--muted); }
.card dd { margin: 0; overflow-wrap: anywhere; hyphens: auto; }
.card .note { color: var(--muted); font-size: .9rem; margin: .6rem 0 0; }
.badge { display: inline-block; font-size: .8rem; padding: 0 .4rem; border-radius: 1rem; border: 1px solid currentColor; margin-left: .3rem; }
.added { color: var(--ok); } .removed { color: var(--bad); } .changed { color: var(--warn); }
.status-error { color: var(--bad); font-weight: 600; } .status-warning { color: var(--warn); } .status-ok { color: var(--ok); }
table { border-collapse: collapse; width: 100%; }
.box table { width: auto; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
ul.changes { margin: .5rem 0 0; padding-left: 1.2rem; }
.box { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; }
footer { margin-top: 2rem; font-size: .85rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: .5rem; }
a { color: #0969da; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .cards { display: block; }
  .card { margin-bottom: .6rem; }
  .box, th { background: none; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; }
  h2 { break-after: avoid; page-break-after: avoid; }
}
"#;

/// What a page carries besides the shared styles: styles of its own and an inline script.
#[derive(Debug, Default, Clone, Copy)]
pub struct Extras<'a> {
    pub css: &'a str,
    /// Run after the body; it may only add to a page that reads without it.
    pub script: Option<&'a str>,
}

/// A whole page: doctype, language, title, inline styles and the body.
pub fn page(lang: Lang, title: &str, body: Markup) -> String {
    page_with(lang, title, body, Extras::default())
}

/// A whole page with its own styles and script, as one string. A content security policy in
/// the page allows exactly its own style sheet and script (by their hashes) and nothing from
/// anywhere else, so even a browser that opens it from a web server fetches nothing and runs
/// nothing else.
pub fn page_with(lang: Lang, title: &str, body: Markup, extras: Extras) -> String {
    let (head, tail) = frame(lang, title, extras);
    let body = printable(body.into_string());
    let mut page = String::with_capacity(head.len() + body.len() + tail.len());
    page.push_str(&head);
    page.push_str(&body);
    page.push_str(&tail);
    page
}

/// Writes a page whose body parts are rendered one at a time as they are written, each
/// dropped before the next is made: the whole page is never held (a large register's
/// sub-processor page and review report run to megabytes). Returns the number of bytes
/// written.
pub fn write_page(
    out: &mut dyn std::io::Write,
    lang: Lang,
    title: &str,
    extras: Extras,
    body: impl Iterator<Item = Markup>,
) -> std::io::Result<u64> {
    let (head, tail) = frame(lang, title, extras);
    let mut bytes = 0;
    let mut write = |text: &str| {
        bytes += text.len() as u64;
        out.write_all(text.as_bytes())
    };
    write(&head)?;
    for part in body {
        write(&printable(part.into_string()))?;
    }
    write(&tail)?;
    Ok(bytes)
}

/// The mark a frame made with `html!` is rendered with where parts written on their own go
/// (see [`cut_at_marks`]).
pub const MARK: PreEscaped<&str> = PreEscaped("\0");

/// A frame rendered with `marks` [`MARK`]s, cut at them: the pieces before, between and after
/// the parts that go there. The marks are the frame's last NULs, so text before them (a name
/// from the register) may hold one; [`printable`] takes it out when the page is written.
pub fn cut_at_marks(frame: &str, marks: usize) -> Vec<String> {
    let mut pieces: Vec<String> = frame.rsplitn(marks + 1, '\0').map(str::to_string).collect();
    pieces.reverse();
    pieces
}

/// No control character or bidi override from a name reaches a page: markup needs none.
/// Copied only when something had to be replaced.
fn printable(text: String) -> String {
    match crate::model::text::printable(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(replaced) => replaced,
    }
}

/// What comes before a page's body and what follows it.
fn frame(lang: Lang, title: &str, extras: Extras) -> (String, String) {
    let css = format!("{CSS}{}", extras.css);
    let policy = content_policy(&css, extras.script);
    // The `html` and `body` elements are opened and closed by hand around the body, which is
    // kept as it was rendered; the result is what one `html!` around it all would write.
    let head = html! {
        (DOCTYPE)
        (PreEscaped(format!("<html lang=\"{}\">", lang.code())))
        head {
            meta charset="utf-8";
            meta http-equiv="Content-Security-Policy" content=(policy);
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="generator" content="ropa";
            title { (title) }
            style { (PreEscaped(&css)) }
        }
        (PreEscaped("<body>"))
    };
    let tail = html! {
        @if let Some(script) = extras.script {
            script { (PreEscaped(script)) }
        }
        (PreEscaped("</body></html>\n"))
    };
    (printable(head.into_string()), printable(tail.into_string()))
}

/// `default-src 'none'`, with the page's own style sheet and script allowed by hash.
fn content_policy(css: &str, script: Option<&str>) -> String {
    let hash = |text: &str| format!("'sha256-{}'", base64(&Sha256::digest(text.as_bytes())));
    format!(
        "default-src 'none'; style-src {}; script-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        hash(css),
        script.map(hash).unwrap_or_else(|| "'none'".to_string())
    )
}

/// Standard base64 with padding (the form CSP hashes take).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The SVG elements an inlined diagram may keep; others are dropped with their content.
const SVG_ELEMENTS: &[&str] = &[
    "svg", "g", "defs", "marker", "title", "desc", "path", "polygon", "polyline", "ellipse",
    "circle", "rect", "line", "text", "tspan", "textPath", "a",
];

/// The attributes an inlined diagram may keep: geometry and presentation. `id` and local
/// references (`href="#…"`, `url(#…)`) are kept with a per-diagram prefix; event handlers,
/// links elsewhere and style attributes are dropped.
const SVG_ATTRIBUTES: &[&str] = &[
    "width",
    "height",
    "viewBox",
    "transform",
    "class",
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "opacity",
    "points",
    "d",
    "cx",
    "cy",
    "rx",
    "ry",
    "r",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "dx",
    "dy",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "startOffset",
    "marker-start",
    "marker-end",
    "markerWidth",
    "markerHeight",
    "refX",
    "refY",
    "orient",
    "xlink:title",
    "preserveAspectRatio",
];

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if crate::model::text::is_hostile(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// The font rules of an SVG's own `<style>` element (`.a10 { font-size: 10px; … }`, as the
/// built-in renderer writes them), by class, as presentation attributes: a page-wide style
/// element from a diagram would style the whole page.
fn class_fonts(style: &str) -> HashMap<String, Vec<(&'static str, String)>> {
    let mut fonts = HashMap::new();
    for rule in style.split('}') {
        let Some((selector, body)) = rule.split_once('{') else {
            continue;
        };
        let Some(class) = selector.trim().strip_prefix('.') else {
            continue;
        };
        if !class
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            continue;
        }
        let mut attributes = Vec::new();
        for declaration in body.split(';') {
            let Some((name, value)) = declaration.split_once(':') else {
                continue;
            };
            let value = value.trim();
            let safe = value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " ,.-".contains(c));
            match name.trim() {
                "font-size" if safe => attributes.push(("font-size", value.to_string())),
                "font-family" if safe => attributes.push(("font-family", value.to_string())),
                _ => {}
            }
        }
        fonts.insert(class.to_string(), attributes);
    }
    fonts
}

/// A rendered SVG diagram made safe to inline into a page: parsed as XML and written again
/// with only the elements and attributes of a drawing ([`SVG_ELEMENTS`], [`SVG_ATTRIBUTES`]),
/// every text and attribute value escaped, ids prefixed with `prefix` so that several
/// diagrams on one page do not share them, and no prolog, doctype, comment, style or script.
/// `None` when the SVG is not well-formed.
pub fn inline_svg(svg: &str, prefix: &str) -> Option<String> {
    use quick_xml::events::{BytesStart, Event};
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut out = String::with_capacity(svg.len());
    // Depth inside a dropped element (its content goes with it), and inside `<style>`.
    let mut dropped = 0usize;
    let mut style: Option<String> = None;
    let mut fonts: HashMap<String, Vec<(&'static str, String)>> = HashMap::new();
    let mut open: Vec<String> = Vec::new();
    let mut seen_svg = false;
    // References to ids inside the drawing (`url(#endarrow)`) follow the prefixed ids.
    let local = |value: &str| value.replace("url(#", &format!("url(#{prefix}"));
    let start = |e: &BytesStart,
                 out: &mut String,
                 fonts: &HashMap<String, Vec<(&'static str, String)>>|
     -> Option<String> {
        let name = e.name().as_ref().to_string();
        out.push('<');
        out.push_str(&name);
        let mut class_attributes = Vec::new();
        let mut written: Vec<String> = Vec::new();
        for attribute in e.attributes() {
            let attribute = attribute.ok()?;
            let key = attribute.key.as_ref().to_string();
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()?;
            let value = match key.as_str() {
                "id" => format!("{prefix}{value}"),
                "href" | "xlink:href" if value.starts_with('#') && name == "textPath" => {
                    written.push("href".to_string());
                    out.push_str(" href=\"#");
                    escape_into(out, prefix);
                    escape_into(out, &value[1..]);
                    out.push('"');
                    continue;
                }
                _ if SVG_ATTRIBUTES.contains(&key.as_str()) => {
                    if key == "class" {
                        for class in value.split_whitespace() {
                            class_attributes.extend(fonts.get(class).cloned().unwrap_or_default());
                        }
                    }
                    local(&value)
                }
                _ => continue,
            };
            written.push(key.clone());
            out.push(' ');
            out.push_str(&key);
            out.push_str("=\"");
            escape_into(out, &value);
            out.push('"');
        }
        for (key, value) in class_attributes {
            if !written.iter().any(|w| w == key) {
                out.push_str(&format!(" {key}=\""));
                escape_into(out, &value);
                out.push('"');
            }
        }
        Some(name)
    };
    loop {
        let event = reader.read_event().ok()?;
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                if dropped > 0 || style.is_some() {
                    dropped += 1;
                } else if name == "style" {
                    style = Some(String::new());
                } else if SVG_ELEMENTS.contains(&name.as_str()) && (seen_svg || name == "svg") {
                    seen_svg = true;
                    let name = start(&e, &mut out, &fonts)?;
                    out.push('>');
                    open.push(name);
                } else {
                    dropped = 1;
                }
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                if dropped == 0
                    && style.is_none()
                    && seen_svg
                    && SVG_ELEMENTS.contains(&name.as_str())
                {
                    start(&e, &mut out, &fonts)?;
                    out.push_str("/>");
                }
            }
            Event::End(_) => {
                if dropped > 0 {
                    dropped -= 1;
                } else if let Some(css) = style.take() {
                    fonts.extend(class_fonts(&css));
                } else {
                    let name = open.pop()?;
                    out.push_str("</");
                    out.push_str(&name);
                    out.push('>');
                }
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                if let Some(css) = style.as_mut() {
                    css.push_str(&text);
                } else if dropped == 0 && !open.is_empty() {
                    escape_into(&mut out, &text);
                }
            }
            Event::CData(t) => {
                let text = t.xml10_content();
                if let Some(css) = style.as_mut() {
                    css.push_str(&text);
                } else if dropped == 0 && !open.is_empty() {
                    escape_into(&mut out, &text);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().ok()? {
                    Some(c) => Some(c.to_string()),
                    None => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_string),
                };
                if let (Some(text), true) = (resolved, dropped == 0 && !open.is_empty()) {
                    if let Some(css) = style.as_mut() {
                        css.push_str(&text);
                    } else {
                        escape_into(&mut out, &text);
                    }
                }
            }
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) | Event::Comment(_) => {}
        }
    }
    (seen_svg && open.is_empty()).then_some(out)
}

/// An e-mail address or web address as a link, other text as text.
pub fn contact(text: &str) -> Markup {
    let trimmed = text.trim();
    if trimmed.starts_with("https://") || trimmed.starts_with("http://") {
        html! { a href=(trimmed) { (trimmed) } }
    } else if trimmed.contains('@') && !trimmed.contains(char::is_whitespace) {
        html! { a href={ "mailto:" (trimmed) } { (trimmed) } }
    } else {
        html! { (trimmed) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_text_is_escaped_and_nothing_is_fetched() {
        let page = page(
            Lang::En,
            "<script>alert(1)</script>",
            html! { p { ("Müller & Söhne <b>") } (contact("javascript:alert(1)")) },
        );
        assert!(!page.contains("<script"), "{page}");
        assert!(page.contains("&lt;script&gt;") && page.contains("Müller &amp; Söhne &lt;b&gt;"));
        assert!(!page.contains("href=\"javascript"));
        assert!(!page.contains("src=") && !page.contains("<link"));
        assert!(page.contains("@media print"));
        // Nothing but the page's own style sheet is allowed, and no script at all.
        assert!(page.contains("default-src 'none'") && page.contains("script-src 'none'"));
    }

    #[test]
    fn a_script_is_allowed_by_its_hash_only() {
        let page = page_with(
            Lang::En,
            "t",
            html! { p { "x" } },
            Extras {
                css: "p{}",
                script: Some("1;"),
            },
        );
        let policy_hash = format!("'sha256-{}'", base64(&Sha256::digest(b"1;")));
        assert!(
            page.contains(&format!("script-src {policy_hash}")),
            "{page}"
        );
        assert!(page.contains("<script>1;</script>"));
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"M"), "TQ==");
    }

    #[test]
    fn control_characters_and_overrides_never_reach_a_page() {
        let page = page(Lang::En, "a\u{7}b", html! { p { "\u{202e}gpj.exe" } });
        assert!(!page.contains('\u{7}') && !page.contains('\u{202e}'));
        assert!(page.contains("a\u{FFFD}b"));
    }

    #[test]
    fn inlined_svgs_keep_the_drawing_and_nothing_else() {
        let svg = r##"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- a comment -->
<svg width="100pt" height="50pt" viewBox="0 0 100 50" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">
<defs><marker id="end"><polygon points="0 0, 1 1" fill="#abcdef"/></marker></defs>
<style>.a10 { font-size: 10px; font-family: Times, serif; } .x { background: url(http://evil.example/) }</style>
<script>alert(2)</script>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>
<g id="node1" class="node"><title>&lt;script&gt;alert(3)&lt;/script&gt; &amp; Co</title>
<a xlink:href="javascript:alert(4)" xlink:title="Müller &amp; &quot;Söhne&quot;">
<path d="M0,0L1,1" marker-end="url(#end)" style="fill:red"/>
<text class="a10" x="1" y="2">A &lt;b&gt; &#45; B<![CDATA[ <i>c</i> ]]></text>
<textPath href="#arrow1">on the path</textPath>
</a></g>
</svg>
"##;
        let inlined = inline_svg(svg, "d7-").expect("well-formed");
        assert!(inlined.starts_with("<svg "), "{inlined}");
        for gone in [
            "<?xml",
            "DOCTYPE",
            "<!--",
            "onload",
            "<script",
            "alert(2)",
            "foreignObject",
            "<div",
            "javascript:",
            "<style",
            "style=",
            "evil.example",
            "xmlns",
        ] {
            assert!(!inlined.contains(gone), "`{gone}` survived: {inlined}");
        }
        for kept in [
            "viewBox=\"0 0 100 50\"",
            "id=\"d7-end\"",
            "id=\"d7-node1\"",
            "marker-end=\"url(#d7-end)\"",
            "fill=\"#abcdef\"",
            "&lt;script&gt;alert(3)&lt;/script&gt; &amp; Co",
            "xlink:title=\"Müller &amp; &quot;Söhne&quot;\"",
            "A &lt;b&gt; - B &lt;i&gt;c&lt;/i&gt; ",
            "font-size=\"10px\"",
            "font-family=\"Times, serif\"",
            "href=\"#d7-arrow1\"",
        ] {
            assert!(inlined.contains(kept), "`{kept}` is missing: {inlined}");
        }
        assert!(
            inline_svg("<svg><g></svg>", "x").is_none(),
            "not well-formed"
        );
        assert!(inline_svg("just text", "x").is_none(), "no drawing");
    }
}
