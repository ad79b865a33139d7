import sys, json, grimp
root, pkg, out = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, root)
g = grimp.build_graph(pkg, include_external_packages=False, cache_dir=None)
pairs = set()
for m in g.modules:
    for t in g.find_modules_directly_imported_by(m):
        pairs.add((m, t))
json.dump({"count_imports": g.count_imports(), "modules": sorted(g.modules), "pairs": sorted(pairs)}, open(out, "w"))
print(pkg, "modules", len(g.modules), "count_imports", g.count_imports(), "pairs", len(pairs))
