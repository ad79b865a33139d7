#!/usr/bin/env python3
"""Compares the components of plumb's SBOM with a reference CycloneDX BOM, by purl.

    python3 scripts/compare-sbom.py PLUMB.cdx.json (--locked-in PATH | --declared-in PATH) REFERENCE.cdx.json...

Takes the plumb components that a lockfile locks (`plumb:locked-in PATH`) or that a
manifest declares (`plumb:declared-in PATH:LINE`), and every component (nested ones
included) of the reference BOMs (several are united: cargo-cyclonedx writes one per crate).
Both sides are reduced to (type, name, version) of their purl, qualifiers and subpath
dropped, percent-decoding undone, PyPI names normalised (PEP 503). Prints the counts and
every purl only one side has. Exit status 1 when the sets differ.

References used in docs/accuracy.md: `uv export --format cyclonedx1.5` (uv.lock),
`cyclonedx-npm --package-lock-only` (package-lock.json), `cargo cyclonedx --all`
(Cargo.lock), `cyclonedx-py requirements FILE` (requirements files).
"""
import argparse
import json
import re
import sys
from urllib.parse import unquote


def purl_key(purl):
    """(type, name, version) of a purl."""
    purl = purl.split("#")[0].split("?")[0]
    kind, rest = purl[len("pkg:"):].split("/", 1)
    name, version = rest, ""
    if "@" in rest.rsplit("/", 1)[-1]:
        name, version = rest.rsplit("@", 1)
    name, version = unquote(name), unquote(version)
    if kind == "pypi":
        name = re.sub(r"[-_.]+", "-", name).lower()
    return (kind, name, version)


def every_component(bom):
    stack = list(bom.get("components", []))
    while stack:
        component = stack.pop()
        yield component
        stack.extend(component.get("components", []))


def plumb_side(path, locked_in, declared_in):
    keys = set()
    for component in json.load(open(path))["components"]:
        properties = {(p["name"], p["value"]) for p in component.get("properties", [])}
        if locked_in and ("plumb:locked-in", locked_in) not in properties:
            continue
        declared = {v.rsplit(":", 1)[0] for n, v in properties if n == "plumb:declared-in"}
        if declared_in and declared_in not in declared:
            continue
        if "purl" in component:
            keys.add(purl_key(component["purl"]))
    return keys


def reference_side(paths):
    keys = set()
    for path in paths:
        for component in every_component(json.load(open(path))):
            if "purl" in component:
                keys.add(purl_key(component["purl"]))
    return keys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("plumb")
    parser.add_argument("references", nargs="+")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--locked-in")
    which.add_argument("--declared-in")
    args = parser.parse_args()
    ours = plumb_side(args.plumb, args.locked_in, args.declared_in)
    theirs = reference_side(args.references)
    print(f"plumb {len(ours)}  reference {len(theirs)}  common {len(ours & theirs)}")
    for key in sorted(ours - theirs):
        print("  only plumb:    ", *key)
    for key in sorted(theirs - ours):
        print("  only reference:", *key)
    return 0 if ours == theirs else 1


if __name__ == "__main__":
    sys.exit(main())
