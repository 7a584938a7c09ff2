#!/usr/bin/env python3
"""Adds the demo's sample registration and practices through the server's public API."""
import http.cookiejar
import json
import sys
import time
import urllib.error
import urllib.request


def main(base, email, password, sample_file):
    with open(sample_file, encoding="utf-8") as f:
        sample = json.load(f)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    # The server refuses a state change with the session cookie that names no page, as any
    # browser's request names ours.
    origin = "/".join(base.split("/")[:3])

    def call(method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json", "Origin": origin})
        with opener.open(request) as response:
            return json.loads(response.read() or b"{}")

    for _ in range(100):  # the server is starting beside us
        try:
            urllib.request.urlopen(base + "/api/health", timeout=1)
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    event = "/api/events/irkutsk-2020"
    call("POST", "/api/auth/login", {"email": email, "password": password})
    call("PUT", event + "/registration", {"answers": sample["registration"]})
    for practice in sample["practices"]:
        created = call("POST", event + "/practices",
                       {"section": practice["section"], "type": practice["type"], "answers": practice["answers"]})
        if practice.get("submit"):
            call("POST", f"{event}/practices/{created['id']}/submit", {})
    print(f"demo: sample registration and {len(sample['practices'])} practices added for {email}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
