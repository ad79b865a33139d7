#!/usr/bin/env python3
"""Side-by-side check of plumb's workflow findings against `zizmor --offline`.

For the rules both tools have, every zizmor finding is looked up among plumb's findings of
the same rule at the same file and line (counted: three findings on one line need three).
Prints per rule the recall (zizmor findings plumb also reports) and the precision (plumb
findings zizmor also reports), every zizmor finding plumb lacks and, with --extra, every
plumb finding zizmor lacks. zizmor runs with `--no-config --no-ignores`: a repository's
zizmor.yml and `# zizmor: ignore` comments are its own policy, which plumb does not read,
so both tools are compared on what they detect.

    python3 scripts/compare-zizmor.py REPO [--plumb BIN] [--extra]
"""
import argparse
import collections
import json
import os
import subprocess
import sys

SHARED = {
    "unpinned-uses": "unpinned-uses",
    "excessive-permissions": "excessive-permissions",
    "dangerous-triggers": "dangerous-triggers",
    "template-injection": "template-injection",
}


def zizmor_findings(repo):
    out = subprocess.run(
        ["zizmor", "--offline", "--no-config", "--no-ignores", "--format", "json", "--no-exit-codes", "."],
        cwd=repo, capture_output=True, text=True, check=True,
    ).stdout
    found = []
    for f in json.loads(out):
        if f["ident"] not in SHARED:
            continue
        loc = f["locations"][0]
        path = loc["symbolic"]["key"]["Local"]["verbatim_path"].removeprefix("./")
        line = loc["concrete"]["location"]["start_point"]["row"] + 1
        found.append((SHARED[f["ident"]], path, line, loc["symbolic"]["annotation"], f["determinations"]["severity"]))
    return found


def plumb_findings(repo, plumb):
    out = subprocess.run([plumb, "audit", repo, "--stdout", "json"], capture_output=True, text=True, check=True).stdout
    return [(f["rule"], f["location"]["path"], f["location"]["line"], f["message"], f["severity"])
            for f in json.loads(out)["findings"] if f["rule"] in SHARED.values()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("repo")
    parser.add_argument("--plumb", default=os.environ.get("PLUMB", "target/release/plumb"))
    parser.add_argument("--extra", action="store_true", help="also list plumb findings zizmor lacks")
    args = parser.parse_args()
    zizmor = zizmor_findings(args.repo)
    plumb = plumb_findings(args.repo, os.path.abspath(args.plumb))
    have = collections.Counter((r, p, l) for r, p, l, _, _ in plumb)
    want = collections.Counter((r, p, l) for r, p, l, _, _ in zizmor)
    percent = lambda part, whole: f"{100 * part / whole:.1f}%" if whole else "n/a"
    print(f"{'rule':24} {'zizmor':>7} {'plumb':>7} {'matched':>8} {'recall':>7} {'precision':>9}")
    for rule in sorted(set(SHARED.values())):
        z = sum(n for k, n in want.items() if k[0] == rule)
        p = sum(n for k, n in have.items() if k[0] == rule)
        matched = sum(min(n, have[k]) for k, n in want.items() if k[0] == rule)
        print(f"{rule:24} {z:7} {p:7} {matched:8} {percent(matched, z):>7} {percent(matched, p):>9}")
    z_all, p_all = sum(want.values()), sum(have.values())
    matched_all = sum(min(n, have[k]) for k, n in want.items())
    print(f"{'all shared rules':24} {z_all:7} {p_all:7} {matched_all:8} "
          f"{percent(matched_all, z_all):>7} {percent(matched_all, p_all):>9}")
    missing = want - have
    if missing:
        print("\nzizmor findings plumb lacks:")
        for rule, path, line, note, severity in sorted(zizmor):
            if missing[(rule, path, line)] > 0:
                missing[(rule, path, line)] -= 1
                print(f"  {rule} {path}:{line} [{severity}] {note}")
    if args.extra:
        extra = have - want
        print("\nplumb findings zizmor lacks:")
        for rule, path, line, message, severity in sorted(plumb):
            if extra[(rule, path, line)] > 0:
                extra[(rule, path, line)] -= 1
                print(f"  {rule} {path}:{line} [{severity}] {message}")
    return 0 if matched_all >= 0.97 * z_all and matched_all >= 0.95 * p_all else 1


if __name__ == "__main__":
    sys.exit(main())
