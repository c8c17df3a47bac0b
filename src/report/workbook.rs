//! Excel workbooks (`--format xlsx`): what every workbook the tool writes shares, so that each
//! report only says which sheets it has and what goes in them.
//!
//! - The same input gives the same bytes: the document's dates are fixed ([`FIXED_DATE`]) and
//!   rust_xlsxwriter writes no random ids.
//! - Text is always written as a string (`write_string`), never through a call that could read
//!   it as a formula, so an id or name such as `=HYPERLINK(...)` stays text.
//! - Numbers are numbers (shares with a percent format), so a supervisor can sort and sum them.
//! - Tables come from [`Table`], the same ones CSV writes.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, RowNum, Workbook, Worksheet,
    XlsxError,
};

use crate::input::provenance::Provenance;
use crate::report::table::{Cell, Table};

/// Why a workbook could not be made: a sheet beyond Excel's limits (more than 1,048,576 rows).
#[derive(Debug, thiserror::Error)]
#[error("cannot make the workbook: {0}")]
pub struct WorkbookError(#[from] XlsxError);

/// The date every workbook says it was created and modified on: a fixed one, so that the same
/// input gives the same bytes.
pub const FIXED_DATE: (u16, u8, u8) = (2000, 1, 1);

/// Most characters Excel keeps in a cell; longer text is cut, with `…` at the end.
const MAX_CELL_CHARS: usize = 32_767;

/// Widest a column is made to fit its contents, in pixels (long sentences wrap instead).
const MAX_COLUMN_PIXELS: u32 = 480;

/// Characters of a sentence that fit on one line of a column [`MAX_COLUMN_PIXELS`] wide, at
/// the default font, with room to spare.
const CHARS_PER_WRAPPED_LINE: usize = 60;

/// The height of one line of text at the default font, in points.
const ROW_POINTS: f64 = 15.0;

/// Most lines a row is made tall enough for (Excel's rows are at most 409 points tall).
const MAX_CELL_LINES: usize = 27;

/// A workbook being made: its sheets, in the order added.
pub struct Book {
    workbook: Workbook,
}

impl Book {
    /// An empty workbook with fixed document dates.
    pub fn new() -> Result<Book, WorkbookError> {
        let (year, month, day) = FIXED_DATE;
        let date = ExcelDateTime::from_ymd(year, month, day)?;
        let mut workbook = Workbook::new();
        workbook.set_properties(&DocProperties::new().set_creation_datetime(&date));
        Ok(Book { workbook })
    }

    /// Adds a finished sheet after the others: its columns fitted to their contents, printed
    /// in landscape, as wide as one page.
    pub fn push(&mut self, sheet: Sheet) {
        let mut worksheet = sheet.worksheet;
        worksheet.set_autofit_max_width(MAX_COLUMN_PIXELS);
        worksheet.autofit();
        worksheet.set_landscape();
        worksheet.set_print_fit_to_pages(1, 0);
        self.workbook.push_worksheet(worksheet);
    }

    /// The workbook's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, WorkbookError> {
        Ok(self.workbook.save_to_buffer()?)
    }
}

/// The cell formats every sheet uses.
#[derive(Clone)]
struct Formats {
    heading: Format,
    header: Format,
    share: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            heading: Format::new().set_bold().set_font_size(13),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2)),
            share: Format::new().set_num_format("0%"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// A sheet being filled.
pub struct Sheet {
    /// The sheet itself.
    pub worksheet: Worksheet,
    formats: Formats,
}

impl Sheet {
    /// An empty sheet named `name` (a name of the tool's own: at most 31 characters, none of
    /// `[]:*?/\`).
    pub fn new(name: &str) -> Result<Sheet, WorkbookError> {
        let mut worksheet = Worksheet::new();
        worksheet.set_name(name)?;
        Ok(Sheet {
            worksheet,
            formats: Formats::new(),
        })
    }

    /// Writes text as a string, never as a formula; cut to what a cell holds.
    pub fn text(&mut self, row: RowNum, col: u16, text: &str) -> Result<(), WorkbookError> {
        self.text_with(row, col, text, None)
    }

    /// Writes text in bold, as the heading of a block.
    pub fn heading(&mut self, row: RowNum, col: u16, text: &str) -> Result<(), WorkbookError> {
        let format = self.formats.heading.clone();
        self.text_with(row, col, text, Some(&format))
    }

    /// Writes a sentence that wraps within its column, its row tall enough for every line (a
    /// spreadsheet does not always grow a row for wrapped text, and a printed handout would
    /// lose the end of its sentences).
    pub fn sentence(&mut self, row: RowNum, col: u16, text: &str) -> Result<(), WorkbookError> {
        let format = self.formats.wrap.clone();
        self.text_with(row, col, text, Some(&format))?;
        let lines = text.chars().count().div_ceil(CHARS_PER_WRAPPED_LINE).max(1);
        if lines > 1 {
            self.worksheet
                .set_row_height(row, ROW_POINTS * lines.min(MAX_CELL_LINES) as f64)?;
        }
        Ok(())
    }

    fn text_with(
        &mut self,
        row: RowNum,
        col: u16,
        text: &str,
        format: Option<&Format>,
    ) -> Result<(), WorkbookError> {
        let text = fit_in_cell(text);
        match format {
            Some(format) => self
                .worksheet
                .write_string_with_format(row, col, text, format)?,
            None => self.worksheet.write_string(row, col, text)?,
        };
        Ok(())
    }

    /// Writes a cell of a table: text as a string, numbers as numbers, shares with a percent
    /// format, yes or no as text.
    pub fn cell(&mut self, row: RowNum, col: u16, cell: &Cell) -> Result<(), WorkbookError> {
        match cell {
            Cell::Text(text) => self.text(row, col, text)?,
            Cell::Number(x) => {
                self.worksheet.write_number(row, col, *x)?;
            }
            Cell::Share(x) => {
                let format = self.formats.share.clone();
                self.worksheet
                    .write_number_with_format(row, col, *x, &format)?;
            }
            // Counts are far below 2^53: exact as a spreadsheet's numbers.
            Cell::Count(n) => {
                self.worksheet.write_number(row, col, *n as f64)?;
            }
            Cell::Flag(yes) => self.text(row, col, if *yes { "yes" } else { "no" })?,
            Cell::Empty => {}
        }
        Ok(())
    }

    /// Writes a row of header names in bold from column 0.
    pub fn header(&mut self, row: RowNum, names: &[&str]) -> Result<(), WorkbookError> {
        for (col, name) in (0u16..).zip(names) {
            self.header_cell(row, col, name)?;
        }
        Ok(())
    }

    /// Writes one header name in bold, shaded as a header row is.
    pub fn header_cell(&mut self, row: RowNum, col: u16, name: &str) -> Result<(), WorkbookError> {
        let format = self.formats.header.clone();
        self.text_with(row, col, name, Some(&format))
    }

    /// Writes a row of cells from column 0.
    pub fn row(&mut self, row: RowNum, cells: &[Cell]) -> Result<(), WorkbookError> {
        for (col, cell) in (0u16..).zip(cells) {
            self.cell(row, col, cell)?;
        }
        Ok(())
    }

    /// Writes `table` from row 0: the header (frozen, with filters), then its rows. Returns the
    /// row after the last.
    pub fn table(&mut self, table: &Table) -> Result<RowNum, WorkbookError> {
        self.header(0, table.columns)?;
        let mut row = 1;
        for cells in &table.rows {
            self.row(row, cells)?;
            row += 1;
        }
        self.worksheet.set_freeze_panes(1, 0)?;
        let last_col = table.columns.len().saturating_sub(1) as u16;
        self.worksheet.autofilter(0, 0, row - 1, last_col)?;
        Ok(row)
    }

    /// Writes label and value pairs from `row` in columns A and B; returns the row after them.
    pub fn pairs(&mut self, row: RowNum, pairs: &[(&str, Cell)]) -> Result<RowNum, WorkbookError> {
        let mut row = row;
        for (label, value) in pairs {
            self.text(row, 0, label)?;
            self.cell(row, 1, value)?;
            row += 1;
        }
        Ok(row)
    }

    /// Writes each sentence (its leading indent left out) under the label `label` (in column A
    /// of the first), in column B, wrapped; returns the row after them.
    pub fn sentences(
        &mut self,
        row: RowNum,
        label: &str,
        sentences: &[String],
    ) -> Result<RowNum, WorkbookError> {
        self.sentences_in(row, label, 1, sentences)
    }

    /// [`Sheet::sentences`], in column `col`.
    pub fn sentences_in(
        &mut self,
        row: RowNum,
        label: &str,
        col: u16,
        sentences: &[String],
    ) -> Result<RowNum, WorkbookError> {
        let mut row = row;
        for (i, sentence) in sentences.iter().enumerate() {
            if i == 0 {
                let top = self.formats.wrap.clone();
                self.text_with(row, 0, label, Some(&top))?;
            }
            self.sentence(row, col, sentence.trim_start())?;
            row += 1;
        }
        Ok(row)
    }

    /// Writes where the workbook comes from, from `row`: the tool's version, the version of the
    /// JSON format its figures follow, and each input file with its SHA-256.
    pub fn provenance(
        &mut self,
        row: RowNum,
        provenance: &Provenance,
    ) -> Result<RowNum, WorkbookError> {
        let mut row = self.pairs(
            row,
            &[
                ("caseload version", Cell::text(&provenance.caseload_version)),
                ("format version", Cell::count(provenance.format_version)),
            ],
        )?;
        for input in &provenance.inputs {
            self.text(row, 0, "input")?;
            self.text(row, 1, &input.path.display().to_string())?;
            self.text(row, 2, &input.sha256)?;
            row += 1;
        }
        Ok(row)
    }
}

/// `text`, cut to what one cell holds.
fn fit_in_cell(text: &str) -> String {
    if text.chars().count() <= MAX_CELL_CHARS {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(MAX_CELL_CHARS - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_a_cell() {
        let long = "x".repeat(40_000);
        let fitted = fit_in_cell(&long);
        assert_eq!(fitted.chars().count(), MAX_CELL_CHARS);
        assert!(fitted.ends_with('…'));
        assert_eq!(fit_in_cell("C-1008"), "C-1008");
    }

    #[test]
    fn the_same_workbook_gives_the_same_bytes() {
        let make = || {
            let mut book = Book::new().unwrap();
            let mut sheet = Sheet::new("Summary").unwrap();
            sheet.text(0, 0, "=1+1").unwrap();
            sheet.cell(1, 0, &Cell::share(0.85)).unwrap();
            book.push(sheet);
            book.finish().unwrap()
        };
        assert_eq!(make(), make());
    }
}
