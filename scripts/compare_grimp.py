"""Compares plumb's Python import edges with grimp's on one package (module pairs)."""
import json, sys, collections
audit, grimp_json, pkg, prefix = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
a = json.load(open(audit))["architecture"]
g = json.load(open(grimp_json))
mods = a["modules"]
def dotted(m):
    p = m["path"]
    if not p.endswith(".py"):
        return None
    p = p[:-3]
    if p.endswith("/__init__"):
        p = p[: -len("/__init__")]
    return prefix + p.replace("/", ".") if prefix else p.replace("/", ".")
# Optional: grimp module prefixes to drop (duplicates grimp makes by following directory
# symlinks) and renames old=new (a symlinked directory name to the real one).
drop = [x for x in sys.argv[5:] if "=" not in x]
renames = [x.split("=") for x in sys.argv[5:] if "=" in x]
def fix(name):
    for old, new in renames:
        if name == old or name.startswith(old + "."):
            return new + name[len(old):]
    return name
keep = lambda n: not any(n == d or n.startswith(d + ".") for d in drop)
gm = {fix(m) for m in g["modules"] if keep(m)}
g["pairs"] = [(fix(f), fix(t)) for f, t in g["pairs"] if keep(f) and keep(t)]
plumb_pairs = collections.defaultdict(list)
for e in a["edges"]:
    f, t = dotted(mods[e["from"]]), dotted(mods[e["to"]])
    if f in gm and t in gm:
        plumb_pairs[(f, t)].append(e)
grimp_pairs = set(map(tuple, g["pairs"]))
pp = set(plumb_pairs)
print("grimp modules", len(gm), "grimp pairs", len(grimp_pairs), "plumb pairs", len(pp))
print("both", len(pp & grimp_pairs), "only plumb", len(pp - grimp_pairs), "only grimp", len(grimp_pairs - pp))
json.dump({"only_plumb": sorted(pp - grimp_pairs), "only_grimp": sorted(grimp_pairs - pp)}, open(f"/tmp/diff-{pkg}.json", "w"), indent=0)
for x in sorted(pp - grimp_pairs)[:15]:
    print("  +plumb", x, plumb_pairs[x][0]["line"], plumb_pairs[x][0]["text"])
for x in sorted(grimp_pairs - pp)[:25]:
    print("  +grimp", x)
