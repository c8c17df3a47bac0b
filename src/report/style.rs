//! How text looks at a terminal: colour and width. The library knows nothing of terminals: the
//! command line decides (from `--color`, `NO_COLOR`, `COLUMNS` and what it writes to) and hands
//! the renderers a plain [`TextStyle`], whose default is plain text, unwrapped, exactly as the
//! tests pin it. Also the one palette of the project, for reports and for messages (diagnostics
//! and errors, coloured as rustc and cargo colour theirs), and the one way long sentences wrap.

use std::fmt::{self, Display};

use anstyle::{AnsiColor, Style};
use textwrap::core::{display_width, Word};
use textwrap::{Options, WordSeparator, WordSplitter, WrapAlgorithm};

use crate::domain::{over_capacity, over_target, Points};
use crate::solve::Status;

/// How a text renderer writes: with or without colour, wrapped to a width or not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextStyle {
    /// Emit colours and bold (ANSI escape sequences).
    pub color: bool,
    /// Wrap sentences to this many columns; `None` keeps every line whole.
    pub width: Option<usize>,
}

/// The colours of reports and messages: few, and each with one meaning.
pub mod palette {
    use super::{AnsiColor, Style};

    /// A section heading of a report ("What binds:", "Moves (...):").
    pub const HEADING: Style = Style::new().bold();
    /// All is well: status `optimal`.
    pub const GOOD: Style = AnsiColor::Green.on_default();
    /// Worth a look: status `feasible`, a worker over target.
    pub const CAUTION: Style = AnsiColor::Yellow.on_default();
    /// Wrong: status `infeasible`, a worker over capacity, a skill short of workers.
    pub const BAD: Style = AnsiColor::Red.on_default();
    /// The `error:` of a message.
    pub const ERROR: Style = AnsiColor::Red.on_default().bold();
    /// The `warning:` of a message.
    pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
    /// The `note:` of a message.
    pub const NOTE: Style = AnsiColor::Green.on_default().bold();
    /// The `= help:` of a message.
    pub const HELP: Style = AnsiColor::Cyan.on_default().bold();
    /// Where a message points: the file, line and column.
    pub const LOCATION: Style = Style::new().bold();
    /// The gutter of a quoted source line: its number and `|`.
    pub const GUTTER: Style = AnsiColor::Blue.on_default().bold();
}

/// `text` in `style` when `color`, else `text` as it is.
pub fn paint(color: bool, style: Style, text: impl Display) -> String {
    if color {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

/// A message that can be shown in colour: diagnostics and errors. Its `Display` is the plain
/// text; [`StyledDisplay::styled`] shows the same text coloured when asked.
pub trait StyledDisplay {
    /// Writes the text, coloured when `color`.
    fn fmt_styled(&self, f: &mut fmt::Formatter<'_>, color: bool) -> fmt::Result;

    /// The text for `{}`, coloured when `color`.
    fn styled(&self, color: bool) -> Styled<'_, Self> {
        Styled { value: self, color }
    }
}

/// A message shown with or without colour (see [`StyledDisplay`]).
pub struct Styled<'a, T: ?Sized> {
    value: &'a T,
    color: bool,
}

impl<T: StyledDisplay + ?Sized> Display for Styled<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt_styled(f, self.color)
    }
}

impl TextStyle {
    /// No colour, no wrapping: the text the tests pin, and what files and pipes get.
    pub const PLAIN: TextStyle = TextStyle {
        color: false,
        width: None,
    };

    /// `text` in `style`, when this style has colour.
    pub fn paint(&self, style: Style, text: impl Display) -> String {
        paint(self.color, style, text)
    }

    /// A section heading.
    pub fn heading(&self, text: impl Display) -> String {
        self.paint(palette::HEADING, text)
    }

    /// A status in words (`optimal`, `not reachable`, `feasible (every hard rule holds; ...)`):
    /// the words before any parenthesis in the colour of `status` (see [`status_style`]), the
    /// parenthesis as it is.
    pub fn status(&self, status: Status, words: &str) -> String {
        let paint = |word| self.paint(status_style(status), word);
        match words.split_once(" (") {
            Some((word, rest)) => format!("{} ({rest}", paint(word)),
            None => paint(words),
        }
    }

    /// `indent` then `text`, wrapped to the width (see [`wrap`]); a line break at the end.
    pub fn push_line(&self, out: &mut String, indent: &str, hang: usize, text: &str) {
        match self.width {
            Some(width) => out.push_str(&wrap(text, width, indent, hang)),
            None => {
                out.push_str(indent);
                out.push_str(text);
            }
        }
        out.push('\n');
    }

    /// A line of a list, wrapped: its continuation lines two columns further in than its own
    /// leading spaces.
    pub fn push_sentence(&self, out: &mut String, line: &str) {
        let text = line.trim_start_matches(' ');
        let indent = &line[..line.len() - text.len()];
        self.push_line(out, indent, indent.len() + 2, text);
    }
}

/// The colour of a worker's load: [`palette::BAD`] above capacity, [`palette::CAUTION`] above
/// target, none otherwise.
pub fn load_style(load: Points, capacity: Points, target: f64) -> Style {
    if over_capacity(load, capacity) {
        palette::BAD
    } else if over_target(load, capacity, target) {
        palette::CAUTION
    } else {
        Style::new()
    }
}

/// The colour of a utilization (load as a share of capacity), by the same rule as
/// [`load_style`]'s: what a worker at that utilization would be coloured.
pub fn utilization_style(utilization: f64, target: f64) -> Style {
    load_style(utilization, 1.0, target)
}

/// The colour of a status: green when optimal, yellow when feasible, red without a proposal.
pub fn status_style(status: Status) -> Style {
    match status {
        Status::Optimal => palette::GOOD,
        Status::Feasible => palette::CAUTION,
        Status::Infeasible | Status::Unknown => palette::BAD,
    }
}

/// `cell` (which may be coloured) right-aligned in `width` columns.
pub fn align_right(cell: &str, width: usize) -> String {
    format!("{}{cell}", " ".repeat(width.saturating_sub(columns(cell))))
}

/// Columns `text` takes at a terminal: characters, wide ones counting two, escape sequences
/// (colour) counting none.
pub fn columns(text: &str) -> usize {
    display_width(text)
}

/// One sentence on lines of at most `width` columns: the first starts with `indent`, the others
/// with `hang` spaces (a hanging indent, at most half the width), so that a list keeps its
/// shape. Breaks only at spaces, never at hyphens: an id (`C-1008`), a skill or a figure is never
/// cut, and a word longer than the line stands out past it. A sentence that fits is left as it
/// is, spaces and all.
pub fn wrap(text: &str, width: usize, indent: &str, hang: usize) -> String {
    let whole = format!("{indent}{text}");
    if columns(&whole) <= width {
        return whole;
    }
    let hang = " ".repeat(hang.min(width / 2));
    let options = Options::new(width)
        .initial_indent(indent)
        .subsequent_indent(&hang)
        .break_words(false)
        .word_splitter(WordSplitter::NoHyphenation)
        .word_separator(WordSeparator::Custom(words_keeping_arrows))
        .wrap_algorithm(WrapAlgorithm::FirstFit);
    textwrap::fill(text, options)
}

/// The words of a line for wrapping: split at runs of spaces, except around `→`, so that a
/// change (`75% → 86%`) stays on one line.
fn words_keeping_arrows(line: &str) -> Box<dyn Iterator<Item = Word<'_>> + '_> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut rest = line;
    while let Some(space) = rest.find(' ') {
        let at = line.len() - rest.len() + space;
        let after = line[at..].trim_start_matches(' ');
        let end = line.len() - after.len();
        let joined = line[..at].ends_with('→') || after.starts_with('→');
        if !joined && !after.is_empty() {
            words.push(Word::from(&line[start..end]));
            start = end;
        }
        rest = after;
    }
    if start < line.len() {
        words.push(Word::from(&line[start..]));
    }
    Box::new(words.into_iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_that_fits_is_left_as_it_is() {
        assert_eq!(wrap("a  b", 10, "  ", 4), "  a  b");
        assert_eq!(wrap("exactly ten", 13, "  ", 4), "  exactly ten");
    }

    #[test]
    fn a_long_sentence_wraps_with_a_hanging_indent() {
        let text = "C-1008 moves to priya, one of 3 available workers with `youth` (75% → 86%)";
        let wrapped = wrap(text, 30, "  ", 4);
        assert_eq!(
            wrapped,
            "  C-1008 moves to priya, one\n    of 3 available workers\n    with `youth` (75% → 86%)"
        );
        for line in wrapped.lines() {
            assert!(columns(line) <= 30, "{line}");
        }
        // Nothing but the breaks changes: the words read the same.
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&wrapped), words(text));
    }

    #[test]
    fn a_change_stays_on_one_line() {
        let wrapped = wrap("hannah moves to rosa (75% → 86%) today", 26, "", 2);
        assert_eq!(wrapped, "hannah moves to rosa\n  (75% → 86%) today");
        let wrapped = wrap("maria 130% → 85%; moves on", 12, "", 2);
        assert_eq!(wrapped, "maria\n  130% → 85%;\n  moves on");
    }

    #[test]
    fn ids_are_never_cut_and_a_long_word_stands_out() {
        let wrapped = wrap("see C-1008-with-a-very-long-id now", 12, "", 2);
        assert_eq!(wrapped, "see\n  C-1008-with-a-very-long-id\n  now");
    }

    #[test]
    fn the_hanging_indent_is_at_most_half_the_width() {
        let wrapped = wrap("one two three four five six", 12, "", 40);
        assert!(wrapped
            .lines()
            .skip(1)
            .all(|l| l.starts_with("      ") && !l.starts_with("       ")));
    }

    #[test]
    fn colour_takes_no_columns() {
        let red = paint(true, palette::BAD, "135%");
        assert_eq!(red, "\u{1b}[31m135%\u{1b}[0m");
        assert_eq!(columns(&red), 4);
        let text = format!("{red} of capacity, far above the target of the team");
        let wrapped = wrap(&text, 20, "", 2);
        assert!(wrapped.starts_with(&red), "{wrapped:?}");
        assert!(wrapped.lines().all(|l| columns(l) <= 20), "{wrapped:?}");
    }

    #[test]
    fn a_status_is_coloured_up_to_its_parenthesis() {
        let colour = TextStyle {
            color: true,
            width: None,
        };
        assert_eq!(
            colour.status(Status::Infeasible, "not reachable"),
            "\u{1b}[31mnot reachable\u{1b}[0m"
        );
        assert_eq!(
            colour.status(Status::Feasible, "feasible (time ran out)"),
            "\u{1b}[33mfeasible\u{1b}[0m (time ran out)"
        );
        assert_eq!(
            TextStyle::PLAIN.status(Status::Feasible, "feasible (time ran out)"),
            "feasible (time ran out)"
        );
    }

    #[test]
    fn a_utilization_is_coloured_as_a_load_would_be() {
        assert_eq!(utilization_style(0.85, 0.85), Style::new());
        assert_eq!(utilization_style(0.86, 0.85), palette::CAUTION);
        assert_eq!(utilization_style(1.0, 0.85), palette::CAUTION);
        assert_eq!(utilization_style(1.01, 0.85), palette::BAD);
        assert_eq!(utilization_style(1.01, 1.0), palette::BAD);
    }

    #[test]
    fn colour_takes_no_room_when_aligning() {
        let red = paint(true, palette::BAD, "135%");
        assert_eq!(align_right(&red, 6), format!("  {red}"));
        assert_eq!(align_right("135% → 86%", 12), "  135% → 86%");
        assert_eq!(align_right("too wide", 3), "too wide");
    }

    #[test]
    fn plain_style_paints_nothing_and_keeps_lines_whole() {
        assert_eq!(TextStyle::PLAIN.paint(palette::ERROR, "error:"), "error:");
        let mut out = String::new();
        TextStyle::PLAIN.push_line(&mut out, "  ", 4, &"word ".repeat(40));
        assert_eq!(out.lines().count(), 1);
    }
}
