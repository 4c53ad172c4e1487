//! `--json`: the results in machine-readable form. Times are in seconds.

use super::{EngineKind, Outcome, Results, Sample};
use serde_json::{json, Value};

pub fn render(results: &Results) -> String {
    let engines: Vec<Value> = results
        .engines
        .iter()
        .map(|e| {
            json!({
                "name": e.label(),
                "kind": if e.is_wx() { "wx" } else { "external" },
                "tier": match &e.kind {
                    EngineKind::Wx(t, _) => Value::from(t.to_string()),
                    EngineKind::External(_) => Value::Null,
                },
                "checks": match &e.kind {
                    EngineKind::Wx(_, Some(c)) => Value::from(c.to_string()),
                    _ => Value::Null,
                },
                "version": e.version,
                // Where `time` comes from.
                "time_measure": match &e.kind {
                    EngineKind::External(x) if !x.reports_time => "process wall time",
                    _ => "compile + instantiate + run, in process",
                },
                "available": e.unavailable.is_none(),
                "unavailable_reason": e.unavailable,
            })
        })
        .collect();
    let base = results.base();
    let programs: Vec<Value> = results
        .programs
        .iter()
        .zip(&results.outcomes)
        .map(|(p, row)| {
            let mut per_engine = serde_json::Map::new();
            for (i, (e, o)) in results.engines.iter().zip(row).enumerate() {
                let mut v = outcome(o);
                if let (Some(b), Some(t), Value::Object(map)) = (base, o.median_time(), &mut v) {
                    if let Some(bt) = row[b].median_time() {
                        if i != b {
                            map.insert("time_over_base".into(), json!(t / bt));
                        }
                    }
                }
                per_engine.insert(e.label(), v);
            }
            json!({
                "program": p.name,
                "path": p.path.display().to_string(),
                "bytes": p.bytes.len(),
                "expected": p.expected.as_ref().ok().map(|(f, _)| f.display().to_string()),
                "results": per_engine,
            })
        })
        .collect();
    let missing: Vec<Value> = results
        .missing
        .iter()
        .map(|(name, why)| json!({ "name": name, "reason": why }))
        .collect();
    let doc = json!({
        "tool": format!("wx bench {}", env!("CARGO_PKG_VERSION")),
        "runs": results.runs,
        "base": base.map(|b| results.engines[b].label()),
        "host": {
            "os": std::env::consts::OS,
            "arch": std::env::consts::ARCH,
            "cpus": std::thread::available_parallelism().map_or(0, |n| n.get()),
        },
        "engines": engines,
        "not_found": missing,
        "programs": programs,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn sample(s: &Sample) -> Value {
    json!({
        "time": s.time,
        "compile": s.compile,
        "instantiate": s.instantiate,
        "run": s.run,
        "wall": s.wall,
    })
}

fn outcome(o: &Outcome) -> Value {
    match o {
        Outcome::Ok(m) => json!({
            "status": "ok",
            "median": m.median_time(),
            "median_compile": m.median_compile(),
            "median_instantiate": m.median_instantiate(),
            "median_run": m.median_run(),
            "median_wall": m.median_wall(),
            "tiered_up": m.tiered_up,
            "functions_run": m.funcs_run,
            "samples": m.samples.iter().map(sample).collect::<Vec<_>>(),
        }),
        Outcome::Unavailable(why) => json!({ "status": "unavailable", "reason": why }),
        Outcome::Failed(why) => json!({ "status": "failed", "reason": why }),
    }
}
