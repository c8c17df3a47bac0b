//! The staffing plan of `staffing` as a page: the hires, how full each would be against the
//! target, the groups short of room today, and why each hire helps.

use maud::{html, Markup};

use crate::domain::{over_target, Scenario};
use crate::explain::binding::Shortfall;
use crate::input::profiles::Profile;
use crate::plan::staffing::StaffingPlan;
use crate::report::binding::shortfall_sentences;
use crate::report::staffing::{hire_reason, status_word};
use crate::report::{and_list, percent, points, skill_list};
use crate::solve::Status;

use super::chart::{self, bars_legend, DemandBar, Marks, Scale, UtilizationBar};
use super::page::{chart_figure, figures, page, sentences, status_badge};
use super::team::{demand_legend, demand_table};

/// The staffing plan as a whole page.
pub fn staffing_html(scenario: &Scenario, profiles: &[Profile], plan: &StaffingPlan) -> String {
    let target = percent(plan.target);
    let title = format!("{} — staffing for a target of {target}", scenario.name);
    let body = html! {
        header {
            h1 { (title) }
            p { "Status: " (status_badge(plan.status, status_word(plan.status))) }
            @if matches!(plan.status, Status::Optimal | Status::Feasible) && !plan.hires.is_empty() {
                (figures(&[
                    ("Hires", plan.hires.len().to_string()),
                    ("FTE", points(plan.fte)),
                    ("Cost", points(plan.cost)),
                ]))
            }
        }
        (shortfalls_part(scenario, &plan.shortfalls_today, &format!("Groups short of room at {target} today")))
        @match plan.status {
            Status::Infeasible => {
                p { "No number of hires from these profiles lets every worker be at or below " (target) " with every case placed." }
                (sentences(&shortfall_sentences(&plan.team_with_hires, &plan.short_even_with_hires)
                    .into_iter().map(|s| format!("Even with every candidate hire: {s}")).collect::<Vec<_>>()))
                @if !plan.unplaceable.is_empty() {
                    p { "Cases no worker or profile may hold: "
                        (plan.unplaceable.iter().map(|c| scenario.cases[*c].id.clone()).collect::<Vec<_>>().join(", "))
                        ". Add a profile with those skills." }
                }
            },
            Status::Unknown => p { "Time ran out before any plan was found." },
            _ => (hires_part(scenario, profiles, plan)),
        }
    };
    page(&title, "staffing", body)
}

/// The short groups as demand (their cases' weight) against room at target, with why.
fn shortfalls_part(scenario: &Scenario, shortfalls: &[Shortfall], caption: &str) -> Markup {
    let words = shortfall_sentences(scenario, shortfalls);
    let rows: Vec<DemandBar> = shortfalls
        .iter()
        .zip(&words)
        .map(|(s, why)| {
            let names: Vec<String> = s
                .group
                .workers
                .iter()
                .map(|w| scenario.staff[*w].id.clone())
                .collect();
            let label = if s.group.whole_team {
                "whole team".to_string()
            } else if s.group.all_with_skills {
                skill_list(&s.group.shared_needs)
            } else {
                and_list(&names)
            };
            DemandBar {
                label,
                demand: s.group.weight,
                capacity: s.room,
                binds: true,
                title: why.clone(),
            }
        })
        .collect();
    html! {
        @if !rows.is_empty() {
            section #short {
                h2 { (caption) }
                (sentences(&words))
                (chart_figure(caption, chart::demand_bars(caption, &rows), demand_legend(), demand_table(&rows)))
            }
        }
    }
}

/// The hires: a bar each for how full they would be, a table, and why.
fn hires_part(scenario: &Scenario, profiles: &[Profile], plan: &StaffingPlan) -> Markup {
    let target = percent(plan.target);
    if plan.hires.is_empty() {
        return html! {
            p { "No hires are needed: every worker can be at or below " (target) " with every case placed." }
        };
    }
    let rows: Vec<UtilizationBar> = plan
        .hires
        .iter()
        .map(|h| UtilizationBar {
            key: h.id.clone(),
            label: format!("{} ({})", h.id, profiles[h.profile].name),
            before: None,
            after: h.load / h.capacity,
            over_target: over_target(h.load, h.capacity, plan.target),
            title: format!(
                "{}: would take {} cases, {} points ({} of {} points of capacity)",
                h.id,
                h.cases.len(),
                points(h.load),
                percent(h.load / h.capacity),
                points(h.capacity)
            ),
            link: None,
        })
        .collect();
    let marks = Marks {
        target: Some(plan.target),
        band: None,
    };
    let scale = Scale::showing(rows.iter().map(|r| r.after));
    let caption = "What each hire would take, against the target";
    let reasons: Vec<String> = plan
        .hires
        .iter()
        .filter_map(|h| hire_reason(scenario, plan, h))
        .collect();
    let table = html! {
        table {
            thead { tr {
                th scope="col" { "Hire" } th scope="col" { "Profile" } th scope="col" { "Skills" }
                th.num scope="col" { "FTE" } th.num scope="col" { "Cases" } th.num scope="col" { "Points" }
                th.num scope="col" { "Utilization" }
            } }
            tbody {
                @for h in &plan.hires {
                    @let p = &profiles[h.profile];
                    tr {
                        th scope="row" { (h.id) }
                        td { (p.name) }
                        td { (p.skills.join(", ")) }
                        td.num { (points(p.fte)) }
                        td.num { (h.cases.len()) }
                        td.num { (points(h.load)) }
                        td.num { (percent(h.load / h.capacity)) }
                    }
                }
            }
        }
    };
    html! {
        section #hires {
            h2 { "Hire " (plan.hires.len()) " (" (points(plan.fte)) " FTE, cost " (points(plan.cost)) ")" }
            (chart_figure(caption, chart::utilization_bars(caption, "A bar per hire: the load the plan gives them over their capacity.", &rows, &scale, &marks), bars_legend(false, &marks), html! {}))
            div.scroll { (table) }
            @if !reasons.is_empty() {
                h3 { "Why" }
                (sentences(&reasons))
            }
            p { "With these hires every worker can be at or below " (target) " with every case placed"
                @if plan.status == Status::Optimal { "; no cheaper set of hires from these profiles can" } "." }
        }
    }
}
