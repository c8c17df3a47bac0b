//! The `caseload check` report: the team today, as text or JSON.

use std::fmt::Write as _;

use serde::Serialize;

use crate::explain::today::TeamSummary;
use crate::input::diagnostic::Diagnostic;
use crate::input::provenance::Provenance;
use crate::report::document::json_document;
use crate::report::style::{columns, load_style, palette, TextStyle};
use crate::report::{bar, percent, points, points_of, MAX_COLUMN};

/// The summary as a supervisor reads it at a terminal, in colour and wrapped as `style` says.
pub fn check_text(summary: &TeamSummary, style: &TextStyle) -> String {
    let mut out = String::new();
    let s = summary;
    let lines = [
        format!("{} — model \"{}\"", s.scenario, s.model),
        format!(
            "Staff: {} ({} on leave), {:.2} FTE available, capacity {}",
            s.staff,
            s.on_leave,
            s.available_fte,
            points_of(s.available_capacity)
        ),
        format!(
            "Cases: {} ({} intake, {} pinned, {} families), total weight {}",
            s.cases,
            s.intake,
            s.pinned,
            s.families,
            points_of(s.total_weight)
        ),
        format!(
            "Team utilization: {} of available capacity (target {})",
            percent(s.team_utilization),
            percent(s.target_utilization)
        ),
    ];
    for line in &lines {
        style.push_line(&mut out, "", 2, line);
    }
    write_workers(&mut out, s, style);
    write_skills(&mut out, s, style);
    out
}

/// The workers today, most loaded first; a table wider than the style's width leaves out the
/// bars (a row never wraps).
fn write_workers(out: &mut String, s: &TeamSummary, style: &TextStyle) {
    let over = s.workers.iter().filter(|w| w.over_target).count();
    let heading = format!("Workers today ({over} over target), most loaded first:");
    let _ = writeln!(out);
    style.push_line(out, "", 2, &style.heading(heading));
    let mut rows = worker_rows(s, true, style);
    if style
        .width
        .is_some_and(|width| rows.iter().any(|row| columns(row) > width))
    {
        rows = worker_rows(s, false, style);
    }
    for row in rows {
        let _ = writeln!(out, "{row}");
    }
}

/// The header and a row per worker, with or without bars; over target and over capacity in
/// colour.
fn worker_rows(s: &TeamSummary, bars: bool, style: &TextStyle) -> Vec<String> {
    let id_width = s
        .workers
        .iter()
        .map(|w| w.id.chars().count())
        .max()
        .unwrap_or(2)
        .clamp(6, MAX_COLUMN);
    let mut rows = vec![format!(
        "  {:<id_width$}  {:>5}  {:>6}  {:>8}  {:>5}  {:>5}",
        "worker", "fte", "cases", "load", "cap", "util"
    )];
    for w in &s.workers {
        let level = load_style(w.load, w.capacity, s.target_utilization);
        let mark = match (w.available, w.over_target) {
            (false, _) => "  on leave".to_string(),
            (true, true) => format!("  {}", style.paint(level, "over target")),
            _ => String::new(),
        };
        let bar = if bars {
            format!("  {}", bar(w.utilization, 20))
        } else {
            String::new()
        };
        rows.push(format!(
            "  {:<id_width$}  {:>5.2}  {:>6}  {:>8}  {:>5}  {}{bar}{mark}",
            w.id,
            w.fte,
            w.cases,
            points(w.load),
            points(w.capacity),
            style.paint(level, format!("{:>5}", percent(w.utilization))),
        ));
    }
    rows
}

/// Demand against capacity per skill; a row wider than the style's width goes on, under its
/// figures, at the workers who have the skill.
fn write_skills(out: &mut String, s: &TeamSummary, style: &TextStyle) {
    if s.skills.is_empty() {
        return;
    }
    let heading = "Demand by skill (cases that need it vs. available workers who have it):";
    let _ = writeln!(out);
    style.push_line(out, "", 2, &style.heading(heading));
    let skill_width = s
        .skills
        .iter()
        .map(|k| k.skill.chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, MAX_COLUMN);
    for k in &s.skills {
        let demand = format!(
            "  {:<skill_width$}  {:>4} cases, {:>7} points",
            k.skill,
            k.cases,
            points(k.weight)
        );
        let short = if k.is_short() {
            format!("  {}", style.paint(palette::BAD, "SHORT"))
        } else {
            String::new()
        };
        let supply = format!(
            "{:>3} workers, {:>7} points at target{short}",
            k.workers,
            points(k.capacity_at_target),
        );
        let row = format!("{demand}  |  {supply}");
        match style.width {
            Some(width) if columns(&row) > width => {
                let _ = writeln!(
                    out,
                    "{demand}\n{:hang$}{supply}",
                    "",
                    hang = skill_width + 4
                );
            }
            _ => {
                let _ = writeln!(out, "{row}");
            }
        }
    }
}

#[derive(Serialize)]
struct CheckJson<'a> {
    #[serde(flatten)]
    summary: &'a TeamSummary,
    warnings: Vec<WarningJson<'a>>,
}

/// A warning as every problem is in JSON (file, line, column, message, help, ...), and its
/// location as text shows it.
#[derive(Serialize)]
struct WarningJson<'a> {
    location: String,
    #[serde(flatten)]
    warning: &'a Diagnostic,
}

/// The summary and warnings as JSON, for programs, after the `provenance` of the inputs.
pub fn check_json(
    summary: &TeamSummary,
    warnings: &[Diagnostic],
    provenance: &Provenance,
) -> String {
    let json = CheckJson {
        summary,
        warnings: warnings
            .iter()
            .map(|d| WarningJson {
                location: d.location.to_string(),
                warning: d,
            })
            .collect(),
    };
    json_document(provenance, &json)
}
