#!/usr/bin/env python3
"""Validates CycloneDX JSON files against the official CycloneDX 1.6 JSON schema.

    python3 tests/validate_cyclonedx.py FILE...

The validator is the CycloneDX project's own: `JsonStrictValidator(SchemaVersion.V1_6)` of
cyclonedx-python-lib, which ships bom-1.6.schema.json with the SPDX and JSF schemas it
refers to, and checks formats (date-time, iri-reference, ...) with the checkers installed
beside it. It comes from .cache/cyclonedx-validator/, which
`bash .ci/install-cyclonedx-validator` (a step of .ci/run) fills from PyPI.

Exit status: 0 all valid, 1 some file invalid (one line per file on stderr), 3 the
validator is not installed.
"""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
VENDOR = ROOT / ".cache" / "cyclonedx-validator"
INSTALL = "run `bash .ci/install-cyclonedx-validator` (the install step of .ci/run)"


def main(files):
    if not files:
        print(__doc__, file=sys.stderr)
        return 2
    if not (VENDOR / ".installed").is_file():
        print(f"validate_cyclonedx: the validator is not installed in {VENDOR}: {INSTALL}", file=sys.stderr)
        return 3
    sys.path.insert(0, str(VENDOR))
    try:
        from cyclonedx.schema import SchemaVersion
        from cyclonedx.validation.json import JsonStrictValidator
    except ImportError as e:
        print(f"validate_cyclonedx: cannot import cyclonedx from {VENDOR} ({e}): {INSTALL}", file=sys.stderr)
        return 3
    validator = JsonStrictValidator(SchemaVersion.V1_6)

    invalid = 0
    for file in files:
        error = validator.validate_str(pathlib.Path(file).read_text(encoding="utf-8"))
        if error is not None:
            # The library's message quotes the whole failing subschema: keep the first line
            # and say where in the document it failed.
            detail = error.data
            where = "/".join(str(p) for p in getattr(detail, "absolute_path", [])) or "(root)"
            message = getattr(detail, "message", str(error).splitlines()[0])
            print(f"{file}: {where}: {message}", file=sys.stderr)
            invalid += 1
    if invalid:
        print(f"validate_cyclonedx: {invalid} of {len(files)} files invalid", file=sys.stderr)
        return 1
    print(f"validate_cyclonedx: {len(files)} files valid against CycloneDX 1.6")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
