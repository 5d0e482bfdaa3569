#!/usr/bin/env python3
"""Contract test: drives agentrail-mock through every operation of task-lifecycle.openapi.yaml and
validates each response body against the document's schema for that operation and status (JSON
Schema 2020-12), and each status against the statuses the document lists for the operation.
POST /tasks/{id}/start and /rollback are not in the document; their bodies are checked against
TaskDetailResponse / ErrorResponse.

Then the same for every operation of the operator document (intake-routing-admin.openapi.yaml), on a
second mock: routing rule sets, agent profiles, evaluations, audit, provider issue intake and setup
verification tasks, with the tasks and events intake creates checked against the task-lifecycle document.
The reference server's managed-runner and task-source routes are in neither document; their bodies are
checked against REFERENCE_SCHEMAS below (the mock's shapes, see docs/mock-server.md).

Run by pytest: python3 -m pytest tests/contract/contract_test.py --agentrail-mock=PATH [--openapi=YAML]
[--operator-openapi=YAML] (default documents: $AGENTRAIL_OPENAPI / $AGENTRAIL_OPERATOR_OPENAPI, else docs/api/).
Every schema check is recorded; a test fails listing every check that failed.
"""

import hashlib
import hmac
import json
import os
import re
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "mock_server", "tests"))

import jsonschema  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402
from jsonschema import Draft202012Validator  # noqa: E402

try:  # jsonschema >= 4.18
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError:  # Debian 12 ships jsonschema 4.10 (RefResolver)
    Registry = None

FORMAT_CHECKER = getattr(Draft202012Validator, "FORMAT_CHECKER", None) or jsonschema.draft202012_format_checker

import mockutil as mu  # noqa: E402
import tally  # noqa: E402


def find_document(option, env, name):
    candidates = [option, os.environ.get(env), os.path.join(HERE, "..", "..", "docs", "api", name)]
    for c in candidates:
        if c and os.path.isfile(c):
            return c
    pytest.fail(f"{name} not found (pass --openapi / --operator-openapi or set ${env})", pytrace=False)


def _nullable(schema):
    return {"anyOf": [{"type": "null"}, schema]}


_DATE_TIME = {"type": "string", "format": "date-time"}
_ACTIONS = {"$ref": "#/components/schemas/AvailableActions"}
_META = {"$ref": "#/components/schemas/ResponseMeta"}


def _obj(properties, required=None):
    return {"type": "object", "additionalProperties": False, "required": required or list(properties),
            "properties": properties}


def _envelope(data):
    return _obj({"data": data, "availableActions": _ACTIONS, "meta": _META})


# The reference server's managed-runner and task-source routes, which neither contract describes: the shapes
# agentrail-mock serves (docs/mock-server.md, "Operator API"), merged into the operator document's components.
_RUN_STATUS = {"enum": ["starting", "running", "succeeded", "failed", "awaiting_user", "cancelled"]}
_NULLABLE_STRING = {"type": ["string", "null"]}

REFERENCE_SCHEMAS = {
    "ReferenceAgentRun": _obj({
        "runId": {"type": "string", "pattern": "^run_[A-Za-z0-9_]+$"},
        "agentId": {"type": "string"},
        "runner": {"type": "string"},
        "taskId": {"type": "string"},
        "taskIdentifier": {"type": "string"},
        "status": _RUN_STATUS,
        "repoPath": {"type": "string"},
        "worktreePath": {"type": "string"},
        "branchName": _NULLABLE_STRING,
        "promptPath": _NULLABLE_STRING,
        "logPath": _NULLABLE_STRING,
        "handoffPath": _NULLABLE_STRING,
        "createdAt": _DATE_TIME,
        "startedAt": _nullable(_DATE_TIME),
        "finishedAt": _nullable(_DATE_TIME),
        "updatedAt": _DATE_TIME,
        "exitCode": {"type": ["integer", "null"]},
        "summary": _NULLABLE_STRING,
        "runContextTokenHash": {"type": ["string", "null"], "pattern": "^[0-9a-f]{64}$"},
        "runContextTokenIssuedAt": _nullable(_DATE_TIME),
        "userAction": _nullable(_obj({
            "kind": {"const": "awaiting_user"}, "taskId": {"type": "string"}, "reason": {"type": "string"},
            "actionRequired": {"type": "string"}, "resumeInstructions": {"type": "string"}, "createdAt": _DATE_TIME})),
        "reports": {"type": "array", "items": _obj({
            "status": {"enum": ["progress", "blocked", "completed"]},
            "summary": {"type": "string", "minLength": 1},
            "createdAt": _DATE_TIME,
            "handoff": {"type": ["object", "null"]}})},
        "reportedHandoff": {"type": ["object", "null"]},
        "launch": _obj({"executable": {"type": "string"}, "args": {"type": "array", "items": {"type": "string"}}})}),
    "ReferenceAgentRunResponse": _envelope({"$ref": "#/components/schemas/ReferenceAgentRun"}),
    "ReferenceAgentRunListResponse": _envelope({"type": "array",
                                               "items": {"$ref": "#/components/schemas/ReferenceAgentRun"}}),
    "ReferenceAgentRunContextResponse": _envelope(_obj({
        "run": _obj({"runId": {"type": "string"}, "agentId": {"type": "string"}, "runner": {"type": "string"},
                     "taskId": {"type": "string"}, "taskIdentifier": {"type": "string"}, "status": _RUN_STATUS,
                     "worktreePath": {"type": "string"}, "branchName": _NULLABLE_STRING}),
        "task": _obj({"id": {"type": "string"}, "identifier": {"type": "string"}, "title": {"type": "string"},
                      "description": {"type": "string"}, "status": {"type": "string"},
                      "priority": {"type": "string"},
                      "acceptanceCriteria": {"type": "array", "items": {"type": "string"}},
                      "context": {"type": ["object", "null"]}, "availableActions": _ACTIONS},
                     ["id", "identifier", "title", "status", "acceptanceCriteria", "availableActions"]),
        "nextActions": {"type": "array", "items": _obj({"id": {"type": "string"}, "label": {"type": "string"}})}})),
    "ReferenceTaskSourceResponse": _envelope(_obj({
        "taskId": {"type": "string"},
        "source": {"type": "object", "required": ["provider"], "properties": {
            "provider": {"type": "string", "minLength": 1},
            "owner": {"type": "string"}, "repo": {"type": "string"},
            "issueNumber": {"type": "integer", "minimum": 1}, "pullNumber": {"type": "integer", "minimum": 1},
            "labels": {"type": "array", "items": {"type": "string"}},
            "reviewers": {"type": "array", "items": {"type": "string"}},
            "assignees": {"type": "array", "items": {"type": "string"}}},
            "dependentRequired": {"owner": ["repo"], "repo": ["owner"]}},
        "sourceAudit": _obj({"sourceRef": {"type": "string"}, "changeReason": {"type": "string"},
                             "updatedBy": {"type": "string"}, "updatedAt": _DATE_TIME}),
        "updatedAt": _DATE_TIME,
        "version": {"type": "integer"}})),
}


class Contract:
    def __init__(self, path, extra_schemas=None):
        with open(path) as f:
            self.doc = yaml.safe_load(f)
        self.doc.setdefault("components", {}).setdefault("schemas", {}).update(extra_schemas or {})
        # Operations of neither document: op id -> {success status: schema name}; errors are ErrorResponse.
        self.reference_ops = {}
        if Registry is not None:
            resource = Resource.from_contents(self.doc, default_specification=DRAFT202012)
            self.registry = Registry().with_resource("urn:agentrail-openapi", resource)
        else:
            self.registry = None
        self.ops = {}
        for p, item in self.doc["paths"].items():
            for method, op in item.items():
                if isinstance(op, dict) and "operationId" in op:
                    self.ops[op["operationId"]] = (method.upper(), p, op)
        for name, item in self.doc.get("webhooks", {}).items():
            for method, op in item.items():
                self.ops[op["operationId"]] = (method.upper(), name, op)
        self._validators = {}
        self.passed = 0
        self.failed = 0
        self.failures = []
        self.seen = set()

    def resolve(self, obj):
        while isinstance(obj, dict) and "$ref" in obj:
            ptr = obj["$ref"].lstrip("#/").split("/")
            obj = self.doc
            for part in ptr:
                obj = obj[part.replace("~1", "/").replace("~0", "~")]
        return obj

    def validator(self, schema_ref):
        if schema_ref not in self._validators:
            if self.registry is not None:
                v = Draft202012Validator({"$ref": "urn:agentrail-openapi#" + schema_ref}, registry=self.registry,
                                         format_checker=FORMAT_CHECKER)
            else:
                resolver = jsonschema.RefResolver(base_uri="", referrer=self.doc)
                v = Draft202012Validator({"$ref": "#" + schema_ref}, resolver=resolver, format_checker=FORMAT_CHECKER)
            self._validators[schema_ref] = v
        return self._validators[schema_ref]

    def response_schema_pointer(self, op_id, status):
        method, path, op = self.ops[op_id]
        responses = op.get("responses", {})
        if str(status) not in responses:
            return None, sorted(responses)
        resp = responses[str(status)]
        if "$ref" in resp:
            name = resp["$ref"].split("/")[-1]
            base = f"/components/responses/{name}"
            resp = self.resolve(resp)
        else:
            esc = path.replace("~", "~0").replace("/", "~1")
            section = "webhooks" if op_id == "receiveTaskLifecycleWebhook" else "paths"
            base = f"/{section}/{esc}/{method.lower()}/responses/{status}"
        content = resp.get("content", {})
        if "application/json" in content:
            return base + "/content/application~1json/schema", None
        return "", None  # no JSON body documented (e.g. the event stream)

    def record(self, ok, what, detail=""):
        tally.record("contract", ok)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            self.failures.append(f"{what}: {detail}")
            print(f"FAIL {what}: {detail}", flush=True)

    def check(self, op_id, response, expect=None, note=""):
        """Checks status (listed by the document, and `expect` when given) and validates the body."""
        status = response.status
        what = f"{op_id} -> {status}{' (' + note + ')' if note else ''}"
        if expect is not None and status != expect:
            self.record(False, what, f"expected status {expect}, body {response.body[:400]}")
            return None
        self.seen.add((op_id, status))
        if op_id in ("startTask", "rollbackTask"):
            pointer = "/components/schemas/TaskDetailResponse" if status == 202 else "/components/schemas/ErrorResponse"
        elif op_id in self.reference_ops:
            success = self.reference_ops[op_id]
            if status in success:
                pointer = "/components/schemas/" + success[status]
            elif status in (400, 401, 403, 404, 409, 429):
                pointer = "/components/schemas/ErrorResponse"
            else:
                self.record(False, what, f"unexpected status for a reference-server route (expects {sorted(success)})")
                return None
        else:
            pointer, listed = self.response_schema_pointer(op_id, status)
            if pointer is None:
                self.record(False, what, f"status not listed by the document (lists {listed})")
                return None
        if not pointer:
            self.record(True, what)
            return None
        ctype = response.headers.get("content-type", "")
        if not ctype.startswith("application/json"):
            self.record(False, what, f"content-type {ctype!r}")
            return None
        try:
            body = json.loads(response.body)
        except ValueError as e:
            self.record(False, what, f"invalid JSON: {e}")
            return None
        errors = sorted(self.validator(pointer).iter_errors(body), key=lambda e: list(e.path))
        if errors:
            self.record(False, what, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5]))
        else:
            self.record(True, what)
        return body

    def validate_schema(self, name, instance, what):
        errors = list(self.validator(f"/components/schemas/{name}").iter_errors(instance))
        self.record(not errors, what, "; ".join(e.message for e in errors[:5]))

    def validate_param(self, param_name, value, what):
        schema = self.resolve(self.doc["components"]["parameters"][param_name])["schema"]
        v = self.validator(f"/components/parameters/{param_name}/schema")
        if schema.get("type") == "integer":
            try:
                value = int(value)
            except (TypeError, ValueError):
                pass
        errors = list(v.iter_errors(value))
        self.record(not errors, what, "; ".join(e.message for e in errors[:3]))


def idem():
    return "contract-" + uuid.uuid4().hex


def assert_all_passed(contract, passed_before=0, failures_before=0):
    """Fails the test with every check that failed since the counts given."""
    failures = contract.failures[failures_before:]
    print(f"{contract.passed - passed_before} checks passed, {len(failures)} failed")
    assert not failures, "\n".join(failures)


@pytest.fixture(scope="module")
def task_lifecycle(pytestconfig):
    return Contract(find_document(pytestconfig.getoption("openapi"), "AGENTRAIL_OPENAPI",
                                  "task-lifecycle.openapi.yaml"))


@pytest.fixture(scope="module")
def operator_document(pytestconfig):
    return Contract(find_document(pytestconfig.getoption("operator_openapi"), "AGENTRAIL_OPERATOR_OPENAPI",
                                  "intake-routing-admin.openapi.yaml"), REFERENCE_SCHEMAS)


def test_task_lifecycle_document(mock_binary, task_lifecycle):
    c = task_lifecycle
    receiver = mu.Receiver()
    # --event-types contract: the document's four event types only, so every event can be validated.
    mock = mu.Mock(mock_binary, "--event-types", "contract", "--max-streams", "2", "--delivery-backoff-scale", "0.001",
                   "--heartbeat-ms", "200")
    try:
        scenario(c, mock, receiver)
    finally:
        code = mock.stop()
        receiver.close()
    c.record(code == 0, "mock exits 0 on SIGTERM", f"exit code {code}")
    missing = [o for o in c.ops if not any(s[0] == o for s in c.seen) and o != "receiveTaskLifecycleWebhook"]
    c.record(not missing, "every operation exercised", f"missing {missing}")
    assert_all_passed(c)


def test_operator_document(mock_binary, task_lifecycle, operator_document):
    """The operator document, on a mock of its own."""
    c, op = task_lifecycle, operator_document
    passed_before, failures_before = c.passed, len(c.failures)
    mock = mu.Mock(mock_binary, "--event-types", "contract", "--heartbeat-ms", "200")
    try:
        operator_scenario(op, c, mock)
    finally:
        code = mock.stop()
    op.record(code == 0, "operator mock exits 0 on SIGTERM", f"exit code {code}")
    missing = [o for o in op.ops if not any(s[0] == o for s in op.seen)]
    op.record(not missing, "every operator operation exercised", f"missing {missing}")
    assert_all_passed(c, passed_before, failures_before)  # the tasks and events intake created
    assert_all_passed(op)


def exhaust_then(mock, fn, attempts=3):
    """Uses up the tiny rate-limited key's window, then calls fn (expected to be rate limited)."""
    r = None
    for _ in range(attempts):
        for _ in range(10):
            if mock.get("/tasks/mine", key=mu.RATELIMITED_KEY).status == 429:
                break
        r = fn()
        if r.status == 429:
            return r
    return r


def scenario(c, m, receiver):
    D, A = mu.DEMO_KEY, mu.ADMIN_KEY

    # ---- operations ----
    c.check("getHealth", m.get("/health"), 200)

    # ---- tasks: reads ----
    body = c.check("listMyTasks", m.get("/tasks/mine?limit=3", key=D), 200)
    c.record(body and body["page"]["hasMore"] and body["availableActions"] == ["fetch_next_page"], "list has more")
    nxt = body["page"]["nextCursor"]
    body = c.check("listMyTasks", m.get(f"/tasks/mine?limit=100&cursor={nxt}", key=D), 200, "second page")
    c.record(body and body["page"] == {"nextCursor": None, "hasMore": False}, "last page")
    c.check("listMyTasks", m.get("/tasks/mine?status=blocked", key=D), 200, "status filter")
    c.check("listMyTasks", m.get("/tasks/mine"), 401, "no key")
    c.check("listMyTasks", m.get("/tasks/mine", key="ar_live_nope"), 401, "unknown key")
    for task in (mu.TODO_TASK, mu.IN_PROGRESS_TASK, mu.SHIPPABLE_TASK, mu.FAILED_TASK, mu.BLOCKED_TASK, mu.DONE_TASK):
        c.check("getTaskById", m.get(f"/tasks/{task}", key=D), 200, task)
    c.check("getTaskById", m.get("/tasks/tsk_0000000000000000000000UNKNOWN", key=D), 404)

    # ---- event stream, opened early so it sees every lifecycle event ----
    stream = mu.SSEStream(m, "heartbeatSeconds=15")
    c.record(stream.status == 200, "streamTaskLifecycleEvents -> 200", str(stream.status))
    c.seen.add(("streamTaskLifecycleEvents", 200))
    h = stream.headers
    c.record(h.get("content-type", "").startswith("text/event-stream") and h.get("cache-control") == "no-store"
             and h.get("x-agentrail-replay-window-hours") == "72" and h.get("x-agentrail-stream-heartbeat-seconds") == "15"
             and h.get("x-agentrail-resume-mode") == "live", "stream headers", str(h))
    deadline = time.time() + 5
    while len(stream.text) < 12 and time.time() < deadline:
        stream.read_more(0.2)
    c.record(stream.text.startswith("retry: 5000\n"), "stream starts with retry: 5000", repr(stream.text[:40]))

    # ---- keys ----
    c.check("getAgentApiKeyUsage", m.get("/agent-api-keys/akey_localdemo/usage", key=D), 200)
    c.check("getAgentApiKeyUsage", m.get("/agent-api-keys/akey_localdemo/usage", key=A), 200, "admin")
    c.check("getAgentApiKeyUsage", m.get("/agent-api-keys/akeyUnknown0/usage".replace("akeyUnknown0", "akey_unknown0"), key=A),
            401, "unknown key id")
    c.check("getAgentApiKeyUsage", m.get("/agent-api-keys/akey_localdemo/usage", key=mu.READONLY_KEY), 403)
    c.check("getAgentApiKeyUsage", exhaust_then(m, lambda: m.get("/agent-api-keys/akey_localratelimited/usage",
                                                                   key=mu.RATELIMITED_KEY)), 429)

    new_key = {"agent": {"id": "agt_ci_reader", "displayName": "CI Reader", "role": "platform_ci",
                         "externalIdentities": [{"provider": "github", "subject": "agentrail-ci-reader"}]},
               "scopes": ["ci:read", "tasks:read"], "rateLimit": {"windowSeconds": 60, "maxRequests": 600},
               "expiresAt": "2031-06-01T00:00:00Z"}
    k = idem()
    created = c.check("createAgentApiKey", m.post("/agent-api-keys", new_key, key=A, idem=k), 201)
    replay = c.check("createAgentApiKey", m.post("/agent-api-keys", new_key, key=A, idem=k), 201, "replay")
    c.record(created == replay, "create-key replay returns the same body")
    c.check("createAgentApiKey", m.post("/agent-api-keys", {**new_key, "scopes": ["ci:read"]}, key=A, idem=k), 409)
    c.check("createAgentApiKey", m.post("/agent-api-keys", {**new_key, "scopes": []}, key=A, idem=idem()), 400)
    c.check("createAgentApiKey", m.post("/agent-api-keys", new_key, key=A), 400, "missing Idempotency-Key")
    c.check("createAgentApiKey", m.post("/agent-api-keys", new_key, idem=idem()), 401)
    c.check("createAgentApiKey", m.post("/agent-api-keys", new_key, key=D, idem=idem()), 403)
    c.check("createAgentApiKey", exhaust_then(m, lambda: m.post("/agent-api-keys", new_key, key=mu.RATELIMITED_KEY,
                                                                  idem=idem())), 429)
    secret, key_id = created["data"]["apiKey"], created["data"]["id"]
    c.check("listMyTasks", m.get("/tasks/mine", key=secret), 200, "created key works")

    rot = c.check("rotateAgentApiKey", m.post(f"/agent-api-keys/{key_id}/rotate", {"expiresAt": None}, key=A,
                                              idem=idem()), 201)
    c.record(rot and rot["data"]["rotatedFromKeyId"] == key_id, "rotatedFromKeyId")
    c.check("listMyTasks", m.get("/tasks/mine", key=secret), 401, "rotated key is rejected")
    c.check("rotateAgentApiKey", m.post(f"/agent-api-keys/{key_id}/rotate", {}, key=A, idem=idem()), 409, "inactive")
    c.check("rotateAgentApiKey", m.post(f"/agent-api-keys/{rot['data']['id']}/rotate", {"expiresAt": "tomorrow"},
                                        key=A, idem=idem()), 400)
    c.check("rotateAgentApiKey", m.post("/agent-api-keys/akey_missing/rotate", {}, key=A, idem=idem()), 401)
    c.check("rotateAgentApiKey", m.post("/agent-api-keys/akey_localadmin/rotate", {}, key=D, idem=idem()), 403)
    c.check("rotateAgentApiKey", exhaust_then(m, lambda: m.post("/agent-api-keys/akey_localratelimited/rotate", {},
                                                                  key=mu.RATELIMITED_KEY, idem=idem())), 429)

    # ---- subscriptions ----
    sub_body = {"url": receiver.url, "eventTypes": ["task.awaiting_user", "task.updated", "task.reviewed", "task.shipped"],
                "secret": "whsec_contract_secret_0001", "description": "contract test receiver"}
    k = idem()
    sub = c.check("createEventSubscription", m.post("/event-subscriptions", sub_body, key=D, idem=k), 201)
    c.check("createEventSubscription", m.post("/event-subscriptions", sub_body, key=D, idem=k), 201, "replay")
    c.check("createEventSubscription", m.post("/event-subscriptions", sub_body, key=D, idem=idem()), 409, "duplicate")
    c.check("createEventSubscription", m.post("/event-subscriptions", {**sub_body, "description": "x"}, key=D, idem=k),
            409, "idempotency mismatch")
    c.check("createEventSubscription", m.post("/event-subscriptions", {**sub_body, "secret": "short"}, key=D, idem=idem()),
            400)
    sub_id = sub["data"]["id"]
    c.check("listEventSubscriptions", m.get("/event-subscriptions", key=D), 200)
    c.check("listEventSubscriptions", m.get("/event-subscriptions"), 401)
    c.check("listEventSubscriptions", m.get("/event-subscriptions", key=mu.READONLY_KEY), 403)
    c.check("getEventSubscription", m.get(f"/event-subscriptions/{sub_id}", key=D), 200)
    c.check("getEventSubscription", m.get(f"/event-subscriptions/{sub_id}"), 401)
    c.check("getEventSubscription", m.get(f"/event-subscriptions/{sub_id}", key=mu.READONLY_KEY), 403)
    c.check("getEventSubscription", m.get("/event-subscriptions/evsub_missing", key=D), 404)

    # ---- lifecycle: block / resolve ----
    blocker = {"sourceRunId": "run_contract_1", "sourceAgentId": "agt_demo", "reason": "missing_credentials",
               "actionRequired": "Reconnect GitHub.", "resumeInstructions": "Resolve, then start again."}
    c.check("blockTaskAwaitingUser", m.post(f"/tasks/{mu.TODO_TASK_2}/blocker", blocker, key=D, idem=idem()), 202)
    c.check("blockTaskAwaitingUser", m.post(f"/tasks/{mu.TODO_TASK_2}/blocker", blocker, key=D, idem=idem()), 409)
    c.check("blockTaskAwaitingUser", m.post(f"/tasks/{mu.TODO_TASK_2}/blocker", {**blocker, "sourceRunId": "bad"},
                                            key=D, idem=idem()), 400)
    c.check("blockTaskAwaitingUser", m.post(f"/tasks/{mu.TODO_TASK_2}/blocker", blocker, idem=idem()), 401)
    c.check("blockTaskAwaitingUser", m.post(f"/tasks/{mu.OTHER_TASK}/blocker", blocker, key=D, idem=idem()), 403)
    c.check("blockTaskAwaitingUser", m.post("/tasks/tsk_nope/blocker", blocker, key=D, idem=idem()), 404)
    res = {"resolutionSummary": "GitHub was reconnected."}
    c.check("resolveTaskBlocker", m.post(f"/tasks/{mu.TODO_TASK_2}/resolve-blocker", res, key=D, idem=idem()), 202)
    c.check("resolveTaskBlocker", m.post(f"/tasks/{mu.TODO_TASK_2}/resolve-blocker", res, key=D, idem=idem()), 409)
    c.check("resolveTaskBlocker", m.post(f"/tasks/{mu.BLOCKED_TASK}/resolve-blocker", {}, key=D, idem=idem()), 400)
    c.check("resolveTaskBlocker", m.post(f"/tasks/{mu.BLOCKED_TASK}/resolve-blocker", res, idem=idem()), 401)
    c.check("resolveTaskBlocker", m.post(f"/tasks/{mu.OTHER_TASK}/resolve-blocker", res, key=D, idem=idem()), 403)
    c.check("resolveTaskBlocker", m.post("/tasks/tsk_nope/resolve-blocker", res, key=D, idem=idem()), 404)

    # ---- start, submit, CI, review, ship, rollback ----
    c.ops["startTask"] = ("POST", "/tasks/{id}/start", {})
    c.ops["rollbackTask"] = ("POST", "/tasks/{id}/rollback", {})
    c.check("startTask", m.post(f"/tasks/{mu.TODO_TASK}/start", key=D, idem=idem()), 202)
    c.check("startTask", m.post(f"/tasks/{mu.TODO_TASK}/start", key=D, idem=idem()), 409)
    submit = {"summary": "Retry-After is honoured.", "mode": "artifact",
              "artifacts": [{"type": "pull_request", "url": "https://github.com/agentrail-mock/demo/pull/42"}],
              "checks": [{"name": "unit", "status": "passed"}], "notes": None}
    c.check("getTaskCiStatus", m.get(f"/tasks/{mu.TODO_TASK}/ci-status", key=D), 404, "not submitted")
    c.check("getTaskReviewFeedback", m.get(f"/tasks/{mu.TODO_TASK}/review-feedback", key=D), 404, "not submitted")
    sub_resp = c.check("submitTaskWork", m.post(f"/tasks/{mu.TODO_TASK}/submit", submit, key=D, idem=idem()), 202)
    c.check("submitTaskWork", m.post(f"/tasks/{mu.TODO_TASK}/submit", submit, key=D, idem=idem()), 409)
    c.check("submitTaskWork", m.post(f"/tasks/{mu.IN_PROGRESS_TASK}/submit", {"mode": "artifact"}, key=D, idem=idem()),
            400)
    c.check("submitTaskWork", m.post("/tasks/tsk_nope/submit", submit, key=D, idem=idem()), 404)
    c.check("submitTaskWork", m.post(f"/tasks/{mu.IN_PROGRESS_TASK}/submit",
                                     {"summary": "Adapter PR", "mode": "adapter_managed",
                                      "pullRequest": {"title": "Pagination", "draft": False}}, key=D, idem=idem()), 202,
            "adapter_managed")
    c.check("getTaskCiStatus", m.get(f"/tasks/{mu.TODO_TASK}/ci-status", key=D), 200)
    c.check("getTaskCiStatus", m.get(f"/tasks/{mu.FAILED_TASK}/ci-status", key=D), 200, "failed CI")
    m.control("POST", "/_mock/faults", [
        {"kind": "status", "status": 429, "code": "ci_source_rate_limited", "pathContains": "/ci-status"},
        {"kind": "status", "status": 502, "code": "ci_source_auth_failed", "pathContains": "/ci-status"}])
    c.check("getTaskCiStatus", m.get(f"/tasks/{mu.TODO_TASK}/ci-status", key=D), 429, "injected")
    c.check("getTaskCiStatus", m.get(f"/tasks/{mu.TODO_TASK}/ci-status", key=D), 502, "injected")
    c.check("getTaskReviewFeedback", m.get(f"/tasks/{mu.TODO_TASK}/review-feedback", key=D), 200)
    c.check("getTaskReviewFeedback", m.get(f"/tasks/{mu.FAILED_TASK}/review-feedback", key=D), 200, "changes requested")
    sha = sub_resp["data"]["headSha"]
    ship = {"mode": "merge_and_deploy", "targetEnvironment": "production", "expectedHeadSha": sha}
    c.check("shipTaskWork", m.post(f"/tasks/{mu.TODO_TASK}/ship", {**ship, "expectedHeadSha": "abc"}, key=D,
                                   idem=idem()), 400)
    c.check("shipTaskWork", m.post(f"/tasks/{mu.FAILED_TASK}/ship", ship, key=D, idem=idem()), 409, "CI failed")
    c.check("shipTaskWork", m.post("/tasks/tsk_nope/ship", ship, key=D, idem=idem()), 404)
    shipped = c.check("shipTaskWork", m.post(f"/tasks/{mu.TODO_TASK}/ship", ship, key=D, idem=idem()), 202)
    c.record(shipped and shipped["data"]["status"] == "queued", "ship answers queued")
    done = c.check("getTaskById", m.get(f"/tasks/{mu.TODO_TASK}", key=D), 200, "after ship")
    c.record(done and done["data"]["status"] == "done" and done["availableActions"] == ["rollback"], "task is done")
    c.check("rollbackTask", m.post(f"/tasks/{mu.TODO_TASK}/rollback", key=D), 202)
    c.check("rollbackTask", m.post(f"/tasks/{mu.TODO_TASK}/rollback", key=D), 409)

    # ---- providers ----
    c.check("ingestCircleCiWebhook", m.post("/providers/circleci/webhooks",
                                            {"id": "evt-circleci-1", "type": "job-completed",
                                             "pipeline": {"vcs": {"branch": "agentrail/demo-3"}},
                                             "job": {"name": "unit-tests", "status": "success"}}), 202)
    c.check("ingestCircleCiWebhook", m.post("/providers/circleci/webhooks", raw="{not json"), 400)
    issue = {"id": "lin_issue_01", "identifier": "ENG-123", "title": "Integrate Linear issue source",
             "url": "https://linear.app/agentrail/issue/ENG-123", "state": {"type": "started", "name": "In Progress"},
             "workspace": {"urlKey": "agentrail"}, "labels": {"nodes": [{"name": "P1"}]}}
    k = idem()
    intake = c.check("ingestLinearIssue", m.post("/providers/linear/intake", issue, key=D, idem=k), 201)
    c.check("ingestLinearIssue", m.post("/providers/linear/intake", {**issue, "title": "x"}, key=D, idem=k), 409)
    c.check("ingestLinearIssue", m.post("/providers/linear/intake", {"id": "lin_2"}, key=D, idem=idem()), 400)
    c.check("ingestLinearIssue", m.post("/providers/linear/intake", issue, idem=idem()), 401)
    c.check("ingestLinearIssue", m.post("/providers/linear/intake", issue, key=mu.READONLY_KEY, idem=idem()), 403)
    c.check("ingestLinearIssue", exhaust_then(m, lambda: m.post("/providers/linear/intake", issue,
                                                                  key=mu.RATELIMITED_KEY, idem=idem())), 429)
    c.check("getTaskById", m.get(f"/tasks/{intake['data']['taskId']}", key=D), 200, "linear task")
    hook = {"action": "update", "type": "Issue", "webhookTimestamp": int(time.time() * 1000),
            "data": {"id": "lin_issue_01", "title": "Integrate Linear issues"}}
    c.check("ingestLinearWebhook", m.post("/providers/linear/webhooks", hook, headers={"Linear-Delivery": "dlv-1"}), 202)
    c.check("ingestLinearWebhook", m.post("/providers/linear/webhooks", {"type": "Issue"}), 400)

    # Deliveries still pending when a subscription is deactivated are dropped, so wait for them first.
    mu.wait_until(lambda: receiver.count() >= 6, timeout=20, what="webhook deliveries")

    # ---- subscription deactivation ----
    c.check("deactivateEventSubscription", m.request("DELETE", f"/event-subscriptions/{sub_id}", key=D), 202)
    c.check("deactivateEventSubscription", m.request("DELETE", "/event-subscriptions/evsub_missing", key=D), 404)

    # ---- stream: events, resume, expired cursor, stream limit ----
    events = stream.events(6, timeout=5)
    c.record(len(events) == 6, "stream delivered lifecycle events", f"{len(events)} events")
    types = set()
    for ev in events:
        env = ev["json"]
        types.add(env["type"])
        c.validate_schema("TaskLifecycleEventEnvelope", env, f"SSE event {env.get('type')} #{env.get('sequence')}")
        c.record(ev.get("id") == env["id"] and ev.get("event") == env["type"], "SSE id/event lines match the envelope")
    second = mu.SSEStream(m, "", headers={"Last-Event-ID": events[0]["id"]})
    c.record(second.status == 200 and second.headers.get("x-agentrail-resume-mode") == "replay_then_live",
             "stream resume -> 200 replay_then_live", str(second.headers))
    replayed = second.events(1, timeout=3)
    c.record(replayed and replayed[0]["json"]["sequence"] == events[1]["json"]["sequence"], "replay starts after cursor")
    third = mu.SSEStream(m, "")
    c.record(third.status == 429 and third.headers.get("retry-after"), "third concurrent stream", str(third.status))
    c.seen.add(("streamTaskLifecycleEvents", third.status))
    third.close()
    r = m.get("/task-events/stream?cursor=evt_unknown123", key=D)
    c.check("streamTaskLifecycleEvents", r, 410)
    stream.close()
    second.close()

    # ---- webhook deliveries received by the subscriber ----
    for req in receiver.requests[:10]:
        hdr = req["headers"]
        env = json.loads(req["body"])
        c.validate_schema("TaskLifecycleEventEnvelope", env, f"webhook body {env.get('type')}")
        c.validate_param("AgentRailSubscriptionIdHeader", hdr.get("x-agentrail-subscription-id"), "subscription id header")
        c.validate_param("AgentRailEventIdHeader", hdr.get("x-agentrail-event-id"), "event id header")
        c.validate_param("AgentRailEventTypeHeader", hdr.get("x-agentrail-event-type"), "event type header")
        c.validate_param("AgentRailDeliveryIdHeader", hdr.get("x-agentrail-delivery-id"), "delivery id header")
        c.validate_param("AgentRailDeliveryAttemptHeader", hdr.get("x-agentrail-delivery-attempt"), "attempt header")
        c.validate_param("AgentRailSignatureHeader", hdr.get("x-agentrail-signature"), "signature header")
        expected = "sha256=" + hmac.new(sub_body["secret"].encode(), req["body"], hashlib.sha256).hexdigest()
        c.record(hdr.get("x-agentrail-signature") == expected, "webhook signature")
    c.seen.add(("receiveTaskLifecycleWebhook", 200))


def request_example(op, op_id, name):
    """The value of a request body example of the operator document."""
    _, _, operation = op.ops[op_id]
    return operation["requestBody"]["content"]["application/json"]["examples"][name]["value"]


def operator_scenario(op, c, m):
    """Every operation of the operator document, plus the reference server's run and task-source routes."""
    A, D, R = mu.ADMIN_KEY, mu.DEMO_KEY, mu.READONLY_KEY
    for op_id, method, path, statuses in (
            ("listAgentRuns", "GET", "/operator/agent-runs", {200: "ReferenceAgentRunListResponse"}),
            ("getAgentRun", "GET", "/operator/agent-runs/{runId}", {200: "ReferenceAgentRunResponse"}),
            ("getAgentRunContext", "GET", "/agent-runs/{runId}/context", {200: "ReferenceAgentRunContextResponse"}),
            ("reportAgentRun", "POST", "/agent-runs/{runId}/report", {202: "ReferenceAgentRunResponse"}),
            ("updateTaskSource", "PATCH", "/operator/tasks/{taskId}/source", {200: "ReferenceTaskSourceResponse"})):
        op.reference_ops[op_id] = statuses
        op.ops[op_id] = (method, path, {})
    put = lambda path, body, key=A, k=None: m.request("PUT", path, body=body, key=key, idem=k or idem())  # noqa: E731
    stream = mu.SSEStream(m, "heartbeatMs=200", key=A)

    # ---- rule sets ----
    current = op.check("getCurrentRoutingRuleSet", m.get("/operator/routing/rule-sets/current", key=A), 200)
    op.check("getCurrentRoutingRuleSet", m.get("/operator/routing/rule-sets/current"), 401)
    op.check("getCurrentRoutingRuleSet", m.get("/operator/routing/rule-sets/current", key=R), 403)
    replace = request_example(op, "replaceCurrentRoutingRuleSet", "replace")
    k = idem()
    created = op.check("replaceCurrentRoutingRuleSet", put("/operator/routing/rule-sets/current", replace, k=k), 201,
                       "the document's example")
    op.record(created and created["data"]["version"] == current["data"]["version"] + 1
              and created["data"]["audit"]["supersedesRuleSetId"] == current["data"]["id"], "new revision supersedes")
    replay = op.check("replaceCurrentRoutingRuleSet", put("/operator/routing/rule-sets/current", replace, k=k), 201,
                      "replay")
    op.record(replay == created, "rule set replay returns the same body")
    op.check("replaceCurrentRoutingRuleSet", put("/operator/routing/rule-sets/current", {**replace, "sourceRef": "x"},
                                                 k=k), 409)
    op.check("replaceCurrentRoutingRuleSet", put("/operator/routing/rule-sets/current", {**replace, "rules": "x"}), 400)
    op.check("replaceCurrentRoutingRuleSet", put("/operator/routing/rule-sets/current", replace, key=None), 401)
    op.check("replaceCurrentRoutingRuleSet", put("/operator/routing/rule-sets/current", replace, key=D), 403)

    # ---- agent profiles ----
    cto = request_example(op, "replaceRoutingAgentProfile", "cto_profile")
    k = idem()
    op.check("replaceRoutingAgentProfile", put("/operator/routing/agent-profiles/agt_cto", cto, k=k), 200,
             "the document's example")
    op.check("replaceRoutingAgentProfile", put("/operator/routing/agent-profiles/agt_cto", {**cto, "role": "x"}, k=k),
             409)
    op.check("replaceRoutingAgentProfile", put("/operator/routing/agent-profiles/agt_cto", {**cto, "status": "x"}), 400)
    op.check("replaceRoutingAgentProfile", put("/operator/routing/agent-profiles/agt_cto", cto, key=None), 401)
    op.check("replaceRoutingAgentProfile", put("/operator/routing/agent-profiles/agt_cto", cto, key=D), 403)
    op.check("getRoutingAgentProfile", m.get("/operator/routing/agent-profiles/agt_cto", key=A), 200)
    op.check("getRoutingAgentProfile", m.get("/operator/routing/agent-profiles/agt_demo", key=A), 200, "seeded")
    op.check("getRoutingAgentProfile", m.get("/operator/routing/agent-profiles/agt_nobody", key=A), 404)
    op.check("getRoutingAgentProfile", m.get("/operator/routing/agent-profiles/agt_cto"), 401)
    op.check("getRoutingAgentProfile", m.get("/operator/routing/agent-profiles/agt_cto", key=R), 403)

    # ---- evaluations (every outcome) and audit ----
    dry = request_example(op, "evaluateRouting", "dry_run")
    version = created["data"]["version"]
    evaluation = {**dry, "ruleSetVersion": version}
    k = idem()
    body = op.check("evaluateRouting", m.post("/operator/routing/evaluations", evaluation, key=A, idem=k), 200,
                    "the document's example")
    op.record(body and body["data"]["outcome"] == "no_route" and body["data"]["taskId"] is None,
              "the dashboard issue has no route", str(body and body["data"]["outcome"]))
    op.check("evaluateRouting", m.post("/operator/routing/evaluations", evaluation, key=A, idem=k), 200, "replay")
    op.check("evaluateRouting", m.post("/operator/routing/evaluations", {**evaluation, "ruleSetVersion": 1}, key=A,
                                       idem=k), 409)
    op.check("evaluateRouting", m.post("/operator/routing/evaluations", {**dry, "ruleSetVersion": 1}, key=A,
                                       idem=idem()), 409, "stale rule set version")
    op.check("evaluateRouting", m.post("/operator/routing/evaluations", {"snapshot": {}}, key=A, idem=idem()), 400)
    op.check("evaluateRouting", m.post("/operator/routing/evaluations", evaluation, idem=idem()), 401)
    op.check("evaluateRouting", m.post("/operator/routing/evaluations", evaluation, key=D, idem=idem()), 403)
    issue = request_example(op, "ingestProviderIssue", "github_issue")
    assigned = op.check("evaluateRouting", m.post("/operator/routing/evaluations", {"snapshot": issue}, key=A,
                                                  idem=idem()), 200, "assigned")
    op.record(assigned and assigned["data"]["outcome"] == "assigned"
              and assigned["data"]["target"] == {"type": "agent", "id": "agt_cto"}, "the example issue goes to agt_cto")
    rules = [{"id": "q", "name": "Queue", "enabled": True, "priority": 1, "conditions": {"labelsAny": ["queue"]},
              "target": {"type": "triage_queue", "id": "triage_docs"}, "confidence": 1, "explanation": "q"},
             {"id": "c1", "name": "C1", "enabled": True, "priority": 2, "conditions": {"labelsAny": ["dispute"]},
              "target": {"type": "agent", "id": "agt_other"}, "confidence": 0.5, "explanation": "c1"},
             {"id": "c2", "name": "C2", "enabled": True, "priority": 2, "conditions": {"labelsAny": ["dispute"]},
              "target": {"type": "agent", "id": "agt_demo"}, "confidence": 0.5, "explanation": "c2"}]
    classifier = {**replace["classifier"], "confidenceThreshold": 0.5}
    op.check("replaceCurrentRoutingRuleSet", put("/operator/routing/rule-sets/current",
                                                 {**replace, "rules": replace["rules"] + rules,
                                                  "classifier": classifier}), 201, "more rules")
    demo_issue = {**issue, "repository": {**issue["repository"], "owner": "agentrail-mock", "name": "demo"}}
    for labels, outcome, extra in ((["queue"], "triage", {}), (["dispute"], "conflict", {}),
                                   ([], "assigned", {"issueType": "feature", "capabilityTags": ["cpp", "cli"]})):
        snap = {**demo_issue, "labels": labels, **extra}
        d = op.check("evaluateRouting", m.post("/operator/routing/evaluations", {"snapshot": snap}, key=A, idem=idem()),
                     200, outcome)
        op.record(d and d["data"]["outcome"] == outcome, f"evaluation outcome {outcome}", str(d and d["data"]))
    audit = op.check("getRoutingDecisionAudit", m.get(f"/operator/routing/audit/{assigned['data']['id']}", key=A), 200)
    op.record(audit and audit["data"]["ruleSet"]["version"] == version, "audit names the rule set revision")
    op.check("getRoutingDecisionAudit", m.get("/operator/routing/audit/rdec_missing", key=A), 404)
    op.check("getRoutingDecisionAudit", m.get(f"/operator/routing/audit/{assigned['data']['id']}"), 401)
    op.check("getRoutingDecisionAudit", m.get(f"/operator/routing/audit/{assigned['data']['id']}", key=R), 403)

    # ---- intake: the routed task and its event also follow the task-lifecycle document ----
    k = idem()
    intake = op.check("ingestProviderIssue", m.post("/operator/intake/provider-issues", issue, key=A, idem=k), 202,
                      "the document's example")
    op.record(intake and intake["data"]["taskIdentifier"] == issue["providerIssueId"]
              and intake["data"]["confidence"] == 0.99, "intake assigns the issue to agt_cto", str(intake and intake["data"]))
    op.check("ingestProviderIssue", m.post("/operator/intake/provider-issues", issue, key=A, idem=k), 202, "replay")
    op.check("ingestProviderIssue", m.post("/operator/intake/provider-issues", {**issue, "title": "x"}, key=A, idem=k),
             409, "idempotency mismatch")
    op.check("ingestProviderIssue", m.post("/operator/intake/provider-issues", issue, key=A, idem=idem()), 202,
             "routed again")
    op.check("ingestProviderIssue", m.post("/operator/intake/provider-issues", {**issue, "links": {}}, key=A,
                                           idem=idem()), 400)
    op.check("ingestProviderIssue", m.post("/operator/intake/provider-issues", issue, idem=idem()), 401)
    op.check("ingestProviderIssue", m.post("/operator/intake/provider-issues", issue, key=R, idem=idem()), 403)
    triaged = {**demo_issue, "providerIssueId": "github:agentrail-mock/demo:issues/96", "labels": ["queue"]}
    op.check("ingestProviderIssue", m.post("/operator/intake/provider-issues", triaged, key=A, idem=idem()), 202,
             "triage")
    task_id = intake["data"]["taskId"]
    cto_key = m.post("/agent-api-keys", {"agent": {"id": "agt_cto", "displayName": "CTO", "role": "cto",
                                                   "externalIdentities": []},
                                         "scopes": ["tasks:read"], "rateLimit": {"windowSeconds": 60, "maxRequests": 100}},
                     key=A, idem=idem()).json()["data"]["apiKey"]
    detail = c.check("getTaskById", m.get(f"/tasks/{task_id}", key=cto_key), 200, "routed by intake")
    latest = detail and m.get(f"/operator/routing/audit/{detail['data']['routingDecisionId']}", key=A).json()
    c.record(detail and detail["data"]["assignmentSource"] == "deterministic_rule"
             and latest["data"]["decision"]["taskId"] == task_id, "routed task carries its latest decision")
    listed = c.check("listMyTasks", m.get("/tasks/mine", key=cto_key), 200, "routed task")
    c.record(listed and [t["id"] for t in listed["data"]] == [task_id], "routed task in the agent's list")
    events = stream.events(3, timeout=5)
    c.record(len(events) == 3, "intake emitted events", f"{len(events)} events")
    for ev in events:
        c.validate_schema("TaskLifecycleEventEnvelope", ev["json"], f"intake event {ev['json'].get('type')}")
    stream.close()

    # ---- setup verification ----
    setup = request_example(op, "createSetupVerificationTask", "create")
    m.post("/agent-api-keys", {"agent": {"id": setup["agentId"], "displayName": "Setup", "role": "engineer",
                                         "externalIdentities": []},
                               "scopes": ["tasks:read"], "rateLimit": {"windowSeconds": 60, "maxRequests": 100}},
           key=A, idem=idem())
    op.check("replaceRoutingAgentProfile", put(f"/operator/routing/agent-profiles/{setup['agentId']}",
                                               {**cto, "displayName": "Setup"}), 200, "setup agent")
    k = idem()
    verification = op.check("createSetupVerificationTask",
                            m.post("/operator/setup/verification-task", setup, key=A, idem=k), 201,
                            "the document's example")
    op.record(verification and verification["data"]["taskIdentifier"] == "LOCAL-SETUP-AGT-SETUP",
              "setup task identifier as in the document's example")
    op.check("createSetupVerificationTask", m.post("/operator/setup/verification-task", setup, key=A, idem=k), 201,
             "replay")
    op.check("createSetupVerificationTask", m.post("/operator/setup/verification-task", {"agentId": setup["agentId"]},
                                                   key=A, idem=k), 409)
    op.check("createSetupVerificationTask", m.post("/operator/setup/verification-task", {"agentId": setup["agentId"]},
                                                   key=A, idem=idem()), 201, "refresh")
    op.check("createSetupVerificationTask", m.post("/operator/setup/verification-task", {}, key=A, idem=idem()), 400)
    op.check("createSetupVerificationTask", m.post("/operator/setup/verification-task", {"agentId": "agt_nobody"},
                                                   key=A, idem=idem()), 404)
    op.check("createSetupVerificationTask", m.post("/operator/setup/verification-task", setup, idem=idem()), 401)
    op.check("createSetupVerificationTask", m.post("/operator/setup/verification-task", setup, key=R, idem=idem()), 403)

    # ---- managed runs (reference server only) ----
    runs = op.check("listAgentRuns", m.get("/operator/agent-runs", key=A), 200)
    op.record(runs and len(runs["data"]) == 2, "intake and setup each started a run", str(runs and len(runs["data"])))
    op.check("listAgentRuns", m.get("/operator/agent-runs?limit=1&status=starting&agentId=agt_cto", key=A), 200,
             "filtered")
    op.check("listAgentRuns", m.get("/operator/agent-runs?status=nope", key=A), 400)
    op.check("listAgentRuns", m.get("/operator/agent-runs"), 401)
    op.check("listAgentRuns", m.get("/operator/agent-runs", key=R), 403)
    run_id = next(r["runId"] for r in runs["data"] if r["taskId"] == task_id)
    op.check("getAgentRun", m.get(f"/operator/agent-runs/{run_id}", key=A), 200)
    op.check("getAgentRun", m.get("/operator/agent-runs/run_missing", key=A), 404)
    op.check("getAgentRun", m.get(f"/operator/agent-runs/{run_id}", key=R), 403)
    token = m.control("GET", f"/_mock/agent-runs/{run_id}/token")["data"]["token"]
    op.check("getAgentRunContext", m.get(f"/agent-runs/{run_id}/context", key=token), 200)
    op.check("getAgentRunContext", m.get(f"/agent-runs/{run_id}/context", key=A), 401, "API key")
    report = {"status": "completed", "summary": "Routed work done.", "handoff": {"branch": "agentrail/agentrail-95"}}
    op.check("reportAgentRun", m.post(f"/agent-runs/{run_id}/report", {"status": "x"}, key=A), 400)
    op.check("reportAgentRun", m.post(f"/agent-runs/{run_id}/report", {"status": "progress", "summary": "Working."},
                                      key=cto_key), 403, "tasks:read only")
    op.check("reportAgentRun", m.post(f"/agent-runs/{run_id}/report", report, key=D), 403, "another agent")
    op.check("reportAgentRun", m.post(f"/agent-runs/{run_id}/report", report), 401)
    op.check("reportAgentRun", m.post("/agent-runs/run_missing/report", report, key=A), 404)
    done = op.check("reportAgentRun", m.post(f"/agent-runs/{run_id}/report", report, key=A), 202)
    op.record(done and done["data"]["status"] == "succeeded", "a completion report ends the run")
    setup_run = next(r["runId"] for r in runs["data"] if r["runId"] != run_id)
    blocked = {"status": "blocked", "summary": "Needs access.", "reason": "no_access", "actionRequired": "Grant access.",
               "resumeInstructions": "Resolve the blocker."}
    op.check("reportAgentRun", m.post(f"/agent-runs/{setup_run}/report", blocked, key=A), 202, "blocked")
    op.check("reportAgentRun", m.post(f"/agent-runs/{setup_run}/report", blocked, key=A), 409, "task already blocked")
    op.check("getAgentRun", m.get(f"/operator/agent-runs/{setup_run}", key=A), 200, "awaiting user")

    # ---- task source (reference server only) ----
    repair = {"sourceRef": "contract", "changeReason": "Point the task at its issue.",
              "source": {"owner": "oxnw", "repo": "agentrail", "issueNumber": 95, "baseBranch": "main"}}
    patch = lambda tid, body, key=A, k=None: m.request("PATCH", f"/operator/tasks/{tid}/source", body=body, key=key,  # noqa: E731
                                                        idem=k or idem())
    k = idem()
    op.check("updateTaskSource", patch(task_id, repair, k=k), 200)
    op.check("updateTaskSource", patch(task_id, repair, k=k), 200, "replay")
    op.check("updateTaskSource", patch(task_id, {**repair, "changeReason": "other"}, k=k), 409)
    op.check("updateTaskSource", patch(mu.TODO_TASK, {**repair, "source": {"labels": None, "pullNumber": 7}}), 200,
             "seeded task")
    op.check("updateTaskSource", patch(task_id, {**repair, "source": {}}), 400)
    op.check("updateTaskSource", patch("tsk_missing", repair), 404)
    op.check("updateTaskSource", patch(task_id, repair, key=None), 401)
    op.check("updateTaskSource", patch(task_id, repair, key=D), 403)

