#!/usr/bin/python3
"""Validates SARIF files against the SARIF 2.1.0 JSON schema in docs/schemas/.

Usage: scripts/validate-sarif.py FILE...   (exit 0: all valid, 1: a file is invalid, 2: cannot check)
Needs the python jsonschema package (Debian: python3-jsonschema). Run it as a non-root user.
"""
import json
import os
import sys

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "schemas", "sarif-schema-2.1.0.json")


def main(paths):
    try:
        import jsonschema
    except ImportError:
        print("validate-sarif: the python jsonschema package is missing (apt-get install python3-jsonschema)",
              file=sys.stderr)
        return 2
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    status = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        for error in errors:
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            print(f"{path}: {where}: {error.message}", file=sys.stderr)
        if errors:
            status = 1
        else:
            print(f"{path}: valid SARIF 2.1.0")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
