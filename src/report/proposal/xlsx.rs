//! The proposal as an Excel workbook, for a supervisor or director who reads spreadsheets:
//! Summary (status, key figures, balance, where the workbook comes from), Workers (before and
//! after, coloured against the target and the balance band, with a chart), Moves, Unplaced,
//! What binds, and Handouts (a block per worker, each printed on its own page).
//!
//! Handouts are one sheet, not a sheet per worker: a sheet name holds at most 31 characters
//! and must be unique, while ids may be 200 characters long and differ only at their end, and a
//! county of thousands of workers would get thousands of tabs. A page break before each block
//! gives each worker their own printed page instead.
//!
//! Every figure and sentence is the explanation's, as the text and JSON reports give them.

use rust_xlsxwriter::{
    Chart, ChartType, Color, ConditionalFormatCell, ConditionalFormatCellRule,
    ConditionalFormatText, ConditionalFormatTextRule, Format, RowNum,
};

use crate::explain::handout::{Handouts, MoveSet, WorkerHandout};
use crate::explain::Explanation;
use crate::input::provenance::Provenance;
use crate::report::balance::{balance_lines, band_words};
use crate::report::binding::{budget_sentence, shortfall_sentences};
use crate::report::handout::standing_lines;
use crate::report::outcome::{conflict_lines, no_proposal_reason};
use crate::report::proposal::sentences::{equity_why, overload_cause, status_word, why_move};
use crate::report::proposal::tables::{proposal_table, ProposalTable, WORKERS_COLUMNS};
use crate::report::table::Cell;
use crate::report::workbook::{Book, Sheet, WorkbookError};
use crate::report::{percent, points_of, printable, staff_label};
use crate::solve::model::Mode;

/// The proposal as the bytes of an `.xlsx` workbook.
pub fn proposal_xlsx(
    explanation: &Explanation<'_>,
    provenance: &Provenance,
) -> Result<Vec<u8>, WorkbookError> {
    proposal_book(explanation, provenance)?.finish()
}

/// The proposal's sheets, for a workbook that may add its own (`whatif`'s).
pub(crate) fn proposal_book(
    explanation: &Explanation<'_>,
    provenance: &Provenance,
) -> Result<Book, WorkbookError> {
    let mut book = Book::new()?;
    book.push(summary_sheet(explanation, provenance)?);
    book.push(workers_sheet(explanation)?);
    for (name, table) in [
        ("Moves", ProposalTable::Moves),
        ("Unplaced", ProposalTable::Unplaced),
    ] {
        let mut sheet = Sheet::new(name)?;
        sheet.table(&proposal_table(explanation, table))?;
        book.push(sheet);
    }
    book.push(binding_sheet(explanation)?);
    book.push(handouts_sheet(explanation)?);
    Ok(book)
}

/// The job's name.
fn job(mode: Mode) -> &'static str {
    match mode {
        Mode::Rebalance => "rebalance",
        Mode::Assign => "assign",
    }
}

/// Status, key figures, the balance statement, what the colours of Workers mean, and where the
/// workbook comes from.
fn summary_sheet(
    explanation: &Explanation<'_>,
    provenance: &Provenance,
) -> Result<Sheet, WorkbookError> {
    let Explanation {
        scenario, proposal, ..
    } = explanation;
    let mut sheet = Sheet::new("Summary")?;
    let status = proposal.status();
    let title = format!(
        "{} — {}: {}",
        scenario.name,
        job(proposal.mode),
        status_word(status)
    );
    sheet.heading(0, 0, &title)?;
    let mut row = sheet.pairs(
        2,
        &[
            ("scenario", Cell::text(&scenario.name)),
            ("job", Cell::text(job(proposal.mode))),
            ("status", Cell::text(status.name())),
        ],
    )?;
    if let Some(reason) = no_proposal_reason(scenario, proposal.mode, &proposal.outcome) {
        row = sheet.sentences(row, "no proposal", &[reason])?;
    }
    row = sheet.pairs(row, &key_figures(explanation))?;
    if let Some(balance) = &explanation.balance {
        let lines = balance_lines(scenario, balance, scenario.policy.max_moves);
        row = sheet.sentences(row + 1, "balance", &lines)?;
    }
    row = sheet.sentences(row + 1, "colours", &colour_legend(explanation))?;
    sheet.provenance(row + 1, provenance)?;
    Ok(sheet)
}

/// The headline figures, as the JSON's `metrics` and `policy` give them.
fn key_figures(explanation: &Explanation<'_>) -> Vec<(&'static str, Cell)> {
    let m = explanation.metrics();
    let policy = &explanation.scenario.policy;
    let budget = explanation.proposal.budget.map_or(Cell::Empty, Cell::count);
    vec![
        (
            "max utilization before",
            Cell::share(m.max_utilization_before),
        ),
        (
            "max utilization after",
            Cell::share(m.max_utilization_after),
        ),
        (
            "lower bound on max utilization",
            Cell::share(m.lower_bound_max_utilization),
        ),
        ("overload before (points)", Cell::number(m.overload_before)),
        ("overload after (points)", Cell::number(m.overload_after)),
        ("reassignments", Cell::count(m.moves)),
        ("required reassignments", Cell::count(m.required_moves)),
        (
            "discretionary reassignments",
            Cell::count(m.discretionary_moves),
        ),
        ("move budget", budget),
        ("intake placed", Cell::count(m.intake_placed)),
        ("unplaced", Cell::count(m.unassigned)),
        ("preferences honoured", Cell::count(m.preferences_honoured)),
        ("preferences stated", Cell::count(m.preferences_stated)),
        ("target utilization", Cell::share(policy.target_utilization)),
        ("balance band", Cell::share(policy.balance_band)),
    ]
}

/// What the colours of the Workers sheet mean.
fn colour_legend(explanation: &Explanation<'_>) -> Vec<String> {
    let policy = &explanation.scenario.policy;
    vec![
        format!(
            "Workers: utilization above the target ({}) is amber, above capacity (100%) red.",
            percent(policy.target_utilization)
        ),
        format!(
            "Workers: a status of `below band` (blue) marks a worker left more than the balance band ({}) below a busier colleague; the balance lines above and the worker's handout say why.",
            band_words(policy.balance_band)
        ),
    ]
}

/// Light fills for the Workers sheet's conditional formats.
const AMBER: u32 = 0xFFE699;
const RED: u32 = 0xF4B6B6;
const BLUE: u32 = 0xBDD7EE;
const GREY: u32 = 0xD9D9D9;

fn fill(rgb: u32) -> Format {
    Format::new().set_background_color(Color::RGB(rgb))
}

/// Each worker before and after, utilization coloured against the target and capacity, the
/// status against the balance band, and a chart of utilization before and after with the
/// target as a line.
fn workers_sheet(explanation: &Explanation<'_>) -> Result<Sheet, WorkbookError> {
    let mut sheet = Sheet::new("Workers")?;
    let table = proposal_table(explanation, ProposalTable::Workers);
    let end = sheet.table(&table)?;
    let workers = table.rows.len() as RowNum;
    if workers == 0 {
        return Ok(sheet);
    }
    let col = |name: &str| {
        WORKERS_COLUMNS
            .iter()
            .position(|c| *c == name)
            .expect("a column of the workers table") as u16
    };
    let target = explanation.scenario.policy.target_utilization;
    let (before, after) = (col("utilization_before"), col("utilization_after"));
    let ws = &mut sheet.worksheet;
    // The first rule that holds colours the cell: above capacity before above target.
    for limit in [(1.0, RED), (target, AMBER)] {
        let rule = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::GreaterThan(limit.0))
            .set_format(fill(limit.1));
        ws.add_conditional_format(1, before, workers, after, &rule)?;
    }
    let status = col("status");
    for (word, rgb) in [
        ("over capacity", RED),
        ("over target", AMBER),
        ("below band", BLUE),
        ("on leave", GREY),
    ] {
        let rule = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::Contains(word.to_string()))
            .set_format(fill(rgb));
        ws.add_conditional_format(1, status, workers, status, &rule)?;
    }
    let chart = utilization_chart(workers, [col("id"), before, after, col("target")]);
    ws.insert_chart(end + 1, 0, &chart)?;
    Ok(sheet)
}

/// Columns of utilization before and after for each worker (named by id), and the target as a
/// line; `columns` are those of the id, before, after and target in the Workers sheet.
fn utilization_chart(workers: RowNum, columns: [u16; 4]) -> Chart {
    let [id, before, after, target] = columns;
    let range = |col: u16| ("Workers", 1, col, workers, col);
    let mut chart = Chart::new(ChartType::Column);
    for (name, col) in [("utilization before", before), ("utilization after", after)] {
        chart
            .add_series()
            .set_name(name)
            .set_categories(range(id))
            .set_values(range(col));
    }
    let mut line = Chart::new(ChartType::Line);
    line.add_series()
        .set_name("target")
        .set_categories(range(id))
        .set_values(range(target));
    chart.combine(&line);
    chart.title().set_name("Utilization before and after");
    chart.y_axis().set_num_format("0%");
    let width = (120 + 28 * workers).clamp(480, 2400);
    chart.set_width(width).set_height(320);
    chart
}

/// What binds, why overload remains, what other budgets would give; without a proposal, why
/// there is none and the rules that conflict.
fn binding_sheet(explanation: &Explanation<'_>) -> Result<Sheet, WorkbookError> {
    let Explanation {
        scenario, proposal, ..
    } = explanation;
    let mut sheet = Sheet::new("What binds")?;
    sheet.heading(0, 0, "What binds")?;
    let mut row = 2;
    if let Some(reason) = no_proposal_reason(scenario, proposal.mode, &proposal.outcome) {
        row = sheet.sentences(row, "no proposal", &[reason])?;
        if let Some(conflict) = proposal.outcome.conflict() {
            row = sheet.sentences(row, "conflict", &conflict_lines(scenario, conflict))?;
        }
    }
    if let Some(group) = &explanation.binding.equity {
        row = sheet.sentences(row, "equity", &[equity_why(explanation, group)])?;
        let shortfalls = shortfall_sentences(scenario, &explanation.binding.overload);
        row = sheet.sentences(row, "overload", &shortfalls)?;
    }
    if let Some(cause) = explanation
        .overload_cause()
        .filter(|_| explanation.has_proposal())
    {
        let remain = format!(
            "{} above target remain: {}.",
            points_of(explanation.figures.overload_after),
            overload_cause(&cause)
        );
        row = sheet.sentences(row, "overload remains", &[remain])?;
    }
    if let Some(current) = explanation.budget_point() {
        let others: Vec<String> = explanation
            .budget_curve
            .iter()
            .map(|point| budget_sentence(current.max_moves, &current, point))
            .collect();
        sheet.sentences(row, "move budget", &others)?;
    }
    Ok(sheet)
}

/// A block per worker, each starting a printed page.
fn handouts_sheet(explanation: &Explanation<'_>) -> Result<Sheet, WorkbookError> {
    let handouts = Handouts::of(explanation, None);
    let mut sheet = Sheet::new("Handouts")?;
    let mut row = 0;
    let mut breaks = Vec::new();
    if handouts.workers.is_empty() {
        sheet.text(0, 0, "No proposal, so no handouts.")?;
    }
    for h in &handouts.workers {
        if row > 0 {
            breaks.push(row);
        }
        row = handout_block(&mut sheet, &handouts, h, row)? + 1;
    }
    // Excel keeps at most 1023 page breaks in a sheet.
    breaks.truncate(1023);
    sheet.worksheet.set_page_breaks(&breaks)?;
    Ok(sheet)
}

/// One worker's handout from `row`: who, today and after, what they keep, each case they hand
/// over, take on or hold that no one may hold, with why, and where they stand. Returns the row
/// after it.
fn handout_block(
    sheet: &mut Sheet,
    handouts: &Handouts<'_, '_>,
    h: &WorkerHandout,
    row: RowNum,
) -> Result<RowNum, WorkbookError> {
    let explanation = handouts.explanation;
    let scenario = explanation.scenario;
    let f = &explanation.figures.workers[h.worker];
    sheet.heading(row, 0, &staff_label(scenario, h.worker))?;
    let intro = format!(
        "Proposed changes to your caseload ({}).",
        printable(&scenario.name)
    );
    sheet.sentences_in(row + 1, "", 4, &[intro])?;
    sheet.header(row + 2, &["", "cases", "points", "utilization"])?;
    let held = [
        (
            "today",
            f.cases_before,
            f.load_before,
            f.utilization_before(),
        ),
        ("after", f.cases_after, f.load_after, f.utilization_after()),
    ];
    let mut row = row + 3;
    for (when, cases, points, utilization) in held {
        let cells = [
            Cell::text(when),
            Cell::count(cases),
            Cell::number(points),
            Cell::share(utilization),
        ];
        sheet.row(row, &cells)?;
        row += 1;
    }
    let kept = [
        Cell::text("keeps"),
        Cell::count(h.keeps.cases.len() as u64),
        Cell::number(h.keeps.points),
    ];
    sheet.row(row, &kept)?;
    row = handout_cases(sheet, handouts, h, row + 1)?;
    sheet.sentences_in(row, "where you stand", 4, &standing_lines(handouts, h))
}

/// The cases that move to or from the worker and those no one may hold, a row each.
fn handout_cases(
    sheet: &mut Sheet,
    handouts: &Handouts<'_, '_>,
    h: &WorkerHandout,
    row: RowNum,
) -> Result<RowNum, WorkbookError> {
    let scenario = handouts.explanation.scenario;
    sheet.header(row, &["", "case", "points", "worker", "why"])?;
    let mut row = row + 1;
    if h.hands_over.moves.is_empty() && h.takes_on.moves.is_empty() {
        sheet.text(row, 0, "No case moves to or from you.")?;
        row += 1;
    }
    let mut rows: Vec<[Cell; 5]> = Vec::new();
    let moves = |what: &str, set: &MoveSet, other: &dyn Fn(&_) -> Option<_>| {
        set.moves
            .iter()
            .map(|m| {
                let case = &scenario.cases[m.case];
                [
                    Cell::text(what),
                    Cell::text(&case.id),
                    Cell::number(case.weight),
                    Cell::text_or_empty(other(m).as_deref()),
                    Cell::text(why_move(scenario, m)),
                ]
            })
            .collect::<Vec<_>>()
    };
    rows.extend(moves("hands over", &h.hands_over, &|m| {
        Some(staff_label(scenario, m.to))
    }));
    rows.extend(moves("takes on", &h.takes_on, &|m| {
        m.from.map(|w| staff_label(scenario, w))
    }));
    for u in &h.unplaced {
        let case = &scenario.cases[u.case];
        rows.push([
            Cell::text("cannot be placed"),
            Cell::text(&case.id),
            Cell::number(case.weight),
            Cell::Empty,
            Cell::text(u.reason.sentence(scenario)),
        ]);
    }
    for cells in &rows {
        sheet.row(row, cells)?;
        row += 1;
    }
    Ok(row)
}
