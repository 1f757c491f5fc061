#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Validate tdxhp JSON lines against docs/schema/ (JSON Schema 2020-12).

usage: validate.py [--expect NAME]... [--simulated] [--min N] FILE

Each line is one record; its "schema" field ("tdxhp-hist/1") names the
schema file (docs/schema/tdxhp-hist.schema.json) whose "schema" const must
be the same.  Besides the schema, every line must use no float exponent
(docs/vocabulary.md).  --expect: only these schema names may appear;
--simulated: every record says "simulated": true; --min: at least N lines.
Prints one line per problem and exits 1 if there is any.
"""
import argparse
import glob
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_DIR = os.path.join(HERE, "..", "..", "docs", "schema")


def load_schemas():
    schemas = {}
    for path in sorted(glob.glob(os.path.join(SCHEMA_DIR, "*.schema.json"))):
        with open(path) as f:
            schemas[os.path.basename(path)] = json.load(f)
    return schemas


def make_validators(schemas):
    """A validator per file, resolving $refs between the files."""
    cls = jsonschema.Draft202012Validator
    for s in schemas.values():
        cls.check_schema(s)
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource

        registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in schemas.values())
        return {name: cls(s, registry=registry,
                          format_checker=cls.FORMAT_CHECKER)
                for name, s in schemas.items()}
    except ImportError:  # Debian 12: jsonschema 4.10
        store = {s["$id"]: s for s in schemas.values()}
        return {name: cls(s, resolver=jsonschema.RefResolver.from_schema(
                    s, store=store), format_checker=jsonschema.FormatChecker())
                for name, s in schemas.items()}


def no_exponent(text):
    if "e" in text or "E" in text:
        raise ValueError("float with an exponent: " + text)
    return float(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--simulated", action="store_true")
    ap.add_argument("--min", type=int, default=1)
    ap.add_argument("file")
    a = ap.parse_args()
    schemas = load_schemas()
    validators = make_validators(schemas)
    problems = []
    n = 0
    with open(a.file) as f:
        lines = f.read().splitlines()
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        n += 1
        try:
            rec = json.loads(line, parse_float=no_exponent)
        except ValueError as e:
            problems.append(f"line {i}: {e}")
            continue
        name = rec.get("schema") if isinstance(rec, dict) else None
        if not isinstance(name, str) or "/" not in name:
            problems.append(f"line {i}: no \"schema\" field")
            continue
        if a.expect and name not in a.expect:
            problems.append(f"line {i}: schema {name}, expected {a.expect}")
        fname = name.split("/")[0] + ".schema.json"
        v = validators.get(fname)
        if not v:
            problems.append(f"line {i}: no docs/schema/{fname}")
            continue
        for e in sorted(v.iter_errors(rec), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            problems.append(f"line {i}: {name}: {where}: {e.message[:300]}")
        if a.simulated and rec.get("simulated") is not True:
            problems.append(f"line {i}: not \"simulated\": true")
    if n < a.min:
        problems.append(f"{n} records, wanted at least {a.min}")
    for p in problems[:20]:
        print(f"{a.file}: {p}")
    if len(problems) > 20:
        print(f"... and {len(problems) - 20} more")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
