//! The limits every input is held to, in one place: what an id or a name may contain and how
//! long it may be, and the range of the numbers a scenario gives. Case data is about people;
//! an id that carries terminal escape codes or a line break could forge a report line, and a
//! number near the float limits turns every figure into nonsense, so both are refused where
//! they are read, with the location.

/// Most characters in an id (of a worker, case, family or skill).
pub const MAX_ID_CHARS: usize = 200;

/// Most entries in one worker's or one case's list (`skills`, `needs`, `factors`, `avoid`,
/// `prefer`): far more than any team uses, few enough that every rule stays quick to check.
pub const MAX_LIST_ENTRIES: usize = 1_000;

/// Most filled cells read from one sheet of a workbook: far more than any team has (a sheet of
/// 500,000 cases of ten columns), few enough that reading a workbook that unpacks to far more
/// than its size stops before it exhausts memory.
pub const MAX_SHEET_CELLS: usize = 5_000_000;

/// Most bytes of text read from one sheet of a workbook, over all its filled cells: a team's
/// ids, names and lists take a small part of it, and a cell repeated or shared many times over
/// cannot multiply its text past it.
pub const MAX_SHEET_TEXT_BYTES: usize = 256 << 20;

/// Most cells one filled cell of an OpenDocument sheet may stand repeated on (its columns times
/// its row's repeats): a team sheet has one row per worker or case, so a value repeats at most
/// on a few neighbouring cells, while a file that says "this value, a million times" would fill
/// memory from a few bytes.
pub const MAX_CELL_REPEATS: u64 = 1_000;

/// The rows and columns of a spreadsheet (as Excel and LibreOffice have them): a filled cell of
/// an OpenDocument sheet past them is refused.
pub const SHEET_ROWS: u64 = 1_048_576;

/// See [`SHEET_ROWS`].
pub const SHEET_COLUMNS: u64 = 16_384;

/// Most bytes the sheets of an OpenDocument spreadsheet (its `content.xml`) may unpack to: many
/// times a team's largest sheets, and a file of a few megabytes that unpacks to gigabytes stops
/// here.
pub const MAX_UNPACKED_BYTES: u64 = 1 << 30;

/// Most sheets of an OpenDocument spreadsheet (LibreOffice's own limit).
pub const MAX_SHEETS: usize = 10_000;

/// Most levels of XML elements nested in one another in an OpenDocument spreadsheet: a sheet's
/// cells are about ten levels deep.
pub const MAX_XML_DEPTH: usize = 256;

/// Most acuity points of one case, or of one factor or level.
pub const MAX_POINTS: f64 = 1e6;

/// Least `fte` of a worker: one percent of full time.
pub const MIN_FTE: f64 = 0.01;

/// Least and most `capacity` of a worker, in acuity points.
pub const CAPACITY_RANGE: (f64, f64) = (0.01, 1e6);

/// A number as an error message quotes it: as written for ordinary sizes, in exponent form
/// when it is huge or tiny (`1e308`, not 309 digits).
pub fn shown(x: f64) -> String {
    if x != 0.0 && !(1e-4..1e9).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// What is wrong with an id, if anything: a control or text-direction character, or too many
/// characters.
pub fn id_problem(id: &str) -> Option<String> {
    if let Some(c) = id.chars().find(|c| is_unprintable(*c)) {
        return Some(format!(
            "contains the control character U+{:04X}, which would garble reports",
            u32::from(c)
        ));
    }
    let n = id.chars().count();
    (n > MAX_ID_CHARS).then(|| format!("is {n} characters long, more than {MAX_ID_CHARS}"))
}

/// First characters that make a spreadsheet read a cell as a formula. Ids and names may begin
/// with them (a case-management system's export may hold such ids): every spreadsheet the tool
/// writes for reading stores them as text (see `report::spreadsheet_safe`).
pub const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// Control characters (line breaks, escapes, NUL) and the invisible marks that reorder text.
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_and_tiny_numbers_are_shown_short() {
        assert_eq!(shown(1e308), "1e308");
        assert_eq!(shown(1e-300), "1e-300");
        assert_eq!(shown(2.5), "2.5");
        assert_eq!(shown(-3.0), "-3");
    }

    #[test]
    fn ids_with_control_characters_or_too_long_are_refused() {
        assert_eq!(id_problem("C-1001"), None);
        assert_eq!(id_problem("María José"), None);
        assert!(id_problem("C-1\n C-9999  intake → b")
            .unwrap()
            .contains("U+000A"));
        assert!(id_problem("a\u{1b}]0;x\u{7}").unwrap().contains("U+001B"));
        assert!(id_problem("abc\u{202e}fed").unwrap().contains("U+202E"));
        assert!(id_problem("line\u{2028}break").unwrap().contains("U+2028"));
        assert!(id_problem("mark\u{061c}").unwrap().contains("U+061C"));
        assert!(id_problem(&"x".repeat(201))
            .unwrap()
            .contains("201 characters"));
        assert_eq!(id_problem(&"x".repeat(200)), None);
        assert_eq!(id_problem("C-1=2"), None);
    }
}
