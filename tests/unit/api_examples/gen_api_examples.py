#!/usr/bin/env python3
"""Collects every example of the API documents into one JSON fixture for the model round-trip test.

Each example of docs/api/*.openapi.yaml (request and response bodies of paths and webhooks, shared responses in
components.responses, schema-level examples in components.schemas) becomes one entry
{"file", "where", "schema", "value"}: `schema` is the name of the component schema the example belongs to (the
$ref of its media type), or "inline:<where>" when the document describes the body inline. The C++ test
tests/unit/test_api_examples.cpp maps schema names to models, decodes each value and checks that re-encoding
it gives back the same JSON.

    gen_api_examples.py            rewrite tests/unit/api_examples/api_examples.json
    gen_api_examples.py --check    exit 1 when the checked-in fixture differs from the documents (drift test)
"""
import json
import pathlib
import sys

try:
    import yaml
except ImportError:  # python3-yaml
    print("gen_api_examples.py: PyYAML (python3-yaml) is not installed", file=sys.stderr)
    sys.exit(77)

ROOT = pathlib.Path(__file__).resolve().parents[3]
DOCUMENTS = ["docs/api/task-lifecycle.openapi.yaml", "docs/api/intake-routing-admin.openapi.yaml"]
FIXTURE = pathlib.Path(__file__).resolve().parent / "api_examples.json"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def schema_name(schema, where):
    if isinstance(schema, dict) and "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    return "inline:" + where


def media_examples(content, where, out, file):
    """Examples of one `content` map (media type -> {schema, example | examples})."""
    for media_type, media in (content or {}).items():
        here = f"{where} {media_type}"
        name = schema_name(media.get("schema"), here)
        if "example" in media:
            out.append({"file": file, "where": here, "schema": name, "value": media["example"]})
        for ex_name, ex in (media.get("examples") or {}).items():
            if "$ref" in ex:
                raise SystemExit(f"{file}: {here}: example $ref not supported")
            out.append({"file": file, "where": f"{here} examples.{ex_name}", "schema": name, "value": ex["value"]})


def operation_examples(prefix, ops, out, file):
    for method in METHODS:
        op = (ops or {}).get(method)
        if not op:
            continue
        where = f"{prefix} {method}"
        media_examples((op.get("requestBody") or {}).get("content"), f"{where} requestBody", out, file)
        for status, response in (op.get("responses") or {}).items():
            if "$ref" not in response:  # shared responses are collected once, from components.responses
                media_examples(response.get("content"), f"{where} {status}", out, file)


def collect():
    out = []
    for file in DOCUMENTS:
        doc = yaml.safe_load((ROOT / file).read_text())
        for path, ops in (doc.get("paths") or {}).items():
            operation_examples(f"paths.{path}", ops, out, file)
        for name, ops in (doc.get("webhooks") or {}).items():
            operation_examples(f"webhooks.{name}", ops, out, file)
        components = doc.get("components") or {}
        for name, response in (components.get("responses") or {}).items():
            media_examples(response.get("content"), f"components.responses.{name}", out, file)
        for name, schema in (components.get("schemas") or {}).items():
            if "example" in schema:
                out.append({"file": file, "where": f"components.schemas.{name} example", "schema": name,
                            "value": schema["example"]})
            for i, value in enumerate(schema.get("examples") or []):
                out.append({"file": file, "where": f"components.schemas.{name} examples[{i}]", "schema": name,
                            "value": value})
        for name, ex in (components.get("examples") or {}).items():
            raise SystemExit(f"{file}: components.examples.{name}: not supported (no schema to map it to)")
    return out


def render(entries):
    # YAML reads unquoted timestamps as datetime; the documents quote theirs, so any left is an error.
    return json.dumps(entries, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def main():
    text = render(collect())
    if sys.argv[1:] == ["--check"]:
        if not FIXTURE.exists() or FIXTURE.read_text() != text:
            print(f"{FIXTURE} is out of date: run {pathlib.Path(__file__).name} to regenerate it", file=sys.stderr)
            return 1
        return 0
    FIXTURE.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
