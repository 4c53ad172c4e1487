//! Golden `wx explore` output: the JIT's IR, allocation and machine code
//! of the functions in `tests/golden/explore/funcs.wat`, for x86-64 and
//! AArch64, on any host. A change to code generation shows up here as a
//! reviewable diff. `WX_BLESS=1 cargo test --test explore_golden`
//! rewrites the expected files.
//!
//! Host addresses the code embeds (the runtime's functions, which move
//! with ASLR) are replaced by `<address>`.

use std::path::Path;
use wx_runtime::{Engine, Module, Target};

/// `text` with the instructions that load a host address normalised.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    let mut skip_continuation = false;
    let lines: Vec<&str> = text.lines().collect();
    for (i, &line) in lines.iter().enumerate() {
        let (offset, rest) = line.split_once(": ").unwrap_or(("", line));
        // x86-64: `mov r11, imm64`; AArch64: `movz x16` (shown as `mov`)
        // and three `movk x16`.
        let next_is_movk = lines.get(i + 1).is_some_and(|l| l.contains("movk x16, #"));
        let is_address = rest.contains("mov r11, 0x")
            && rest.split("0x").last().is_some_and(|h| h.len() > 8)
            || rest.contains("movk x16, #")
            || (rest.contains("mov x16, #") && next_is_movk);
        if skip_continuation
            && !offset.trim().is_empty()
            && rest.split_whitespace().all(|w| w.len() == 2)
        {
            skip_continuation = false;
            continue;
        }
        skip_continuation = false;
        if is_address {
            out.push_str(offset);
            out.push_str(": <address>\n");
            skip_continuation = rest.contains("mov r11");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn explore(module: &Module, target: Target) -> String {
    let mut out = String::new();
    for f in module.explore_for(None, target).expect("explore") {
        out.push_str(&format!(
            "function {} `{}` {}\n",
            f.index, f.name, f.signature
        ));
        match f.jit {
            Ok(jit) => {
                out.push_str("-- JIT IR --\n");
                out.push_str(&jit.ir);
                out.push_str(&format!("-- register allocation ({}) --\n", jit.isa));
                out.push_str(&jit.allocation);
                match jit.disassembly {
                    Ok(text) => {
                        out.push_str(&format!("-- machine code ({}) --\n", jit.isa));
                        out.push_str(&normalise(&text));
                    }
                    Err(e) => out.push_str(&format!("-- machine code: not emitted: {e} --\n")),
                }
            }
            Err(e) => out.push_str(&format!("-- JIT: {e} --\n")),
        }
    }
    out
}

#[test]
fn explore_output_matches_the_golden_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/explore");
    let engine = Engine::default();
    let module = Module::from_file(&engine, dir.join("funcs.wat")).expect("golden module");
    let bless = std::env::var_os("WX_BLESS").is_some();
    let mut stale = Vec::new();
    for (target, name) in [
        (Target::X86_64, "x86_64.txt"),
        (Target::Aarch64, "aarch64.txt"),
    ] {
        let got = explore(&module, target);
        let path = dir.join(name);
        if bless {
            std::fs::write(&path, &got).expect("write golden file");
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| got.lines().count().min(want.lines().count()));
            stale.push(format!(
                "{name}: first difference at line {}:\n  got:  {:?}\n  want: {:?}",
                line + 1,
                got.lines().nth(line).unwrap_or(""),
                want.lines().nth(line).unwrap_or("")
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "explore output changed (rerun with WX_BLESS=1 if intended):\n{}",
        stale.join("\n")
    );
}
