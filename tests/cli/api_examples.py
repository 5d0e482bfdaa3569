#!/usr/bin/env python3
"""Writes every response example of docs/api/*.openapi.yaml to one JSON object, keyed
"METHOD PATH STATUS NAME" (e.g. "GET /tasks/{id} 200 default"), and every request body example keyed
"REQUEST METHOD PATH NAME": the command tests' fixtures are the contract's own examples."""
import json
import sys

import yaml

out = {}
for source in sys.argv[2:]:
    with open(source, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            for content in ((operation.get("requestBody") or {}).get("content") or {}).values():
                for name, example in (content.get("examples") or {}).items():
                    if "value" in example:
                        out[f"REQUEST {method.upper()} {path} {name}"] = example["value"]
            for status, response in (operation.get("responses") or {}).items():
                for content in (response.get("content") or {}).values():
                    for name, example in (content.get("examples") or {}).items():
                        if "value" in example:
                            out[f"{method.upper()} {path} {status} {name}"] = example["value"]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump(out, f, indent=1, sort_keys=True)
