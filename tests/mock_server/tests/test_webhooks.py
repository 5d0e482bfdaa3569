#!/usr/bin/env python3
"""Webhook deliveries: headers, signature checked with the openssl binary, retries, 410, permanent failures."""

import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mockutil import *  # noqa: E402,F403

D = DEMO_KEY
SECRET = "whsec_test_secret_0001"
ALL_TYPES = ["task.updated", "task.reviewed", "task.shipped", "task.awaiting_user"]


def subscribe(m, url, types=ALL_TYPES, task_ids=None, tag="1"):
    body = {"url": url, "eventTypes": types, "secret": SECRET}
    if task_ids is not None:
        body["filters"] = {"taskIds": task_ids}
    r = m.post("/event-subscriptions", body, key=D, idem=f"sub-{tag}-{time.time_ns()}")
    assert r.status == 201, r
    return r.json()["data"]["id"]


def deliveries(m, sub_id):
    return m.control("GET", f"/_mock/deliveries?subscriptionId={sub_id}")["data"]


def openssl_hmac(secret, body):
    with tempfile.NamedTemporaryFile() as f:
        f.write(body)
        f.flush()
        out = subprocess.run(["openssl", "dgst", "-sha256", "-hmac", secret, f.name], capture_output=True, text=True,
                             check=True, timeout=10).stdout
    return out.strip().rsplit(" ", 1)[-1].lower()


def test_delivery_headers_and_signature(binary):
    rx = Receiver()
    try:
        with Mock(binary) as m:
            sub_id = subscribe(m, rx.url)
            m.post(f"/tasks/{TODO_TASK}/start", key=D, idem="wh-start-0001")
            wait_until(lambda: rx.count() >= 1, what="delivery")
            req = rx.requests[0]
            h = req["headers"]
            env = json.loads(req["body"])
            assert h["x-agentrail-subscription-id"] == sub_id
            assert h["x-agentrail-event-id"] == env["id"] and h["x-agentrail-event-type"] == env["type"] == "task.updated"
            assert re.fullmatch(r"dlv_[A-Za-z0-9]+", h["x-agentrail-delivery-id"])
            assert h["x-agentrail-delivery-attempt"] == "1"
            assert h["content-type"].startswith("application/json")
            assert env["data"]["taskId"] == TODO_TASK and env["data"]["status"] == "in_progress"
            sig = h["x-agentrail-signature"]
            assert sig == "sha256=" + openssl_hmac(SECRET, req["body"]), sig
            d = deliveries(m, sub_id)
            assert d[0]["status"] == "delivered" and d[0]["attempts"] == 1
            # The SSE data line and the webhook body are the same JSON text.
            s = SSEStream(m, "cursor=0")
            ev = s.events(1)[0]
            assert ev["data"].encode() == req["body"]
            s.close()
    finally:
        rx.close()


def test_retry_after_500(binary):
    rx = Receiver(statuses=[500, 503])
    try:
        with Mock(binary, "--delivery-backoff-scale", "0.005") as m:
            sub_id = subscribe(m, rx.url)
            m.post(f"/tasks/{TODO_TASK}/start", key=D, idem="wh-start-0002")
            wait_until(lambda: rx.count() >= 3, timeout=10, what="three attempts")
            event_ids = {r["headers"]["x-agentrail-event-id"] for r in rx.requests}
            delivery_ids = {r["headers"]["x-agentrail-delivery-id"] for r in rx.requests}
            attempts = [r["headers"]["x-agentrail-delivery-attempt"] for r in rx.requests]
            assert len(event_ids) == 1 and len(delivery_ids) == 3 and attempts == ["1", "2", "3"]
            assert rx.requests[0]["body"] == rx.requests[2]["body"]
            d = wait_until(lambda: [x for x in deliveries(m, sub_id) if x["status"] == "delivered"], what="delivered")[0]
            assert d["attempts"] == 3 and [a["responseStatus"] for a in d["attemptLog"]] == [500, 503, 200]
    finally:
        rx.close()


def test_410_disables_subscription(binary):
    rx = Receiver(default_status=410)
    try:
        with Mock(binary) as m:
            sub_id = subscribe(m, rx.url)
            m.post(f"/tasks/{TODO_TASK}/start", key=D, idem="wh-start-0003")
            wait_until(lambda: m.get(f"/event-subscriptions/{sub_id}", key=D).json()["data"]["status"] == "disabled",
                     what="subscription disabled")
            assert rx.count() == 1
            m.post(f"/tasks/{TODO_TASK_2}/start", key=D, idem="wh-start-0004")
            time.sleep(0.3)
            assert rx.count() == 1, "a disabled subscription received a delivery"
            assert deliveries(m, sub_id)[0]["status"] == "failed"
    finally:
        rx.close()


def test_4xx_fails_permanently_and_network_errors_retry(binary):
    rx = Receiver(default_status=400)
    try:
        with Mock(binary, "--delivery-backoff-scale", "0.0005", "--delivery-timeout-ms", "500") as m:
            sub_id = subscribe(m, rx.url)
            m.post(f"/tasks/{TODO_TASK}/start", key=D, idem="wh-start-0005")
            wait_until(lambda: deliveries(m, sub_id) and deliveries(m, sub_id)[0]["status"] == "failed", what="failed")
            time.sleep(0.2)
            assert rx.count() == 1 and deliveries(m, sub_id)[0]["attempts"] == 1
            m.request("DELETE", f"/event-subscriptions/{sub_id}", key=D)
            # Nothing listens on a closed port: network errors are retried up to 8 attempts.
            import socket
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            dead_port = probe.getsockname()[1]
            probe.close()
            dead = subscribe(m, f"http://127.0.0.1:{dead_port}/gone", tag="dead")
            m.post(f"/tasks/{TODO_TASK_2}/start", key=D, idem="wh-start-0006")
            final = wait_until(lambda: [x for x in deliveries(m, dead) if x["status"] == "failed"], timeout=15,
                             what="gave up")[0]
            assert final["attempts"] == 8 and all(a["responseStatus"] is None and a["error"] for a in final["attemptLog"])
    finally:
        rx.close()


def test_filters_and_remote_urls(binary):
    rx = Receiver()
    try:
        with Mock(binary) as m:
            sub_id = subscribe(m, rx.url, types=["task.awaiting_user"], task_ids=[TODO_TASK_2])
            remote = subscribe(m, "https://hooks.example.com/agentrail", tag="remote")
            m.post(f"/tasks/{TODO_TASK}/blocker", {"sourceRunId": "run_1", "sourceAgentId": "agt_demo", "reason": "r",
                                                   "actionRequired": "a", "resumeInstructions": "i"},
                   key=D, idem="wh-block-0001")
            m.post(f"/tasks/{TODO_TASK_2}/start", key=D, idem="wh-start-0007")
            m.post(f"/tasks/{TODO_TASK_2}/blocker", {"sourceRunId": "run_1", "sourceAgentId": "agt_demo", "reason": "r",
                                                     "actionRequired": "a", "resumeInstructions": "i"},
                   key=D, idem="wh-block-0002")
            wait_until(lambda: rx.count() >= 1, what="filtered delivery")
            time.sleep(0.3)
            assert rx.count() == 1
            env = json.loads(rx.requests[0]["body"])
            assert env["type"] == "task.awaiting_user" and env["data"]["taskId"] == TODO_TASK_2
            skipped = deliveries(m, remote)
            assert skipped and all(x["status"] == "skipped" and x["attempts"] == 0 for x in skipped)
            assert deliveries(m, sub_id)[0]["status"] == "delivered"
    finally:
        rx.close()
