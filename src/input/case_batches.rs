//! Where a large scenario can be cut so that its cases are parsed a batch at a time.
//!
//! A TOML parser's structures for a whole document take many times the size of its text (a
//! 50 MB scenario took 2 GB). A scenario is usually a head (name, policy, staff) followed by
//! thousands of `[[case]]` sections, and each section means the same whether it is parsed with
//! the rest of the document or on its own. This module finds those sections by reading the text
//! as a TOML parser would (strings, comments, multi-line arrays and inline tables), so that a
//! line starting with `[` inside a value is never taken for a header, and groups them into
//! batches. Whenever the layout is anything else, or the reading is unsure, it finds no
//! batches and the caller parses the whole document.

use std::ops::Range;

/// When a scenario is cut into batches, and how large each batch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchSizes {
    /// Texts shorter than this are parsed whole: their parser's structures are small anyway.
    pub smallest_text: usize,
    /// A batch grows by whole `[[case]]` sections until it holds at least this many bytes.
    pub batch_bytes: usize,
}

impl BatchSizes {
    /// Files of a megabyte and more, in batches of about a megabyte: the parser then needs
    /// tens of megabytes at a time.
    pub const STANDARD: BatchSizes = BatchSizes {
        smallest_text: 1 << 20,
        batch_bytes: 1 << 20,
    };

    /// Never cut: every document is parsed whole.
    pub const WHOLE: BatchSizes = BatchSizes {
        smallest_text: usize::MAX,
        batch_bytes: usize::MAX,
    };
}

/// A scenario's text cut into its head and batches of `[[case]]` sections, as byte ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseBatches {
    /// Everything before the first `[[case]]` header.
    pub head: Range<usize>,
    /// From the first `[[case]]` header to the end of the text, in order, each batch starting
    /// at a `[[case]]` header.
    pub batches: Vec<Range<usize>>,
}

/// The head and batches of `text`, when it is plainly a head followed by `[[case]]` sections
/// only and at least `sizes.smallest_text` long; `None` means: parse the whole document.
///
/// Each `[[case]]` header must be written exactly so, at the start of its line, with nothing
/// after it but blanks and a comment; any other header after the first `[[case]]` (a sub-table
/// such as `[case.visits]`, a spelling such as `[[ case ]]`, another table) gives `None`, as
/// does a text whose strings or brackets are still open at its end. The head may still define
/// `case` in other ways (`case = [...]`, `[case]`): the caller checks it once parsed.
pub fn case_batches(text: &str, sizes: &BatchSizes) -> Option<CaseBatches> {
    if text.len() < sizes.smallest_text {
        return None;
    }
    let mut scanner = Scanner::new(text.as_bytes());
    let mut first_case = None;
    let mut batch_start = 0;
    let mut batches = Vec::new();
    while let Some(header) = scanner.next_header().ok()? {
        match (header.is_case, first_case) {
            (true, None) => {
                first_case = Some(header.start);
                batch_start = header.start;
            }
            (true, Some(_)) => {
                if header.start - batch_start >= sizes.batch_bytes {
                    batches.push(batch_start..header.start);
                    batch_start = header.start;
                }
            }
            // A table after the cases: the document is not a head and cases only.
            (false, Some(_)) => return None,
            (false, None) => {}
        }
    }
    let first_case = first_case?;
    batches.push(batch_start..text.len());
    Some(CaseBatches {
        head: 0..first_case,
        batches,
    })
}

/// A table header found at the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Header {
    /// Offset of the start of its line.
    start: usize,
    /// Written exactly `[[case]]`.
    is_case: bool,
}

/// The reading is unsure what the text means (an unterminated string, an unbalanced bracket):
/// the document is parsed whole, and the parser says what is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Unsure;

/// Reads a TOML text just closely enough to tell where its table headers are.
struct Scanner<'t> {
    bytes: &'t [u8],
    position: usize,
    /// Open `[` and `{` of values (and of the header being read).
    depth: usize,
    /// The position is the start of a line.
    at_line_start: bool,
}

impl<'t> Scanner<'t> {
    fn new(bytes: &'t [u8]) -> Self {
        Scanner {
            bytes,
            position: 0,
            depth: 0,
            at_line_start: true,
        }
    }

    /// The next header, `Ok(None)` at the end of a text that closes all it opens.
    fn next_header(&mut self) -> Result<Option<Header>, Unsure> {
        while self.position < self.bytes.len() {
            if std::mem::take(&mut self.at_line_start) && self.depth == 0 {
                let line_start = self.position;
                self.skip_blanks();
                if self.peek(0) == Some(b'[') {
                    return Ok(Some(Header {
                        start: line_start,
                        is_case: is_case_header(&self.bytes[line_start..]),
                    }));
                }
                continue;
            }
            self.step()?;
        }
        if self.depth == 0 {
            Ok(None)
        } else {
            Err(Unsure)
        }
    }

    /// Reads one token that matters (a string, a comment, a bracket, a line break) or one byte.
    fn step(&mut self) -> Result<(), Unsure> {
        match self.bytes[self.position] {
            b'\n' => {
                self.position += 1;
                self.at_line_start = true;
            }
            b'#' => self.skip_comment(),
            b'"' if self.starts_with(b"\"\"\"") => self.multi_line_string(b'"')?,
            b'\'' if self.starts_with(b"'''") => self.multi_line_string(b'\'')?,
            quote @ (b'"' | b'\'') => self.single_line_string(quote)?,
            b'[' | b'{' => {
                self.depth += 1;
                self.position += 1;
            }
            b']' | b'}' => {
                self.depth = self.depth.checked_sub(1).ok_or(Unsure)?;
                self.position += 1;
            }
            _ => self.position += 1,
        }
        Ok(())
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.position + ahead).copied()
    }

    fn starts_with(&self, prefix: &[u8]) -> bool {
        self.bytes[self.position..].starts_with(prefix)
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(0), Some(b' ' | b'\t')) {
            self.position += 1;
        }
    }

    /// To the line break, which is left for [`Self::step`].
    fn skip_comment(&mut self) {
        self.position = self.bytes[self.position..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(self.bytes.len(), |n| self.position + n);
    }

    /// A basic (`"`, with `\` escapes) or literal (`'`) string, which must end on its line.
    fn single_line_string(&mut self, quote: u8) -> Result<(), Unsure> {
        self.position += 1;
        loop {
            match self.peek(0).ok_or(Unsure)? {
                b'\\' if quote == b'"' => self.position += 2,
                b'\n' => return Err(Unsure),
                b if b == quote => {
                    self.position += 1;
                    return Ok(());
                }
                _ => self.position += 1,
            }
        }
    }

    /// A multi-line basic (`"""`, with `\` escapes) or literal (`'''`) string. It ends at the
    /// first run of three or more quotes; a run of four or five ends it too, the first one or
    /// two quotes being part of the string.
    fn multi_line_string(&mut self, quote: u8) -> Result<(), Unsure> {
        self.position += 3;
        loop {
            match self.peek(0).ok_or(Unsure)? {
                b'\\' if quote == b'"' => self.position += 2,
                b if b == quote => {
                    let run = self.bytes[self.position..]
                        .iter()
                        .take_while(|b| **b == quote)
                        .count();
                    self.position += run;
                    match run {
                        1 | 2 => {}
                        3..=5 => return Ok(()),
                        _ => return Err(Unsure),
                    }
                }
                _ => self.position += 1,
            }
        }
    }
}

/// Whether a line is exactly a `[[case]]` header: `[[case]]` from its first character, then
/// nothing but blanks and perhaps a comment.
fn is_case_header(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"[[case]]") else {
        return false;
    };
    let rest = &rest[rest
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(rest.len())..];
    matches!(rest.first(), None | Some(b'\n' | b'#')) || rest.starts_with(b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cut into one batch per `[[case]]` section, whatever the text's size.
    const EVERY_CASE: BatchSizes = BatchSizes {
        smallest_text: 0,
        batch_bytes: 1,
    };

    /// The text of each batch.
    fn batches(text: &str) -> Option<Vec<&str>> {
        let cut = case_batches(text, &EVERY_CASE)?;
        assert_eq!(cut.head.start, 0);
        assert_eq!(cut.head.end, cut.batches[0].start);
        assert_eq!(cut.batches.last().unwrap().end, text.len());
        for pair in cut.batches.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
        Some(cut.batches.into_iter().map(|b| &text[b]).collect())
    }

    const HEAD: &str = "name = \"t\"\n[policy]\nmax_moves = 3\n[[staff]]\nid = \"a\"\n";

    #[test]
    fn a_head_and_case_sections_are_cut_at_each_header() {
        let text = format!("{HEAD}[[case]]\nid = \"1\"\n\n[[case]] # second\r\nid = \"2\"\n");
        let cut = case_batches(&text, &EVERY_CASE).unwrap();
        assert_eq!(&text[cut.head], HEAD);
        assert_eq!(
            batches(&text).unwrap(),
            [
                "[[case]]\nid = \"1\"\n\n",
                "[[case]] # second\r\nid = \"2\"\n"
            ]
        );
    }

    #[test]
    fn batches_hold_whole_sections_up_to_the_size_asked() {
        let text = format!("{HEAD}{}", "[[case]]\nid = \"1\"\n".repeat(10));
        let section = "[[case]]\nid = \"1\"\n".len();
        let sizes = BatchSizes {
            smallest_text: 0,
            batch_bytes: 3 * section,
        };
        let cut = case_batches(&text, &sizes).unwrap();
        let lengths: Vec<usize> = cut.batches.iter().map(|b| b.len() / section).collect();
        assert_eq!(lengths, [3, 3, 3, 1]);
    }

    #[test]
    fn a_short_text_is_parsed_whole() {
        let text = format!("{HEAD}[[case]]\nid = \"1\"\n");
        let sizes = BatchSizes {
            smallest_text: text.len() + 1,
            batch_bytes: 1,
        };
        assert_eq!(case_batches(&text, &sizes), None);
        assert_eq!(case_batches(&text, &BatchSizes::WHOLE), None);
    }

    #[test]
    fn a_header_line_inside_a_multi_line_string_is_not_a_cut() {
        for (open, close) in [("\"\"\"", "\"\"\""), ("'''", "'''"), ("'''", "''''")] {
            let text = format!(
                "{HEAD}[[case]]\nid = {open}\n[[case]]\n[policy]\n x\\\"\"\" {close}\n[[case]]\nid = \"2\"\n"
            );
            let cut = batches(&text).unwrap();
            assert_eq!(cut.len(), 2, "{text}");
            assert!(cut[0].contains("[policy]"), "{text}");
        }
    }

    #[test]
    fn a_header_line_inside_a_multi_line_array_or_inline_table_is_not_a_cut() {
        let text = format!(
            "{HEAD}[[case]]\nneeds = [\n[\"x\"],\n[[case]]\n]\nf = {{\n[[case]]\n}}\n[[case]]\n"
        );
        let cut = batches(&text).unwrap();
        assert_eq!(cut.len(), 2, "{cut:?}");
        // In the head too.
        let text = format!("skills = [\n[[staff]]\n]\n{HEAD}[[case]]\nid = \"1\"\n");
        assert_eq!(batches(&text).unwrap().len(), 1);
    }

    #[test]
    fn brackets_and_quotes_in_strings_and_comments_do_not_count() {
        let text = format!(
            "{HEAD}[[case]]\nid = \"[{{\\\"\" # ]]\"\nfamily = '[\\'\n# [[ '''\n[[case]]\nid = \"2\"\n"
        );
        assert_eq!(batches(&text).unwrap().len(), 2);
    }

    #[test]
    fn other_headers_after_the_cases_mean_the_whole_document() {
        for table in [
            "[case.visits]",
            "[[case.visits]]",
            "[[ case ]]",
            "[[\"case\"]]",
            "[['case']]",
            " [[case]]",
            "[[case]] id = \"3\"",
            "[[staff]]",
            "[policy]",
        ] {
            let text = format!("{HEAD}[[case]]\nid = \"1\"\n{table}\nid = \"2\"\n");
            assert_eq!(case_batches(&text, &EVERY_CASE), None, "{table}");
        }
    }

    #[test]
    fn an_unsure_reading_means_the_whole_document() {
        for tail in [
            "id = \"open\n[[case]]\n",
            "id = 'open\n[[case]]\n",
            "id = \"\"\"open\n[[case]]\n",
            "id = '''open\n[[case]]\n",
            "id = \"\"\"x\"\"\"\"\"\"\n[[case]]\n",
            "needs = [\n[[case]]\n",
            "needs = ]\n[[case]]\n",
        ] {
            let text = format!("{HEAD}[[case]]\n{tail}");
            assert_eq!(case_batches(&text, &EVERY_CASE), None, "{tail}");
        }
    }

    #[test]
    fn no_case_header_means_the_whole_document() {
        assert_eq!(case_batches(HEAD, &EVERY_CASE), None);
        let inline = format!("{HEAD}case = [{{ id = \"1\" }}]\n");
        assert_eq!(case_batches(&inline, &EVERY_CASE), None);
    }
}
