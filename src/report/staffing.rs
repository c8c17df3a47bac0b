//! The staffing plan for a planner: which hires, why, and what they would take.

use std::fmt::Write as _;

use serde_json::json;

use crate::domain::Scenario;
use crate::explain::figures::round9;
use crate::input::profiles::Profile;
use crate::plan::staffing::StaffingPlan;
use crate::report::binding::shortfall_sentence;
use crate::report::{percent, points, skill_list};
use crate::solve::Status;

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Optimal => "optimal",
        Status::Feasible => {
            "feasible (these hires work; time ran out before cheaper ones were ruled out)"
        }
        Status::Infeasible => "not reachable",
        Status::Unknown => "unknown (time ran out before any plan was found)",
    }
}

/// The plan as text.
pub fn staffing_text(scenario: &Scenario, profiles: &[Profile], plan: &StaffingPlan) -> String {
    let mut out = String::new();
    let target = percent(plan.target);
    let _ = writeln!(
        out,
        "{} — staffing for a target of {target}: {}",
        scenario.name,
        status_word(plan.status)
    );
    match plan.status {
        Status::Infeasible => {
            let _ = writeln!(
                out,
                "No number of hires from these profiles lets every worker be at or below {target} with every case placed."
            );
            for s in &plan.short_even_with_hires {
                let _ = writeln!(
                    out,
                    "  Even with every candidate hire: {}",
                    shortfall_sentence(&plan.team_with_hires, s)
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
                let _ = writeln!(
                    out,
                    "  Cases no worker or profile may hold: {}. Add a profile with those skills.",
                    ids.join(", ")
                );
            }
            return out;
        }
        Status::Unknown => {
            if plan.capped {
                let _ = writeln!(
                    out,
                    "With up to {} candidate hires of each profile no plan reaches {target}; more were not tried. Try a higher --target or larger profiles.",
                    crate::plan::staffing::MAX_SLOTS_PER_PROFILE
                );
            }
            return out;
        }
        _ => {}
    }
    if plan.hires.is_empty() {
        let _ = writeln!(
            out,
            "No hires are needed: every worker can be at or below {target} with every case placed."
        );
        return out;
    }
    let _ = writeln!(
        out,
        "Hire {} ({} FTE, cost {}):",
        plan.hires.len(),
        points(plan.fte),
        points(plan.cost)
    );
    for h in &plan.hires {
        let p = &profiles[h.profile];
        let needing: usize = h
            .cases
            .iter()
            .filter(|c| !scenario.cases[**c].needs.is_empty())
            .count();
        let _ = writeln!(
            out,
            "  {} — {}{} at {} FTE: would take {} case{}, {} points ({}){}",
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
            percent(h.load / h.capacity),
            if needing > 0 {
                format!(", {needing} of them needing a skill")
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(out, "\nWhy:");
    if plan.shortfalls_today.is_empty() {
        let _ = writeln!(
            out,
            "  No group of workers is short of room at {target} taken as a whole; cases come whole, and with max_cases, pins and families the team cannot fit them under {target} without these hires."
        );
    }
    for s in &plan.shortfalls_today {
        let _ = writeln!(out, "  {}", shortfall_sentence(scenario, s));
    }
    let _ = writeln!(
        out,
        "\nWith these hires every worker can be at or below {target} with every case placed{}.",
        if plan.status == Status::Optimal {
            "; no cheaper set of hires from these profiles can"
        } else {
            ""
        }
    );
    out
}

/// The plan as JSON.
pub fn staffing_json(scenario: &Scenario, profiles: &[Profile], plan: &StaffingPlan) -> String {
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
        })).collect::<Vec<_>>(),
        "shortfalls_today": plan.shortfalls_today.iter().map(|s| json!({
            "workers": s.group.workers.iter().map(|w| scenario.staff[*w].id.as_str()).collect::<Vec<_>>(),
            "shared_needs": s.group.shared_needs,
            "weight": round9(s.group.weight),
            "room": round9(s.room),
            "overload": round9(s.overload),
            "why": shortfall_sentence(scenario, s),
        })).collect::<Vec<_>>(),
        "short_even_with_hires": plan.short_even_with_hires.iter().map(|s| json!({
            "workers": s.group.workers.iter().map(|w| plan.team_with_hires.staff[*w].id.as_str()).collect::<Vec<_>>(),
            "shared_needs": s.group.shared_needs,
            "weight": round9(s.group.weight),
            "room": round9(s.room),
            "overload": round9(s.overload),
            "why": shortfall_sentence(&plan.team_with_hires, s),
        })).collect::<Vec<_>>(),
        "unplaceable": plan.unplaceable.iter().map(|c| scenario.cases[*c].id.as_str()).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).expect("plan serializes");
    text.push('\n');
    text
}
