//! The staffing plan for a planner: which hires, why, and what they would take; as text, JSON,
//! a CSV table of the hires, or a workbook.

use std::fmt::Write as _;

use serde_json::json;

use crate::domain::Scenario;
use crate::explain::binding::{Group, Shortfall};
use crate::explain::figures::round9;
use crate::input::profiles::Profile;
use crate::input::provenance::Provenance;
use crate::plan::staffing::{Hire, PlanningStep, Relief, StaffingPlan};
use crate::report::binding::shortfall_sentences;
use crate::report::document::json_document;
use crate::report::style::{load_style, TextStyle};
use crate::report::table::{table_csv, Cell, Table};
use crate::report::workbook::{Book, Sheet, WorkbookError};
use crate::report::{and_list, percent, points, skill_list};
use crate::solve::Status;

pub(crate) fn status_word(status: Status) -> &'static str {
    match status {
        Status::Optimal => "optimal",
        Status::Feasible => {
            "feasible (these hires work; time ran out before cheaper ones were ruled out)"
        }
        Status::Infeasible => "not reachable",
        Status::Unknown => "unknown (time ran out before any plan was found)",
    }
}

/// What planning did, a line per phase with its time, for `--verbose`.
pub fn staffing_verbose_lines(plan: &StaffingPlan) -> Vec<String> {
    let lines = plan.steps.iter().map(|step| match step {
        PlanningStep::Candidates {
            slots,
            capped,
            seconds,
        } => format!(
            "candidates: {slots} candidate hires{} in {seconds:.3} s",
            if *capped {
                " (some profile had more useful ones)"
            } else {
                ""
            }
        ),
        PlanningStep::Hiring {
            cost: Some(cost),
            proven,
            seconds,
        } => format!(
            "hiring program: cost {cost:.6} {} in {seconds:.3} s",
            if *proven { "proven" } else { "unproven" }
        ),
        PlanningStep::Hiring {
            cost: None,
            seconds,
            ..
        } => format!("hiring program: no plan in {seconds:.3} s"),
    });
    lines.collect()
}

/// The plan as text, in colour and wrapped as `style` says.
pub fn staffing_text(
    scenario: &Scenario,
    profiles: &[Profile],
    plan: &StaffingPlan,
    style: &TextStyle,
) -> String {
    let mut out = String::new();
    let target = percent(plan.target);
    let status = style.status(plan.status, status_word(plan.status));
    let title = format!(
        "{} — staffing for a target of {target}: {status}",
        scenario.name
    );
    style.push_line(&mut out, "", 2, &title);
    match plan.status {
        Status::Infeasible => {
            write_not_reachable(&mut out, scenario, plan, style);
            return out;
        }
        Status::Unknown => {
            if plan.capped {
                let sentence = format!(
                    "With up to {} candidate hires of each profile no plan reaches {target}; more were not tried. Try a higher --target or larger profiles.",
                    crate::plan::staffing::MAX_SLOTS_PER_PROFILE
                );
                style.push_line(&mut out, "", 2, &sentence);
            }
            return out;
        }
        _ => {}
    }
    if plan.hires.is_empty() {
        let sentence = format!(
            "No hires are needed: every worker can be at or below {target} with every case placed."
        );
        style.push_line(&mut out, "", 2, &sentence);
        return out;
    }
    write_hires(&mut out, scenario, profiles, plan, style);
    write_why(&mut out, scenario, plan, style);
    let sentence = format!(
        "With these hires every worker can be at or below {target} with every case placed{}.",
        if plan.status == Status::Optimal {
            "; no cheaper set of hires from these profiles can"
        } else {
            ""
        }
    );
    out.push('\n');
    style.push_line(&mut out, "", 2, &sentence);
    out
}

/// Why no plan reaches the target: the groups short even with every candidate hire, and the
/// cases no worker or profile may hold.
fn write_not_reachable(
    out: &mut String,
    scenario: &Scenario,
    plan: &StaffingPlan,
    style: &TextStyle,
) {
    let target = percent(plan.target);
    let sentence = format!(
        "No number of hires from these profiles lets every worker be at or below {target} with every case placed."
    );
    style.push_line(out, "", 2, &sentence);
    for sentence in shortfall_sentences(&plan.team_with_hires, &plan.short_even_with_hires) {
        style.push_sentence(
            out,
            &format!("  Even with every candidate hire: {sentence}"),
        );
    }
    if !plan.unplaceable.is_empty() {
        let ids: Vec<String> = plan
            .unplaceable
            .iter()
            .map(|c| {
                let case = &scenario.cases[*c];
                if case.needs.is_empty() {
                    format!("`{}`", case.id)
                } else {
                    format!("`{}` (needs {})", case.id, skill_list(&case.needs))
                }
            })
            .collect();
        let line = format!(
            "  Cases no worker or profile may hold: {}. Add a profile with those skills.",
            ids.join(", ")
        );
        style.push_sentence(out, &line);
    }
}

/// The hires: a heading with their number, FTE and cost, then a line per hire with what it
/// would take, its utilization coloured by the domain's rule.
fn write_hires(
    out: &mut String,
    scenario: &Scenario,
    profiles: &[Profile],
    plan: &StaffingPlan,
    style: &TextStyle,
) {
    let heading = format!(
        "Hire {} ({} FTE, cost {}):",
        plan.hires.len(),
        points(plan.fte),
        points(plan.cost)
    );
    style.push_line(out, "", 2, &style.heading(heading));
    for h in &plan.hires {
        let p = &profiles[h.profile];
        let needing: usize = h
            .cases
            .iter()
            .filter(|c| !scenario.cases[**c].needs.is_empty())
            .count();
        let utilization = style.paint(
            load_style(h.load, h.capacity, plan.target),
            percent(h.load / h.capacity),
        );
        let line = format!(
            "  {} — {}{} at {} FTE: would take {} case{}, {} points ({utilization}){}",
            h.id,
            p.name,
            if p.skills.is_empty() {
                String::new()
            } else {
                format!(" ({})", skill_list(&p.skills))
            },
            p.fte,
            h.cases.len(),
            if h.cases.len() == 1 { "" } else { "s" },
            points(h.load),
            if needing > 0 {
                format!(", {needing} of them needing a skill")
            } else {
                String::new()
            }
        );
        style.push_sentence(out, &line);
    }
}

/// The "Why" section: the groups short of room today, then what each hire relieves.
fn write_why(out: &mut String, scenario: &Scenario, plan: &StaffingPlan, style: &TextStyle) {
    let target = percent(plan.target);
    let _ = writeln!(out, "\n{}", style.heading("Why:"));
    let mut lines = Vec::new();
    if plan.shortfalls_today.is_empty() {
        lines.push(format!(
            "No group of workers is short of room at {target} taken as a whole; cases come whole, and with max_cases, pins and families the team cannot fit them under {target} without these hires."
        ));
    }
    lines.extend(shortfall_sentences(scenario, &plan.shortfalls_today));
    lines.extend(
        plan.hires
            .iter()
            .filter_map(|h| hire_reason(scenario, plan, h)),
    );
    for line in lines {
        style.push_sentence(out, &format!("  {line}"));
    }
}

/// Why a hire helps: the short groups whose cases it would take, or that it takes none of
/// them; `None` when no group is short (the plan's reason is then one for all hires).
pub(crate) fn hire_reason(scenario: &Scenario, plan: &StaffingPlan, hire: &Hire) -> Option<String> {
    if plan.shortfalls_today.is_empty() {
        return None;
    }
    if hire.relieves.is_empty() {
        return Some(format!(
            "{} would take none of the cases only the groups above may hold.",
            hire.id
        ));
    }
    let parts: Vec<String> = hire
        .relieves
        .iter()
        .map(|r| relief_clause(scenario, &plan.shortfalls_today[r.shortfall].group, r))
        .collect();
    Some(format!("{} relieves {}.", hire.id, parts.join("; and ")))
}

/// "the workers with `forensic` (fay and fox): it would take 1 of the 4 cases only they may
/// hold (22 points)".
fn relief_clause(scenario: &Scenario, group: &Group, relief: &Relief) -> String {
    let k = relief.cases.len();
    let n = group.cases.len();
    let of = format!("{k} of the {n} case{}", if n == 1 { "" } else { "s" });
    let weight = points(relief.weight);
    let names: Vec<String> = group
        .workers
        .iter()
        .map(|w| scenario.staff[*w].id.clone())
        .collect();
    if group.whole_team {
        return format!("the team as a whole: it would take {of} ({weight} points)");
    }
    let (who, only) = match names.as_slice() {
        [one] => (one.clone(), format!("only {one} may hold")),
        _ if group.all_with_skills => (
            format!(
                "the workers with {} ({})",
                skill_list(&group.shared_needs),
                and_list(&names)
            ),
            "only they may hold".to_string(),
        ),
        _ => (and_list(&names), "only they may hold".to_string()),
    };
    format!("{who}: it would take {of} {only} ({weight} points)")
}

/// The plan as JSON, after the `provenance` of the inputs.
pub fn staffing_json(
    scenario: &Scenario,
    profiles: &[Profile],
    plan: &StaffingPlan,
    provenance: &Provenance,
) -> String {
    let mut by_profile: Vec<serde_json::Value> = Vec::new();
    for (i, p) in profiles.iter().enumerate() {
        let count = plan.hires.iter().filter(|h| h.profile.index() == i).count();
        by_profile.push(json!({
            "profile": p.name,
            "skills": p.skills,
            "fte": p.fte,
            "cost": p.cost,
            "hires": count,
        }));
    }
    let value = json!({
        "scenario": scenario.name,
        "target": plan.target,
        "status": plan.status,
        "cost": round9(plan.cost),
        "fte": round9(plan.fte),
        "profiles": by_profile,
        "hires": plan.hires.iter().map(|h| json!({
            "id": h.id,
            "profile": profiles[h.profile].name,
            "capacity": round9(h.capacity),
            "load": round9(h.load),
            "cases": h.cases.iter().map(|c| scenario.cases[*c].id.as_str()).collect::<Vec<_>>(),
            "relieves": h.relieves.iter().map(|r| json!({
                "shortfall": r.shortfall,
                "cases": r.cases.iter().map(|c| scenario.cases[*c].id.as_str()).collect::<Vec<_>>(),
                "weight": round9(r.weight),
            })).collect::<Vec<_>>(),
            "why": hire_reason(scenario, plan, h),
        })).collect::<Vec<_>>(),
        "shortfalls_today": shortfalls_json(scenario, &plan.shortfalls_today),
        "short_even_with_hires": shortfalls_json(&plan.team_with_hires, &plan.short_even_with_hires),
        "unplaceable": plan.unplaceable.iter().map(|c| scenario.cases[*c].id.as_str()).collect::<Vec<_>>(),
    });
    json_document(provenance, &value)
}

/// Short groups as JSON, each with its sentence and, when inside another, that group's position.
fn shortfalls_json(scenario: &Scenario, shortfalls: &[Shortfall]) -> Vec<serde_json::Value> {
    shortfalls
        .iter()
        .zip(shortfall_sentences(scenario, shortfalls))
        .map(|(s, why)| {
            json!({
                "workers": s.group.workers.iter().map(|w| scenario.staff[*w].id.as_str()).collect::<Vec<_>>(),
                "shared_needs": s.group.shared_needs,
                "weight": round9(s.group.weight),
                "room": round9(s.room),
                "overload": round9(s.overload),
                "within": s.within,
                "why": why,
            })
        })
        .collect()
}

/// The columns of the hires table: one row per hire.
pub const HIRES_COLUMNS: &[&str] = &[
    "hire",
    "profile",
    "skills",
    "fte",
    "cost",
    "capacity",
    "cases",
    "load",
    "utilization",
    "why",
];

/// The columns of the profiles table: one row per hiring profile.
pub const PROFILES_COLUMNS: &[&str] = &["profile", "skills", "fte", "cost", "hires"];

/// Skills in one cell: `spanish; youth`.
fn skills_cell(skills: &[String]) -> Cell {
    Cell::text(skills.join("; "))
}

/// The plan's hires as a table: who, of which profile, the cases and load they would take, and
/// why they help (empty when no group is short today).
pub fn hires_table(scenario: &Scenario, profiles: &[Profile], plan: &StaffingPlan) -> Table {
    let mut table = Table::new(HIRES_COLUMNS);
    for h in &plan.hires {
        let p = &profiles[h.profile];
        table.push(vec![
            Cell::text(&h.id),
            Cell::text(&p.name),
            skills_cell(&p.skills),
            Cell::number(p.fte),
            Cell::number(p.cost),
            Cell::number(h.capacity),
            Cell::count(h.cases.len() as u64),
            Cell::number(h.load),
            Cell::share(h.load / h.capacity),
            Cell::text_or_empty(hire_reason(scenario, plan, h).as_deref()),
        ]);
    }
    table
}

/// The hiring profiles as a table, with how many of each the plan hires.
fn profiles_table(profiles: &[Profile], plan: &StaffingPlan) -> Table {
    let mut table = Table::new(PROFILES_COLUMNS);
    for (i, p) in profiles.iter().enumerate() {
        let hires = plan.hires.iter().filter(|h| h.profile.index() == i).count();
        table.push(vec![
            Cell::text(&p.name),
            skills_cell(&p.skills),
            Cell::number(p.fte),
            Cell::number(p.cost),
            Cell::count(hires as u64),
        ]);
    }
    table
}

/// The plan's hires as CSV: one row per hire (only the header when none is needed or there is
/// no plan).
pub fn staffing_csv(scenario: &Scenario, profiles: &[Profile], plan: &StaffingPlan) -> String {
    table_csv(&hires_table(scenario, profiles, plan))
}

/// The plan as the bytes of an `.xlsx` workbook: Summary (status, target, cost, which groups
/// are short, where it comes from), Hires and Profiles.
pub fn staffing_xlsx(
    scenario: &Scenario,
    profiles: &[Profile],
    plan: &StaffingPlan,
    provenance: &Provenance,
) -> Result<Vec<u8>, WorkbookError> {
    let mut book = Book::new()?;
    book.push(staffing_summary(scenario, plan, provenance)?);
    for (name, table) in [
        ("Hires", hires_table(scenario, profiles, plan)),
        ("Profiles", profiles_table(profiles, plan)),
    ] {
        let mut sheet = Sheet::new(name)?;
        sheet.table(&table)?;
        book.push(sheet);
    }
    book.finish()
}

fn staffing_summary(
    scenario: &Scenario,
    plan: &StaffingPlan,
    provenance: &Provenance,
) -> Result<Sheet, WorkbookError> {
    let mut sheet = Sheet::new("Summary")?;
    let title = format!(
        "{} — staffing for a target of {}: {}",
        scenario.name,
        percent(plan.target),
        status_word(plan.status)
    );
    sheet.heading(0, 0, &title)?;
    let mut row = sheet.pairs(
        2,
        &[
            ("scenario", Cell::text(&scenario.name)),
            ("status", Cell::text(plan.status.name())),
            ("target utilization", Cell::share(plan.target)),
            ("hires", Cell::count(plan.hires.len() as u64)),
            ("fte", Cell::number(plan.fte)),
            ("cost", Cell::number(plan.cost)),
        ],
    )?;
    let short_today = shortfall_sentences(scenario, &plan.shortfalls_today);
    row = sheet.sentences(row + 1, "short today", &short_today)?;
    let short_even = shortfall_sentences(&plan.team_with_hires, &plan.short_even_with_hires);
    row = sheet.sentences(row, "short even with every candidate hire", &short_even)?;
    let unplaceable: Vec<String> = plan
        .unplaceable
        .iter()
        .map(|c| scenario.cases[*c].id.clone())
        .collect();
    row = sheet.sentences(row, "cases no worker or profile may hold", &unplaceable)?;
    sheet.provenance(row + 1, provenance)?;
    Ok(sheet)
}
