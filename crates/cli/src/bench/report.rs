//! Statistics and the text tables of `wx bench`.

use super::{EngineKind, Outcome, Results};
use std::fmt::Write as _;

/// The median of `values` (the mean of the middle two for an even count);
/// NaN for none.
pub fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The geometric mean of the positive, finite `values`; `None` if there are none.
pub fn geomean(values: &[f64]) -> Option<f64> {
    let logs: Vec<f64> = values
        .iter()
        .filter(|v| v.is_finite() && **v > 0.0)
        .map(|v| v.ln())
        .collect();
    (!logs.is_empty()).then(|| (logs.iter().sum::<f64>() / logs.len() as f64).exp())
}

/// `v` with three significant digits (more for values of 1000 and up).
fn sig3(v: f64) -> String {
    let mut magnitude = if v > 0.0 { v.log10().floor() as i32 } else { 0 };
    // 0.9996 rounds to 1.00, not 1.000.
    let unit = 10f64.powi(magnitude - 2);
    if (v / unit).round() * unit >= 10f64.powi(magnitude + 1) {
        magnitude += 1;
    }
    let decimals = (2 - magnitude).clamp(0, 6) as usize;
    format!("{v:.decimals$}")
}

/// A duration in seconds with a readable unit: `12.3 us`, `4.56 ms`,
/// `1.234 s`, `31.46 s`.
pub fn format_seconds(s: f64) -> String {
    if !s.is_finite() || s < 0.0 {
        return "-".into();
    }
    let us = s * 1e6;
    let ms = s * 1e3;
    if us < 999.5 {
        format!("{} us", sig3(us))
    } else if ms < 999.5 {
        format!("{} ms", sig3(ms))
    } else if s < 9.9995 {
        format!("{s:.3} s")
    } else if s < 99.995 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

/// A time ratio: `2.37x`, `0.0834x`, `123x`.
pub fn format_ratio(r: f64) -> String {
    if !r.is_finite() || r <= 0.0 {
        return "-".into();
    }
    format!("{}x", sig3(r))
}

/// A plain-text table: the first column left-aligned, the others right-aligned.
#[derive(Debug, Default)]
pub struct Table {
    /// Labels spanning consecutive columns from the left (`(label, columns)`),
    /// printed above the header; empty for none.
    pub groups: Vec<(String, usize)>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Summary rows, below a rule.
    pub footer: Vec<Vec<String>>,
}

const GAP: &str = "  ";

impl Table {
    pub fn render(&self) -> String {
        let ncols = self.header.len();
        let mut width: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in self.rows.iter().chain(&self.footer) {
            for (w, cell) in width.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        // A group label wider than its columns widens the last of them.
        let mut col = 0;
        for (label, span) in &self.groups {
            let span = (*span).min(ncols - col.min(ncols));
            if span == 0 {
                break;
            }
            let have: usize = width[col..col + span].iter().sum::<usize>() + GAP.len() * (span - 1);
            let need = label.chars().count() + 4;
            if need > have {
                width[col + span - 1] += need - have;
            }
            col += span;
        }
        let total: usize = width.iter().sum::<usize>() + GAP.len() * ncols.saturating_sub(1);
        let mut out = String::new();
        if !self.groups.is_empty() {
            let mut line = String::new();
            let mut col = 0;
            for (label, span) in &self.groups {
                let span = (*span).min(ncols - col.min(ncols));
                if span == 0 {
                    break;
                }
                let w: usize =
                    width[col..col + span].iter().sum::<usize>() + GAP.len() * (span - 1);
                if col > 0 {
                    line.push_str(GAP);
                }
                if label.is_empty() {
                    line.push_str(&" ".repeat(w));
                } else {
                    let text = format!(" {label} ");
                    let fill = w.saturating_sub(text.chars().count());
                    line.push_str(&"-".repeat(fill / 2));
                    line.push_str(&text);
                    line.push_str(&"-".repeat(fill - fill / 2));
                }
                col += span;
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        let row_text = |cells: &[String]| {
            let mut line = String::new();
            for (i, w) in width.iter().enumerate() {
                let cell = cells.get(i).map(String::as_str).unwrap_or("");
                if i > 0 {
                    line.push_str(GAP);
                }
                if i == 0 {
                    let _ = write!(line, "{cell:<w$}");
                } else {
                    let _ = write!(line, "{cell:>w$}");
                }
            }
            let mut line = line.trim_end().to_string();
            line.push('\n');
            line
        };
        out.push_str(&row_text(&self.header));
        out.push_str(&"-".repeat(total));
        out.push('\n');
        for row in &self.rows {
            out.push_str(&row_text(row));
        }
        if !self.footer.is_empty() {
            out.push_str(&"-".repeat(total));
            out.push('\n');
            for row in &self.footer {
                out.push_str(&row_text(row));
            }
        }
        out
    }
}

/// The end of an engine's progress line, after the times of its runs.
pub fn progress_end(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Ok(m) => format!("  -> median {}", format_seconds(m.median_time())),
        Outcome::Unavailable(_) => "unavailable".into(),
        Outcome::Failed(why) => format!("  FAILED: {why}"),
    }
}

/// The table cell of an outcome's median time.
fn time_cell(o: &Outcome) -> String {
    match o {
        Outcome::Ok(m) => format_seconds(m.median_time()),
        Outcome::Unavailable(_) => "unavailable".into(),
        Outcome::Failed(_) => "FAILED".into(),
    }
}

/// `a / b` of two outcomes' median times, when both ran.
fn ratio(a: &Outcome, b: &Outcome) -> Option<f64> {
    Some(a.median_time()? / b.median_time()?)
}

/// The ratio column `a / b` over all programs, with its geometric mean.
fn ratio_column(results: &Results, a: usize, b: usize) -> (Vec<String>, String) {
    let ratios: Vec<Option<f64>> = results
        .outcomes
        .iter()
        .map(|row| ratio(&row[a], &row[b]))
        .collect();
    let cells = ratios
        .iter()
        .map(|r| r.map_or("-".into(), format_ratio))
        .collect();
    let all: Vec<f64> = ratios.iter().flatten().copied().collect();
    (cells, geomean(&all).map_or("-".into(), format_ratio))
}

/// Sum of a column's median times, if every program ran.
fn total(results: &Results, e: usize) -> String {
    let times: Option<Vec<f64>> = results
        .outcomes
        .iter()
        .map(|row| row[e].median_time())
        .collect();
    match times {
        Some(t) if !t.is_empty() => format_seconds(t.iter().sum()),
        _ => "-".into(),
    }
}

/// Every table and note of a session, as printed on stdout.
pub fn render(results: &Results) -> String {
    let mut out = String::new();
    let wx: Vec<usize> = (0..results.engines.len())
        .filter(|&e| results.engines[e].is_wx())
        .collect();
    let ext: Vec<usize> = (0..results.engines.len())
        .filter(|&e| !results.engines[e].is_wx())
        .collect();
    let base = results.base();
    let name = |e: usize| &results.engines[e].name;

    let _ = writeln!(
        out,
        "\nwx tiers: median of {} run{} (time = compile + instantiate + run, in process)\n",
        results.runs,
        if results.runs == 1 { "" } else { "s" }
    );
    out.push_str(&tier_table(results, &wx, results.tier_base()).render());

    if !ext.is_empty() {
        let _ = writeln!(
            out,
            "\nother engines: median of {} run{}\n",
            results.runs,
            if results.runs == 1 { "" } else { "s" }
        );
        out.push_str(&engine_table(results, &ext, base).render());
    }

    let _ = writeln!(out, "\nnotes:");
    let _ = writeln!(
        out,
        "  A/B = median time of A divided by that of B (above 1: A is slower); geomean over programs both ran."
    );
    let _ = writeln!(
        out,
        "  compile = decoding and validation (Module::new; the interpreter translates each function on its first call, inside run);"
    );
    let _ = writeln!(
        out,
        "  up = functions the JIT compiled (tiered up); `?` = the runtime does not report it yet."
    );
    for &e in &wx {
        if let Some(why) = &results.engines[e].unavailable {
            let _ = writeln!(out, "  wx {}: unavailable: {why}", name(e));
        }
    }
    for &e in &ext {
        let how = match &results.engines[e].kind {
            EngineKind::External(x) if x.reports_time => {
                "time = compile + instantiate + run inside the process"
            }
            _ => "time = wall time of the whole process",
        };
        let _ = writeln!(out, "  {}: {} ({how})", name(e), results.engines[e].version);
    }
    for (engine, why) in &results.missing {
        let _ = writeln!(out, "  not run: {engine}: {why}");
    }
    for (p, row) in results.programs.iter().zip(&results.outcomes) {
        for (e, o) in results.engines.iter().zip(row) {
            if let Outcome::Failed(why) = o {
                let _ = writeln!(out, "  FAILED: {} on {}: {why}", p.name, e.label());
            }
        }
    }
    out
}

/// Table of the wx tiers: time, compile time and tier-ups per tier, then
/// each other tier's time relative to the base tier.
fn tier_table(results: &Results, wx: &[usize], base: Option<usize>) -> Table {
    let mut t = Table::default();
    t.groups.push((String::new(), 1));
    t.header.push("program".into());
    for &e in wx {
        t.groups.push((results.engines[e].label(), 3));
        t.header
            .extend(["time".into(), "compile".into(), "up".into()]);
    }
    let others: Vec<usize> = wx.iter().copied().filter(|&e| Some(e) != base).collect();
    let mut ratios = Vec::new();
    for &e in &others {
        // A column with interruption checks is compared with its tier alone.
        let base = match results.engines[e].kind {
            EngineKind::Wx(tier, Some(_)) => results
                .engines
                .iter()
                .position(|o| matches!(o.kind, EngineKind::Wx(t, None) if t == tier))
                .or(base),
            _ => base,
        };
        let base_name = base.map_or("-", |b| results.engines[b].name.as_str());
        t.header
            .push(format!("{}/{}", results.engines[e].name, base_name));
        ratios.push(match base {
            Some(b) => ratio_column(results, e, b),
            None => (vec!["-".into(); results.programs.len()], "-".into()),
        });
    }
    for (i, (p, row)) in results.programs.iter().zip(&results.outcomes).enumerate() {
        let mut cells = vec![p.name.clone()];
        for &e in wx {
            cells.push(time_cell(&row[e]));
            match &row[e] {
                Outcome::Ok(m) => {
                    cells.push(m.median_compile().map_or("-".into(), format_seconds));
                    cells.push(m.tiered_up.map_or("?".into(), |n| n.to_string()));
                }
                _ => cells.extend(["-".into(), "-".into()]),
            }
        }
        for (col, _) in &ratios {
            cells.push(col[i].clone());
        }
        t.rows.push(cells);
    }
    if results.programs.len() > 1 {
        let mut sums = vec!["total / geomean".into()];
        for &e in wx {
            sums.extend([total(results, e), String::new(), String::new()]);
        }
        for (_, g) in &ratios {
            sums.push(g.clone());
        }
        t.footer.push(sums);
    }
    t
}

/// Table of the other engines beside the base wx tier, and the base tier's
/// time relative to each.
fn engine_table(results: &Results, ext: &[usize], base: Option<usize>) -> Table {
    let mut t = Table::default();
    t.header.push("program".into());
    let mut cols: Vec<usize> = base.into_iter().collect();
    cols.extend_from_slice(ext);
    for &e in &cols {
        t.header.push(results.engines[e].label());
    }
    let mut ratios = Vec::new();
    if let Some(b) = base {
        for &e in ext {
            t.header.push(format!("wx/{}", results.engines[e].name));
            ratios.push(ratio_column(results, b, e));
        }
    }
    for (i, (p, row)) in results.programs.iter().zip(&results.outcomes).enumerate() {
        let mut cells = vec![p.name.clone()];
        for &e in &cols {
            cells.push(time_cell(&row[e]));
        }
        for (col, _) in &ratios {
            cells.push(col[i].clone());
        }
        t.rows.push(cells);
    }
    if results.programs.len() > 1 {
        let mut sums = vec!["total / geomean".into()];
        for &e in &cols {
            sums.push(total(results, e));
        }
        for (_, g) in &ratios {
            sums.push(g.clone());
        }
        t.footer.push(sums);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::{EngineInfo, EngineKind, Measured, Program, Sample};
    use wx_runtime::Strategy;

    #[test]
    fn medians_and_geomeans() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[7.0]), 7.0);
        assert!(median(&[]).is_nan());
        let g = geomean(&[1.0, 4.0, 16.0]).unwrap();
        assert!((g - 4.0).abs() < 1e-12, "{g}");
        assert_eq!(geomean(&[]), None);
        assert_eq!(geomean(&[0.0, f64::NAN]), None);
    }

    #[test]
    fn seconds_get_readable_units() {
        assert_eq!(format_seconds(0.000_012_34), "12.3 us");
        assert_eq!(format_seconds(0.000_000_5), "0.500 us");
        assert_eq!(format_seconds(0.000_999_8), "1.00 ms");
        assert_eq!(format_seconds(0.004_567), "4.57 ms");
        assert_eq!(format_seconds(0.5), "500 ms");
        assert_eq!(format_seconds(1.234_56), "1.235 s");
        assert_eq!(format_seconds(31.456), "31.46 s");
        assert_eq!(format_seconds(123.456), "123.5 s");
        assert_eq!(format_seconds(0.0), "0.00 us");
        assert_eq!(format_seconds(f64::NAN), "-");
    }

    #[test]
    fn ratios_have_three_significant_digits() {
        assert_eq!(format_ratio(2.3719), "2.37x");
        assert_eq!(format_ratio(12.34), "12.3x");
        assert_eq!(format_ratio(123.4), "123x");
        assert_eq!(format_ratio(1234.4), "1234x");
        assert_eq!(format_ratio(0.834), "0.834x");
        assert_eq!(format_ratio(0.0834), "0.0834x");
        assert_eq!(format_ratio(1.0), "1.00x");
        assert_eq!(format_ratio(0.0), "-");
        assert_eq!(format_ratio(f64::INFINITY), "-");
    }

    #[test]
    fn tables_align_columns() {
        let t = Table {
            groups: vec![(String::new(), 1), ("wx interp".into(), 2)],
            header: vec!["program".into(), "time".into(), "up".into()],
            rows: vec![
                vec!["a.wasm".into(), "1.000 s".into(), "0".into()],
                vec!["longer.wasm".into(), "12.3 ms".into(), "-".into()],
            ],
            footer: vec![vec!["total".into(), "1.012 s".into()]],
        };
        let text = t.render();
        let expected = [
            "             - wx interp -",
            "program         time    up",
            "--------------------------",
            "a.wasm       1.000 s     0",
            "longer.wasm  12.3 ms     -",
            "--------------------------",
            "total        1.012 s",
            "",
        ]
        .join("\n");
        assert_eq!(text, expected, "\n{text}");
    }

    fn program(name: &str) -> Program {
        Program {
            name: name.into(),
            path: name.into(),
            bytes: Vec::new(),
            expected: Ok(("x.expected".into(), Vec::new())),
            reference: Default::default(),
            run: Default::default(),
        }
    }

    fn ok(times: &[f64]) -> Outcome {
        Outcome::Ok(Measured {
            samples: times
                .iter()
                .map(|&t| Sample {
                    time: t,
                    compile: Some(t / 100.0),
                    ..Sample::default()
                })
                .collect(),
            tiered_up: Some(0),
            funcs_run: Some(1),
        })
    }

    fn engine(name: &str, kind: EngineKind, unavailable: Option<&str>) -> EngineInfo {
        EngineInfo {
            name: name.into(),
            kind,
            version: format!("{name} 1.0"),
            unavailable: unavailable.map(Into::into),
        }
    }

    #[test]
    fn the_report_shows_tiers_engines_ratios_and_failures() {
        let ext = || EngineKind::External(crate::bench::external::External::for_tests());
        let results = Results {
            base_tier: None,
            runs: 3,
            programs: vec![program("a.wasm"), program("b.wasm")],
            engines: vec![
                engine("interp", EngineKind::Wx(Strategy::Interp, None), None),
                engine("jit", EngineKind::Wx(Strategy::Jit, None), Some("no JIT")),
                engine("wasmi", ext(), None),
            ],
            outcomes: vec![
                vec![
                    ok(&[2.0, 1.0, 9.0]),
                    Outcome::Unavailable("no JIT".into()),
                    ok(&[0.5, 0.5, 0.5]),
                ],
                vec![
                    ok(&[8.0]),
                    Outcome::Unavailable("no JIT".into()),
                    Outcome::Failed("exit status 1: call stack exhausted".into()),
                ],
            ],
            missing: vec![("node".into(), "no `node` on PATH".into())],
        };
        let text = render(&results);
        let line = |start: &str| {
            text.lines()
                .find(|l| l.starts_with(start))
                .unwrap_or_else(|| panic!("no line starting with {start:?} in\n{text}"))
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        // wx tiers: a.wasm's median is 2 s, compile 20 ms, 0 tier-ups.
        assert!(text.contains("wx interp"), "{text}");
        assert!(text.contains("jit/interp"), "{text}");
        assert_eq!(line("a.wasm"), "a.wasm 2.000 s 20.0 ms 0 unavailable - - -");
        assert_eq!(line("b.wasm"), "b.wasm 8.000 s 80.0 ms 0 unavailable - - -");
        // other engines: wx/wasmi = 2 / 0.5 = 4x; b.wasm failed on wasmi.
        assert!(text.contains("wx/wasmi"), "{text}");
        let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("a.wasm")).collect();
        assert_eq!(rows.len(), 2, "{text}");
        assert_eq!(
            rows[1].split_whitespace().collect::<Vec<_>>(),
            ["a.wasm", "2.000", "s", "500", "ms", "4.00x"]
        );
        let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("b.wasm")).collect();
        assert_eq!(
            rows[1].split_whitespace().collect::<Vec<_>>(),
            ["b.wasm", "8.000", "s", "FAILED", "-"]
        );
        assert!(text.contains("total / geomean"), "{text}");
        assert!(text.contains("wx jit: unavailable: no JIT"), "{text}");
        assert!(
            text.contains("FAILED: b.wasm on wasmi: exit status 1: call stack exhausted"),
            "{text}"
        );
        assert!(text.contains("not run: node: no `node` on PATH"), "{text}");
        assert!(
            text.contains("wasmi: wasmi 1.0 (time = wall time of the whole process)"),
            "{text}"
        );
    }
}
