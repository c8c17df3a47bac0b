//! A team written as spreadsheets: the `[[staff]]` and `[[case]]` entries of a TOML scenario as
//! CSV files (any delimiter, header names, decimal mark, line ends, byte order mark), as an
//! Excel workbook with typed cells, and as an OpenDocument spreadsheet written as LibreOffice
//! writes one, so that tests can give one team in every format the tool reads. The example
//! workbook of `scenarios/` is written by [`workbook`] too, which is the library's own writing
//! of a team as a workbook.

use caseload::input::team_workbook::{entries_workbook, CASE_HEADERS, STAFF_HEADERS};
use toml::{Table, Value};

/// The entries of a scenario, each as its keys in the order written.
pub struct Team {
    /// `[[staff]]` entries.
    pub staff: Vec<Table>,
    /// `[[case]]` entries.
    pub cases: Vec<Table>,
}

impl Team {
    /// The entries of the scenario `text`.
    pub fn from_toml(text: &str) -> Team {
        let doc: Table = text.parse().expect("a TOML scenario");
        let entries = |key: &str| -> Vec<Table> {
            doc.get(key)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_table().cloned()).collect())
                .unwrap_or_default()
        };
        Team {
            staff: entries("staff"),
            cases: entries("case"),
        }
    }

    /// The `[[staff]]` entries as TOML text.
    pub fn staff_toml(&self) -> String {
        let mut doc = Table::new();
        doc.insert(
            "staff".into(),
            Value::Array(self.staff.iter().cloned().map(Value::Table).collect()),
        );
        toml::to_string(&doc).expect("TOML")
    }
}

/// The keys of `[[staff]]` entries, in the order of their columns, with the header a
/// spreadsheet would give each: those the tool writes.
pub const STAFF_COLUMNS: &[(&str, &str)] = STAFF_HEADERS;

/// See [`STAFF_COLUMNS`].
pub const CASE_COLUMNS: &[(&str, &str)] = CASE_HEADERS;

/// How a CSV file is written.
#[derive(Debug, Clone, Copy)]
pub struct CsvStyle {
    /// `,`, `;` or tab.
    pub delimiter: u8,
    /// Headers as a spreadsheet names the columns (`Case ID`), not the keys (`id`).
    pub spreadsheet_headers: bool,
    /// `2,5` for 2.5.
    pub decimal_comma: bool,
    /// Between the items of a list cell.
    pub list_separator: &'static str,
    /// Lines end in CRLF.
    pub crlf: bool,
    /// A UTF-8 byte order mark first.
    pub bom: bool,
}

impl CsvStyle {
    /// As the tool documented CSV files before spreadsheets: `,`, keys, `;` in lists.
    pub const PLAIN: CsvStyle = CsvStyle {
        delimiter: b',',
        spreadsheet_headers: false,
        decimal_comma: false,
        list_separator: ";",
        crlf: false,
        bom: false,
    };

    /// As Excel saves "CSV UTF-8" where the comma is the decimal mark.
    pub const EUROPEAN_EXCEL: CsvStyle = CsvStyle {
        delimiter: b';',
        spreadsheet_headers: true,
        decimal_comma: true,
        list_separator: ", ",
        crlf: true,
        bom: true,
    };
}

/// The columns of `entries` among `columns`: those that some entry gives.
fn used<'c>(entries: &[Table], columns: &'c [(&'c str, &'c str)]) -> Vec<(&'c str, &'c str)> {
    columns
        .iter()
        .filter(|(key, _)| entries.iter().any(|e| e.contains_key(*key)))
        .copied()
        .collect()
}

/// `entries` as a CSV file of `style`.
pub fn csv(entries: &[Table], columns: &[(&str, &str)], style: CsvStyle) -> String {
    let columns = used(entries, columns);
    let mut writer = csv::WriterBuilder::new()
        .delimiter(style.delimiter)
        .terminator(if style.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(Vec::new());
    let header = columns
        .iter()
        .map(|(key, shown)| match style.spreadsheet_headers {
            true => *shown,
            false => *key,
        });
    writer.write_record(header).expect("written");
    for entry in entries {
        let row = columns.iter().map(|(key, _)| match entry.get(*key) {
            None => String::new(),
            Some(value) => cell_text(value, style),
        });
        writer.write_record(row).expect("written");
    }
    let text = String::from_utf8(writer.into_inner().expect("written")).expect("UTF-8");
    if style.bom {
        format!("\u{feff}{text}")
    } else {
        text
    }
}

fn cell_text(value: &Value, style: CsvStyle) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) if style.decimal_comma => f.to_string().replace('.', ","),
        Value::Float(f) => f.to_string(),
        Value::Boolean(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Value::Array(items) => items
            .iter()
            .map(|i| cell_text(i, style))
            .collect::<Vec<_>>()
            .join(style.list_separator),
        other => panic!("no cell for {other}"),
    }
}

/// The team as an Excel workbook: a sheet `Staff` and a sheet `Cases` under spreadsheet
/// headers, numbers and booleans in cells of their type, lists as `a, b`; the same bytes for the
/// same team (the document's date is fixed).
pub fn workbook(team: &Team) -> Vec<u8> {
    entries_workbook(&team.staff, &team.cases, Vec::new()).expect("a workbook")
}

/// The team as an OpenDocument spreadsheet, written as LibreOffice writes one: sheets `Staff`
/// and `Cases` under spreadsheet headers, numbers and booleans in cells of their type, lists as
/// `a, b`, a run of empty cells as one repeated cell, each row filled out to the last column
/// and the sheet to the last row by repeats.
pub fn ods(team: &Team) -> Vec<u8> {
    let sheet = |entries: &[Table], columns: &[(&str, &str)]| {
        let columns = used(entries, columns);
        let header = columns
            .iter()
            .map(|(_, shown)| Some(Value::String(shown.to_string())))
            .collect();
        let rows = entries.iter().map(|entry| {
            columns
                .iter()
                .map(|(key, _)| entry.get(*key).cloned())
                .collect()
        });
        std::iter::once(header)
            .chain(rows)
            .map(|cells: Vec<Option<Value>>| ods_row(&cells))
            .collect::<Vec<_>>()
    };
    ods_of(&[
        ("Staff", sheet(&team.staff, STAFF_COLUMNS)),
        ("Cases", sheet(&team.cases, CASE_COLUMNS)),
    ])
}

/// A `table:table-row` of `cells` (`None` for an empty one), as LibreOffice writes it.
pub fn ods_row(cells: &[Option<Value>]) -> String {
    let mut xml = String::from("<table:table-row>");
    let mut empty = 0;
    for cell in cells {
        match cell {
            None => empty += 1,
            Some(value) => {
                xml.push_str(&empty_cells(empty));
                empty = 0;
                xml.push_str(&ods_cell(value));
            }
        }
    }
    xml.push_str(&empty_cells(empty + ODS_COLUMNS - cells.len()));
    xml.push_str("</table:table-row>");
    xml
}

/// The columns of an OpenDocument sheet.
const ODS_COLUMNS: usize = 16_384;

/// `n` empty cells, as one repeated cell.
fn empty_cells(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => "<table:table-cell/>".to_string(),
        n => format!(r#"<table:table-cell table:number-columns-repeated="{n}"/>"#),
    }
}

/// A filled `table:table-cell`, as LibreOffice writes it: a value of its type, and the text it
/// shows.
pub fn ods_cell(value: &Value) -> String {
    let (attributes, shown) = match value {
        Value::Integer(i) => (
            format!(r#"office:value-type="float" office:value="{i}""#),
            i.to_string(),
        ),
        Value::Float(f) => (
            format!(r#"office:value-type="float" office:value="{f}""#),
            f.to_string(),
        ),
        Value::Boolean(b) => (
            format!(r#"office:value-type="boolean" office:boolean-value="{b}""#),
            if *b { "TRUE" } else { "FALSE" }.to_string(),
        ),
        Value::String(s) => (r#"office:value-type="string""#.to_string(), s.clone()),
        list => (
            r#"office:value-type="string""#.to_string(),
            cell_text(list, CsvStyle::EUROPEAN_EXCEL),
        ),
    };
    format!(
        "<table:table-cell {attributes}><text:p>{}</text:p></table:table-cell>",
        xml_escaped(&shown)
    )
}

/// `text` with the characters XML reserves written as references.
pub fn xml_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An OpenDocument spreadsheet of the sheets given, each a name and its rows (`table:table-row`
/// elements, written with [`ods_row`] or by hand), the last row repeated down to the last row of
/// a spreadsheet. The archive holds what an OpenDocument file must: `mimetype` first and
/// uncompressed, `META-INF/manifest.xml` and `content.xml`; the same sheets give the same bytes.
pub fn ods_of(sheets: &[(&str, Vec<String>)]) -> Vec<u8> {
    let tables: String = sheets
        .iter()
        .map(|(name, rows)| {
            format!(
                r#"<table:table table:name="{}"><table:table-column table:number-columns-repeated="{ODS_COLUMNS}"/>{}<table:table-row table:number-rows-repeated="{}"><table:table-cell table:number-columns-repeated="{ODS_COLUMNS}"/></table:table-row></table:table>"#,
                xml_escaped(name),
                rows.concat(),
                1_048_576 - rows.len()
            )
        })
        .collect();
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>
"#
    );
    ods_archive(&content)
}

const ODS_MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

const ODS_MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#;

/// An OpenDocument spreadsheet archive of `content` (its `content.xml`).
pub fn ods_archive(content: &str) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;

    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, text, options) in [
        ("mimetype", ODS_MIMETYPE, stored),
        ("META-INF/manifest.xml", ODS_MANIFEST, deflated),
        ("content.xml", content, deflated),
    ] {
        archive.start_file(name, options).expect("an entry");
        archive.write_all(text.as_bytes()).expect("written");
    }
    archive.finish().expect("an archive").into_inner()
}
