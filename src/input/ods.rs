//! OpenDocument spreadsheets (`.ods`, as LibreOffice and Google Sheets save them), read for a
//! [`workbook`](super::workbook) one cell at a time, into the same filled cells as an Excel
//! sheet, so that both go the same way from cells to entries.
//!
//! An `.ods` file is a ZIP archive whose `content.xml` holds every sheet. It is streamed, never
//! held whole, and only the sheets of a team are kept. OpenDocument writes a run of equal cells
//! once with a repeat count (`table:number-columns-repeated`, `table:number-rows-repeated`): an
//! empty run only moves the position, so a sheet formatted down to its millionth row costs
//! nothing, and a filled cell is copied as many times as it stands, within [`MAX_CELL_REPEATS`]
//! and the sheet's [`SheetBudget`]. Positions count every repeat, so a cell is located as a
//! spreadsheet shows it (`Cases!C14`). Cells keep their type: a number (or percentage, or
//! currency) is its `office:value`, a formula cell the value it last computed, a boolean a
//! boolean, a date a date, text its paragraphs on lines of their own; merged-over (covered)
//! cells and comments are not read. A file that is not such an archive, or whose XML is broken,
//! cut short, nested absurdly deep or unpacks to more than [`MAX_UNPACKED_BYTES`], is an
//! [`OdsError`], never a crash.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;
use zip::result::ZipError;
use zip::ZipArchive;

use crate::input::limits::{
    MAX_CELL_REPEATS, MAX_SHEETS, MAX_UNPACKED_BYTES, MAX_XML_DEPTH, SHEET_COLUMNS, SHEET_ROWS,
};
use crate::input::table::Cell;
use crate::input::workbook::{text_cell, Filled, SheetBudget, SheetProblem};

/// Why an OpenDocument spreadsheet cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum OdsError {
    /// Not a ZIP archive, or one that cannot be unpacked.
    #[error("it cannot be unpacked as the ZIP archive an OpenDocument file is ({0})")]
    Zip(#[from] ZipError),
    /// An OpenDocument file of another kind, such as a text document.
    #[error("it is an OpenDocument file of type `{0}`, not a spreadsheet")]
    NotSpreadsheet(String),
    /// No `content.xml` in the archive.
    #[error("it has no `content.xml`, where an OpenDocument spreadsheet keeps its sheets")]
    NoContent,
    /// Saved with a password: its content is encrypted.
    #[error("it is protected with a password")]
    Encrypted,
    /// `content.xml` unpacks to more than [`MAX_UNPACKED_BYTES`].
    #[error("its `content.xml` unpacks to more than {} MiB", MAX_UNPACKED_BYTES >> 20)]
    TooLarge,
    /// More than [`MAX_SHEETS`] sheets.
    #[error("it has more than {MAX_SHEETS} sheets")]
    TooManySheets,
    /// `content.xml` is not well-formed XML, is cut short, or holds a value that cannot be.
    #[error("its `content.xml` is broken at byte {at}: {message}")]
    Broken {
        /// Where in the unpacked `content.xml`.
        at: u64,
        /// What is wrong there.
        message: String,
    },
}

/// The sheets of an OpenDocument spreadsheet: every sheet's name, and the cells of the first
/// sheet of each kind `K` of sheet that was asked for.
#[derive(Debug)]
pub struct OdsBook<K> {
    /// The names of all its sheets, in order.
    pub names: Vec<String>,
    /// The first sheet of each kind: its filled cells, or why they were not read.
    sheets: Vec<(K, Result<Vec<Filled>, SheetProblem>)>,
}

impl<K: PartialEq> OdsBook<K> {
    /// The filled cells of the first sheet of `kind`, taken out of the book.
    pub fn take(&mut self, kind: K) -> Result<Vec<Filled>, SheetProblem> {
        match self.sheets.iter().position(|(k, _)| *k == kind) {
            Some(i) => self.sheets.swap_remove(i).1,
            None => Err(SheetProblem::Unreadable(
                "the workbook has no such sheet".into(),
            )),
        }
    }
}

/// Reads the OpenDocument spreadsheet `bytes`: the names of its sheets, and the filled cells of
/// the first sheet of each kind that `kind_of` gives a sheet's name.
pub fn read_ods<K: Copy + PartialEq>(
    bytes: &[u8],
    kind_of: impl Fn(&str) -> Option<K>,
) -> Result<OdsBook<K>, OdsError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes))?;
    check_mimetype(&mut archive)?;
    if is_encrypted(&mut archive)? {
        return Err(OdsError::Encrypted);
    }
    let content = match archive.by_name("content.xml") {
        Ok(entry) => entry,
        Err(ZipError::FileNotFound) => return Err(OdsError::NoContent),
        Err(e) => return Err(e.into()),
    };
    read_sheets(content, MAX_UNPACKED_BYTES, kind_of)
}

/// What the `mimetype` entry says of a spreadsheet, or of its template.
const SPREADSHEET_TYPES: [&str; 2] = [
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet-template",
];

/// Fails when the archive's `mimetype` entry (which OpenDocument files begin with) names another
/// kind of document; an archive without one is read on.
fn check_mimetype(archive: &mut ZipArchive<Cursor<&[u8]>>) -> Result<(), OdsError> {
    let entry = match archive.by_name("mimetype") {
        Ok(entry) => entry,
        Err(ZipError::FileNotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let mut bytes = Vec::new();
    entry
        .take(200)
        .read_to_end(&mut bytes)
        .map_err(ZipError::Io)?;
    let mimetype = String::from_utf8_lossy(&bytes);
    let mimetype = mimetype.trim();
    match SPREADSHEET_TYPES.contains(&mimetype) {
        true => Ok(()),
        false => Err(OdsError::NotSpreadsheet(mimetype.to_string())),
    }
}

/// Whether the manifest lists encryption data: the document was saved with a password.
fn is_encrypted(archive: &mut ZipArchive<Cursor<&[u8]>>) -> Result<bool, OdsError> {
    let entry = match archive.by_name("META-INF/manifest.xml") {
        Ok(entry) => entry,
        Err(ZipError::FileNotFound) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(entry.take(16 << 20)));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e))
                if e.local_name().as_ref() == b"encryption-data" =>
            {
                return Ok(true)
            }
            // A manifest that cannot be read says nothing; the content decides.
            Ok(Event::Eof) | Err(_) => return Ok(false),
            Ok(_) => buf.clear(),
        }
    }
}

/// Why reading a sheet stopped: a problem of the sheet (the file is read on), or of the file.
enum Stop {
    Sheet(SheetProblem),
    File(OdsError),
}

impl From<SheetProblem> for Stop {
    fn from(problem: SheetProblem) -> Self {
        Stop::Sheet(problem)
    }
}

impl From<OdsError> for Stop {
    fn from(e: OdsError) -> Self {
        Stop::File(e)
    }
}

/// The sheets of `content` (a `content.xml` that may unpack to `max_bytes`): every sheet's name,
/// and the cells of the first sheet of each kind that `kind_of` gives a name.
fn read_sheets<R: Read, K: Copy + PartialEq>(
    content: R,
    max_bytes: u64,
    kind_of: impl Fn(&str) -> Option<K>,
) -> Result<OdsBook<K>, OdsError> {
    let mut xml = Xml::new(content, max_bytes);
    let mut book = OdsBook {
        names: Vec::new(),
        sheets: Vec::new(),
    };
    loop {
        match xml.next()? {
            Ev::Open(table) if table.name == Name::Table => {
                if book.names.len() >= MAX_SHEETS {
                    return Err(OdsError::TooManySheets);
                }
                let name = table.value(Attribute::TableName).unwrap_or_default();
                let kind = kind_of(name).filter(|k| book.sheets.iter().all(|(kept, _)| kept != k));
                book.names.push(name.to_string());
                match kind {
                    Some(kind) => {
                        let cells = read_table(&mut xml)?;
                        book.sheets.push((kind, cells));
                    }
                    None => xml.skip()?,
                }
            }
            Ev::End => return Ok(book),
            Ev::Open(_) | Ev::Close | Ev::Text(_) => {}
        }
    }
}

/// The filled cells of the sheet whose `table:table` was just opened, read to its end; a
/// problem of the sheet skips the rest of it.
fn read_table<R: Read>(xml: &mut Xml<R>) -> Result<Result<Vec<Filled>, SheetProblem>, OdsError> {
    let depth = xml.depth;
    let mut sheet = SheetCells::new();
    match sheet.read_rows(xml, depth) {
        Ok(()) => Ok(Ok(sheet.cells)),
        Err(Stop::Sheet(problem)) => {
            xml.close_to(depth - 1)?;
            Ok(Err(problem))
        }
        Err(Stop::File(e)) => Err(e),
    }
}

/// A sheet being read: its filled cells so far, the row the next `table:table-row` starts on,
/// and what the sheet may still hold.
struct SheetCells {
    cells: Vec<Filled>,
    next_row: u64,
    budget: SheetBudget,
}

impl SheetCells {
    fn new() -> Self {
        SheetCells {
            cells: Vec::new(),
            next_row: 1,
            budget: SheetBudget::default(),
        }
    }

    /// Reads the rows of the sheet opened at `depth`, in row groups or not, to its end.
    fn read_rows<R: Read>(&mut self, xml: &mut Xml<R>, depth: usize) -> Result<(), Stop> {
        loop {
            match xml.next()? {
                Ev::Open(row) if row.name == Name::Row => {
                    let repeats = xml.repeats(&row, Attribute::RowsRepeated)?;
                    self.read_row(xml, repeats)?;
                }
                // Header rows and row groups hold rows of the sheet.
                Ev::Open(group) if group.name == Name::RowGroup => {}
                Ev::Open(_) => xml.skip()?,
                Ev::Close if xml.depth < depth => return Ok(()),
                Ev::Close | Ev::Text(_) => {}
                Ev::End => return Err(xml.cut_short().into()),
            }
        }
    }

    /// Reads the row just opened, which stands `repeats` times from `self.next_row` on.
    fn read_row<R: Read>(&mut self, xml: &mut Xml<R>, repeats: u64) -> Result<(), Stop> {
        let row = self.next_row;
        let mut column = 1u64;
        // Each filled cell: its first column, the columns it stands on, its value.
        let mut filled: Vec<(u64, u64, Cell)> = Vec::new();
        loop {
            match xml.next()? {
                Ev::Open(cell) if matches!(cell.name, Name::Cell | Name::CoveredCell) => {
                    let columns = xml.repeats(&cell, Attribute::ColumnsRepeated)?;
                    let value = match cell.name {
                        Name::Cell => read_cell(xml, &cell, self.budget.text_left())?,
                        _ => {
                            xml.skip()?;
                            None
                        }
                    };
                    if let Some(value) = value {
                        self.place(row, column, repeats, columns, &value)?;
                        filled.push((column, columns, value));
                    }
                    column = column.saturating_add(columns);
                }
                Ev::Open(_) => xml.skip()?,
                Ev::Close => break,
                Ev::Text(_) => {}
                Ev::End => return Err(xml.cut_short().into()),
            }
        }
        // `place` has bounded `repeats` when a cell is filled.
        let rows = if filled.is_empty() { 0 } else { repeats };
        for r in 0..rows {
            for (column, columns, value) in &filled {
                for c in 0..*columns {
                    let at = (position(row + r), position(column + c));
                    self.cells.push((at.0, at.1, value.clone()));
                }
            }
        }
        self.next_row = row.saturating_add(repeats);
        Ok(())
    }

    /// Checks that a filled cell at `row` and `column`, standing on `columns` columns of `rows`
    /// rows, lies within a spreadsheet and repeats within bounds, and takes its copies from the
    /// sheet's budget.
    fn place(
        &mut self,
        row: u64,
        column: u64,
        rows: u64,
        columns: u64,
        value: &Cell,
    ) -> Result<(), SheetProblem> {
        let inside = |row: u64, column: u64| row <= SHEET_ROWS && column <= SHEET_COLUMNS;
        if !inside(row, column) {
            return Err(SheetProblem::OutsideTheSheet);
        }
        let times = rows.saturating_mul(columns);
        if times > MAX_CELL_REPEATS {
            return Err(SheetProblem::RepeatedCell {
                row: position(row),
                column: position(column),
                times,
            });
        }
        if !inside(row + rows - 1, column + columns - 1) {
            return Err(SheetProblem::OutsideTheSheet);
        }
        self.budget.take(value, times as usize)
    }
}

/// A row or column within a spreadsheet ([`SheetCells::place`] has checked it is).
fn position(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The value of the cell just opened, read to its end (`None` for an empty one); its text may
/// be `text_limit` bytes long.
fn read_cell<R: Read>(
    xml: &mut Xml<R>,
    cell: &Element,
    text_limit: usize,
) -> Result<Option<Cell>, Stop> {
    let mut text = CellText::new(text_limit);
    loop {
        match xml.next()? {
            Ev::Open(p) if p.name == Name::Paragraph => {
                text.paragraph()?;
                read_paragraph(xml, &mut text)?;
            }
            // Comments, drawings: not the cell's value.
            Ev::Open(_) => xml.skip()?,
            Ev::Close => return Ok(cell_value(cell, &text.text)),
            Ev::Text(_) => {}
            Ev::End => return Err(xml.cut_short().into()),
        }
    }
}

/// The text of the paragraph just opened, read to its end into `text`.
fn read_paragraph<R: Read>(xml: &mut Xml<R>, text: &mut CellText) -> Result<(), Stop> {
    let depth = xml.depth;
    loop {
        match xml.next()? {
            Ev::Text(t) => text.push_text(&t)?,
            Ev::Open(e) => match e.name {
                Name::Spaces => {
                    text.push_kept(' ', xml.repeats(&e, Attribute::SpaceCount)?)?;
                    xml.skip()?;
                }
                Name::Tab => {
                    text.push_kept('\t', 1)?;
                    xml.skip()?;
                }
                Name::LineBreak => {
                    text.push_kept('\n', 1)?;
                    xml.skip()?;
                }
                Name::Annotation => xml.skip()?,
                // Spans, links, fields: their text is the paragraph's.
                _ => {}
            },
            Ev::Close if xml.depth < depth => return Ok(()),
            Ev::Close => {}
            Ev::End => return Err(xml.cut_short().into()),
        }
    }
}

/// A cell's value from its attributes and its text as shown: `None` for an empty cell.
fn cell_value(cell: &Element, text: &str) -> Option<Cell> {
    // A formula's error (LibreOffice marks it; its `office:value` is a meaningless 0).
    if cell.value(Attribute::CalcValueType) == Some("error") {
        let shown = match text.trim() {
            "" => "#VALUE!",
            shown => shown,
        };
        return Some(Cell::Error(shown.to_string()));
    }
    let number = || {
        cell.value(Attribute::Value)
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map(Cell::Number)
    };
    match cell.value(Attribute::ValueType) {
        Some("float" | "percentage" | "currency") => number().or_else(|| text_cell(text)),
        Some("boolean") => match cell.value(Attribute::BooleanValue).map(str::trim) {
            Some("true" | "1") => Some(Cell::Bool(true)),
            Some("false" | "0") => Some(Cell::Bool(false)),
            _ => text_cell(text),
        },
        Some("date" | "time") => Some(Cell::Date),
        Some("string") => text_cell(cell.value(Attribute::StringValue).unwrap_or(text)),
        _ => text_cell(text),
    }
}

/// A cell's text as a spreadsheet shows it: its paragraphs on lines of their own; a run of white
/// space in the XML one space (as OpenDocument says), spaces, tabs and line breaks written as
/// elements as they are; at most `limit` bytes.
struct CellText {
    text: String,
    limit: usize,
    paragraphs: usize,
    /// Whether white space in the XML now adds nothing: at a paragraph's start, or after a space
    /// it gave.
    space_before: bool,
}

impl CellText {
    fn new(limit: usize) -> Self {
        CellText {
            text: String::new(),
            limit,
            paragraphs: 0,
            space_before: true,
        }
    }

    fn paragraph(&mut self) -> Result<(), SheetProblem> {
        if self.paragraphs > 0 {
            self.push_kept('\n', 1)?;
        }
        self.paragraphs += 1;
        self.space_before = true;
        Ok(())
    }

    fn push_text(&mut self, xml_text: &str) -> Result<(), SheetProblem> {
        for c in xml_text.chars() {
            if matches!(c, ' ' | '\t' | '\r' | '\n') {
                if !self.space_before {
                    self.push_kept(' ', 1)?;
                    self.space_before = true;
                }
            } else {
                self.make_room(c.len_utf8())?;
                self.text.push(c);
                self.space_before = false;
            }
        }
        Ok(())
    }

    fn push_kept(&mut self, c: char, times: u64) -> Result<(), SheetProblem> {
        let times = usize::try_from(times).map_err(|_| SheetProblem::TooMuchText)?;
        self.make_room(times.saturating_mul(c.len_utf8()))?;
        self.text.extend(std::iter::repeat_n(c, times));
        self.space_before = false;
        Ok(())
    }

    fn make_room(&self, bytes: usize) -> Result<(), SheetProblem> {
        match self.text.len().saturating_add(bytes) <= self.limit {
            true => Ok(()),
            false => Err(SheetProblem::TooMuchText),
        }
    }
}

/// The elements of `content.xml` that the reader looks at; any other is looked through (within
/// a paragraph) or skipped whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Name {
    /// `table:table`: a sheet.
    Table,
    /// `table:table-row`.
    Row,
    /// `table:table-row-group`, `table:table-header-rows`, `table:table-rows`: rows within.
    RowGroup,
    /// `table:table-cell`.
    Cell,
    /// `table:covered-table-cell`: a cell merged over by another, not read.
    CoveredCell,
    /// `text:p`: a paragraph of a cell's text.
    Paragraph,
    /// `text:s`: spaces, `text:c` of them.
    Spaces,
    /// `text:tab`.
    Tab,
    /// `text:line-break`.
    LineBreak,
    /// `office:annotation`: a comment.
    Annotation,
    Other,
}

/// The attributes the reader reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attribute {
    TableName,
    RowsRepeated,
    ColumnsRepeated,
    ValueType,
    Value,
    BooleanValue,
    StringValue,
    /// LibreOffice's `calcext:value-type`, which marks a formula's error.
    CalcValueType,
    SpaceCount,
}

impl Attribute {
    /// Its name as OpenDocument files write it.
    fn written(self) -> &'static str {
        match self {
            Attribute::TableName => "table:name",
            Attribute::RowsRepeated => "table:number-rows-repeated",
            Attribute::ColumnsRepeated => "table:number-columns-repeated",
            Attribute::ValueType => "office:value-type",
            Attribute::Value => "office:value",
            Attribute::BooleanValue => "office:boolean-value",
            Attribute::StringValue => "office:string-value",
            Attribute::CalcValueType => "calcext:value-type",
            Attribute::SpaceCount => "text:c",
        }
    }
}

const OFFICE: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const TABLE: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const TEXT: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const CALCEXT: &[u8] = b"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0";

/// The element named `local` in the namespace `ns`.
fn name_of(ns: &ResolveResult<'_>, local: &[u8]) -> Name {
    let ResolveResult::Bound(Namespace(ns)) = ns else {
        return Name::Other;
    };
    match (*ns, local) {
        (ns, b"table") if ns == TABLE => Name::Table,
        (ns, b"table-row") if ns == TABLE => Name::Row,
        (ns, b"table-row-group" | b"table-header-rows" | b"table-rows") if ns == TABLE => {
            Name::RowGroup
        }
        (ns, b"table-cell") if ns == TABLE => Name::Cell,
        (ns, b"covered-table-cell") if ns == TABLE => Name::CoveredCell,
        (ns, b"p") if ns == TEXT => Name::Paragraph,
        (ns, b"s") if ns == TEXT => Name::Spaces,
        (ns, b"tab") if ns == TEXT => Name::Tab,
        (ns, b"line-break") if ns == TEXT => Name::LineBreak,
        (ns, b"annotation") if ns == OFFICE => Name::Annotation,
        _ => Name::Other,
    }
}

/// The attribute named `local` in the namespace `ns`, if the reader reads it.
fn attribute_of(ns: &ResolveResult<'_>, local: &[u8]) -> Option<Attribute> {
    let ResolveResult::Bound(Namespace(ns)) = ns else {
        return None;
    };
    match (*ns, local) {
        (ns, b"name") if ns == TABLE => Some(Attribute::TableName),
        (ns, b"number-rows-repeated") if ns == TABLE => Some(Attribute::RowsRepeated),
        (ns, b"number-columns-repeated") if ns == TABLE => Some(Attribute::ColumnsRepeated),
        (ns, b"value-type") if ns == OFFICE => Some(Attribute::ValueType),
        (ns, b"value") if ns == OFFICE => Some(Attribute::Value),
        (ns, b"boolean-value") if ns == OFFICE => Some(Attribute::BooleanValue),
        (ns, b"string-value") if ns == OFFICE => Some(Attribute::StringValue),
        (ns, b"value-type") if ns == CALCEXT => Some(Attribute::CalcValueType),
        (ns, b"c") if ns == TEXT => Some(Attribute::SpaceCount),
        _ => None,
    }
}

/// An element opened, and those of its attributes the reader reads.
#[derive(Debug)]
struct Element {
    name: Name,
    attributes: Vec<(Attribute, String)>,
}

impl Element {
    fn value(&self, attribute: Attribute) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(a, _)| *a == attribute)
            .map(|(_, v)| v.as_str())
    }
}

/// What `content.xml` says next, as the reader needs it.
#[derive(Debug)]
enum Ev {
    /// An element opens.
    Open(Element),
    /// The innermost open element closes.
    Close,
    /// Character data, its references resolved.
    Text(String),
    /// The end of the document.
    End,
}

/// An entry's bytes, at most `left` more: past them, an error, and `exceeded` says why.
struct Capped<R> {
    inner: R,
    left: u64,
    exceeded: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // One byte more says whether the entry goes on past the cap.
            return match self.inner.read(&mut [0u8; 1])? {
                0 => Ok(0),
                _ => {
                    self.exceeded = true;
                    Err(std::io::Error::other("unpacks to too much"))
                }
            };
        }
        let room = usize::try_from(self.left).unwrap_or(usize::MAX);
        let len = buf.len().min(room);
        let n = self.inner.read(&mut buf[..len])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// `content.xml` as the events the reader needs, elements resolved by namespace, with how many
/// elements are open.
struct Xml<R> {
    reader: NsReader<BufReader<Capped<R>>>,
    buf: Vec<u8>,
    depth: usize,
    /// An empty element (`<a/>`) was reported open: report it closed next.
    closing: bool,
}

impl<R: Read> Xml<R> {
    fn new(content: R, max_bytes: u64) -> Self {
        let capped = Capped {
            inner: content,
            left: max_bytes,
            exceeded: false,
        };
        let mut reader = NsReader::from_reader(BufReader::new(capped));
        reader.config_mut().expand_empty_elements = true;
        Xml {
            reader,
            buf: Vec::new(),
            depth: 0,
            closing: false,
        }
    }

    fn next(&mut self) -> Result<Ev, OdsError> {
        if self.closing {
            self.closing = false;
            self.depth -= 1;
            return Ok(Ev::Close);
        }
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(event) => event,
                Err(e) => return Err(broken(&self.reader, e)),
            };
            let empty = matches!(event, Event::Empty(_));
            match event {
                Event::Start(e) | Event::Empty(e) => {
                    self.depth += 1;
                    if self.depth > MAX_XML_DEPTH {
                        let message = format!("elements nest more than {MAX_XML_DEPTH} deep");
                        return Err(broken(&self.reader, message));
                    }
                    self.closing = empty;
                    return element(&self.reader, &e).map(Ev::Open);
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(Ev::Close);
                }
                Event::Text(t) => {
                    let text = t.xml10_content().map_err(|e| broken(&self.reader, e))?;
                    return Ok(Ev::Text(text.into_owned()));
                }
                Event::CData(t) => {
                    let text = t.decode().map_err(|e| broken(&self.reader, e))?;
                    return Ok(Ev::Text(text.into_owned()));
                }
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        Ok(None) => r
                            .decode()
                            .ok()
                            .and_then(|name| quick_xml::escape::resolve_predefined_entity(&name))
                            .map(str::to_string),
                        Err(_) => None,
                    };
                    let message = "a reference to an unknown character or entity";
                    return resolved
                        .map(Ev::Text)
                        .ok_or_else(|| broken(&self.reader, message));
                }
                Event::Eof => return Ok(Ev::End),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            }
        }
    }

    /// Reads on until only `depth` elements are open.
    fn close_to(&mut self, depth: usize) -> Result<(), OdsError> {
        while self.depth > depth {
            if let Ev::End = self.next()? {
                return Err(self.cut_short());
            }
        }
        Ok(())
    }

    /// Skips the element just opened, and all it holds.
    fn skip(&mut self) -> Result<(), OdsError> {
        self.close_to(self.depth.saturating_sub(1))
    }

    /// The repeat count `attribute` of `element` gives: 1 when it gives none.
    fn repeats(&self, element: &Element, attribute: Attribute) -> Result<u64, OdsError> {
        let Some(value) = element.value(attribute) else {
            return Ok(1);
        };
        match value.trim().parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => {
                let message = format!("`{}` is \"{value}\", not a count", attribute.written());
                Err(broken(&self.reader, message))
            }
        }
    }

    fn cut_short(&self) -> OdsError {
        broken(&self.reader, "it ends inside a sheet")
    }
}

/// The element `e`, with the attributes the reader reads when it is one the reader looks at.
fn element<R: CappedSource>(reader: &NsReader<R>, e: &BytesStart<'_>) -> Result<Element, OdsError> {
    let (ns, local) = reader.resolver().resolve_element(e.name());
    let name = name_of(&ns, local.as_ref());
    let mut attributes = Vec::new();
    if matches!(
        name,
        Name::Table | Name::Row | Name::Cell | Name::CoveredCell | Name::Spaces
    ) {
        for attribute in e.attributes() {
            let attribute = attribute.map_err(|e| broken(reader, e))?;
            let (ns, local) = reader.resolver().resolve_attribute(attribute.key);
            let Some(read) = attribute_of(&ns, local.as_ref()) else {
                continue;
            };
            let value = attribute
                .decode_and_unescape_value(reader.decoder())
                .map_err(|e| broken(reader, e))?;
            attributes.push((read, value.into_owned()));
        }
    }
    Ok(Element { name, attributes })
}

/// `content.xml` broken where `reader` stands, for `message`; or unpacking to too much, when
/// that is what stopped it.
fn broken<R>(reader: &NsReader<R>, message: impl std::fmt::Display) -> OdsError
where
    R: CappedSource,
{
    if reader.get_ref().exceeded() {
        return OdsError::TooLarge;
    }
    OdsError::Broken {
        at: reader.buffer_position(),
        message: message.to_string(),
    }
}

/// A source of `content.xml` that knows whether it stopped at its cap.
trait CappedSource {
    fn exceeded(&self) -> bool;
}

impl<R> CappedSource for BufReader<Capped<R>> {
    fn exceeded(&self) -> bool {
        self.get_ref().exceeded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `content.xml` of `tables`, with the namespaces LibreOffice declares.
    fn content(tables: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
        )
    }

    /// A sheet named `name` of `rows`.
    fn table(name: &str, rows: &str) -> String {
        format!(
            r#"<table:table table:name="{name}"><table:table-column table:number-columns-repeated="16384"/>{rows}</table:table>"#
        )
    }

    fn text(s: &str) -> String {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{s}</text:p></table:table-cell>"#
        )
    }

    /// Every sheet whose name starts with `Team` is of kind 0.
    fn read(xml: &str) -> Result<OdsBook<u8>, OdsError> {
        read_sheets(xml.as_bytes(), 1 << 20, |name| {
            name.starts_with("Team").then_some(0)
        })
    }

    /// The filled cells of the first sheet named `Team...`.
    fn cells(xml: &str) -> Result<Vec<Filled>, SheetProblem> {
        read(xml).expect("readable").take(0)
    }

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    #[test]
    fn cells_keep_their_type_and_their_place_counting_repeats() {
        let rows = format!(
            r#"<table:table-header-rows><table:table-row>{}{}<table:table-cell table:number-columns-repeated="16382"/></table:table-row></table:table-header-rows>
            <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"/></table:table-row>
            <table:table-row-group><table:table-row>
              <table:table-cell office:value-type="float" office:value="2.5"><text:p>2,5</text:p></table:table-cell>
              <table:table-cell table:formula="of:=1+2" office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell>
              <table:table-cell office:value-type="percentage" office:value="0.5"><text:p>50%</text:p></table:table-cell>
              <table:table-cell office:value-type="currency" office:currency="EUR" office:value="12"><text:p>12 €</text:p></table:table-cell>
              <table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>
              <table:table-cell office:value-type="date" office:date-value="2025-01-06"><text:p>06/01/25</text:p></table:table-cell>
              <table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>
              <table:table-cell office:value-type="string" office:string-value="as written"><text:p>shown</text:p></table:table-cell>
              <table:table-cell table:number-columns-repeated="1000"/>
              <table:table-cell office:value-type="float" office:value="not a number"><text:p>7</text:p></table:table-cell>
            </table:table-row></table:table-row-group>
            <table:table-row table:number-rows-repeated="1048571"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
            text("Case ID"),
            text("Acuity"),
        );
        let cells = cells(&content(&table("Team", &rows))).expect("read");
        assert_eq!(
            cells,
            vec![
                (1, 1, t("Case ID")),
                (1, 2, t("Acuity")),
                (4, 1, Cell::Number(2.5)),
                (4, 2, Cell::Number(3.0)),
                (4, 3, Cell::Number(0.5)),
                (4, 4, Cell::Number(12.0)),
                (4, 5, Cell::Bool(true)),
                (4, 6, Cell::Date),
                (4, 7, Cell::Error("#DIV/0!".into())),
                (4, 8, t("as written")),
                (4, 1009, t("7")),
            ]
        );
    }

    #[test]
    fn text_is_read_as_a_spreadsheet_shows_it() {
        let cell = r#"<table:table-cell office:value-type="string">
              <office:annotation><text:p>a comment</text:p></office:annotation>
              <text:p>  ana <text:span text:style-name="T1">and</text:span> <text:s text:c="2"/>bo &amp; co&#x21;</text:p>
              <text:p>second<text:tab/>line<text:line-break/>third</text:p>
            </table:table-cell>"#;
        let xml = content(&table(
            "Team",
            &format!("<table:table-row>{cell}</table:table-row>"),
        ));
        assert_eq!(
            cells(&xml).expect("read"),
            vec![(1, 1, t("ana and   bo & co!\nsecond\tline\nthird"))]
        );
    }

    #[test]
    fn covered_cells_take_their_place_and_are_not_read() {
        let rows = format!(
            r#"<table:table-row><table:table-cell table:number-columns-spanned="2" office:value-type="string"><text:p>merged</text:p></table:table-cell><table:covered-table-cell office:value-type="string"><text:p>hidden</text:p></table:covered-table-cell>{}</table:table-row>"#,
            text("after")
        );
        assert_eq!(
            cells(&content(&table("Team", &rows))).expect("read"),
            vec![(1, 1, t("merged")), (1, 3, t("after"))]
        );
    }

    #[test]
    fn a_repeated_filled_cell_is_copied_within_bounds() {
        let rows = r#"<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2" office:value-type="boolean" office:boolean-value="false"/></table:table-row>"#;
        assert_eq!(
            cells(&content(&table("Team", rows))).expect("read"),
            vec![
                (1, 1, Cell::Bool(false)),
                (1, 2, Cell::Bool(false)),
                (2, 1, Cell::Bool(false)),
                (2, 2, Cell::Bool(false)),
            ]
        );
        let rows = format!(
            r#"<table:table-row table:number-rows-repeated="3"/><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="2"/>{}</table:table-row>"#,
            text("x")
        );
        assert_eq!(
            cells(&content(&table("Team", &rows))),
            Err(SheetProblem::RepeatedCell {
                row: 4,
                column: 3,
                times: 1_000_000
            })
        );
    }

    #[test]
    fn a_filled_cell_past_the_last_row_or_column_is_refused() {
        for rows in [
            format!(
                r#"<table:table-row table:number-rows-repeated="1048576"/><table:table-row>{}</table:table-row>"#,
                text("x")
            ),
            format!(
                r#"<table:table-row><table:table-cell table:number-columns-repeated="18446744073709551615"/>{}</table:table-row>"#,
                text("x")
            ),
        ] {
            assert_eq!(
                cells(&content(&table("Team", &rows))),
                Err(SheetProblem::OutsideTheSheet)
            );
        }
    }

    #[test]
    fn spaces_past_the_sheets_text_budget_are_refused_before_they_are_written() {
        let rows = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="18446744073709551615"/></text:p></table:table-cell></table:table-row>"#;
        assert_eq!(
            cells(&content(&table("Team", rows))),
            Err(SheetProblem::TooMuchText)
        );
    }

    #[test]
    fn only_the_first_sheet_of_a_kind_is_read_and_others_are_only_named() {
        let huge = r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"/></table:table-row>"#;
        let xml = content(&format!(
            "{}{}{}",
            table("Notes", huge),
            table(
                "Team A",
                &format!("<table:table-row>{}</table:table-row>", text("a"))
            ),
            table(
                "Team B",
                &format!("<table:table-row>{}</table:table-row>", text("b"))
            ),
        ));
        let mut book = read(&xml).expect("read");
        assert_eq!(book.names, ["Notes", "Team A", "Team B"]);
        assert_eq!(book.take(0), Ok(vec![(1, 1, t("a"))]));
        assert!(book.take(0).is_err(), "one sheet per kind");
    }

    #[test]
    fn names_are_matched_by_namespace_not_by_prefix() {
        let xml = r#"<d xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:o="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:x="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:example:not-opendocument"><t:table t:name="Team"><t:table-row><table:table-cell/><t:table-cell o:value-type="float" o:value="4"/><t:table-cell><x:p>five</x:p></t:table-cell></t:table-row></t:table></d>"#;
        // `table:table-cell` of another namespace is no cell: it takes no place.
        assert_eq!(
            cells(xml).expect("read"),
            vec![(1, 1, Cell::Number(4.0)), (1, 2, t("five"))]
        );
    }

    #[test]
    fn broken_files_are_one_error_of_the_file() {
        let good = content(&table(
            "Team",
            &format!("<table:table-row>{}</table:table-row>", text("a")),
        ));
        let cut = &good[..good.find("</text:p>").expect("a paragraph")];
        let deep = format!("{}{}", "<a>".repeat(300), "</a>".repeat(300));
        let bad_count = content(&table(
            "Team",
            r#"<table:table-row table:number-rows-repeated="many"/>"#,
        ));
        let unknown_entity = content(&table(
            "Team",
            "<table:table-row><table:table-cell><text:p>&nbsp;</text:p></table:table-cell></table:table-row>",
        ));
        for (xml, expected) in [
            (cut, "it ends inside a sheet"),
            ("<a><b></a>", ""),
            (&deep, "elements nest more than 256 deep"),
            (
                &bad_count,
                "`table:number-rows-repeated` is \"many\", not a count",
            ),
            (&unknown_entity, "unknown character or entity"),
        ] {
            match read(xml) {
                Err(OdsError::Broken { message, .. }) => {
                    assert!(message.contains(expected), "{message}")
                }
                other => panic!("{xml}: {other:?}"),
            }
        }
    }

    #[test]
    fn content_that_unpacks_past_the_cap_is_refused() {
        let xml = content(&table("Team", &"<table:table-row/>".repeat(100_000)));
        assert!(xml.len() > 1 << 20);
        assert!(
            matches!(read(&xml), Err(OdsError::TooLarge)),
            "{:?}",
            read(&xml)
        );
    }

    #[test]
    fn garbage_is_not_an_archive() {
        for bytes in [&b""[..], b"PK\x03\x04 not really", b"id,acuity\n"] {
            let e = read_ods(bytes, |_| Some(0u8)).expect_err("not a spreadsheet");
            assert!(matches!(e, OdsError::Zip(_)), "{e}");
        }
    }
}
