"""Validates live-protocol lines against docs/live-protocol.schema.json with the jsonschema package.

Usage: check_schema.py SCHEMA STREAM [LIMIT]. Checks the first LIMIT lines (default all) and the last line; prints
"N lines conform" or the first failure, and exits 1 on a failure.
"""
import importlib.metadata
import itertools
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
validator = jsonschema.Draft202012Validator(schema)
lines = open(sys.argv[2]).read().splitlines()
chosen = lines if limit is None else list(itertools.islice(lines, limit)) + lines[-1:]
for number, line in enumerate(chosen, start=1):
    errors = sorted(validator.iter_errors(json.loads(line)), key=lambda error: error.path)
    if errors:
        print(f"line {number}: {errors[0].message}")
        sys.exit(1)
print(f"{len(chosen)} lines conform (jsonschema {importlib.metadata.version('jsonschema')})")
