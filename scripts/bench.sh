#!/usr/bin/env bash
# Benchmark `plumb audit` on one repository, side by side with tokei and a read floor.
#
# Usage:
#   scripts/bench.sh REPO [--plumb BIN] [--runs N] [--warmup N] [--rss-runs N] [--out DIR]
#
#   REPO        a git work tree (e.g. /work/corpus/linux)
#   --plumb     plumb binary [default: $PLUMB or target/release/plumb of this checkout]
#               Build it first:
#                 cargo build --release
#   --runs      hyperfine runs per command [5]
#   --warmup    hyperfine warmup runs [1] (fills the page cache: warm-cache figures)
#   --rss-runs  /usr/bin/time -v runs per plumb mode for peak RSS; the median is kept [5]
#   --out       where to keep the raw data [/tmp/plumb-bench/<repo>-<UTC time>]
#
# Measures, in ONE hyperfine invocation (--export-json):
#   (a) plumb audit REPO --out DIR --quiet              (work tree)
#   (b) plumb audit REPO --rev HEAD --out DIR --quiet   (object database)
#   (c) tokei REPO                                      (default options)
#   (d) floor: every tracked path read once by one `cat`:
#       git -C REPO ls-files -z | (cd REPO && xargs -0 cat) > /dev/null
#       (missing files, submodule directories and the like are skipped quietly)
# then peak RSS (max resident set size) of (a), (b) and (c) with GNU time, median of
# --rss-runs runs, and prints a Markdown table (also saved as report.md in --out).
#
# Needs: hyperfine, tokei, git, python3 (to read hyperfine's JSON), GNU time at
# /usr/bin/time. If /usr/bin/time is missing the script installs Debian's `time` package
# (apt-get install -y time; runs apt-get update first) — root is needed for that.
# plumb writes its pack under --out, never into REPO.

set -euo pipefail

usage() { sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

REPO=""
PLUMB="${PLUMB:-$(cd "$(dirname "$0")/.." && pwd)/target/release/plumb}"
RUNS=5
WARMUP=1
RSS_RUNS=5
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --plumb) PLUMB="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --rss-runs) RSS_RUNS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    -*) echo "unknown option: $1" >&2; usage 2 ;;
    *) [ -z "$REPO" ] || { echo "one REPO only" >&2; exit 2; }; REPO="$1"; shift ;;
  esac
done
[ -n "$REPO" ] || usage 2
REPO="$(cd "$REPO" && pwd)"
git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null
PLUMB="$(command -v "$PLUMB" || true)"
[ -x "$PLUMB" ] || { echo "plumb binary not found; build it: cargo build --release" >&2; exit 2; }
for tool in hyperfine tokei git python3; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }
done
if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (/usr/bin/time) with apt-get ..." >&2
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

NAME="$(basename "$REPO")"
OUT="${OUT:-/tmp/plumb-bench/${NAME}-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
case "$OUT/" in "$REPO"/*) echo "--out must be outside the repository" >&2; exit 2 ;; esac
WT_OUT="$OUT/pack-worktree"
REV_OUT="$OUT/pack-rev"

q() { printf '%q' "$1"; }
CMD_WT="$(q "$PLUMB") audit $(q "$REPO") --out $(q "$WT_OUT") --quiet"
CMD_REV="$(q "$PLUMB") audit $(q "$REPO") --rev HEAD --out $(q "$REV_OUT") --quiet"
CMD_TOKEI="tokei $(q "$REPO")"
CMD_FLOOR="git -C $(q "$REPO") ls-files -z | (cd $(q "$REPO") && xargs -0 cat 2>/dev/null >/dev/null; exit 0)"

# ---------------------------------------------------------------- machine and tools
{
  echo "date (UTC):   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host kernel:  $(uname -srm)"
  echo "nproc:        $(nproc)"
  echo "CPU model:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "RAM:          $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "load avg:     $(cut -d' ' -f1-3 /proc/loadavg) (before)"
  echo "plumb:        $("$PLUMB" --version) ($PLUMB, $(stat -c '%y' "$PLUMB" | cut -d. -f1))"
  echo "tokei:        $(tokei --version | head -1)"
  echo "hyperfine:    $(hyperfine --version)"
  echo "git:          $(git --version)"
  echo "GNU time:     $(/usr/bin/time --version 2>&1 | head -1)"
  echo "repo:         $REPO @ $(git -C "$REPO" rev-parse --short=12 HEAD), $(git -C "$REPO" ls-files | wc -l) tracked entries"
  echo "runs:         hyperfine --warmup $WARMUP --runs $RUNS; RSS median of $RSS_RUNS"
} | tee "$OUT/machine.txt"
echo

# ---------------------------------------------------------------- timing
hyperfine --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/hyperfine.json" \
  --style basic \
  -n "plumb audit (work tree)" "$CMD_WT" \
  -n "plumb audit --rev HEAD" "$CMD_REV" \
  -n "tokei REPO" "$CMD_TOKEI" \
  -n "floor: cat every tracked file" "$CMD_FLOOR" | tee "$OUT/hyperfine.txt"
echo

# ---------------------------------------------------------------- peak RSS
rss_median() { # label, command...: median max RSS in KiB over RSS_RUNS runs
  local label="$1"; shift
  local i
  : > "$OUT/rss-$label.txt"
  for ((i = 0; i < RSS_RUNS; i++)); do
    /usr/bin/time -v -o "$OUT/time-$label.txt" "$@" >/dev/null
    awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$OUT/time-$label.txt" >> "$OUT/rss-$label.txt"
  done
  sort -n "$OUT/rss-$label.txt" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
RSS_WT="$(rss_median worktree "$PLUMB" audit "$REPO" --out "$WT_OUT" --quiet)"
RSS_REV="$(rss_median rev "$PLUMB" audit "$REPO" --rev HEAD --out "$REV_OUT" --quiet)"
RSS_TOKEI="$(rss_median tokei tokei "$REPO")"
echo "load avg:     $(cut -d' ' -f1-3 /proc/loadavg) (after)" | tee -a "$OUT/machine.txt"
echo

# ---------------------------------------------------------------- report
python3 - "$OUT/hyperfine.json" "$RSS_WT" "$RSS_REV" "$RSS_TOKEI" "$NAME" > "$OUT/table.md" <<'PY'
import json, statistics, sys

path, rss_wt, rss_rev, rss_tokei, name = sys.argv[1:]
results = json.load(open(path))["results"]
def median(r):
    return r.get("median") if r.get("median") is not None else statistics.median(r["times"])
wt, rev, tokei, floor = (median(r) for r in results)
mb = lambda kib: "%.1f" % (float(kib) / 1024)
def t(s):
    return "%.3f s" % s if s >= 1 else "%.1f ms" % (s * 1000)
rows = [
    ("plumb audit (work tree)", wt, "%.2f" % (wt / tokei), "%.2f" % (wt / floor), "1.00", mb(rss_wt)),
    ("plumb audit --rev HEAD", rev, "%.2f" % (rev / tokei), "%.2f" % (rev / floor), "%.2f" % (rev / wt), mb(rss_rev)),
    ("tokei REPO", tokei, "1.00", "%.2f" % (tokei / floor), "-", mb(rss_tokei)),
    ("floor: cat every tracked file", floor, "-", "1.00", "-", "-"),
]
print("### %s" % name)
print()
print("| command | median | ± σ (mean) | plumb/tokei | plumb/floor | rev/worktree | peak RSS MB |")
print("|---|---:|---:|---:|---:|---:|---:|")
for (label, med, a, b, c, d), r in zip(rows, results):
    print("| %s | %s | %s (%s) | %s | %s | %s | %s |" % (label, t(med), t(r["stddev"] or 0.0), t(r["mean"]), a, b, c, d))
print()
print("Ratios are of medians; the tokei and floor rows show tokei/tokei and tokei/floor."
      " Peak RSS: median of /usr/bin/time -v 'Maximum resident set size'.")
PY
{ cat "$OUT/machine.txt"; echo; cat "$OUT/table.md"; } > "$OUT/report.md"
cat "$OUT/table.md"
echo
echo "raw data: $OUT (hyperfine.json, hyperfine.txt, rss-*.txt, machine.txt, report.md)"
