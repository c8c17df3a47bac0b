//! The frame every HTML report shares: one self-contained page (its style and script inside it,
//! nothing fetched), a Content-Security-Policy that lets only the page's own script run, and the
//! small pieces every report uses (the status, key figures, data for the script).

use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::solve::Status;

/// The page's style (`report.css`).
const STYLE: &str = include_str!("report.css");
/// The page's script (`report.js`).
const SCRIPT: &str = include_str!("report.js");

/// A whole page: `title` in the tab and at the top, `kind` (the command) on `<body>`.
pub fn page(title: &str, kind: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy" content=(policy());
                meta name="generator" content={ "caseload " (env!("CARGO_PKG_VERSION")) };
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body data-report=(kind) {
                a.skip href="#report" { "Skip to the report" }
                main #report { (body) }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
    .into_string()
}

/// Nothing loads from anywhere, and the only script that runs is the page's own (by its
/// digest): an id that got past escaping still could not run.
fn policy() -> String {
    let digest = base64(&Sha256::digest(SCRIPT.as_bytes()));
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'"
    )
}

/// Standard base64 with padding, for the script's digest.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `value` as JSON inside `<script type="application/json" id=id>`, for the page's script.
/// Every `<`, `>` and `&` is written as a JSON escape, so no text in it (an id such as
/// `</script><script>`) can end the block.
pub fn json_block(id: &str, value: &impl Serialize) -> Markup {
    let json = serde_json::to_string(value).expect("report data serializes");
    let json = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    html! { script type="application/json" id=(id) { (PreEscaped(json)) } }
}

/// The status of a solve as a badge: its word, coloured by how good it is.
pub fn status_badge(status: Status, word: &str) -> Markup {
    let class = match status {
        Status::Optimal => "good",
        Status::Feasible => "caution",
        Status::Infeasible | Status::Unknown => "bad",
    };
    html! { span.status.(class) { (word) } }
}

/// Key figures, a label and a value each.
pub fn figures(items: &[(&str, String)]) -> Markup {
    html! {
        dl.figures {
            @for (label, value) in items {
                div { dt { (label) } dd { (value) } }
            }
        }
    }
}

/// A chart in a `<figure>` with its caption, then its numbers as a table (`table`) in a
/// disclosure a reader opens (none when `table` is empty: the page shows the figures anyway).
pub fn chart_figure(caption: &str, chart: Markup, legend: Markup, table: Markup) -> Markup {
    html! {
        figure {
            figcaption { (caption) }
            (legend)
            (chart)
            @if !table.0.is_empty() {
                details.no-print {
                    summary { "The figures of this chart as a table" }
                    div.scroll { (table) }
                }
            }
        }
    }
}

/// A case's id, marked as one (`data-case`), so that a page that can answer why (the dashboard)
/// makes it a link to the answer.
pub fn case_id(id: &str) -> Markup {
    html! { span.case data-case=(id) { (id) } }
}

/// Cases' ids, comma-separated, each marked as [`case_id`] does.
pub fn case_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> Markup {
    html! {
        @for (i, id) in ids.into_iter().enumerate() {
            @if i > 0 { ", " }
            (case_id(id))
        }
    }
}

/// The page's anchor of worker `w`'s handout.
pub fn handout_anchor(w: crate::domain::StaffIdx) -> String {
    format!("handout-{}", w.index())
}

/// A list of sentences.
pub fn sentences(lines: &[String]) -> Markup {
    html! {
        ul.sentences {
            @for line in lines { li { (line) } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_as_the_standard_says() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn data_cannot_end_its_script_block() {
        let block = json_block("d", &["</script><script>alert(1)</script>", "a & b"]).into_string();
        assert_eq!(block.matches("</script>").count(), 1, "{block}");
        assert!(!block.contains("<script>alert"));
        let json = block
            .trim_start_matches(r#"<script type="application/json" id="d">"#)
            .trim_end_matches("</script>");
        let back: Vec<String> = serde_json::from_str(json).unwrap();
        assert_eq!(back[0], "</script><script>alert(1)</script>");
        assert_eq!(back[1], "a & b");
    }

    #[test]
    fn only_the_page_script_may_run() {
        let html = page("t", "check", html! { p { "x" } });
        assert!(html.starts_with("<!DOCTYPE html>"));
        let digest = base64(&Sha256::digest(SCRIPT.as_bytes()));
        assert!(html.contains(&format!("script-src 'sha256-{digest}'")));
        assert!(html.contains("default-src 'none'"));
        assert_eq!(html.matches("<script>").count(), 1);
    }
}
