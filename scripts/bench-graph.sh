#!/usr/bin/env bash
# What graph extraction costs: `plumb audit` with and without the imports analyzer, side
# by side, in alternation (issue 5: "adds at most 25 % to the audit time"); with
# `--without`, what another analyzer costs (issue 21: workflows at most 10 %).
#
# Usage:
#   scripts/bench-graph.sh REPO [--runs N] [--warmup N] [--without MODULE::ANALYZER]
#
# Builds two release binaries of this checkout's HEAD in a scratch git worktree (under
# target/bench-graph, kept between runs; each binary is built once per source tree): HEAD as is, and
# HEAD with `&imports::ImportsAnalyzer` (or the `--without` one, e.g.
# `workflows::WorkflowsAnalyzer`) taken out of `analyzers::ALL` (for the imports analyzer:
# no import scan, no resolution, no graph measures, an empty architecture in the pack). Then runs both on
# REPO with `--out` (Markdown and JSON written, as `plumb audit` does by default), one of
# each per round, and prints the ratio of the medians: of the wall time, the user time and
# the user + system time.
#
# Needs: git, cargo, python3.

set -euo pipefail

REPO=""
RUNS=20
WARMUP=3
WITHOUT="imports::ImportsAnalyzer"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --without) WITHOUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) [ -z "$REPO" ] || { echo "one REPO only" >&2; exit 2; }; REPO="$1"; shift ;;
  esac
done
[ -n "$REPO" ] || { echo "usage: scripts/bench-graph.sh REPO [--runs N] [--warmup N] [--without MODULE::ANALYZER]" >&2; exit 2; }
REPO="$(cd "$REPO" && pwd)"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SCRATCH="$ROOT/target/bench-graph"
WORKTREE="$SCRATCH/worktree"
mkdir -p "$SCRATCH"

# Binaries are keyed by the source tree and the lockfile, so commits that touch neither
# (docs, scripts) reuse them.
HEAD_SHA="$(git -C "$ROOT" rev-parse --short=12 HEAD:src)-$(git -C "$ROOT" rev-parse --short=8 HEAD:Cargo.lock)"
build() { # label: builds the scratch worktree into $SCRATCH/plumb-<label>-<HEAD>, once
  local binary="$SCRATCH/plumb-$1-$HEAD_SHA"
  [ -x "$binary" ] && return
  # The build without the imports analyzer warns about its now unused code: logged.
  (cd "$WORKTREE" && CARGO_TARGET_DIR="$SCRATCH/target" cargo build --release --quiet) \
    2> "$SCRATCH/build-$1.log" || { cat "$SCRATCH/build-$1.log" >&2; exit 1; }
  cp "$SCRATCH/target/release/plumb" "$binary"
}

if [ ! -d "$WORKTREE" ]; then
  git -C "$ROOT" worktree add --detach "$WORKTREE" HEAD >/dev/null
fi
git -C "$WORKTREE" checkout --quiet --detach "$(git -C "$ROOT" rev-parse HEAD)"
git -C "$WORKTREE" checkout --quiet -- src/analyzers/mod.rs
build with-graph
sed -i "s|^    &$WITHOUT,|    // left out: \\&$WITHOUT,|" "$WORKTREE/src/analyzers/mod.rs"
grep -q 'left out' "$WORKTREE/src/analyzers/mod.rs" || { echo "$WITHOUT not found in ALL" >&2; exit 2; }
WITHOUT_LABEL="without-${WITHOUT##*::}"
[ "$WITHOUT" = "imports::ImportsAnalyzer" ] && WITHOUT_LABEL=without-graph
build "$WITHOUT_LABEL"
git -C "$WORKTREE" checkout --quiet -- src/analyzers/mod.rs

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
# The two binaries run in alternation, one of each per round: hyperfine runs all of one
# command's runs before the other's, and this shared machine's speed drifts by more than
# the difference being measured.
python3 - "$RUNS" "$WARMUP" "$REPO" "$OUT" \
  "$SCRATCH/plumb-$WITHOUT_LABEL-$HEAD_SHA" "$SCRATCH/plumb-with-graph-$HEAD_SHA" <<'PY'
import os, statistics, subprocess, sys, time
runs, warmup, repo, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
binaries = {"without": sys.argv[5], "with": sys.argv[6]}
# Wall time, and the CPU time of the process (user, and user + system) from wait4: on a
# machine shared with other builds the CPU time moves less than the wall time.
times = {name: {"wall": [], "user": [], "cpu": []} for name in binaries}
for round_ in range(warmup + runs):
    order = ["without", "with"] if round_ % 2 == 0 else ["with", "without"]
    for name in order:
        start = time.perf_counter()
        child = subprocess.Popen([binaries[name], "audit", repo, "--out", f"{out}/{name}", "--quiet"],
                                 stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        wall = (time.perf_counter() - start) * 1000
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            sys.exit(f"{binaries[name]} exited with {child.returncode}")
        if round_ >= warmup:
            times[name]["wall"].append(wall)
            times[name]["user"].append(usage.ru_utime * 1000)
            times[name]["cpu"].append((usage.ru_utime + usage.ru_stime) * 1000)
def line(measure, label):
    without, with_graph = (statistics.median(times[n][measure]) for n in ("without", "with"))
    paired = statistics.median(w / o for w, o in zip(times["with"][measure], times["without"][measure]))
    print("%s: median without %.1f ms (min %.1f), with %.1f ms (min %.1f): %+.0f %% (medians), %+.0f %% (rounds' ratios)"
          % (label, without, min(times["without"][measure]), with_graph, min(times["with"][measure]),
             100 * (with_graph / without - 1), 100 * (paired - 1)))
print("%d rounds" % runs)
line("wall", "wall time")
line("user", "user time")
line("cpu", "user + system")
PY
