#!/usr/bin/env python3
"""A bounded load soak of the real server on loopback, judged and written into docs/reliability.md.

For --seconds (default 75) the server carries at once:
  * thousands of WebSocket clients subscribed to the event's timeline, held open the whole time
    (praktika_load ws-connect), and a churn of hundreds more connecting and leaving every few seconds;
  * HTTP load: keep-alive GETs of the timeline and the public event (praktika_load http);
  * resumable uploads: a participant creating, sending in two pieces, checking and deleting files;
  * a health probe every half second.
It passes when the server's resident memory after warm-up stays flat, no request that should succeed
fails, every held WebSocket is still open at the end, every upload completes, and /api/health answers
every probe. The figures replace the part of docs/reliability.md between the soak markers.

Usage: scripts/soak.py [--seconds S] [--clients N] [--build DIR] [--no-write]
"""
import argparse
import atexit
import base64
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLOCK = "2020-06-20T10:00:00+08:00"  # the intake is open: uploads are accepted
EVENT = "/api/events/irkutsk-2020"


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def open_files(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


class Api:
    """One keep-alive HTTP/1.1 connection with a cookie, for the upload worker."""

    def __init__(self, port):
        self.port = port
        self.cookie = ""
        self.conn = None

    def request(self, method, target, body=b"", headers=None):
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                h = {"Host": f"127.0.0.1:{self.port}"}
                if self.cookie:
                    # A state change with the session cookie must name its page, as a browser's does.
                    h["Cookie"] = self.cookie
                    h["Origin"] = f"http://127.0.0.1:{self.port}"
                h.update(headers or {})
                self.conn.request(method, target, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                cookie = r.getheader("Set-Cookie")
                if cookie:
                    self.cookie = cookie.split(";")[0]
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data
            except (ConnectionError, http.client.HTTPException, OSError):
                if self.conn:
                    self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise
        raise RuntimeError("unreachable")


def jpeg(size, seed):
    head = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    body = bytes((seed + i) % 251 for i in range(size - len(head) - 2))
    return head + body + b"\xff\xd9"


def upload_worker(port, stop, figures):
    api = Api(port)
    status, _, body = api.request("POST", "/api/auth/register",
                                  json.dumps({"email": "soak@dom.ru", "password": "пароль участника",
                                              "full_name": "Нагрузка"}).encode(),
                                  {"Content-Type": "application/json"})
    if status != 201:
        figures["upload_failures"] += 1
        figures["first_upload_error"] = f"register: {status} {body[:200]!r}"
        return
    n = 0
    while not stop.is_set():
        n += 1
        data = jpeg(256 * 1024, n)
        name = base64.b64encode(f"скан {n}.jpg".encode()).decode()
        try:
            status, headers, body = api.request("POST", f"{EVENT}/uploads?purpose=payment", b"",
                                                {"Tus-Resumable": "1.0.0", "Upload-Length": str(len(data)),
                                                 "Upload-Metadata": f"filename {name}"})
            ok = status == 201
            if ok:
                location = headers["location"]
                half = len(data) // 2
                for offset, piece in ((0, data[:half]), (half, data[half:])):
                    status, _, body = api.request("PATCH", location, piece,
                                                  {"Tus-Resumable": "1.0.0", "Upload-Offset": str(offset),
                                                   "Content-Type": "application/offset+octet-stream"})
                    ok = ok and status == 204
                status, _, body = api.request("GET", location)
                ok = ok and status == 200 and json.loads(body).get("state") == "complete"
                status, _, _ = api.request("DELETE", location, b"", {"Tus-Resumable": "1.0.0"})
                ok = ok and status == 204
        except Exception as e:  # a dropped connection is a failure too
            ok, body = False, str(e).encode()
        if ok:
            figures["uploads"] += 1
            figures["upload_bytes"] += len(data)
        else:
            figures["upload_failures"] += 1
            figures.setdefault("first_upload_error", f"{status} {body[:200]!r}")


def health_worker(port, pid, stop, figures, samples):
    start = time.monotonic()
    while not stop.is_set():
        t0 = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health")
            r = conn.getresponse()
            r.read()
            conn.close()
            ok = r.status == 200
        except Exception:
            ok = False
        latency = time.monotonic() - t0
        figures["health_probes"] += 1
        if not ok:
            figures["health_failures"] += 1
        figures["health_max_ms"] = max(figures["health_max_ms"], latency * 1000)
        samples.append((time.monotonic() - start, rss_kb(pid), open_files(pid)))
        stop.wait(0.5)


def run_load(args, log):
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=75)
    parser.add_argument("--clients", type=int, default=3000)
    parser.add_argument("--churn", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    binary = os.path.join(args.build, "praktika")
    load = os.path.join(args.build, "praktika_load")
    for needed in (binary, load):
        if not os.access(needed, os.X_OK):
            print(f"soak: {needed} is missing (scripts/build.sh builds it)", file=sys.stderr)
            return 1
    data = tempfile.mkdtemp(prefix="praktika-soak-")
    log = open(os.path.join(data, "load.log"), "w")
    server = subprocess.Popen([binary, "serve", "--port", "0", "--data", os.path.join(data, "data"),
                               "--web", os.path.join(ROOT, "web", "dist"),
                               "--agenda", os.path.join(ROOT, "agenda", "irkutsk-2020.json"), "--clock", CLOCK,
                               "--connections-per-address", "0"],  # every client of the soak is 127.0.0.1
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    atexit.register(lambda: server.poll() is None and server.kill())  # whatever ends this script
    port = None
    for line in server.stdout:
        m = re.search(r"listening on http://[^ ]*:(\d+)", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        print("soak: the server did not start", file=sys.stderr)
        return 1
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()  # drain its output
    pid = server.pid
    rss_start = rss_kb(pid)

    stop = threading.Event()
    figures = {"uploads": 0, "upload_bytes": 0, "upload_failures": 0, "health_probes": 0, "health_failures": 0,
               "health_max_ms": 0.0, "churn_rounds": 0, "churn_connections": 0, "churn_failed": 0}
    samples = []
    started = time.monotonic()
    health = threading.Thread(target=health_worker, args=(port, pid, stop, figures, samples), daemon=True)
    health.start()

    # The held clients: connect, subscribe, then stay idle (open) until the end of the soak.
    hold_ms = args.seconds * 1000
    held = run_load([load, "ws-connect", "--url", f"ws://127.0.0.1:{port}/ws", "--connections", str(args.clients),
                     "--topic", "timeline:irkutsk-2020", "--concurrency", "100", "--settle-ms", str(hold_ms)], log)
    uploads = threading.Thread(target=upload_worker, args=(port, stop, figures), daemon=True)
    uploads.start()

    def churn():
        while not stop.is_set() and time.monotonic() - started < args.seconds - 5:
            p = run_load([load, "ws-connect", "--url", f"ws://127.0.0.1:{port}/ws", "--connections",
                          str(args.churn), "--topic", f"timeline:irkutsk-2020", "--concurrency", "50",
                          "--settle-ms", "1500"], log)
            out, _ = p.communicate()
            try:
                r = json.loads(out.strip().splitlines()[-1])
                figures["churn_rounds"] += 1
                figures["churn_connections"] += int(r["subscribed"])
                figures["churn_failed"] += int(r["failed"]) + int(r["connections"] - r["subscribed"])
            except Exception:
                figures["churn_failed"] += args.churn
    churner = threading.Thread(target=churn, daemon=True)
    churner.start()

    http_seconds = max(10, args.seconds - 10)
    http_runs = []
    for target in (f"{EVENT}/timeline", EVENT):
        http_runs.append(run_load([load, "http", "--url", f"http://127.0.0.1:{port}{target}", "--connections", "4",
                                   "--duration", str(http_seconds)], log))

    http_results = []
    for p in http_runs:
        out, _ = p.communicate()
        http_results.append(json.loads(out.strip().splitlines()[-1]))
    out, _ = held.communicate()
    held_result = json.loads(out.strip().splitlines()[-1])
    stop.set()
    for t in (uploads, churner, health):
        t.join()
    elapsed = time.monotonic() - started
    alive = server.poll() is None
    server.terminate()
    try:
        code = server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        code = -9

    # Memory: the median over the seconds after warm-up up to the middle, against the last quarter.
    after = [s for s in samples if s[0] >= args.warmup]
    if len(after) < 8:
        print("soak: too few samples", file=sys.stderr)
        return 1
    half = after[: len(after) // 2]
    tail = after[-max(4, len(after) // 4):]
    rss_warm = statistics.median(s[1] for s in half)
    rss_end = statistics.median(s[1] for s in tail)
    rss_peak = max(s[1] for s in samples)
    growth = (rss_end - rss_warm) / rss_warm
    fds_peak = max(s[2] for s in samples)

    requests = sum(r["responses"] for r in http_results)
    http_bad = sum(r["non_2xx"] + r["errors"] for r in http_results)
    checks = {
        "server alive and answering health checks": alive and figures["health_failures"] == 0,
        "every held WebSocket subscribed": held_result["subscribed"] == args.clients and held_result["failed"] == 0,
        "every held WebSocket still open at the end": held_result["still_open_after_settle"] == args.clients,
        "no churned connection refused": figures["churn_failed"] == 0 and figures["churn_rounds"] > 0,
        "no HTTP request failed": http_bad == 0 and requests > 0,
        "every upload completed": figures["upload_failures"] == 0 and figures["uploads"] > 0,
        "resident memory flat after warm-up (< 10 % growth)": growth < 0.10,
        "clean exit on SIGTERM": code == 0,
    }
    ok = all(checks.values())

    p99 = [r["latency"]["p99_us"] for r in http_results]
    table = [
        ("duration", f"{elapsed:.0f} s (warm-up {args.warmup} s)"),
        ("WebSocket clients held open", f"{held_result['still_open_after_settle']} of {args.clients} "
                                        f"(subscribed in {held_result['seconds']:.1f} s)"),
        ("WebSocket churn", f"{figures['churn_connections']} connections in {figures['churn_rounds']} rounds, "
                            f"{figures['churn_failed']} refused"),
        ("HTTP requests", f"{requests} ({requests / http_seconds:.0f}/s), {http_bad} failed, p99 "
                          + " / ".join(f"{v / 1000:.1f} ms" for v in p99)),
        ("uploads (256 KiB, two PATCHes, checked, deleted)",
         f"{figures['uploads']} completed, {figures['upload_failures']} failed"),
        ("health probes", f"{figures['health_probes']}, {figures['health_failures']} failed, "
                          f"slowest {figures['health_max_ms']:.0f} ms"),
        ("server RSS", f"{rss_start / 1024:.0f} MiB at start, {rss_warm / 1024:.1f} MiB after warm-up, "
                       f"{rss_end / 1024:.1f} MiB at the end ({growth * 100:+.1f} %), peak {rss_peak / 1024:.1f} MiB"),
        ("server open files, peak", str(fds_peak)),
        ("exit on SIGTERM", f"code {code}"),
    ]
    lines = ["| measure | figure |", "|---|---|"] + [f"| {k} | {v} |" for k, v in table]
    lines += ["", "| check | result |", "|---|---|"] + [f"| {k} | {'passed' if v else 'FAILED'} |"
                                                       for k, v in checks.items()]
    report = "\n".join(lines)
    print(report)
    if not args.no_write:
        doc = os.path.join(ROOT, "docs", "reliability.md")
        text = open(doc).read()
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        block = (f"<!-- soak:begin (written by scripts/soak.py) -->\nLast run: {stamp}, `scripts/soak.py --seconds "
                 f"{args.seconds} --clients {args.clients}`, {os.cpu_count()} cores.\n\n{report}\n<!-- soak:end -->")
        text = re.sub(r"<!-- soak:begin.*?<!-- soak:end -->", lambda _: block, text, flags=re.S)
        open(doc, "w").write(text)
    log.close()
    if ok:
        subprocess.run(["rm", "-rf", data])
    else:
        print("soak: FAILED: " + ", ".join(k for k, v in checks.items() if not v) + f" (logs in {data})",
              file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
