#!/usr/bin/env python3
"""Compare plumb's reading of go.mod and go.sum with a reading of the format.

Usage: compare-go-modules.py REPO AUDIT.json SBOM.cdx.json

Reference: every `require` of every tracked go.mod (test folders left out, as plumb
leaves them out) with its `replace` applied (a replace naming the version wins; a
replacement by a folder is `path DIR`); every go.sum line that hashes a module's code
(not its `/go.mod`). Prints the counts, what differs, the golang components of the BOM
against the distinct module@version of those go.sum lines, purls that name a folder,
and `dependency-not-locked` findings on go.mod files.
"""
import json, os, re, sys, subprocess
repo, audit_path, bom_path = sys.argv[1:4]
audit = json.load(open(audit_path)); bom = json.load(open(bom_path))
def parse_gomod(text):
    req, rep, block = [], [], None
    for raw in text.splitlines():
        code, _, comment = raw.partition("//")
        w = code.split()
        if not w: continue
        if w[0] in ("require", "replace") and w[1:] == ["("]: block = w[0]; continue
        if w == [")"]: block = None; continue
        kw, rest = (w[0], w[1:]) if w[0] in ("require", "replace") else (block, w)
        if kw == "require" and len(rest) >= 2: req.append((rest[0], rest[1]))
        elif kw == "replace" and "=>" in rest:
            i = rest.index("=>"); l, r = rest[:i], rest[i+1:]
            rep.append((l[0], l[1] if len(l) > 1 else None, r[0], r[1] if len(r) > 1 else None))
    return req, rep
files = subprocess.run(["git", "-C", repo, "ls-files", "*go.mod", "*go.sum"], capture_output=True, text=True).stdout.split()
exp_deps, exp_locked = set(), set()
for f in files:
    if "/testdata/" in f or f.startswith("testdata/") or f.startswith("tests/") or "/tests/" in f: continue
    text = open(os.path.join(repo, f)).read()
    if f.endswith("go.mod"):
        req, rep = parse_gomod(text)
        for m, v in req:
            hits = [r for r in rep if r[0] == m and (r[1] is None or r[1] == v)]
            hits.sort(key=lambda r: r[1] is None)
            if hits and hits[0][3] is None: exp_deps.add((f, m, "path " + hits[0][2]))
            elif hits: exp_deps.add((f, hits[0][2], hits[0][3]))
            else: exp_deps.add((f, m, v))
    else:
        for line in text.splitlines():
            w = line.split()
            if len(w) >= 3 and not w[1].endswith("/go.mod"): exp_locked.add((f, w[0], w[1]))
got_deps = set()
for m in audit["supply_chain"]["manifests"]:
    if m["ecosystem"] != "golang": continue
    for d in m["dependencies"]:
        spec = d["specifier"]
        spec = spec.split(" (replaces")[0]
        got_deps.add((m["path"], d["name"], spec))
got_locked = {(l["path"], p["name"], p["version"]) for l in audit["supply_chain"]["lockfiles"] if l["ecosystem"] == "golang" for p in l["packages"]}
print("go.mod deps: reference", len(exp_deps), "plumb", len(got_deps), "common", len(exp_deps & got_deps))
for x in sorted(exp_deps - got_deps)[:5]: print("  only ref", x)
for x in sorted(got_deps - exp_deps)[:5]: print("  only plumb", x)
print("go.sum packages: reference", len(exp_locked), "plumb", len(got_locked), "common", len(exp_locked & got_locked))
purls = [c["purl"] for c in bom["components"] if c.get("purl", "").startswith("pkg:golang/")]
bogus = [p for p in purls if "replaces" in p or "%20" in p or p.startswith("pkg:golang/.")]
exp_purls = {(n, v) for _, n, v in exp_locked}
print("golang components", len(purls), "distinct (module, version) in go.sum", len(exp_purls), "bogus purls", len(bogus), bogus[:3])
nl = [x for x in audit["findings"] if x["rule"] == "dependency-not-locked" and x["location"]["path"].endswith("go.mod")]
print("dependency-not-locked on go.mod", len(nl), [x["message"] for x in nl[:3]])
