//! The `caseload check` report: the team today, as text or JSON.

use std::fmt::Write as _;

use serde::Serialize;

use crate::explain::today::TeamSummary;
use crate::input::diagnostic::Diagnostic;
use crate::input::provenance::Provenance;
use crate::report::document::json_document;
use crate::report::{bar, percent, points, points_of, MAX_COLUMN};

/// The summary as a supervisor reads it at a terminal.
pub fn check_text(summary: &TeamSummary) -> String {
    let mut out = String::new();
    let s = summary;
    let _ = writeln!(out, "{} — model \"{}\"", s.scenario, s.model);
    let _ = writeln!(
        out,
        "Staff: {} ({} on leave), {:.2} FTE available, capacity {}",
        s.staff,
        s.on_leave,
        s.available_fte,
        points_of(s.available_capacity)
    );
    let _ = writeln!(
        out,
        "Cases: {} ({} intake, {} pinned, {} families), total weight {}",
        s.cases,
        s.intake,
        s.pinned,
        s.families,
        points_of(s.total_weight)
    );
    let _ = writeln!(
        out,
        "Team utilization: {} of available capacity (target {})",
        percent(s.team_utilization),
        percent(s.target_utilization)
    );
    let over = s.workers.iter().filter(|w| w.over_target).count();
    let _ = writeln!(
        out,
        "\nWorkers today ({over} over target), most loaded first:"
    );
    let id_width = s
        .workers
        .iter()
        .map(|w| w.id.chars().count())
        .max()
        .unwrap_or(2)
        .clamp(6, MAX_COLUMN);
    let _ = writeln!(
        out,
        "  {:<id_width$}  {:>5}  {:>6}  {:>8}  {:>5}  {:>5}",
        "worker", "fte", "cases", "load", "cap", "util"
    );
    for w in &s.workers {
        let mark = match (w.available, w.over_target) {
            (false, _) => "  on leave",
            (true, true) => "  over target",
            _ => "",
        };
        let _ = writeln!(
            out,
            "  {:<id_width$}  {:>5.2}  {:>6}  {:>8}  {:>5}  {:>5}  {}{mark}",
            w.id,
            w.fte,
            w.cases,
            points(w.load),
            points(w.capacity),
            percent(w.utilization),
            bar(w.utilization, 20)
        );
    }
    if !s.skills.is_empty() {
        let _ = writeln!(
            out,
            "\nDemand by skill (cases that need it vs. available workers who have it):"
        );
        let skill_width = s
            .skills
            .iter()
            .map(|k| k.skill.chars().count())
            .max()
            .unwrap_or(5)
            .clamp(5, MAX_COLUMN);
        for k in &s.skills {
            let _ = writeln!(
                out,
                "  {:<skill_width$}  {:>4} cases, {:>7} points  |  {:>3} workers, {:>7} points at target{}",
                k.skill,
                k.cases,
                points(k.weight),
                k.workers,
                points(k.capacity_at_target),
                if k.weight > k.capacity_at_target + 1e-9 { "  SHORT" } else { "" }
            );
        }
    }
    out
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
