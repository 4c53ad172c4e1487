#!/usr/bin/env bash
# Run the WASI conformance programs under the wasmtime oracle, following
# tests/wasi/runs.txt (see README.md for its format), and record or check the
# expected outputs.
#
#   tests/wasi/run_oracle.sh                 # rewrite expected/ for every run
#   tests/wasi/run_oracle.sh NAME...         # only these runs
#   tests/wasi/run_oracle.sh --check [NAME...]
#                                            # run again and diff against expected/
#   tests/wasi/run_oracle.sh --out DIR [NAME...]
#                                            # write the outputs to DIR instead
#
# Each run gets a fresh empty temporary directory as its working directory;
# the setup lines are performed there, `dir` host paths are relative to it,
# and the oracle is started there with stdin from /dev/null (unless the run
# names a stdin file).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
oracle="$here/../oracle/wasmtime_run.py"
out="$here/expected"
check=0
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1; out="$(mktemp -d)"; shift ;;
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

# Perform one setup line inside the current directory.
do_setup() {
  local op="$1" rest="$2" a b
  case "$op" in
    mkdir) mkdir -p -- "$rest" ;;
    write) a="${rest%% *}"; b="${rest#* }"; [ "$a" = "$rest" ] && b=""
           printf '%s' "$b" > "$a" ;;
    symlink) a="${rest%% *}"; b="${rest#* }"; ln -s -- "$a" "$b" ;;
    symlink-abs) a="${rest%% *}"; b="${rest#* }"; ln -s -- "$PWD/$a" "$b" ;;
    *) echo "runs.txt: unknown setup op '$op'" >&2; exit 2 ;;
  esac
}

run_one() {
  local tmp
  tmp="$(mktemp -d)"
  (
    cd "$tmp"
    for s in "${setup[@]+"${setup[@]}"}"; do do_setup "${s%% *}" "${s#* }"; done
    cmd=(python3 "$oracle")
    for d in "${dirs[@]+"${dirs[@]}"}"; do cmd+=(--dir "$d"); done
    for e in "${envs[@]+"${envs[@]}"}"; do cmd+=(--env "$e"); done
    [ -n "$argv0" ] && cmd+=(--argv0 "$argv0")
    [ -n "$stdin" ] && cmd+=(--stdin "$here/$stdin")
    cmd+=("$here/programs/$program")
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
    run) name="$val"; program=""; argv0=""; stdin=""
         setup=(); dirs=(); envs=(); args=() ;;
    program) program="$val" ;;
    setup) setup+=("$val") ;;
    dir) dirs+=("${val%% *}::${val#* }") ;;
    env) envs+=("$val") ;;
    arg) args+=("$val") ;;
    argv0) argv0="$val" ;;
    stdin) stdin="$val" ;;
    end) if selected "$name"; then run_one; ran+=("$name"); fi; name="" ;;
    *) echo "runs.txt: unknown key '$key'" >&2; exit 2 ;;
  esac
done < "$here/runs.txt"

if [ $check -eq 1 ]; then
  rc=0
  for n in "${ran[@]+"${ran[@]}"}"; do
    for ext in stdout stderr status; do
      if [ -e "$out/$n.$ext" ] || [ -e "$here/expected/$n.$ext" ]; then
        diff -u "$here/expected/$n.$ext" "$out/$n.$ext" 2>&1 || rc=1
      fi
    done
  done
  rm -rf "$out"
  if [ $rc -eq 0 ]; then echo "check: identical (${#ran[@]} runs)"; else echo "check: DIFFERENT"; exit 1; fi
fi
