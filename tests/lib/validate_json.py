#!/usr/bin/env python3
"""validate_json.py SCHEMA [FILE] [--lines]: validate JSON (a file, or standard input)
against one of tshoot's schemas (schema/NAME.schema.json: "tshoot-check", "tshoot-report",
...), the others available to its $refs. --lines: one JSON document per line (sweep
--json). Prints each error with where it is; exit 0 valid, 1 invalid, 2 unusable.
Works with Debian 12's python3-jsonschema (4.10, RefResolver) and newer ones
(the referencing registry)."""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("validate_json: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(2)

top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sdir = os.path.join(top, "schema")
args = [a for a in sys.argv[1:] if a != "--lines"]
lines = "--lines" in sys.argv[1:]
if not args:
    print(__doc__, file=sys.stderr)
    sys.exit(2)
schemas = {}
for name in os.listdir(sdir):
    if name.endswith(".schema.json"):
        with open(os.path.join(sdir, name), encoding="utf-8") as f:
            schemas[name[: -len(".schema.json")]] = json.load(f)
want = schemas.get(args[0])
if want is None:
    print("validate_json: no schema %s in %s" % (args[0], sdir), file=sys.stderr)
    sys.exit(2)
cls = jsonschema.Draft202012Validator
cls.check_schema(want)
try:
    from referencing import Registry, Resource
    reg = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values())
    validator = cls(want, registry=reg)
except ImportError:
    store = {s["$id"]: s for s in schemas.values()}
    validator = cls(want, resolver=jsonschema.RefResolver.from_schema(want, store=store))

text = open(args[1], encoding="utf-8").read() if len(args) > 1 and args[1] != "-" else sys.stdin.read()
docs = [l for l in text.splitlines() if l.strip()] if lines else [text]
bad = 0
for i, d in enumerate(docs, 1):
    try:
        doc = json.loads(d)
    except ValueError as e:
        print("document %d: not JSON: %s" % (i, e))
        bad += 1
        continue
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in err.absolute_path) or "(top)"
        print("document %d: %s: %s" % (i, where, err.message))
        bad += 1
sys.exit(1 if bad else 0)
