#!/usr/bin/env python3
"""Compare plumb's reading of a setup.py with CPython's own parser and packaging.

Usage: compare-setup-py.py AUDIT.json REPO [SETUP_PY_PATH]

The reference never runs setup.py: `ast` parses it, module-level assignments are followed
(`x = [...]`, `x["k"] = ...`, `x += ...`, `x.append(...)`), `+` of lists, `list()`,
`deps[...]` and `deps_list(...)` on a dict built by a comprehension over a list of
requirement strings (keyed as the comprehension's `re` split would), f-strings and
`.format` of bound strings; every requirement string then goes through
`packaging.requirements.Requirement`. Prints what differs and the counts.
"""
import ast
import json
import re
import sys

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

COMPUTED = object()


class Env:
    def __init__(self):
        self.names = {}
        self.lookups = {}  # function name -> dict name

    def key_of(self, text):
        return re.split(r"[!=<>~;@ ]", text, maxsplit=1)[0]

    def eval(self, node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self.eval(e) for e in node.elts]
        if isinstance(node, ast.Dict):
            return {self.eval(k): self.eval(v) for k, v in zip(node.keys, node.values) if k is not None}
        if isinstance(node, ast.DictComp):
            for it in reversed([n for n in ast.walk(node) if isinstance(n, ast.comprehension)]):
                if isinstance(it.iter, ast.Name) and isinstance(self.names.get(it.iter.id), list):
                    return {"__by_name__": self.names[it.iter.id]}
            return COMPUTED
        if isinstance(node, ast.Name):
            return self.names.get(node.id, COMPUTED)
        if isinstance(node, ast.Subscript):
            base, key = self.eval(node.value), self.eval(node.slice)
            if isinstance(base, dict) and "__by_name__" in base and isinstance(key, str):
                return self.by_name(base["__by_name__"], key)
            if isinstance(base, dict) and isinstance(key, str):
                return base.get(key, COMPUTED)
            return COMPUTED
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            a, b = self.eval(node.left), self.eval(node.right)
            if isinstance(a, list) and isinstance(b, list):
                return a + b
            if isinstance(a, str) and isinstance(b, str):
                return a + b
            return COMPUTED
        if isinstance(node, ast.JoinedStr):
            out = ""
            for part in node.values:
                if isinstance(part, ast.Constant):
                    out += part.value
                elif isinstance(part, ast.FormattedValue) and part.conversion == -1 and part.format_spec is None:
                    v = self.eval(part.value)
                    if not isinstance(v, str) or not isinstance(part.value, ast.Name):
                        return COMPUTED
                    out += v
                else:
                    return COMPUTED
            return out
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr == "format" and isinstance(f.value, ast.Constant):
                args = [self.eval(a) for a in node.args]
                kw = {k.arg: self.eval(k.value) for k in node.keywords}
                if all(isinstance(a, str) for a in args + list(kw.values())):
                    return f.value.value.format(*args, **kw)
                return COMPUTED
            if isinstance(f, ast.Name) and f.id in ("list", "tuple", "sorted") and len(node.args) == 1:
                return self.eval(node.args[0])
            if isinstance(f, ast.Name) and f.id == "dict":
                return {k.arg: self.eval(k.value) for k in node.keywords if k.arg}
            if isinstance(f, ast.Name) and f.id in self.lookups:
                table = self.names.get(self.lookups[f.id])
                return [self.by_name(table["__by_name__"], self.eval(a)) for a in node.args]
        return COMPUTED

    def by_name(self, items, key):
        for item in items:
            if isinstance(item, str) and self.key_of(item) == key:
                return item
        for item in items:
            if isinstance(item, str) and canonicalize_name(self.key_of(item).split("[")[0]) == canonicalize_name(key.split("[")[0]):
                return item
        return COMPUTED


def reference(source):
    tree = ast.parse(source)
    env = Env()
    found = {}
    def visit(body):
        for stmt in body:
            if isinstance(stmt, ast.FunctionDef):
                for n in ast.walk(stmt):
                    if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name):
                        v = env.names.get(n.value.id)
                        if isinstance(v, dict) and "__by_name__" in v:
                            env.lookups[stmt.name] = n.value.id
                            break
                continue
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                t = stmt.targets[0]
                if isinstance(t, ast.Name):
                    env.names[t.id] = env.eval(stmt.value)
                elif isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
                    d, k = env.names.get(t.value.id), env.eval(t.slice)
                    if isinstance(d, dict) and isinstance(k, str):
                        d[k] = env.eval(stmt.value)
            elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
                a, b = env.names.get(stmt.target.id), env.eval(stmt.value)
                env.names[stmt.target.id] = a + b if isinstance(a, list) and isinstance(b, list) else COMPUTED
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                c = stmt.value
                if isinstance(c.func, ast.Attribute) and isinstance(c.func.value, ast.Name) and c.func.attr in ("append", "extend"):
                    cur = env.names.get(c.func.value.id)
                    if isinstance(cur, list) and c.args:
                        v = env.eval(c.args[0])
                        cur.extend([v] if c.func.attr == "append" else (v if isinstance(v, list) else [COMPUTED]))
                elif isinstance(c.func, ast.Name) and c.func.id == "setup" or isinstance(c.func, ast.Attribute) and c.func.attr == "setup":
                    for k in c.keywords:
                        if k.arg:
                            found[k.arg] = env.eval(k.value)
            for field in ("body", "orelse"):
                if isinstance(stmt, (ast.If, ast.With, ast.Try)) and hasattr(stmt, field):
                    visit(getattr(stmt, field))
    visit(tree.body)
    out = set()
    def add(value, scope, group):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return
        for item in value:
            if isinstance(item, str):
                r = Requirement(item)
                out.add((scope, group, canonicalize_name(r.name), str(r.specifier)))
    for key, scope in (("install_requires", "runtime"), ("setup_requires", "build"), ("tests_require", "dev")):
        add(found.get(key), scope, None)
    extras = found.get("extras_require")
    if isinstance(extras, dict):
        for group, value in extras.items():
            add(value, "runtime" if group.startswith(":") else "optional", group)
    return out, found.get("python_requires")


def main():
    audit = json.load(open(sys.argv[1]))
    repo = sys.argv[2]
    path = sys.argv[3] if len(sys.argv) > 3 else "setup.py"
    expected, python = reference(open(f"{repo}/{path}", encoding="utf-8").read())
    manifest = next(m for m in audit["supply_chain"]["manifests"] if m["path"] == path)
    got = set()
    for d in manifest["dependencies"]:
        spec = d["specifier"].split(";")[0].strip()
        spec = str(Requirement("x" + spec).specifier) if spec and not spec.startswith("@") else spec
        got.add((d["scope"], d["group"], d["name"], spec))
    plumb_python = [t["value"] for t in audit["toolchains"] if t["path"] == path]
    print(f"{path}: reference {len(expected)}, plumb {len(got)}, common {len(expected & got)}")
    for row in sorted(expected - got, key=str):
        print("  only in reference:", row)
    for row in sorted(got - expected, key=str):
        print("  only in plumb:", row)
    print(f"  python_requires: reference {python!r}, plumb {plumb_python}")


main()
