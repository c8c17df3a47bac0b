//! Problems found in input files, located precisely enough for a person to fix them.
//!
//! Every loader collects all the problems of a file as [`Diagnostic`]s instead of stopping at the
//! first one, so a supervisor fixes a scenario in one pass. A diagnostic says where (file, line,
//! column), what is wrong, and what to do.
//!
//! One mistake can cause many problems: a misspelled key in `[[staff]]` leaves a worker without
//! an id, and every case that names them is then "not on the staff list". So each problem says
//! at which [`Stage`] of reading it was found; problems are listed by stage, the files' own
//! first, and text folds a large group of problems that follow from one reference
//! ([`fold`]), so the root cause is what a person reads first.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use serde::{Serialize, Serializer};

pub use crate::domain::location::{Column, Location};

use crate::domain::location::column_letters;

use crate::input::limits::is_unprintable;
use crate::report::printable;
use crate::report::style::{paint, palette, StyledDisplay};

/// How serious a problem is: errors stop the run, warnings are reported and the run goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The input cannot be used as it is.
    Error,
    /// The input is usable but probably not what was meant.
    Warning,
}

impl Severity {
    /// The severity in one word, as messages and JSON name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// At which stage of reading a problem was found. Each stage checks what the earlier ones read,
/// so its problems may be consequences of theirs: problems are listed stage by stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// The files as files: missing or unreadable, not valid TOML or CSV, unknown keys, values
    /// of the wrong type, settings out of range, the model. Nothing after can be trusted.
    File,
    /// One worker or case on its own: its id, the keys it must give, its numbers in range.
    Entry,
    /// What an entry says of another entry or of the model: it follows from both being right.
    Reference(Reference),
    /// The team as a whole once every entry is valid (cases no one may hold, workers over
    /// capacity): warnings only.
    Team,
}

/// What a problem of the [`Stage::Reference`] stage refers to: problems of one kind usually
/// share one cause, so a large group of them is folded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reference {
    /// A case's `assigned` names no worker of the staff list.
    Holder,
    /// A case's `avoid` names no worker of the staff list.
    Avoided,
    /// A case's `prefer` names no worker of the staff list.
    Preferred,
    /// A case's `acuity` is no level of the model.
    Level,
    /// A case's factor is no factor of the model.
    Factor,
    /// A pin (of a case or of a family) that the worker it names cannot honour.
    Pin,
    /// A skill, level or factor written two ways, or a skill close to another (warnings).
    Spelling,
    /// A case's need that no worker on the team has (warnings).
    Need,
}

impl Reference {
    /// The stage's name and what it refers to, as JSON names them.
    fn as_str(self) -> &'static str {
        match self {
            Reference::Holder => "holder",
            Reference::Avoided => "avoid",
            Reference::Preferred => "prefer",
            Reference::Level => "acuity level",
            Reference::Factor => "factor",
            Reference::Pin => "pin",
            Reference::Spelling => "spelling",
            Reference::Need => "need",
        }
    }

    /// The line that stands for `count` more problems of this kind (`count` is at least 2).
    pub fn more(self, count: usize) -> String {
        let (what, first) = match self {
            Reference::Holder => (
                "cases name a holder who is not on the staff list",
                "check the [[staff]] table first",
            ),
            Reference::Avoided => (
                "`avoid` entries name a worker who is not on the staff list",
                "check the [[staff]] table first",
            ),
            Reference::Preferred => (
                "`prefer` wishes name a worker who is not on the staff list",
                "check the [[staff]] table first",
            ),
            Reference::Level => (
                "cases give an acuity level the model does not define",
                "check that the scenario names the right `model` first",
            ),
            Reference::Factor => (
                "factors are not factors of the model",
                "check that the scenario names the right `model` first",
            ),
            Reference::Pin => (
                "pins cannot be honoured by the worker they name",
                "check the workers' `skills` and `available` first",
            ),
            Reference::Spelling => (
                "names are written two ways or close to another name",
                "write each name one way",
            ),
            Reference::Need => (
                "cases need a skill no worker on the team has",
                "check the workers' `skills` first",
            ),
        };
        format!("... and {count} more {what}; {first}")
    }
}

impl Stage {
    /// The stage as JSON names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::File => "file",
            Stage::Entry => "entry",
            Stage::Reference(_) => "reference",
            Stage::Team => "team",
        }
    }
}

/// One problem in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// At which stage of reading it was found (the files' own problems by default).
    pub stage: Stage,
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it, when there is something better to say than the message.
    pub help: Option<String>,
    /// The source line the location points into, with the caret's extent, for display.
    pub snippet: Option<Snippet>,
}

/// The text of the offending line and the part of it to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The whole line, without its line break.
    pub line_text: String,
    /// 1-based character column where the underline starts.
    pub start_column: usize,
    /// Number of characters to underline (at least 1).
    pub width: usize,
}

impl Diagnostic {
    /// An error at a location.
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            stage: Stage::File,
            location,
            message: message.into(),
            help: None,
            snippet: None,
        }
    }

    /// A warning at a location.
    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    /// Adds what to do about it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds the source line to show under the message.
    pub fn with_snippet(mut self, snippet: Option<Snippet>) -> Self {
        self.snippet = snippet;
        self
    }

    /// Says at which stage of reading it was found.
    pub fn at_stage(mut self, stage: Stage) -> Self {
        self.stage = stage;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A problem as JSON: what the text says, with the location in fields of its own.
#[derive(Serialize)]
struct DiagnosticJson<'a> {
    severity: &'static str,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    csv_column: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<String>,
    message: &'a str,
    help: Option<&'a str>,
    stage: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    refers_to: Option<&'static str>,
}

impl Serialize for Diagnostic {
    /// `{"severity", "file", "line", "column", "message", "help", "stage"}`, plus `csv_column`
    /// for a cell of a CSV file, `sheet` (and `cell`, e.g. `C14`) for a place in a workbook's
    /// sheet, whose row and column number are then `line` and `column`, and `refers_to` for a
    /// problem of the reference stage; `line`, `column` and `help` are `null` when there is none.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (column, csv_column) = match &self.location.column {
            Some(Column::Number(n)) => (Some(*n), None),
            Some(Column::Named(name)) => (None, Some(name.as_str())),
            None => (None, None),
        };
        DiagnosticJson {
            severity: self.severity.as_str(),
            file: self.location.file.display().to_string(),
            line: self.location.line,
            column,
            csv_column,
            sheet: self.location.sheet.as_deref(),
            cell: match (&self.location.sheet, self.location.line, column) {
                (Some(_), Some(row), Some(column)) => {
                    Some(format!("{}{row}", column_letters(column)))
                }
                _ => None,
            },
            message: &self.message,
            help: self.help.as_deref(),
            stage: self.stage.as_str(),
            refers_to: match self.stage {
                Stage::Reference(r) => Some(r.as_str()),
                _ => None,
            },
        }
        .serialize(serializer)
    }
}

impl fmt::Display for Diagnostic {
    /// Renders as plain text in the manner of compilers:
    ///
    /// ```text
    /// error: scenarios/x.toml:12:1: unknown key `neds` in [[case]]
    ///    |
    /// 12 | neds = ["spanish"]
    ///    | ^^^^
    ///    = help: did you mean `needs`?
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_styled(f, false)
    }
}

impl StyledDisplay for Diagnostic {
    /// The plain text, coloured as rustc colours it when `color`: `error:` red and `warning:`
    /// yellow (and the caret with them), the location bold, the gutter blue, `= help:` cyan.
    /// Text from the input (a key, a quoted line) never carries a control character to the
    /// terminal: the message and help show them escaped, the quoted line replaced.
    fn fmt_styled(&self, f: &mut fmt::Formatter<'_>, color: bool) -> fmt::Result {
        let (label, level) = match self.severity {
            Severity::Error => ("error:", palette::ERROR),
            Severity::Warning => ("warning:", palette::WARNING),
        };
        let paint = |style, text: &dyn fmt::Display| paint(color, style, text);
        write!(
            f,
            "{} {}: {}",
            paint(level, &label),
            paint(palette::LOCATION, &self.location),
            printable(&self.message)
        )?;
        let gutter = self.location.line.map(|l| l.to_string().len()).unwrap_or(1);
        let pad = " ".repeat(gutter);
        let bar = paint(palette::GUTTER, &format_args!("{pad} |"));
        if let (Some(snippet), Some(line)) = (&self.snippet, self.location.line) {
            let numbered = paint(palette::GUTTER, &format_args!("{line} |"));
            write!(f, "\n{bar}\n{numbered} {}", quoted(&snippet.line_text))?;
            let lead: String = snippet
                .line_text
                .chars()
                .take(snippet.start_column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let caret = paint(level, &"^".repeat(snippet.width.max(1)));
            write!(f, "\n{bar} {lead}{caret}")?;
        }
        if let Some(help) = &self.help {
            let help = printable(help);
            write!(f, "\n{pad} {} {help}", paint(palette::HELP, &"= help:"))?;
        }
        Ok(())
    }
}

/// A source line as a message quotes it: a control or text-direction character (an escape, a
/// bare carriage return) becomes `�`, one character for one so that the caret stays under its
/// column, and never reaches the terminal; tabs stay, for the caret line repeats them.
fn quoted(line: &str) -> String {
    line.chars()
        .map(|c| {
            if c != '\t' && is_unprintable(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// The problems found while reading one run's input files, in file and line order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records all problems of another collection.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// True when at least one problem is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// All problems, stage by stage (root causes first), each stage sorted by file, line and
    /// column (stable for equal positions).
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items
            .sort_by(|a, b| (a.stage, &a.location).cmp(&(b.stage, &b.location)));
        // A parser may report one fault twice; say it once.
        self.items.dedup();
        self.items
    }

    /// Number of problems recorded so far.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Places every problem recorded from the `from`th on at `stage` at least: a check of what
    /// earlier stages read finds nothing about the files themselves.
    pub fn found_at_least(&mut self, from: usize, stage: Stage) {
        for d in self.items.iter_mut().skip(from) {
            d.stage = d.stage.max(stage);
        }
    }

    /// The problems in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Problems of one kind of reference shown before the rest are counted.
pub const SHOWN_OF_A_KIND: usize = 3;

/// A kind of reference is folded only when it has more problems than this.
const FOLDED_ABOVE: usize = 5;

/// One item of a list of problems as text shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown<'a> {
    /// A problem.
    Problem(&'a Diagnostic),
    /// In place of the rest of a large group of problems of one kind of reference: how many.
    More {
        /// The kind of reference.
        kind: Reference,
        /// How many problems are not shown.
        count: usize,
    },
}

/// The problems of `sorted` (as [`Diagnostics::sorted`] orders them) as text shows them: every
/// problem, except that of a kind of reference with more than a few, only the first
/// [`SHOWN_OF_A_KIND`] are shown, then how many more there are. Those usually follow from one
/// cause listed before them (an entry of the staff list, the model named), which a person fixes
/// first; JSON lists them all.
pub fn fold(sorted: &[Diagnostic]) -> Vec<Shown<'_>> {
    let kind = |d: &Diagnostic| match d.stage {
        Stage::Reference(r) => Some((r, d.severity)),
        _ => None,
    };
    let mut shown = Vec::new();
    let mut rest = sorted;
    while let Some(first) = rest.first() {
        let Some(group) = kind(first) else {
            shown.push(Shown::Problem(first));
            rest = &rest[1..];
            continue;
        };
        let len = rest.iter().take_while(|d| kind(d) == Some(group)).count();
        let (run, after) = rest.split_at(len);
        if len > FOLDED_ABOVE {
            shown.extend(run[..SHOWN_OF_A_KIND].iter().map(Shown::Problem));
            shown.push(Shown::More {
                kind: group.0,
                count: len - SHOWN_OF_A_KIND,
            });
        } else {
            shown.extend(run.iter().map(Shown::Problem));
        }
        rest = after;
    }
    shown
}

/// A text file read into memory, with what is needed to turn byte offsets into lines and columns.
///
/// A cheap handle: clones share the text, so every value read from the file can keep it and
/// work out its line, column and snippet only when a message needs them.
#[derive(Clone)]
pub struct SourceFile {
    shared: Arc<SourceText>,
    /// Where the text a parser was given starts: the byte offsets passed to this handle count
    /// from here (0 for the whole file; see [`Self::spans_from`]).
    span_base: usize,
}

/// The text of a file and its line index, shared by the handles ([`SourceFile`]) and by the
/// places of values read from it (`At`), which give offsets in the whole text.
pub(crate) struct SourceText {
    /// The path as it will be shown in messages.
    path: Arc<Path>,
    /// The whole text (a leading UTF-8 byte order mark removed).
    text: String,
    line_starts: Vec<usize>,
    /// Per line, whether it is ASCII: then a column is a byte count, found at once even on a
    /// very long line.
    ascii_lines: Vec<bool>,
    /// Whether messages may quote its lines: not for a file another file names (a model, a
    /// cases CSV, a scenario it extends) until it reads as that kind of file, so that naming,
    /// say, a system file never prints its content.
    quotable: AtomicBool,
    /// A CSV file's header row, the names as written, once read: a cell's location names its
    /// column by position in it.
    header: OnceLock<Box<[Box<str>]>>,
    /// A workbook's sheets that values are read from: a cell's location names its sheet by
    /// position in it. A workbook has no text: its values are located by sheet and cell.
    sheets: Box<[Arc<str>]>,
}

impl fmt::Debug for SourceFile {
    /// The path and size, not the text: values that keep a handle would print the whole file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceFile")
            .field("path", &self.shared.path)
            .field("bytes", &self.shared.text.len())
            .field("span_base", &self.span_base)
            .finish()
    }
}

impl SourceFile {
    /// Wraps a file's text; `path` is how messages will name it.
    pub fn new(path: PathBuf, text: String) -> Self {
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let ascii_lines = line_starts
            .iter()
            .enumerate()
            .map(|(i, start)| {
                let end = line_starts.get(i + 1).copied().unwrap_or(text.len());
                text.as_bytes()[*start..end].is_ascii()
            })
            .collect();
        SourceFile {
            shared: Arc::new(SourceText {
                path: Arc::from(path),
                text,
                line_starts,
                ascii_lines,
                quotable: AtomicBool::new(true),
                header: OnceLock::new(),
                sheets: Box::new([]),
            }),
            span_base: 0,
        }
    }

    /// A workbook, whose values come from the sheets named (in that order); `path` is how
    /// messages name it. It has no text to quote.
    pub fn workbook(path: PathBuf, sheets: Vec<String>) -> Self {
        let file = SourceFile::new(path, String::new());
        let mut text = Arc::into_inner(file.shared).expect("just made");
        text.sheets = sheets.into_iter().map(Arc::from).collect();
        text.quotable = AtomicBool::new(false);
        SourceFile {
            shared: Arc::new(text),
            span_base: 0,
        }
    }

    /// Records a CSV file's header row (the names as written), which the locations of its
    /// cells name their column by; only the first call counts.
    pub fn set_header(&self, names: Vec<String>) {
        let names = names.into_iter().map(String::into_boxed_str).collect();
        let _ = self.shared.header.set(names);
    }

    /// The same file for a parser that was given only its text from byte `base` on: the
    /// offsets it reports, passed to the handle returned, locate the right line and column.
    pub fn spans_from(&self, base: usize) -> SourceFile {
        SourceFile {
            shared: Arc::clone(&self.shared),
            span_base: self.span_base + base,
        }
    }

    /// The text this handle shares.
    pub(crate) fn shared_text(&self) -> &Arc<SourceText> {
        &self.shared
    }

    /// A range given to this handle, as offsets in the whole text.
    pub(crate) fn in_whole_text(&self, span: &Range<usize>) -> Range<usize> {
        self.span_base + span.start..self.span_base + span.end
    }

    /// The path as messages show it.
    pub fn path(&self) -> &Arc<Path> {
        &self.shared.path
    }

    /// The whole text (a leading UTF-8 byte order mark removed).
    pub fn text(&self) -> &str {
        &self.shared.text
    }

    /// Messages stop quoting its lines (until [`Self::quote_lines`]).
    pub fn hide_lines(&self) {
        self.shared.quotable.store(false, Ordering::Relaxed);
    }

    /// Messages may quote its lines: it reads as the kind of file it was named as.
    pub fn quote_lines(&self) {
        self.shared.quotable.store(true, Ordering::Relaxed);
    }

    /// Whether messages may quote its lines.
    pub fn lines_quotable(&self) -> bool {
        self.shared.lines_quotable()
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        self.shared.line_column(self.span_base + offset)
    }

    /// The location of a byte range's start.
    pub fn location(&self, span: &Range<usize>) -> Location {
        self.shared.location(self.span_base + span.start)
    }

    /// The source line under a byte range, underlining the range (clipped to its first line);
    /// `None` while the file's lines may not be quoted.
    pub fn snippet(&self, span: &Range<usize>) -> Option<Snippet> {
        if !self.lines_quotable() {
            return None;
        }
        self.shared.quote(&self.in_whole_text(span))
    }

    /// An error at a byte range, with the source line shown.
    pub fn error(&self, span: &Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.location(span), message).with_snippet(self.snippet(span))
    }

    /// A warning at a byte range, with the source line shown.
    pub fn warning(&self, span: &Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(self.location(span), message).with_snippet(self.snippet(span))
    }

    /// The text of a 1-based line without its line break.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        self.shared.line_text(line)
    }
}

impl SourceText {
    /// The path as messages show it.
    pub(crate) fn path(&self) -> &Arc<Path> {
        &self.path
    }

    /// The name of the CSV header's column at `index` (0-based), as written.
    pub(crate) fn header_name(&self, index: usize) -> Option<&str> {
        self.header.get()?.get(index).map(|name| &**name)
    }

    /// The name of the workbook's sheet at `index` (0-based), as written.
    pub(crate) fn sheet_name(&self, index: usize) -> Option<&Arc<str>> {
        self.sheets.get(index)
    }

    /// Whether messages may quote its lines.
    pub(crate) fn lines_quotable(&self) -> bool {
        self.quotable.load(Ordering::Relaxed)
    }

    /// 1-based line and character column of a byte offset.
    fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line_index];
        let column = if self.ascii_lines[line_index] {
            offset - start + 1
        } else {
            self.text[start..floor_char_boundary(&self.text, offset)]
                .chars()
                .count()
                + 1
        };
        (line_index + 1, column)
    }

    /// The location of a byte offset.
    pub(crate) fn location(&self, offset: usize) -> Location {
        let (line, column) = self.line_column(offset);
        Location {
            file: Arc::clone(&self.path),
            sheet: None,
            line: Some(line),
            column: Some(Column::Number(column)),
        }
    }

    /// The source line under a byte range, underlining the range (clipped to its first line),
    /// whether or not the lines may be quoted now: for a value that recorded, when it was read,
    /// that they could.
    pub(crate) fn quote(&self, span: &Range<usize>) -> Option<Snippet> {
        let (line, column) = self.line_column(span.start);
        let text = self.line_text(line)?;
        let whole = self.text.as_str();
        let line_start = self.line_starts[line - 1];
        let line_end = line_start + text.len();
        // A range may start past the shown line's end: at a `\r` the line text leaves out, or
        // at the end of a file.
        let start = floor_char_boundary(whole, span.start.min(line_end));
        let end = floor_char_boundary(whole, span.end.max(start).min(line_end));
        let width = whole[start..end].chars().take(SNIPPET_CHARS).count().max(1);
        if text.len() <= SNIPPET_CHARS {
            return Some(Snippet {
                line_text: text.to_string(),
                start_column: column,
                width,
            });
        }
        // A window around the range, found by walking a bounded number of characters from it.
        let window_start = whole[line_start..start]
            .char_indices()
            .rev()
            .nth(SNIPPET_CHARS / 3 - 1)
            .map_or(line_start, |(i, _)| line_start + i);
        let window_end = whole[window_start..line_end]
            .char_indices()
            .nth(SNIPPET_CHARS)
            .map_or(line_end, |(i, _)| window_start + i);
        let (cut_start, cut_end) = (window_start > line_start, window_end < line_end);
        let lead = whole[window_start..start].chars().count();
        Some(Snippet {
            line_text: format!(
                "{}{}{}",
                if cut_start { "…" } else { "" },
                &whole[window_start..window_end],
                if cut_end { "…" } else { "" }
            ),
            start_column: lead + 1 + usize::from(cut_start),
            width,
        })
    }

    /// The text of a 1-based line without its line break.
    fn line_text(&self, line: usize) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches(['\n', '\r']))
    }
}

/// Most characters (bytes, for the test) of a source line a message shows; a longer line is cut
/// to a window around the range, so that each value's location stays small however long its
/// line (a whole scenario on one line would otherwise keep a copy of it per value).
pub const SNIPPET_CHARS: usize = 120;

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let file = SourceFile::new("s.toml".into(), "a = 1\nñame = 2\n".into());
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(6), (2, 1));
        // "ñ" is two bytes: the `=` after "ñame " is the 6th character.
        let eq = file.text().find("= 2").unwrap();
        assert_eq!(file.line_column(eq), (2, 6));
    }

    #[test]
    fn a_range_at_a_carriage_return_or_past_the_end_is_shown_without_panicking() {
        for text in ["name = \"R\r\n", "name = \"R\"\r", "a = 1\rb = 2\r", "x"] {
            let file = SourceFile::new("s.toml".into(), text.into());
            for start in 0..=text.len() + 2 {
                let shown = file.error(&(start..start + 1), "problem").to_string();
                assert!(shown.contains("problem"), "{shown}");
            }
        }
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_range() {
        let line = format!("{}bad = 1{}", "x = 1, ".repeat(100), ", y = 2".repeat(100));
        let file = SourceFile::new("s.toml".into(), line.clone());
        let at = line.find("bad").unwrap();
        let snippet = file.snippet(&(at..at + 3)).unwrap();
        assert!(snippet.line_text.chars().count() <= SNIPPET_CHARS + 2);
        assert!(snippet.line_text.starts_with('…') && snippet.line_text.ends_with('…'));
        let under: String = snippet
            .line_text
            .chars()
            .skip(snippet.start_column - 1)
            .take(3)
            .collect();
        assert_eq!(under, "bad");
    }

    #[test]
    fn colour_marks_the_label_location_gutter_caret_and_help_and_nothing_else() {
        let file = SourceFile::new("s.toml".into(), "[[case]]\nneds = 1\n".into());
        let d = file
            .warning(&(9..13), "unknown key `neds`")
            .with_help("did you mean `needs`?");
        let coloured = d.styled(true).to_string();
        assert!(
            coloured
                .starts_with("\u{1b}[1m\u{1b}[33mwarning:\u{1b}[0m \u{1b}[1ms.toml:2:1\u{1b}[0m"),
            "{coloured:?}"
        );
        assert!(coloured.contains("\u{1b}[1m\u{1b}[34m2 |\u{1b}[0m neds = 1"));
        assert!(coloured.contains("\u{1b}[1m\u{1b}[33m^^^^\u{1b}[0m"));
        assert!(coloured.contains("\u{1b}[1m\u{1b}[36m= help:\u{1b}[0m did you mean"));
        let mut plain = coloured.clone();
        while let Some(start) = plain.find('\u{1b}') {
            let end = start + plain[start..].find('m').unwrap();
            plain.replace_range(start..=end, "");
        }
        assert_eq!(plain, d.to_string());
        assert_eq!(d.styled(false).to_string(), d.to_string());
    }

    #[test]
    fn control_characters_of_the_input_never_reach_the_terminal() {
        let file = SourceFile::new("s.toml".into(), "a = \"x\u{1b}[31m\u{202e}y\"\tz\n".into());
        let d = file
            .error(&(11..14), "unknown key `x\u{1b}[31m`")
            .with_help("not \u{7}this");
        let shown = d.to_string();
        assert!(!shown.chars().any(is_unprintable_but_layout), "{shown:?}");
        assert!(shown.contains("unknown key `x\\u{1b}[31m`"), "{shown}");
        assert!(shown.contains("= help: not \\u{7}this"), "{shown}");
        assert!(
            shown.contains("1 | a = \"x\u{fffd}[31m\u{fffd}y\"\tz"),
            "{shown}"
        );
        // The caret stays under the character it points at (the `\u{202e}`).
        assert!(
            shown.ends_with("\n  |            ^\n  = help: not \\u{7}this"),
            "{shown}"
        );
    }

    fn is_unprintable_but_layout(c: char) -> bool {
        is_unprintable(c) && c != '\n' && c != '\t'
    }

    #[test]
    fn byte_order_mark_does_not_shift_columns() {
        let file = SourceFile::new("s.toml".into(), "\u{feff}x = 1".into());
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.text(), "x = 1");
    }

    fn at_line(line: usize, stage: Stage) -> Diagnostic {
        Diagnostic::error(
            Location::at(Path::new("s.toml"), line, 1),
            format!("line {line}"),
        )
        .at_stage(stage)
    }

    #[test]
    fn problems_are_listed_stage_by_stage_each_stage_by_place() {
        let mut diags = Diagnostics::new();
        for (line, stage) in [
            (1, Stage::Reference(Reference::Holder)),
            (2, Stage::Entry),
            (3, Stage::Reference(Reference::Level)),
            (4, Stage::File),
            (5, Stage::Entry),
            (6, Stage::Reference(Reference::Holder)),
        ] {
            diags.push(at_line(line, stage));
        }
        let lines: Vec<Option<usize>> = diags.sorted().iter().map(|d| d.location.line).collect();
        assert_eq!(lines, [4, 2, 5, 1, 6, 3].map(Some));
    }

    #[test]
    fn a_large_group_of_one_reference_shows_its_first_few_then_how_many_more() {
        let holder = Stage::Reference(Reference::Holder);
        let level = Stage::Reference(Reference::Level);
        let mut diags = Diagnostics::new();
        diags.push(at_line(1, Stage::File));
        for line in 10..10 + FOLDED_ABOVE + 2 {
            diags.push(at_line(line, holder));
        }
        for line in 30..30 + FOLDED_ABOVE {
            diags.push(at_line(line, level));
        }
        let sorted = diags.sorted();
        let shown = fold(&sorted);
        let problems = |from: usize, n: usize| sorted[from..from + n].iter().map(Shown::Problem);
        let mut expected: Vec<Shown<'_>> = problems(0, 1 + SHOWN_OF_A_KIND).collect();
        expected.push(Shown::More {
            kind: Reference::Holder,
            count: FOLDED_ABOVE + 2 - SHOWN_OF_A_KIND,
        });
        // A group of no more than FOLDED_ABOVE is shown whole.
        expected.extend(problems(1 + FOLDED_ABOVE + 2, FOLDED_ABOVE));
        assert_eq!(shown, expected);
        assert_eq!(
            Reference::Holder.more(4),
            "... and 4 more cases name a holder who is not on the staff list; check the [[staff]] table first"
        );
    }

    #[test]
    fn as_json_a_problem_has_its_place_in_fields() {
        let file = SourceFile::new("s.toml".into(), "[[case]]\nneds = 1\n".into());
        let d = file
            .error(&(9..13), "unknown key `neds`")
            .with_help("did you mean `needs`?");
        assert_eq!(
            serde_json::to_value(&d).unwrap(),
            serde_json::json!({
                "severity": "error",
                "file": "s.toml",
                "line": 2,
                "column": 1,
                "message": "unknown key `neds`",
                "help": "did you mean `needs`?",
                "stage": "file",
            })
        );
        let cell = Diagnostic::warning(Location::csv_cell(Path::new("c.csv"), 3, "pinned"), "x")
            .at_stage(Stage::Reference(Reference::Preferred));
        let json = serde_json::to_value(&cell).unwrap();
        assert_eq!(json["column"], serde_json::Value::Null);
        assert_eq!(json["csv_column"], "pinned");
        assert_eq!(json["help"], serde_json::Value::Null);
        assert_eq!(json["refers_to"], "prefer");
        assert_eq!(json["severity"], "warning");
    }

    #[test]
    fn rendering_shows_location_line_and_help() {
        let file = SourceFile::new("s.toml".into(), "[[case]]\nneds = 1\n".into());
        let d = file
            .error(&(9..13), "unknown key `neds`")
            .with_help("did you mean `needs`?");
        let text = d.to_string();
        assert!(
            text.starts_with("error: s.toml:2:1: unknown key `neds`"),
            "{text}"
        );
        assert!(text.contains("2 | neds = 1"), "{text}");
        assert!(text.contains("  | ^^^^"), "{text}");
        assert!(text.ends_with("= help: did you mean `needs`?"), "{text}");
    }
}
