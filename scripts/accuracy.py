#!/usr/bin/env python3
"""Accuracy check of `plumb audit` against git and tokei on one repository.

Usage:
    python3 scripts/accuracy.py REPO [--plumb BIN] [--tokei BIN] [--keep DIR]
                                     [--drill N] [--max-culprits N]

What it does (python3 standard library only):

1. Runs `plumb audit REPO --out TMP/worktree --quiet` and
   `plumb audit REPO --rev HEAD --out TMP/rev --quiet`.
2. Counts: inventory.tracked_entries / tracked_files / submodules against
   `git ls-files -s` (work tree audit) and `git ls-tree -r HEAD` (--rev audit).
3. Line counts: runs tokei (`--hidden --no-ignore --output json`) on exactly the file
   set plumb line-counts: tracked regular files (index modes 100644/100755) that are
   regular files on disk, minus every path plumb's scan_notes say it did not read
   (binary, too-large, missing-from-worktree, ...). The paths are passed explicitly
   (tokei then walks nothing, so .git is never visited), chunked when the argument list
   would exceed ARG_MAX, and the chunks are summed per language. Per language it
   compares files, the language's own code/comments/blanks (tokei JSON fields) and the
   embedded totals (tokei `children`, summarised), then the grand total.
4. For the first --drill mismatching languages it bisects the suspect files: subsets are
   copied into a scratch git repository (index only, no commit), plumb audits that, and
   the result is compared with tokei's per-file reports, down to single files. Each
   culprit is printed with both tools' figures.
5. Compares the inventory of the work-tree audit with the --rev HEAD audit (and the
   scan notes); differences are expected only for paths `git status` reports as dirty.

Exit status: 0 when everything matches, 1 on any mismatch, 2 on a usage/runtime error.
"""

import argparse
import collections
import json
import os
import shutil
import stat as _stat
import subprocess
import sys
import tempfile

LINE_FIELDS = ("code", "comments", "blanks")
# scan_notes reasons that mean "plumb did not line-count this path's bytes".
UNREAD_REASONS = {
    "missing-from-worktree",
    "blob-missing",
    "unreadable",
    "too-large",
    "binary",
    "symlink-inside",
    "symlink-outside",
    "symlink-broken",
    "symlink-loop",
    "parent-symlink",
    "not-regular-file",
    "submodule",
    "submodule-not-checked-out",
    "plumb-output",
}
REGULAR_MODES = {"100644", "100755"}


# ---------------------------------------------------------------------------- helpers


def run(cmd, cwd=None, check=True, stdin=None):
    proc = subprocess.run(cmd, cwd=cwd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and proc.returncode != 0:
        sys.stderr.write("command failed (%d): %s\n%s\n" % (proc.returncode, " ".join(map(str, cmd)),
                                                              proc.stderr.decode(errors="replace")))
        sys.exit(2)
    return proc


def fmt(n):
    return "{:,}".format(n) if isinstance(n, int) else str(n)


def table(headers, rows):
    widths = [len(h) for h in headers]
    srows = [[fmt(c) for c in r] for r in rows]
    for r in srows:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], len(c))
    line = "| " + " | ".join(h.ljust(widths[i]) for i, h in enumerate(headers)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    out = [line, sep]
    for r in srows:
        out.append("| " + " | ".join(c.rjust(widths[i]) if i else c.ljust(widths[i])
                                      for i, c in enumerate(r)) + " |")
    return "\n".join(out)


def lc(d):
    return tuple(int(d.get(f, 0)) for f in LINE_FIELDS)


def add(a, b):
    return tuple(x + y for x, y in zip(a, b))


ZERO = (0, 0, 0)


def summarise(stats):
    """tokei CodeStats::summarise: own lines plus all nested blobs."""
    total = lc(stats)
    for blob in stats.get("blobs", {}).values():
        total = add(total, summarise(blob))
    return total


def embedded_of(stats):
    """What plumb calls `embedded` for one file: each blob summarised, summed."""
    total = ZERO
    for blob in stats.get("blobs", {}).values():
        total = add(total, summarise(blob))
    return total


def git_entries(repo, args):
    """[(mode, path)] from `git ls-files -s -z` or `git ls-tree -r -z`."""
    out = run(["git", "-C", repo] + args).stdout
    entries = []
    for rec in out.split(b"\0"):
        if not rec:
            continue
        meta, path = rec.split(b"\t", 1)
        entries.append((meta.split(b" ")[0].decode(), os.fsdecode(path)))
    return entries


def plumb_audit(plumb, repo, out, rev=None):
    cmd = [plumb, "audit", repo, "--out", out, "--quiet"]
    if rev:
        cmd[3:3] = ["--rev", rev]
    run(cmd)
    with open(os.path.join(out, "audit.json")) as f:
        return json.load(f)


def plumb_languages(audit):
    """{name: (files, own(3), embedded(3))}"""
    return {l["name"]: (l["files"], lc(l["lines"]), lc(l["embedded"])) for l in audit["inventory"]["languages"]}


# ---------------------------------------------------------------------------- tokei


def tokei_run(tokei, cwd, paths):
    """tokei on explicit paths (relative to cwd), chunked under ARG_MAX.

    Returns {language: {"files": n, "own": (3), "embedded": (3), "reports": {path: stats},
    "inaccurate": bool}} and the summed "Total" (code, comments, blanks)."""
    try:
        arg_max = os.sysconf("SC_ARG_MAX")
    except (ValueError, OSError):
        arg_max = 131072
    env_bytes = sum(len(k) + len(v) + 2 for k, v in os.environ.items())
    budget = max(32 * 1024, min(arg_max // 2, arg_max - env_bytes - 64 * 1024))
    base = [tokei, "--hidden", "--no-ignore", "--output", "json"]
    chunks, cur, size = [], [], 0
    for p in paths:
        arg = "./" + p  # never parsed as an option, even if the name starts with '-'
        n = len(os.fsencode(arg)) + 1 + 8  # + pointer in argv
        if cur and size + n > budget:
            chunks.append(cur)
            cur, size = [], 0
        cur.append(arg)
        size += n
    if cur:
        chunks.append(cur)
    langs = {}
    total = ZERO
    for chunk in chunks:
        proc = run(base + chunk, cwd=cwd)
        data = json.loads(proc.stdout)
        total = add(total, lc(data.pop("Total")))
        for name, lang in data.items():
            acc = langs.setdefault(name, {"files": 0, "own": ZERO, "embedded": ZERO, "reports": {},
                                          "inaccurate": False})
            acc["own"] = add(acc["own"], lc(lang))
            acc["inaccurate"] |= bool(lang.get("inaccurate"))
            for rep in lang["reports"]:
                name_ = rep["name"][2:] if rep["name"].startswith("./") else rep["name"]
                acc["reports"][name_] = rep["stats"]
                acc["files"] += 1
            for child_reports in lang.get("children", {}).values():
                for rep in child_reports:
                    acc["embedded"] = add(acc["embedded"], summarise(rep["stats"]))
    return langs, total, len(chunks)


# ---------------------------------------------------------------------------- drill-down


class Driller:
    """Bisects a set of files to the ones where plumb and tokei disagree."""

    def __init__(self, plumb, repo, scratch, tokei_file):
        self.plumb = plumb
        self.repo = repo
        self.scratch = scratch
        self.tokei_file = tokei_file  # path -> (language, stats)
        self.runs = 0

    def plumb_on(self, paths):
        """plumb's per-language figures for a scratch repository holding `paths`."""
        self.runs += 1
        root = os.path.join(self.scratch, "r%d" % self.runs)
        os.makedirs(root)
        for p in paths:
            dst = os.path.join(root, p)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(os.path.join(self.repo, p), dst)
        run(["git", "init", "-q", root])
        run(["git", "--literal-pathspecs", "-C", root, "add", "-f", "--pathspec-from-file=-", "--pathspec-file-nul"],
            stdin=b"\0".join(os.fsencode(p) for p in paths))
        out = os.path.join(self.scratch, "o%d" % self.runs)
        audit = plumb_audit(self.plumb, root, out)
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        return audit

    def expected(self, paths):
        exp = {}
        for p in paths:
            if p in self.tokei_file:
                name, stats = self.tokei_file[p]
                f, own, emb = exp.get(name, (0, ZERO, ZERO))
                exp[name] = (f + 1, add(own, lc(stats)), add(emb, embedded_of(stats)))
        return exp

    def differs(self, paths):
        return plumb_languages(self.plumb_on(paths)) != self.expected(paths)

    def bisect(self, paths, limit):
        culprits = []
        stack = [sorted(paths)]
        while stack and len(culprits) < limit:
            part = stack.pop()
            if not part or not self.differs(part):
                continue
            if len(part) == 1:
                culprits.append(part[0])
                continue
            mid = len(part) // 2
            stack.append(part[mid:])
            stack.append(part[:mid])
        return culprits

    def describe(self, path):
        audit = self.plumb_on([path])
        pl = plumb_languages(audit)
        notes = [n["reason"] for n in audit.get("scan_notes", []) if n["path"] == path]
        if pl:
            (name, (_, own, emb)), = pl.items()
            plumb_desc = "%s own=%s embedded=%s" % (name, own, emb)
        else:
            plumb_desc = "not counted (unrecognized=%d%s)" % (
                audit["inventory"].get("unrecognized_files", 0), ", notes=" + ",".join(notes) if notes else "")
        if path in self.tokei_file:
            name, stats = self.tokei_file[path]
            tokei_desc = "%s own=%s embedded=%s" % (name, lc(stats), embedded_of(stats))
            blobs = ", ".join("%s=%s" % (k, summarise(v)) for k, v in stats.get("blobs", {}).items())
            if blobs:
                tokei_desc += " blobs{%s}" % blobs
        else:
            tokei_desc = "not reported (no language)"
        try:
            with open(os.path.join(self.repo, path), "rb") as f:
                head = f.read(8000)
            extra = []
            if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
                extra.append("BOM")
            if b"\0" in head:
                extra.append("NUL in first 8000 bytes")
            if head.startswith(b"#!"):
                extra.append("shebang %r" % head.split(b"\n", 1)[0][:80].decode(errors="replace"))
            if b"\r" in head:
                extra.append("CR line endings")
        except OSError as e:
            extra = [str(e)]
        return plumb_desc, tokei_desc, extra


# ---------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo")
    ap.add_argument("--plumb", default=os.environ.get("PLUMB", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "plumb")))
    ap.add_argument("--tokei", default=os.environ.get("TOKEI", "tokei"))
    ap.add_argument("--keep", help="keep plumb/tokei outputs in this directory")
    ap.add_argument("--drill", type=int, default=3, help="languages to drill down into (default 3)")
    ap.add_argument("--max-culprits", type=int, default=10, help="files to report per language (default 10)")
    args = ap.parse_args()

    repo = os.path.abspath(args.repo)
    plumb = os.path.abspath(args.plumb) if os.path.sep in args.plumb else args.plumb
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        work = tempfile.mkdtemp(prefix="plumb-accuracy-", dir=args.keep)
    else:
        work = tempfile.mkdtemp(prefix="plumb-accuracy-")
    failures = []

    print("# plumb accuracy: %s" % repo)
    print()
    print("plumb: %s (%s)" % (plumb, run([plumb, "--version"]).stdout.decode().strip()))
    print("tokei: %s" % run([args.tokei, "--version"]).stdout.decode().strip())
    print("HEAD:  %s" % run(["git", "-C", repo, "rev-parse", "HEAD"]).stdout.decode().strip())
    dirty = [l for l in run(["git", "-C", repo, "status", "--porcelain", "-z", "--untracked-files=no"])
             .stdout.decode(errors="replace").split("\0") if l]
    dirty_paths = {l[3:] for l in dirty}
    print("work tree: %s" % ("clean" if not dirty else "%d dirty path(s): %s" % (
        len(dirty), ", ".join(sorted(l.strip() for l in dirty)[:10]))))
    print()

    wt = plumb_audit(plumb, repo, os.path.join(work, "worktree"))
    rv = plumb_audit(plumb, repo, os.path.join(work, "rev"), rev="HEAD")

    # ------------------------------------------------------------------ counts
    index = git_entries(repo, ["ls-files", "-s", "-z"])
    tree = git_entries(repo, ["ls-tree", "-r", "-z", "--full-tree", "HEAD"])
    idx_sub = sum(1 for m, _ in index if m == "160000")
    tree_sub = sum(1 for m, _ in tree if m == "160000")
    rows = []

    def check(what, got, want):
        ok = got == want
        rows.append((what, got, want, "ok" if ok else "MISMATCH"))
        if not ok:
            failures.append("%s: plumb %s, expected %s" % (what, got, want))

    wi, ri = wt["inventory"], rv["inventory"]
    check("worktree tracked_entries vs git ls-files", wi["tracked_entries"], len(index))
    check("worktree tracked_files vs ls-files minus 160000", wi["tracked_files"], len(index) - idx_sub)
    check("worktree submodules vs index mode 160000", wi["submodules"], idx_sub)
    check("rev tracked_entries vs git ls-tree -r HEAD", ri["tracked_entries"], len(tree))
    check("rev tracked_files vs ls-tree minus 160000", ri["tracked_files"], len(tree) - tree_sub)
    check("rev submodules vs tree mode 160000", ri["submodules"], tree_sub)
    print("## Entry counts")
    print()
    print(table(["check", "plumb", "git", "result"], rows))
    print()

    # ------------------------------------------------------------------ file set
    notes = collections.defaultdict(set)
    for n in wt.get("scan_notes", []):
        notes[n["path"]].add(n["reason"])
    excluded = collections.Counter()
    fileset = []
    vendored_binary = []
    for mode, path in index:
        if mode not in REGULAR_MODES:
            continue
        unread = notes.get(path, set()) & UNREAD_REASONS
        if unread:
            excluded[",".join(sorted(unread))] += 1
            continue
        full = os.path.join(repo, path)
        try:
            st = os.lstat(full)
        except OSError:
            excluded["absent on disk, no plumb note"] += 1
            failures.append("%s is absent from the work tree but plumb has no note for it" % path)
            continue
        if not _stat.S_ISREG(st.st_mode):
            excluded["not a regular file on disk, no plumb note"] += 1
            failures.append("%s is not a regular file on disk but plumb has no note for it" % path)
            continue
        if st.st_size > wt["snapshot"].get("max_file_bytes", 10 * 1024 * 1024):
            excluded["over max_file_bytes, no plumb note"] += 1
            failures.append("%s is over the size limit but plumb has no too-large note" % path)
            continue
        with open(full, "rb") as f:
            if b"\0" in f.read(8000):
                vendored_binary.append(path)  # binary by git's test, yet plumb read it
        fileset.append(path)
    print("## Line counts vs tokei on the same file set")
    print()
    print("tracked regular files (100644/100755): %s; passed to tokei: %s" % (
        fmt(sum(1 for m, _ in index if m in REGULAR_MODES)), fmt(len(fileset))))
    for why, n in sorted(excluded.items()):
        print("  excluded (%s): %s" % (why, fmt(n)))
    if vendored_binary:
        print("  note: %d file(s) have a NUL byte in their first 8000 bytes but no `binary` note"
              " (plumb line-counted them, and so does tokei): %s%s" % (
                  len(vendored_binary), ", ".join(vendored_binary[:8]), " ..." if len(vendored_binary) > 8 else ""))
    langs, tokei_total, nchunks = tokei_run(args.tokei, repo, fileset)
    print("tokei invocations: %d" % nchunks)
    print()
    if args.keep:
        with open(os.path.join(work, "tokei-merged.json"), "w") as f:
            json.dump({k: {kk: vv for kk, vv in v.items()} for k, v in langs.items()}, f, indent=1, sort_keys=True)

    pl = plumb_languages(wt)
    rows = []
    mismatched = []
    tot_pl, tot_tk = ZERO, ZERO
    for name in sorted(set(pl) | set(langs), key=lambda n: -max(pl.get(n, (0, ZERO))[1][0],
                                                                 langs.get(n, {"own": ZERO})["own"][0])):
        pf, pown, pemb = pl.get(name, (0, ZERO, ZERO))
        t = langs.get(name, {"files": 0, "own": ZERO, "embedded": ZERO, "inaccurate": False})
        tot_pl = add(tot_pl, add(pown, pemb))
        tot_tk = add(tot_tk, add(t["own"], t["embedded"]))
        diffs = []
        if pf != t["files"]:
            diffs.append("files %+d" % (pf - t["files"]))
        for i, f in enumerate(LINE_FIELDS):
            if pown[i] != t["own"][i]:
                diffs.append("%s %+d" % (f, pown[i] - t["own"][i]))
            if pemb[i] != t["embedded"][i]:
                diffs.append("embedded %s %+d" % (f, pemb[i] - t["embedded"][i]))
        if t.get("inaccurate"):
            diffs.append("tokei marked inaccurate")
        if diffs:
            mismatched.append(name)
            failures.append("language %s: %s" % (name, ", ".join(diffs)))
        rows.append((name, pf, t["files"], pown[0], t["own"][0], pown[1], t["own"][1], pown[2], t["own"][2],
                     sum(pemb), sum(t["embedded"]), "ok" if not diffs else "; ".join(diffs)))
    print(table(["language", "files p", "files t", "code p", "code t", "comments p", "comments t",
                 "blanks p", "blanks t", "embedded p", "embedded t", "result"], rows))
    print()
    gl = lc(wi["lines"])
    rows = [("plumb inventory.lines", *gl, sum(gl)),
            ("sum of plumb languages (own+embedded)", *tot_pl, sum(tot_pl)),
            ("tokei Total (summed over chunks)", *tokei_total, sum(tokei_total)),
            ("sum of tokei languages (own+children)", *tot_tk, sum(tot_tk))]
    print(table(["grand total", "code", "comments", "blanks", "lines"], rows))
    print()
    if not (gl == tot_pl == tokei_total == tot_tk):
        failures.append("grand totals differ: plumb %s, tokei %s" % (gl, tokei_total))

    # ------------------------------------------------------------------ drill-down
    if mismatched and args.drill > 0:
        print("## Drill-down (first %d mismatching languages)" % args.drill)
        print()
        tokei_file = {}
        for name, t in langs.items():
            for path, stats in t["reports"].items():
                tokei_file[path] = (name, stats)
        unreported = [p for p in fileset if p not in tokei_file]
        driller = Driller(plumb, repo, os.path.join(work, "drill"), tokei_file)
        seen = set()
        for name in mismatched[: args.drill]:
            suspects = set(langs.get(name, {"reports": {}})["reports"]) | set(unreported)
            print("### %s: %d suspect files (tokei's %s files + %d files tokei did not report)" % (
                name, len(suspects), name, len(unreported)))
            if not driller.differs(sorted(suspects)):
                print("plumb and tokei agree on these files in isolation: the difference comes from"
                      " files tokei gave another language (see that language).")
                print()
                continue
            culprits = driller.bisect(suspects, args.max_culprits)
            rows = []
            for path in culprits:
                if path in seen:
                    continue
                seen.add(path)
                p, t, extra = driller.describe(path)
                rows.append((path, p, t, "; ".join(extra)))
            print(table(["file", "plumb", "tokei", "file facts"], rows) if rows else "(no single-file culprit)")
            print()
        print("(drill-down: %d scratch plumb runs)" % driller.runs)
        print()

    # ------------------------------------------------------------------ work tree vs --rev
    print("## Work-tree audit vs --rev HEAD audit")
    print()
    diffs = []
    for key in ("tracked_entries", "tracked_files", "submodules", "bytes", "lines", "unrecognized_files",
                "large_files"):
        if wi.get(key) != ri.get(key):
            diffs.append((key, json.dumps(wi.get(key), sort_keys=True), json.dumps(ri.get(key), sort_keys=True)))
    wl = {l["name"]: l for l in wi["languages"]}
    rl = {l["name"]: l for l in ri["languages"]}
    for name in sorted(set(wl) | set(rl)):
        if wl.get(name) != rl.get(name):
            diffs.append(("language " + name, json.dumps(wl.get(name), sort_keys=True),
                          json.dumps(rl.get(name), sort_keys=True)))
    wr = {r["role"]: r for r in wi["roles"]}
    rr = {r["role"]: r for r in ri["roles"]}
    for role in sorted(set(wr) | set(rr)):
        if wr.get(role) != rr.get(role):
            diffs.append(("role " + role, json.dumps(wr.get(role), sort_keys=True),
                          json.dumps(rr.get(role), sort_keys=True)))
    # A work-tree audit knows whether a submodule is checked out, a --rev audit does not:
    # `submodule-not-checked-out` and `submodule` are the same fact here.
    def note_map(audit):
        m = collections.defaultdict(set)
        for n in audit.get("scan_notes", []):
            m[n["path"]].add("submodule" if n["reason"] == "submodule-not-checked-out" else n["reason"])
        return m

    wn, rn = note_map(wt), note_map(rv)
    note_diffs = sorted((p, ",".join(sorted(wn.get(p, ()))) or "-", ",".join(sorted(rn.get(p, ()))) or "-")
                        for p in set(wn) | set(rn) if wn.get(p) != rn.get(p))
    if diffs:
        print(table(["field", "work tree", "--rev HEAD"], diffs))
    else:
        print("inventory (counts, bytes, lines, languages, roles, large files): identical")
    print()
    if note_diffs:
        print("scan notes that differ (submodule-not-checked-out counted as submodule):")
        print()
        print(table(["path", "work tree", "--rev HEAD", "dirty in work tree"],
                    [(p, a, b, "yes" if p in dirty_paths else "NO") for p, a, b in note_diffs[:40]]))
        if len(note_diffs) > 40:
            print("... %d more" % (len(note_diffs) - 40))
        print()
    else:
        print("scan notes: identical (submodule-not-checked-out counted as submodule)")
        print()
    unexplained = sorted({p for p, _, _ in note_diffs} - dirty_paths)
    if unexplained:
        failures.append("work-tree vs --rev scan notes differ on clean paths: %s" % ", ".join(unexplained[:10]))
    if diffs:
        # Files whose work-tree bytes differ from their HEAD blob although git calls them
        # clean: checkout conversion (eol=crlf, ident, smudge filters).
        sizes = {}
        for rec in run(["git", "-C", repo, "ls-tree", "-r", "-l", "-z", "--full-tree", "HEAD"]).stdout.split(b"\0"):
            if rec:
                meta, path = rec.split(b"\t", 1)
                parts = meta.split()
                if parts[0].decode() in REGULAR_MODES and parts[3].isdigit():  # "BAD": blob missing
                    sizes[os.fsdecode(path)] = int(parts[3])
        converted = []
        for mode, path in index:
            if mode in REGULAR_MODES and path in sizes and path not in dirty_paths:
                try:
                    size = os.lstat(os.path.join(repo, path)).st_size
                except OSError:
                    continue
                if size != sizes[path]:
                    converted.append((path, size, sizes[path]))
        conv_delta = sum(a - b for _, a, b in converted)
        byte_delta = wi["bytes"] - ri["bytes"]
        only_bytes = all(k == "bytes" or (k.startswith("role ") and
                                          {kk for kk in set(json.loads(a)) | set(json.loads(b))
                                           if json.loads(a).get(kk) != json.loads(b).get(kk)} == {"bytes"})
                         for k, a, b in diffs)
        if converted:
            eol = {}
            for rec in run(["git", "-C", repo, "ls-files", "--eol", "-z"]).stdout.split(b"\0"):
                if rec:
                    meta, path = rec.split(b"\t", 1)
                    eol[os.fsdecode(path)] = " ".join(meta.decode().split())
            print("%d clean file(s) differ in size between the work tree and the HEAD blob"
                  " (checkout conversion), %+d bytes in all; inventory bytes differ by %+d:" % (
                      len(converted), conv_delta, byte_delta))
            print()
            print(table(["path", "work tree bytes", "blob bytes", "git ls-files --eol"],
                        [(p, a, b, eol.get(p, "?")) for p, a, b in converted[:20]]))
            if len(converted) > 20:
                print("... %d more" % (len(converted) - 20))
            print()
        if only_bytes and converted and conv_delta == byte_delta:
            print("WARNING: the inventories differ only in bytes, by exactly the checkout conversion"
                  " above (lines, languages, file counts equal). Explained; not counted as a failure.")
            print()
        elif not dirty:
            failures.append("work tree is clean but the work-tree and --rev inventories differ")
        else:
            print("The inventories differ while %d path(s) are dirty: check that the differences"
                  " above are those files." % len(dirty))
            print()
    elif note_diffs and not unexplained:
        print("Every scan-note difference is on a dirty path (%d): expected." % len(dirty))
        print()

    # ------------------------------------------------------------------ verdict
    print("## Verdict")
    print()
    if failures:
        print("FAIL (%d):" % len(failures))
        for f in failures:
            print("- " + f)
    else:
        print("PASS: plumb's counts equal git's and tokei's.")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print("\noutputs kept in %s" % work)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
