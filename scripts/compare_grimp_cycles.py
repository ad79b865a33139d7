"""Compares the import cycles (strongly connected components) plumb reports with those of
grimp's graph of the same package.

Usage: compare_grimp_cycles.py AUDIT.json GRIMP.json PREFIX [DROP...] [OLD=NEW...]
  AUDIT.json  plumb's audit (`architecture.measures.cycles.components`, `architecture.edges`)
  GRIMP.json  written by scripts/grimp_graph.py (modules and direct import pairs)
  PREFIX      dotted prefix plumb's paths lack (`executorch.` for executorch, '' for torchao)
  DROP / OLD=NEW  as in compare_grimp.py: grimp module prefixes to drop, names to rename.

grimp has no cycle finder, so its components come from a Tarjan search over its import
pairs here. Three views are printed, so a difference can be traced to its cause:
  grimp      components of grimp's graph;
  plumb      the components plumb reports (Python modules only, as dotted names);
  plumb|g    components of plumb's own edges restricted to grimp's modules: equal to
             `grimp` exactly when the edge sets agree, so what remains between `plumb|g`
             and `plumb` is the effect of modules outside grimp's package.
For every component that is not identical on both sides, the import pairs only one side
has and that touch it are listed: they are the reason.
"""
import collections
import json
import sys


def tarjan(nodes, succ):
    """Strongly connected components with two modules or more, or a self-import."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(succ.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(succ.get(w, ())))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1 or v in succ.get(v, ()):
                    out.append(frozenset(comp))
    return out


def graph(pairs):
    succ = collections.defaultdict(set)
    for f, t in pairs:
        succ[f].add(t)
    return succ


def dotted(path, prefix):
    if not path.endswith(".py"):
        return None
    p = path[:-3]
    if p.endswith("/__init__"):
        p = p[: -len("/__init__")]
    return prefix + p.replace("/", ".")


def sizes(components):
    return sorted((len(c) for c in components), reverse=True)


def main():
    audit_path, grimp_path, prefix = sys.argv[1:4]
    drop = [x for x in sys.argv[4:] if "=" not in x]
    renames = [x.split("=") for x in sys.argv[4:] if "=" in x]

    def fix(name):
        for old, new in renames:
            if name == old or name.startswith(old + "."):
                return new + name[len(old):]
        return name

    def keep(n):
        return not any(n == d or n.startswith(d + ".") for d in drop)

    g = json.load(open(grimp_path))
    gmods = {fix(m) for m in g["modules"] if keep(m)}
    gpairs = {(fix(f), fix(t)) for f, t in g["pairs"] if keep(f) and keep(t)}
    a = json.load(open(audit_path))["architecture"]
    mods = a["modules"]
    names = [dotted(m["path"], prefix) for m in mods]
    ppairs = set()
    for e in a["edges"]:
        f, t = names[e["from"]], names[e["to"]]
        if f and t:
            ppairs.add((f, t))
    reported = []
    for c in a["measures"]["cycles"]["components"]:
        dn = [dotted(p, prefix) for p in c["modules"]]
        if all(dn):
            reported.append((frozenset(dn), c))

    grimp_sccs = tarjan(gmods, graph(gpairs))
    plumb_sccs = [s for s, _ in reported]
    restricted = {(f, t) for f, t in ppairs if f in gmods and t in gmods}
    plumb_g = tarjan(gmods, graph(restricted))
    for label, comps in (("grimp", grimp_sccs), ("plumb", plumb_sccs), ("plumb|g", plumb_g)):
        print(f"{label:8} components {len(comps):4}  modules {sum(map(len, comps)):5}  sizes {sizes(comps)}")

    multi = {s for s in grimp_sccs if len(s) > 1}
    print(f"plumb|g == grimp's components of two or more modules: {set(plumb_g) == multi}")
    eager = {s: c["eager_cycle"] for s, c in reported}
    same = set(grimp_sccs) & set(plumb_sccs)
    print(f"identical components: {len(same)} (of which mitigated in plumb: "
          f"{sum(1 for s in same if not eager[s])})")
    only_g, only_p = gpairs - ppairs, ppairs - gpairs
    for s in sorted(set(grimp_sccs) - same, key=lambda s: (-len(s), sorted(s))):
        explain("grimp", s, plumb_sccs, only_g, only_p, gmods)
    for s in sorted(set(plumb_sccs) - same, key=lambda s: (-len(s), sorted(s))):
        explain("plumb", s, grimp_sccs, only_g, only_p, gmods)


def explain(side, comp, others, only_g, only_p, gmods):
    best = max(others, key=lambda o: len(o & comp), default=frozenset())
    print(f"\n{side} component of {len(comp)} not in the other; best overlap {len(best & comp)} "
          f"with a component of {len(best)}")
    for m in sorted(comp - best)[:10]:
        outside = "" if m in gmods else " (not a grimp module)"
        print(f"   only here: {m}{outside}")
    for m in sorted(best - comp)[:10]:
        outside = "" if m in gmods else " (not a grimp module)"
        print(f"   only there: {m}{outside}")
    touch = comp | best
    for f, t in sorted(only_g):
        if f in touch and t in touch:
            print(f"   pair only grimp: {f} -> {t}")
    for f, t in sorted(only_p):
        if f in touch and t in touch:
            print(f"   pair only plumb: {f} -> {t}")


if __name__ == "__main__":
    main()
