#!/usr/bin/env bash
# Run the exception-handling fixtures under the wasmtime oracle (with
# --exceptions), following tests/eh/runs.txt (format in its header and in
# README.md), and record or check the expected outputs.
#
#   tests/eh/run_oracle.sh                  # rewrite expected/ for every run
#   tests/eh/run_oracle.sh NAME...          # only these runs
#   tests/eh/run_oracle.sh --check [NAME...]
#                                           # run again and diff against expected/
#   tests/eh/run_oracle.sh --out DIR [NAME...]
#                                           # write the outputs to DIR instead
#   tests/eh/run_oracle.sh --node [NAME...]
#                                           # run each run's own `program` under
#                                           # Node (V8, node:wasi; node_run.mjs)
#                                           # and diff stdout and status against
#                                           # expected/: checks the *_legacy.wasm
#                                           # modules, which wasmtime 51 cannot
#                                           # run (Node 20 runs only those)
#
# Each run is started in a fresh empty temporary directory with stdin from
# /dev/null. A run with `oracle-program FILE` is recorded by running FILE
# (the same source built with the standard EH encoding) in its place.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
oracle="$here/../oracle/wasmtime_run.py"
out="$here/expected"
check=0
node=0
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1; out="$(mktemp -d)"; shift ;;
    --node) node=1; check=1; out="$(mktemp -d)"; shift ;;
    --out) out="$2"; shift 2 ;;
    *) break ;;
  esac
done
mkdir -p "$out"
want=("$@")

selected() {
  [ ${#want[@]} -eq 0 ] && return 0
  local w
  for w in "${want[@]}"; do [ "$w" = "$1" ] && return 0; done
  return 1
}

run_one() {
  local tmp prog
  tmp="$(mktemp -d)"
  if [ $node -eq 1 ]; then
    prog="$program"
  else
    prog="${oracle_program:-$program}"
  fi
  (
    cd "$tmp"
    if [ $node -eq 1 ]; then
      # node_run.mjs: argv[0] = the file name, empty environment
      cmd=(node --no-warnings "$here/node_run.mjs" "$here/programs/$prog")
    else
      cmd=(python3 "$oracle" --exceptions)
      for e in "${envs[@]+"${envs[@]}"}"; do cmd+=(--env "$e"); done
      # argv[0] stays the file name of `program` when the oracle runs
      # `oracle-program` instead
      cmd+=(--argv0 "${argv0:-$program}")
      cmd+=("$here/programs/$prog")
    fi
    set +e
    "${cmd[@]}" "${args[@]+"${args[@]}"}" < /dev/null > "$out/$name.stdout" 2> "$out/$name.stderr"
    echo $? > "$out/$name.status"
    set -e
  )
  rm -rf "$tmp"
  [ -s "$out/$name.stderr" ] || rm -f "$out/$name.stderr"
  echo "$name: status $(cat "$out/$name.status")"
}

name=""
ran=()
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in ''|'#'*) continue ;; esac
  key="${line%% *}"
  if [ "$key" = "$line" ]; then val=""; else val="${line#* }"; fi
  case "$key" in
    run) name="$val"; program=""; oracle_program=""; argv0=""; envs=(); args=() ;;
    program) program="$val" ;;
    oracle-program) oracle_program="$val" ;;
    env) envs+=("$val") ;;
    arg) args+=("$val") ;;
    argv0) argv0="$val" ;;
    end)
      if selected "$name"; then
        if [ $node -eq 1 ] && { [ -n "$argv0" ] || [ ${#envs[@]} -gt 0 ]; }; then
          echo "$name: skipped (node_run.mjs has no argv0/env)"
        elif [ $node -eq 1 ] && [ -z "$oracle_program" ]; then
          : # Node 20's V8 has no exnref: only the legacy modules
        else
          run_one; ran+=("$name")
        fi
      fi
      name="" ;;
    *) echo "runs.txt: unknown key '$key'" >&2; exit 2 ;;
  esac
done < "$here/runs.txt"

if [ $check -eq 1 ]; then
  rc=0
  for n in "${ran[@]+"${ran[@]}"}"; do
    exts=(stdout status)
    # stderr: compared unless the status is 134 (wasmtime's or Node's own
    # message); under --node only stdout and status
    if [ $node -eq 0 ] && [ "$(cat "$out/$n.status")" != 134 ]; then exts+=(stderr); fi
    for ext in "${exts[@]}"; do
      if [ -e "$out/$n.$ext" ] || [ -e "$here/expected/$n.$ext" ]; then
        diff -u "$here/expected/$n.$ext" "$out/$n.$ext" 2>&1 || rc=1
      fi
    done
  done
  rm -rf "$out"
  if [ $rc -eq 0 ]; then echo "check: identical (${#ran[@]} runs)"; else echo "check: DIFFERENT"; exit 1; fi
fi
