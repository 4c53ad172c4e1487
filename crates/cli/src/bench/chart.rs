//! `--svg`: a horizontal bar chart of the median times, one group of bars
//! per program and one colour per engine, on a logarithmic time axis (the
//! programs' times span three orders of magnitude).

use super::report::format_seconds;
use super::{Outcome, Results};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

const WIDTH: u32 = 1100;
const BAR: u32 = 16;
const GROUP_GAP: u32 = 12;
const LABEL_AREA: u32 = 210;

/// Bar colours, one per engine in column order.
const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(44, 160, 44),
    RGBColor(23, 190, 207),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(127, 127, 127),
    RGBColor(214, 39, 40),
];

pub fn write_svg(results: &Results, path: &Path) -> Result<(), String> {
    draw(results, path).map_err(|e| e.to_string())
}

fn draw(results: &Results, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    // Engines with at least one measurement get a colour and a legend entry.
    let series: Vec<usize> = (0..results.engines.len())
        .filter(|&e| {
            results
                .outcomes
                .iter()
                .any(|row| matches!(row[e], Outcome::Ok(_)))
        })
        .collect();
    let times: Vec<f64> = results
        .outcomes
        .iter()
        .flat_map(|row| series.iter().filter_map(|&e| row[e].median_time()))
        .filter(|t| *t > 0.0)
        .collect();
    let lo = times.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = times.iter().copied().fold(0.0, f64::max);
    let (lo, hi) = if times.is_empty() {
        (1e-3, 1.0)
    } else {
        // Room on the right for the value labels.
        (lo / 2.0, hi * 4.0)
    };

    let n = results.programs.len().max(1);
    let per_group = series.len().max(1) as u32 * BAR + GROUP_GAP;
    let height = 120 + n as u32 * per_group + 60;
    let root = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE)?;

    let unavailable: Vec<String> = results
        .engines
        .iter()
        .filter(|e| e.unavailable.is_some())
        .map(|e| e.label())
        .collect();
    let mut subtitle = format!(
        "median of {} run{} per program and engine; log scale, shorter is faster",
        results.runs,
        if results.runs == 1 { "" } else { "s" }
    );
    if !unavailable.is_empty() {
        subtitle.push_str(&format!("; unavailable: {}", unavailable.join(", ")));
    }
    root.draw(&Text::new(
        "wx bench: time per program",
        (20, 12),
        ("sans-serif", 26).into_font().style(FontStyle::Bold),
    ))?;
    root.draw(&Text::new(
        subtitle,
        (20, 44),
        ("sans-serif", 16).into_font(),
    ))?;
    // The legend: one colour per engine, in a row under the title.
    let mut x = 20;
    for (j, &e) in series.iter().enumerate() {
        let color = PALETTE[j % PALETTE.len()];
        root.draw(&Rectangle::new([(x, 72), (x + 14, 86)], color.filled()))?;
        let label = results.engines[e].label();
        root.draw(&Text::new(
            label.clone(),
            (x + 20, 72),
            ("sans-serif", 16).into_font(),
        ))?;
        x += 20 + 9 * label.len() as i32 + 30;
    }

    let mut chart = ChartBuilder::on(&root)
        .margin_top(100)
        .margin_right(30)
        .margin_bottom(10)
        .x_label_area_size(40)
        .y_label_area_size(LABEL_AREA)
        .build_cartesian_2d((lo..hi).log_scale(), 0.0..n as f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(12)
        .x_label_formatter(&|v| axis_label(*v))
        .x_desc("median time (log scale)")
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 15))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;

    // Row i (program i) spans y in [n-i-1, n-i], top to bottom.
    let slot = |i: usize, j: usize| {
        let top = (n - i) as f64 - (GROUP_GAP as f64 / 2.0) / per_group as f64;
        let bar = BAR as f64 / per_group as f64;
        (top - bar * (j as f64 + 1.0), top - bar * j as f64)
    };
    let label_font = ("sans-serif", 14).into_font();
    for (j, &e) in series.iter().enumerate() {
        let color = PALETTE[j % PALETTE.len()];
        let bars = results.outcomes.iter().enumerate().filter_map(|(i, row)| {
            let t = row[e].median_time()?;
            let (y0, y1) = slot(i, j);
            Some(Rectangle::new(
                [(lo, y0 + 0.01), (t.max(lo), y1 - 0.01)],
                color.filled(),
            ))
        });
        chart.draw_series(bars)?;
        let value_style = label_font
            .clone()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for (i, row) in results.outcomes.iter().enumerate() {
            let (y0, y1) = slot(i, j);
            let y = (y0 + y1) / 2.0;
            let (x, text, style) = match &row[e] {
                Outcome::Ok(m) => {
                    let t = m.median_time();
                    (t.max(lo) * 1.04, format_seconds(t), value_style.clone())
                }
                Outcome::Failed(_) => (
                    lo * 1.04,
                    format!("{}: failed (see the notes)", results.engines[e].label()),
                    value_style.clone().color(&PALETTE[7]),
                ),
                Outcome::Unavailable(_) => continue,
            };
            let (px, py) = chart.backend_coord(&(x, y));
            root.draw(&Text::new(text, (px, py), style))?;
        }
    }

    // Program names left of their group of bars.
    let name_style = ("sans-serif", 16)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Right, VPos::Center));
    for (i, p) in results.programs.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(lo, (n - i) as f64 - 0.5));
        root.draw(&Text::new(p.name.clone(), (px - 8, py), name_style.clone()))?;
    }

    root.present()?;
    Ok(())
}

/// A time-axis label: `1 ms`, `2.5 ms`, `10 s` (no trailing zeros).
fn axis_label(v: f64) -> String {
    let text = format_seconds(v);
    match text.split_once(' ') {
        Some((num, unit)) if num.contains('.') => {
            let num = num.trim_end_matches('0').trim_end_matches('.');
            format!("{num} {unit}")
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::axis_label;

    #[test]
    fn axis_labels_drop_trailing_zeros() {
        assert_eq!(axis_label(0.001), "1 ms");
        assert_eq!(axis_label(1.0), "1 s");
        assert_eq!(axis_label(0.0025), "2.5 ms");
        assert_eq!(axis_label(100.0), "100 s");
        assert_eq!(axis_label(0.000_01), "10 us");
    }
}
