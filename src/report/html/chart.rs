//! The charts of the HTML reports, drawn as inline SVG by this small module rather than a chart
//! library: a page must open with no network, and every mark here is one we can test.
//!
//! Each chart draws the figures it is given and nothing else, on a fixed scale its caller
//! chooses (so that charts of one page compare), in the Okabe-Ito palette (told apart with
//! colour blindness), and carries its numbers as text: a `<title>` on every mark for a pointer or
//! a screen reader, and a table beside it (see [`figures_table`]). Sizes are a `viewBox`, so a
//! chart fills a laptop's column or a projector's screen alike. Coordinates are written with one
//! decimal, so the same figures give the same bytes.

use maud::{html, Markup};

use crate::report::{percent, points};

/// The Okabe-Ito colours the charts use, each with one meaning.
pub mod colour {
    /// Today (before the proposal).
    pub const BEFORE: &str = "#56B4E9";
    /// After the proposal.
    pub const AFTER: &str = "#0072B2";
    /// After the proposal, above the target utilization.
    pub const OVER: &str = "#D55E00";
    /// Demand: the weight of the cases.
    pub const DEMAND: &str = "#E69F00";
    /// Capacity: what the workers can carry at target.
    pub const CAPACITY: &str = "#009E73";
    /// The balance band.
    pub const BAND: &str = "#F0E442";
    /// Lines and text.
    pub const INK: &str = "#222222";
}

/// The width of every chart's `viewBox`.
const WIDTH: f64 = 800.0;

/// A coordinate as written into the SVG: one decimal, no `-0.0`.
fn at(x: f64) -> String {
    format!("{:.1}", x + 0.0)
}

/// The utilization at the right end of a chart's axis: at least 100%, enough for the highest
/// figure, in steps of 25 points, at most [`Scale::CAP`] (a bar beyond it is drawn to the end
/// and its figure says how far it goes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// The utilization at the right end.
    pub max: f64,
}

impl Scale {
    /// The highest end any chart goes to: 300%.
    pub const CAP: f64 = 3.0;

    /// The scale that shows every one of `values`.
    pub fn showing(values: impl IntoIterator<Item = f64>) -> Scale {
        let highest = values
            .into_iter()
            .filter(|v| v.is_finite())
            .fold(1.0, f64::max);
        let max = ((highest * 4.0 - 1e-9).ceil() / 4.0).clamp(1.0, Self::CAP);
        Scale { max }
    }

    /// The tick marks: every 25 points up to 200%, every 50 above.
    fn ticks(&self) -> Vec<f64> {
        let step = if self.max > 2.0 { 0.5 } else { 0.25 };
        let n = (self.max / step).round() as usize;
        (0..=n).map(|i| i as f64 * step).collect()
    }
}

/// A label cut to `max` characters with an ellipsis; the whole label is in the mark's title.
fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let cut: String = label.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// One row of a [`utilization_bars`] chart: a worker (or a scenario) before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct UtilizationBar {
    /// What the row is, for programs and tests (`data-row`): a worker's id.
    pub key: String,
    /// What the row is, for people.
    pub label: String,
    /// Utilization today, when there is a today to show.
    pub before: Option<f64>,
    /// Utilization after (or today's, in a chart of today).
    pub after: f64,
    /// True when `after` is above the target.
    pub over_target: bool,
    /// The row's figures in a sentence (its `<title>`).
    pub title: String,
    /// Where its label leads, when the page has more about the row (a worker's handout).
    pub link: Option<String>,
}

/// The optional marks of a [`utilization_bars`] chart.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Marks {
    /// The target utilization, drawn as a dashed line.
    pub target: Option<f64>,
    /// The balance band as (lowest, highest) utilization, shaded.
    pub band: Option<(f64, f64)>,
}

/// Left edge of the plot of the bar charts, after the labels.
const PLOT_LEFT: f64 = 190.0;
/// Right edge of the plot, before the figures.
const PLOT_RIGHT: f64 = 680.0;
/// Height of a row of a bar chart.
const ROW: f64 = 22.0;
/// Room above the rows (labels of the marks) and below (the axis).
const TOP: f64 = 24.0;
const BOTTOM: f64 = 26.0;

fn x_of(scale: &Scale, utilization: f64) -> f64 {
    let fraction = (utilization / scale.max).clamp(0.0, 1.0);
    PLOT_LEFT + fraction * (PLOT_RIGHT - PLOT_LEFT)
}

/// Horizontal bars, a row each: a thin bar for today, a thick one for after (vermillion above
/// the target), the target as a dashed line, the balance band shaded, 100% as a solid line, and
/// each row's figures at its right end. `title` and `description` name the chart for screen
/// readers.
pub fn utilization_bars(
    title: &str,
    description: &str,
    rows: &[UtilizationBar],
    scale: &Scale,
    marks: &Marks,
) -> Markup {
    let height = TOP + ROW * rows.len() as f64 + BOTTOM;
    let bottom = TOP + ROW * rows.len() as f64;
    html! {
        svg.chart.bars viewBox={ "0 0 " (at(WIDTH)) " " (at(height)) } role="img"
            aria-label=(title) data-scale-max=(scale.max)
            data-zero=(at(x_of(scale, 0.0))) data-full=(at(x_of(scale, 1.0))) {
            title { (title) }
            desc { (description) }
            @if let Some((low, high)) = marks.band {
                rect.band x=(at(x_of(scale, low))) y=(at(TOP)) width=(at(x_of(scale, high) - x_of(scale, low)))
                    height=(at(bottom - TOP)) fill=(colour::BAND) fill-opacity="0.45" {
                    title { "Balance band: " (percent(low)) " to " (percent(high)) }
                }
                text.mark x=(at(x_of(scale, low))) y="12" { "balance band" }
            }
            (axis(scale, bottom))
            @if let Some(target) = marks.target {
                line.target x1=(at(x_of(scale, target))) x2=(at(x_of(scale, target))) y1=(at(TOP - 6.0))
                    y2=(at(bottom)) stroke=(colour::INK) stroke-width="1.5" stroke-dasharray="5 3" {
                    title { "Target: " (percent(target)) }
                }
                text.mark x=(at(x_of(scale, target) + 3.0)) y="22" { "target " (percent(target)) }
            }
            @for (i, row) in rows.iter().enumerate() {
                (bar_row(row, scale, TOP + ROW * i as f64))
            }
        }
    }
}

/// The axis of a bar chart: a grid line and label per tick, 100% drawn solid.
fn axis(scale: &Scale, bottom: f64) -> Markup {
    html! {
        g.axis {
            @for tick in scale.ticks() {
                @let x = at(x_of(scale, tick));
                line x1=(x) x2=(x) y1=(at(TOP)) y2=(at(bottom + 4.0))
                    stroke=(if (tick - 1.0).abs() < 1e-9 { "#555555" } else { "#cccccc" })
                    stroke-width=(if (tick - 1.0).abs() < 1e-9 { "1.5" } else { "1" })
                    data-tick=(percent(tick)) {}
                text x=(x) y=(at(bottom + 18.0)) text-anchor="middle" { (percent(tick)) }
            }
        }
    }
}

fn bar_row(row: &UtilizationBar, scale: &Scale, y: f64) -> Markup {
    let zero = x_of(scale, 0.0);
    let fill = if row.over_target {
        colour::OVER
    } else {
        colour::AFTER
    };
    let figures = match row.before {
        Some(before) => format!("{} → {}", percent(before), percent(row.after)),
        None => percent(row.after),
    };
    html! {
        g.row data-row=(row.key) data-after=(row.after) {
            title { (row.title) }
            @let label = html! {
                text.label x=(at(PLOT_LEFT - 6.0)) y=(at(y + 15.0)) text-anchor="end" { (short(&row.label, 24)) }
            };
            @match &row.link {
                Some(link) => a href=(link) { (label) },
                None => (label),
            }
            @if let Some(before) = row.before {
                rect.before x=(at(zero)) y=(at(y + 3.0)) width=(at(x_of(scale, before) - zero)) height="5"
                    fill=(colour::BEFORE) {}
            }
            rect.after x=(at(zero)) y=(at(y + 9.0)) width=(at(x_of(scale, row.after) - zero)) height="10"
                fill=(fill) {}
            text.figure x=(at(PLOT_RIGHT + 6.0)) y=(at(y + 15.0)) { (figures) }
        }
    }
}

/// The legend of a bar chart, as HTML beside the SVG.
pub fn bars_legend(before: bool, marks: &Marks) -> Markup {
    html! {
        ul.legend {
            @if before { li { span.swatch style={ "background:" (colour::BEFORE) } {} "today" } }
            li { span.swatch style={ "background:" (colour::AFTER) } {} (if before { "after" } else { "utilization" }) }
            li { span.swatch style={ "background:" (colour::OVER) } {} "above the target" }
            @if marks.target.is_some() { li { span.swatch.dashed {} "target" } }
            @if marks.band.is_some() { li { span.swatch style={ "background:" (colour::BAND) } {} "balance band" } }
        }
    }
}

/// How many workers fall in each range of utilization: ranges of 10 points from 0 to 150%, and
/// one for 150% and above.
pub fn utilization_counts(utilizations: &[f64]) -> Vec<usize> {
    let mut counts = vec![0; BINS];
    for u in utilizations.iter().filter(|u| u.is_finite()) {
        let bin = ((u * 10.0 + 1e-9).floor().max(0.0) as usize).min(BINS - 1);
        counts[bin] += 1;
    }
    counts
}

/// The number of ranges of [`utilization_counts`].
const BINS: usize = 16;

/// The name of a range of [`utilization_counts`], e.g. "80–89%".
pub fn bin_label(bin: usize) -> String {
    if bin + 1 == BINS {
        format!("{}% and above", bin * 10)
    } else {
        format!("{}–{}%", bin * 10, bin * 10 + 9)
    }
}

/// The distribution of utilization as columns, one range of 10 points each: today's (when
/// given) beside after's, on one count axis.
pub fn histogram(title: &str, before: Option<&[usize]>, after: &[usize]) -> Markup {
    let (left, right, top, bottom) = (40.0, WIDTH - 10.0, 12.0, 210.0);
    let highest = after
        .iter()
        .chain(before.unwrap_or_default())
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = (right - left) / BINS as f64;
    let y_of = |count: usize| bottom - (bottom - top) * count as f64 / highest as f64;
    let steps = count_ticks(highest);
    html! {
        svg.chart.histogram viewBox={ "0 0 " (at(WIDTH)) " 250" } role="img" aria-label=(title) {
            title { (title) }
            g.axis {
                @for tick in &steps {
                    line x1=(at(left)) x2=(at(right)) y1=(at(y_of(*tick))) y2=(at(y_of(*tick))) stroke="#cccccc" {}
                    text x=(at(left - 6.0)) y=(at(y_of(*tick) + 4.0)) text-anchor="end" { (tick) }
                }
            }
            @for bin in 0..BINS {
                @let x = left + slot * bin as f64;
                g.bin data-bin=(bin) {
                    title { (bin_words(bin, before.map(|b| b[bin]), after[bin])) }
                    @if let Some(before) = before {
                        rect.before x=(at(x + 3.0)) y=(at(y_of(before[bin]))) width=(at(slot / 2.0 - 3.0))
                            height=(at(bottom - y_of(before[bin]))) fill=(colour::BEFORE) {}
                        rect.after x=(at(x + slot / 2.0)) y=(at(y_of(after[bin]))) width=(at(slot / 2.0 - 3.0))
                            height=(at(bottom - y_of(after[bin]))) fill=(colour::AFTER) {}
                    } @else {
                        rect.after x=(at(x + 3.0)) y=(at(y_of(after[bin]))) width=(at(slot - 6.0))
                            height=(at(bottom - y_of(after[bin]))) fill=(colour::AFTER) {}
                    }
                    @if bin % 2 == 0 {
                        text x=(at(x)) y=(at(bottom + 16.0)) text-anchor="middle" { (bin * 10) "%" }
                    }
                }
            }
            text x=(at(left)) y="246" { "utilization (ranges of 10 points); height: workers" }
        }
    }
}

/// "80–89%: 2 workers today, 5 after".
fn bin_words(bin: usize, before: Option<usize>, after: usize) -> String {
    let workers = |n: usize| format!("{n} worker{}", if n == 1 { "" } else { "s" });
    match before {
        Some(before) => format!(
            "{}: {} today, {after} after",
            bin_label(bin),
            workers(before)
        ),
        None => format!("{}: {}", bin_label(bin), workers(after)),
    }
}

/// Round numbers for a count axis up to `highest`: about five of them.
fn count_ticks(highest: usize) -> Vec<usize> {
    let step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]
        .into_iter()
        .find(|s| highest / s <= 5)
        .unwrap_or(highest.div_ceil(5));
    (0..=highest / step).map(|i| i * step).collect()
}

/// One row of a [`demand_bars`] chart: what a group's cases weigh against what its workers can
/// carry.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandBar {
    /// The group, for people (a skill, or "the whole team").
    pub label: String,
    /// The cases' weight, in points.
    pub demand: f64,
    /// The workers' capacity at the target, in points.
    pub capacity: f64,
    /// True for a group that binds (highlighted).
    pub binds: bool,
    /// The row's figures in a sentence (its `<title>`).
    pub title: String,
}

/// Two bars per group, demand above capacity at target, on one scale of points; a group that
/// binds has its label in bold and marked.
pub fn demand_bars(title: &str, rows: &[DemandBar]) -> Markup {
    let highest = rows
        .iter()
        .flat_map(|r| [r.demand, r.capacity])
        .filter(|v| v.is_finite())
        .fold(1.0, f64::max);
    let x = |points: f64| PLOT_LEFT + (points / highest).clamp(0.0, 1.0) * (PLOT_RIGHT - PLOT_LEFT);
    let height = TOP + ROW * rows.len() as f64 + 8.0;
    html! {
        svg.chart.demand viewBox={ "0 0 " (at(WIDTH)) " " (at(height)) } role="img" aria-label=(title) {
            title { (title) }
            @for (i, row) in rows.iter().enumerate() {
                @let y = TOP + ROW * i as f64;
                g.row.binds[row.binds] {
                    title { (row.title) }
                    text.label x=(at(PLOT_LEFT - 6.0)) y=(at(y + 14.0)) text-anchor="end"
                        font-weight=(if row.binds { "bold" } else { "normal" }) {
                        @if row.binds { "◆ " } (short(&row.label, 24))
                    }
                    rect.demand x=(at(PLOT_LEFT)) y=(at(y + 2.0)) width=(at(x(row.demand) - PLOT_LEFT)) height="8"
                        fill=(colour::DEMAND) {}
                    rect.capacity x=(at(PLOT_LEFT)) y=(at(y + 11.0)) width=(at(x(row.capacity) - PLOT_LEFT)) height="8"
                        fill=(colour::CAPACITY) {}
                    text.figure x=(at(PLOT_RIGHT + 6.0)) y=(at(y + 14.0)) {
                        (points(row.demand)) " / " (points(row.capacity))
                    }
                }
            }
            text x=(at(PLOT_LEFT)) y="14" { "points: cases' weight / capacity at target" }
        }
    }
}

/// One point of a [`curve`]: a budget and the max utilization it reaches, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePoint {
    /// The move budget.
    pub budget: u32,
    /// The max utilization under it (`None`: no proposal).
    pub utilization: Option<f64>,
    /// Its figures in a sentence (its `<title>`).
    pub title: String,
}

/// The trade-off as steps: max utilization (up) against the move budget (across), a dot per
/// budget solved, and `current` (the budget of the proposal, when there is one) marked.
pub fn curve(title: &str, points: &[CurvePoint], current: Option<u32>) -> Markup {
    let (left, right, top, bottom) = (60.0, WIDTH - 20.0, 16.0, 250.0);
    let known: Vec<f64> = points.iter().filter_map(|p| p.utilization).collect();
    let low = (known.iter().copied().fold(f64::INFINITY, f64::min) * 20.0).floor() / 20.0;
    let high = (known.iter().copied().fold(0.0, f64::max) * 20.0).ceil() / 20.0;
    let (low, high) = if known.is_empty() {
        (0.0, 1.0)
    } else if high - low < 0.05 {
        (low - 0.05, high + 0.05)
    } else {
        (low, high)
    };
    let last = points.iter().map(|p| p.budget).max().unwrap_or(0).max(1);
    let x = |budget: u32| left + (right - left) * f64::from(budget) / f64::from(last);
    let y = |u: f64| bottom - (bottom - top) * (u - low) / (high - low);
    let mut path = String::new();
    for p in points {
        if let Some(u) = p.utilization {
            if path.is_empty() {
                path = format!("M{} {}", at(x(p.budget)), at(y(u)));
            } else {
                path.push_str(&format!(" H{} V{}", at(x(p.budget)), at(y(u))));
            }
        }
    }
    let y_ticks: Vec<f64> = {
        let n = ((high - low) / 0.05).round() as usize;
        let every = n.div_ceil(6).max(1);
        (0..=n)
            .step_by(every)
            .map(|i| low + 0.05 * i as f64)
            .collect()
    };
    let x_every = (last as usize).div_ceil(10).max(1);
    html! {
        svg.chart.curve viewBox={ "0 0 " (at(WIDTH)) " 290" } role="img" aria-label=(title) {
            title { (title) }
            g.axis {
                @for u in &y_ticks {
                    line x1=(at(left)) x2=(at(right)) y1=(at(y(*u))) y2=(at(y(*u))) stroke="#cccccc" {}
                    text x=(at(left - 6.0)) y=(at(y(*u) + 4.0)) text-anchor="end" { (percent(*u)) }
                }
                @for budget in (0..=last).step_by(x_every) {
                    text x=(at(x(budget))) y=(at(bottom + 18.0)) text-anchor="middle" { (budget) }
                }
                text x=(at((left + right) / 2.0)) y="286" text-anchor="middle" {
                    "move budget (discretionary moves); height: max utilization"
                }
            }
            @if let Some(current) = current {
                line.current x1=(at(x(current))) x2=(at(x(current))) y1=(at(top)) y2=(at(bottom))
                    stroke=(colour::OVER) stroke-dasharray="4 3" {
                    title { "This proposal's budget: " (current) }
                }
            }
            path d=(path) fill="none" stroke=(colour::AFTER) stroke-width="2" {}
            @for p in points {
                @if let Some(u) = p.utilization {
                    circle.point cx=(at(x(p.budget))) cy=(at(y(u))) r="4" fill=(colour::AFTER)
                        data-budget=(p.budget) data-utilization=(u) {
                        title { (p.title) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, before: Option<f64>, after: f64) -> UtilizationBar {
        UtilizationBar {
            key: key.into(),
            label: key.into(),
            before,
            after,
            over_target: after > 0.85,
            title: format!("{key}: {}", percent(after)),
            link: None,
        }
    }

    #[test]
    fn the_scale_shows_every_figure_in_quarters() {
        assert_eq!(Scale::showing([0.5, 0.9]).max, 1.0);
        assert_eq!(Scale::showing([1.3]).max, 1.5);
        assert_eq!(Scale::showing([1.25]).max, 1.25);
        assert_eq!(Scale::showing([9.0]).max, Scale::CAP);
        assert_eq!(Scale::showing([f64::INFINITY]).max, 1.0);
        assert_eq!(Scale { max: 1.5 }.ticks().len(), 7);
    }

    #[test]
    fn a_bar_is_as_long_as_its_figure_on_the_scale() {
        let scale = Scale { max: 1.5 };
        let svg = utilization_bars(
            "t",
            "d",
            &[row("maria", Some(1.3), 0.75)],
            &scale,
            &Marks::default(),
        )
        .into_string();
        // From 190 to 680 is 490 units for 150%: 75% is 245, 130% is 424.7.
        assert!(
            svg.contains(r#"class="after" x="190.0" y="33.0" width="245.0""#),
            "{svg}"
        );
        assert!(svg.contains(r#"width="424.7""#), "{svg}");
        assert!(svg.contains("130% → 75%"), "{svg}");
        assert!(
            svg.contains(r#"data-zero="190.0" data-full="516.7""#),
            "{svg}"
        );
    }

    #[test]
    fn marks_and_colours_follow_the_figures() {
        let marks = Marks {
            target: Some(0.85),
            band: Some((0.81, 0.86)),
        };
        let svg = utilization_bars(
            "t",
            "d",
            &[row("a", None, 0.9), row("b", None, 0.5)],
            &Scale { max: 1.0 },
            &marks,
        )
        .into_string();
        assert!(svg.contains("target 85%"));
        assert!(svg.contains("Balance band: 81% to 86%"));
        assert_eq!(svg.matches(colour::OVER).count(), 1, "{svg}");
        assert!(!svg.contains("class=\"before\""));
    }

    #[test]
    fn untrusted_labels_are_text() {
        let svg = utilization_bars(
            "t",
            "d",
            &[row("<script>x</script>", None, 0.5)],
            &Scale { max: 1.0 },
            &Marks::default(),
        )
        .into_string();
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;x&lt;/script&gt;"));
    }

    #[test]
    fn workers_fall_in_ranges_of_ten_points() {
        let counts = utilization_counts(&[0.0, 0.09, 0.1, 0.85, 0.899, 1.49, 1.5, 4.0]);
        assert_eq!(counts[0], 2);
        assert_eq!(counts[1], 1);
        assert_eq!(counts[8], 2);
        assert_eq!(counts[14], 1);
        assert_eq!(counts[15], 2);
        assert_eq!(counts.iter().sum::<usize>(), 8);
        assert_eq!(bin_label(8), "80–89%");
        assert_eq!(bin_label(15), "150% and above");
        assert_eq!(bin_words(8, Some(1), 3), "80–89%: 1 worker today, 3 after");
    }

    #[test]
    fn the_curve_steps_from_budget_to_budget() {
        let point = |budget, u: Option<f64>| CurvePoint {
            budget,
            utilization: u,
            title: String::new(),
        };
        let svg = curve(
            "t",
            &[point(0, Some(1.0)), point(1, None), point(2, Some(0.9))],
            Some(2),
        )
        .into_string();
        // x: 60 to 780 over budgets 0..2; y: 90% at the bottom (250), 100% at the top (16).
        assert!(svg.contains(r#"d="M60.0 16.0 H780.0 V250.0""#), "{svg}");
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("class=\"current\""));
    }

    #[test]
    fn count_axes_have_round_ticks() {
        assert_eq!(count_ticks(1), vec![0, 1]);
        assert_eq!(count_ticks(7), vec![0, 2, 4, 6]);
        assert_eq!(count_ticks(400), vec![0, 100, 200, 300, 400]);
    }
}
