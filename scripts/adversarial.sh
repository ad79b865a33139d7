#!/usr/bin/env bash
# Audits the hostile inputs of issue 18 at their full sizes and prints, per case, the
# input's size, the wall time and the peak resident memory (GNU time's %M), for
# BENCHMARKS.md. tests/adversarial.rs runs the same inputs at small sizes and asserts
# that they grow linearly; this script shows the sizes a hostile pull request would use.
#
#   scripts/adversarial.sh [PLUMB]        default: target/release/plumb (cargo build --release)
#
# DIVIDE=10 divides every count by 10 (a quick look with a debug binary); CASES="globs
# npm-deps" runs only those cases.
#
# Each case is a plain directory holding one file; the pack goes to a folder beside it.
set -euo pipefail

plumb=${1:-target/release/plumb}
[[ -x $plumb ]] || { echo "no plumb binary at $plumb (cargo build --release)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# make_case NAME KIND COUNT: writes the case's file under $work/NAME/fixture.
make_case() {
    python3 - "$work/$1/fixture" "$2" "$3" <<'EOF'
import os, sys
root, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
def key_id(i):
    # Distinct, and varied enough not to look like a placeholder (six equal characters).
    state, digits = i * 2654435761 + 1, ""
    for _ in range(16):
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        digits += ALPHABET[state >> 59]
    return "AKIA" + digits
if kind == "expressions":
    path = ".github/workflows/issue.yml"
    body = "on: issues\npermissions: {}\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - run: " \
        + "echo ${{ github.event.issue.title }}; " * n + "\n"
elif kind == "uses-one-line":
    path = ".github/workflows/uses.yml"
    body = "on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps: [" \
        + ", ".join("{uses: owner/action@v%d}" % i for i in range(n)) + "]\n"
elif kind == "aws-ids":
    path = "keys.js"
    body = "var k=[" + ",".join('"%s"' % key_id(i) for i in range(n)) + "];\n"
elif kind == "npm-deps":
    path = "package.json"
    body = '{\n  "name": "many",\n  "dependencies": {\n' \
        + ",\n".join('    "dep-%d": "^1.0.%d"' % (i, i) for i in range(n)) + "\n  }\n}\n"
elif kind == "npm-deps-one-line":
    path = "package.json"
    body = '{"name":"many","dependencies":{' + ",".join('"dep-%d":"^1.0.%d"' % (i, i) for i in range(n)) + "}}\n"
elif kind == "cargo-deps":
    path = "Cargo.toml"
    body = '[package]\nname = "many"\nversion = "0.1.0"\n\n[dependencies]\n' \
        + "".join('dep-%d = "1.0.%d"\n' % (i, i) for i in range(n))
elif kind == "cargo-lock":
    path = "Cargo.lock"
    body = "version = 3\n\n" + "".join('[[package]]\nname = "dep-%d"\nversion = "1.0.%d"\n\n' % (i, i) for i in range(n))
elif kind == "globs":
    path = "plumb.toml"
    body = '[[surface]]\nname = "many"\npaths = [\n' + "".join('  "dir%d/**",\n' % i for i in range(n)) + "]\n"
elif kind == "cmake-one-line":
    path = "CMakeLists.txt"
    body = "".join("FetchContent_Declare(dep%d GIT_REPOSITORY https://example.invalid/d GIT_TAG main) " % i for i in range(n)) + "\n"
elif kind == "pnpm-lock":
    path = "pnpm-lock.yaml"
    body = "lockfileVersion: '9.0'\n\npackages:\n" + "".join("  p%d@1.0.%d:\n    resolution: {integrity: sha512-x}\n\n" % (i, i) for i in range(n))
elif kind == "unreadable-requirements":
    path = "requirements.txt"
    body = "".join("!bad%d\n" % i for i in range(n))
elif kind == "includes":
    path = "a.c"
    body = "".join('#include "dir/h%d.h"\n' % i for i in range(n))
elif kind == "imports":
    path = "a.py"
    body = "".join("import pkg.mod%d\n" % i for i in range(n))
elif kind == "js-tokens":
    path = "a.js"
    body = "x" + ",x" * n + "\n"
elif kind == "go-tokens":
    path = "a.go"
    body = "package a\nvar x = []int{" + "1," * n + "}\n"
elif kind == "npm-lock":
    path = "package-lock.json"
    body = '{"name":"many","lockfileVersion":3,"packages":{"":{"name":"many"},' \
        + ",".join('"node_modules/p%d":{"version":"1.0.%d"}' % (i, i) for i in range(n)) + "}}\n"
elif kind == "baseline":
    path = ".plumb/baseline.toml"
    body = "version = 1\n\n" + "".join('[[finding]]\nrule = "unpinned-uses"\npath = "a%d.yml"\nfingerprint = "%016x"\n\n' % (i, i) for i in range(n))
elif kind == "toml-dense":
    path = "Cargo.toml"
    body = '[package]\nname = "many"\nversion = "0.1.0"\n\n[dependencies]\n' + "".join("d%d = 1\n" % i for i in range(n))
elif kind == "json-dense":
    path = "package.json"
    body = '{"name":"many","dependencies":{' + ",".join('"d%d":1' % i for i in range(n)) + "}}\n"
elif kind == "workflow-dense":
    path = ".github/workflows/dense.yml"
    body = "on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    env: {x: [" + ",".join("a" for i in range(n)) + "]}\n    steps:\n      - run: echo\n"
else:
    sys.exit("unknown kind " + kind)
full = os.path.join(root, path)
os.makedirs(os.path.dirname(full), exist_ok=True)
with open(full, "w") as f:
    f.write(body)
EOF
}

# The sizes of the issue: 25,000 expressions (925 KB), 589 KB of AWS key ids, 40,000
# npm dependencies, 10,000 globs; the other parsers found quadratic the same way; and a
# lockfile past its cap of 20,000 packages.
cases=(
    "expressions 25000"
    "uses-one-line 25000"
    "aws-ids 25600"
    "npm-deps 40000"
    "npm-deps-one-line 40000"
    "cargo-deps 40000"
    "cargo-lock 40000"
    "globs 10000"
    "cmake-one-line 10000"
    "pnpm-lock 40000"
    "unreadable-requirements 40000"
    "includes 40000"
    "imports 40000"
    "js-tokens 40000"
    "go-tokens 40000"
    "npm-lock 40000"
    "baseline 10000"
    "toml-dense 40000"
    "json-dense 40000"
    "workflow-dense 40000"
)
# BIG=1: the same kinds at about the largest file `--max-file-size` lets through by
# default (10 MiB; workflows and the manifests read into a tree, `toml-dense` and
# `json-dense`, up to 1 MiB): the issue's goal is any input within it.
if [[ -n ${BIG:-} ]]; then
    cases=(
        "expressions 27000" "uses-one-line 36000" "aws-ids 450000" "npm-deps 305000"
        "npm-deps-one-line 375000" "cargo-deps 390000" "cargo-lock 190000" "globs 560000"
        "cmake-one-line 120000" "pnpm-lock 165000" "unreadable-requirements 900000"
        "includes 400000" "imports 480000" "js-tokens 5000000" "go-tokens 5000000"
        "npm-lock 200000" "baseline 110000" "toml-dense 85000" "json-dense 85000"
        "workflow-dense 500000"
    )
fi

printf '%-20s %8s %10s %8s %12s  %s\n' case count bytes seconds "peak KB" result
for entry in "${cases[@]}"; do
    read -r kind count <<<"$entry"
    [[ -z ${CASES:-} || " $CASES " == *" $kind "* ]] || continue
    count=$((count / ${DIVIDE:-1}))
    make_case "$kind" "$kind" "$count"
    bytes=$(find "$work/$kind/fixture" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
    result=ok
    /usr/bin/time -f '%e %M' "$plumb" audit "$work/$kind/fixture" --out "$work/$kind/out" \
        --format md,json,sarif --quiet >/dev/null 2>"$work/$kind/stderr" || result="failed ($(head -1 "$work/$kind/stderr"))"
    read -r seconds peak < <(tail -1 "$work/$kind/stderr")
    printf '%-20s %8s %10s %8s %12s  %s\n' "$kind" "$count" "$bytes" "$seconds" "$peak" "$result"
    rm -rf "${work:?}/$kind"
done
