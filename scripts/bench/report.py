#!/usr/bin/env python3
"""Turns the raw JSON of one run of scripts/bench/run.sh into the tables of docs/performance.md.

Each run of praktika_load left results/<scenario>/<server>.<round>.json. Every figure shown is the
median over the rounds, with its spread (min–max over the rounds) beside it when there were several;
a ratio of two such figures says whether their spreads overlap ("within spread": the rounds cannot
tell the two apart) or not. Only the part of the page between the markers below is rewritten: the
hand-written analysis around it stays.
"""
import argparse
import datetime
import json
import pathlib
import statistics

BEGIN = "<!-- bench:begin (written by scripts/bench/report.py; edit outside these markers) -->"
END = "<!-- bench:end -->"

PEER_NAMES = {
    "praktika": "praktika",
    "node-ws": "Node ws",
    "bun": "Bun pub/sub",
    "nchan": "nginx + nchan",
    "nginx": "nginx (1 worker, sendfile)",
    "praktika-held": "praktika, its port held across the restart (systemd socket activation, `deploy/systemd/praktika.socket`)",
    "praktika-quiet": "praktika, no churn",
    "praktika-churn": "praktika, 100 connects + 100 disconnects/s",
    "tus": "@tus/server (file store)",
    "praktika-x1": "one instance",
    "praktika-x3": "three instances",
    "nginx-flashmob": "nginx (deploy/nginx/flashmob.conf, 1 worker, sendfile) + praktika's access answers",
    "floor": "kernel floor (bench/floor.cpp: epoll, accept4, one 101 write, one reply frame with the state)",
    "nchan-bare": "nginx + nchan, nothing sent after the 101 (not the same work: no state)",
}


def load(results):
    runs = {}
    for f in sorted(pathlib.Path(results).glob("*/*.json")):
        server, _, round_number = f.stem.rpartition(".")
        try:
            data = json.loads(f.read_text() or "{}")
        except json.JSONDecodeError:
            data = {"error": "unreadable result"}
        if isinstance(data, dict) and round_number.isdigit():
            data["_round"] = int(round_number)
        runs.setdefault(f.parent.name, {}).setdefault(server, []).append(data)
    return runs


def dig(data, path):
    for key in path.split("."):
        if isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        elif isinstance(data, dict) and data.get(key) is not None:
            data = data[key]
        else:
            return None
    return data


class Measured(float):
    """A median over the rounds that remembers the rounds' lowest and highest value. Scaling by a
    plain number (a unit change) scales the spread with it."""

    def __new__(cls, values):
        m = super().__new__(cls, statistics.median(values))
        m.lo, m.hi, m.n = min(values), max(values), len(values)
        return m

    def scaled(self, factor):
        m = Measured([self.lo * factor, float(self) * factor, self.hi * factor])
        m.n = self.n
        return m

    def __truediv__(self, other):
        if isinstance(other, (int, float)) and not isinstance(other, Measured):
            return self.scaled(1 / other)
        return float(self) / float(other)


class Ratio(float):
    """a / b of two measured figures; `overlap` when the spreads of a and b overlap."""

    def __new__(cls, a, b):
        r = super().__new__(cls, float(a) / float(b))
        r.overlap = None
        if isinstance(a, Measured) and isinstance(b, Measured) and min(a.n, b.n) > 1:
            r.overlap = a.lo <= b.hi and b.lo <= a.hi
        return r


def median(runs, path):
    values = [v for v in (dig(r, path) for r in runs) if isinstance(v, (int, float))]
    return Measured(values) if values else None


def number(value, digits):
    if digits == 0:
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:,.{digits}f}".replace(",", " ")


def fmt(value, unit="", digits=0):
    if value is None:
        return "—"
    text = number(value, digits) + unit
    if isinstance(value, Measured) and value.n > 1 and value.lo != value.hi:
        text += f" ({number(value.lo, digits)}–{number(value.hi, digits)})"
    if isinstance(value, Ratio) and value.overlap is not None:
        text += " (within spread)" if value.overlap else " (beyond spread)"
    return text


def ratio(a, b):
    if a is None or b in (None, 0):
        return None
    return Ratio(a, b)


def verdict(value, target, higher_is_better=True):
    if value is None:
        return "not measured"
    met = value >= target if higher_is_better else value <= target
    return "met" if met else "**not met**"


def errors(runs):
    found = sorted({str(r.get("error") or r.get("first_error")) for r in runs if r.get("error")})
    return "; ".join(found)


class Page:
    def __init__(self):
        self.lines = []
        self.targets = []  # (target, praktika, against, ratio, verdict)

    def add(self, *lines):
        self.lines.extend(lines)

    def table(self, header, rows):
        self.add("| " + " | ".join(header) + " |", "|" + "---|" * len(header))
        for row in rows:
            self.add("| " + " | ".join(row) + " |")
        self.add("")


def fanout(page, runs, bench):
    page.add("### Fan-out: 10 000 subscribers on one topic, 100-byte events at a rising rate", "")
    page.add("The rate rises step by step (×1.3, ×1.6 in quick mode) from 1 event/s. Two bounds: the target's "
             "(p99 time to the last subscriber ≤ 100 ms) and, for throughput, *sustained*: every event reaches every "
             "subscriber and the p99 stays under 1 s (no growing backlog). Throughput figures are from the last "
             "sustained step.", "")
    rows = []
    for s in ["praktika", "node-ws", "bun", "nchan"]:
        r = runs.get(s)
        if not r:
            rows.append([PEER_NAMES[s], "not run", "", "", "", "", "", ""])
            continue
        rows.append([
            PEER_NAMES[s],
            fmt(median(r, "best_sustained.deliveries_per_second")),
            fmt(median(r, "best_sustained.deliveries_per_cpu_second")),
            fmt(median(r, "best_sustained.rate"), digits=1),
            fmt(median(r, "best_sustained.server_cpu_percent"), " %"),
            fmt(median(r, "best_sustained.client_cpu_percent"), " %"),
            fmt(median(r, "best.rate"), digits=1) if median(r, "best.rate") is not None else "none",
            (r[0].get("stopped_because") or errors(r) or "").replace("|", "/"),
        ])
    page.table(["server", "deliveries/s (sustained)", "deliveries per CPU-second", "events/s sustained",
                "server CPU", "load client CPU", "events/s with p99 ≤ 100 ms", "stopped because"], rows)
    page.add("A load client near 100 % CPU means the figure is the client's limit, not the server's.", "")
    p = runs.get("praktika")
    for peer, target in (("node-ws", 2.5), ("nchan", 1.0), ("bun", 1.0)):
        for metric, label in (("deliveries_per_second", "deliveries/s"),
                              ("deliveries_per_cpu_second", "deliveries per CPU-second")):
            if not p:
                page.targets.append((f"fan-out {label} ≥ {target}× {PEER_NAMES[peer]}",
                                     "pending" if bench != "1" else "—", "", "", "not yet: needs `serve --bench`"))
                continue
            a = median(p, "best_sustained." + metric)
            b = median(runs.get(peer, []), "best_sustained." + metric)
            rt = ratio(a, b)
            page.targets.append((f"fan-out {label} ≥ {target}× {PEER_NAMES[peer]}", fmt(a), fmt(b),
                                 fmt(rt, "×", 2), verdict(rt, target)))


LATENCY_FLOOR = "kernel floor (bench/floor.cpp: one write() per subscriber per event)"


def latency(page, runs, bench):
    page.add("### Latency: 10 000 subscribers, 10 events/s", "")
    rows = []
    for s in ["praktika", "node-ws", "bun", "nchan", "floor"]:
        r = runs.get(s)
        name = LATENCY_FLOOR if s == "floor" else PEER_NAMES[s]
        if not r:
            rows.append([name, "not run", "", "", "", ""])
            continue
        rows.append([
            name,
            late(median(r, "steps.0.last_subscriber_latency.p50_us")),
            late(median(r, "steps.0.last_subscriber_latency.p99_us")),
            fmt(ms(median(r, "steps.0.delivery_latency.p99_us")), " ms", 1),
            fmt(median(r, "steps.0.incomplete_events")),
            fmt(median(r, "steps.0.server_cpu_percent"), " %"),
        ])
    page.table(["server", "p50 to the last subscriber", "p99 to the last subscriber",
                "p99 of all deliveries", "events missing (of 10/s × step)", "server CPU"], rows)
    page.add("The kernel floor subscribes by its URL as nchan does and writes each event, as the publisher "
             "sent it, to every subscriber with one `write()` each: what any server that sends each viewer "
             "its own TCP stream pays this kernel, with nothing of its own. A target under the floor's p99 "
             "cannot be met on this machine by any of the servers measured.", "")
    p = runs.get("praktika")
    last_p99 = lambda s: finite(median(runs.get(s, []), "steps.0.last_subscriber_latency.p99_us"))
    floor = last_p99("floor")
    under_floor = lambda target_us: (f": the target, {fmt(ms(target_us), ' ms', 1)}, is under the kernel floor's p99, "
                                     f"{fmt(ms(floor), ' ms', 1)}" if floor is not None and target_us < floor else "")
    v = ms(median(p, "steps.0.last_subscriber_latency.p99_us")) if p else None
    page.targets.append(("latency: p99 to the last subscriber < 50 ms", late(v * 1000 if v is not None else None), "", "",
                         verdict(v, 50, False) + (under_floor(50_000) if v is not None and v > 50 else "")
                         if p else "not yet: needs `serve --bench`"))
    peers = [s for s in PEERS if last_p99(s) is not None]
    if p and peers:
        best = min(peers, key=last_p99)
        rt = ratio(finite(median(p, "steps.0.last_subscriber_latency.p99_us")), last_p99(best))
        met = verdict(rt, 0.5, False)
        page.targets.append((f"latency: p99 to the last subscriber ≤ 0.5× the best peer's ({PEER_NAMES[best]})",
                             late(median(p, "steps.0.last_subscriber_latency.p99_us")), late(last_p99(best)),
                             fmt(rt, "×", 2), met + (under_floor(0.5 * last_p99(best)) if met != "met" else "")))
    if p and floor is not None:
        rt = ratio(finite(median(p, "steps.0.last_subscriber_latency.p99_us")), floor)
        page.targets.append(("latency: p99 to the last subscriber within 1.2× of the kernel floor's",
                             late(median(p, "steps.0.last_subscriber_latency.p99_us")), late(floor) + " (floor)",
                             fmt(rt, "×", 2), verdict(rt, 1.2, False)))


def ms(us):
    return None if us is None else us / 1000


def late(us):
    """A latency in ms, or ∞ when events went missing (the client counts them as infinitely late)."""
    if us is None:
        return "—"
    return "∞ (events missing)" if us >= 1e12 else fmt(us / 1000, " ms", 1)


def churn(page, runs, bench):
    page.add("### Presence churn through Redis: 10 000 subscribers, 10 events/s", "")
    quiet, busy = runs.get("praktika-quiet"), runs.get("praktika-churn")
    if not quiet or not busy:
        page.add("Not run" + (": needs `serve --bench`." if bench != "1" else "."), "")
        page.targets.append(("presence churn: fan-out p99 worsens ≤ 1.2×", "pending", "", "",
                             "not yet: needs `serve --bench`" if bench != "1" else "not run in this run"))
        return
    rows = []
    for name, r in (("praktika-quiet", quiet), ("praktika-churn", busy)):
        rows.append([PEER_NAMES[name],
                     late(median(r, "steps.0.last_subscriber_latency.p99_us")),
                     fmt(ms(median(r, "steps.0.delivery_latency.p99_us")), " ms", 1),
                     fmt(median(r, "steps.0.server_cpu_percent"), " %")])
    page.table(["run", "p99 to the last subscriber", "p99 of all deliveries", "server CPU"], rows)
    a = median(busy, "steps.0.last_subscriber_latency.p99_us")
    b = median(quiet, "steps.0.last_subscriber_latency.p99_us")
    rt = ratio(a, b) if (a or 0) < 1e12 and (b or 0) < 1e12 else None
    page.targets.append(("presence churn: fan-out p99 worsens ≤ 1.2×", late(a), late(b),
                         fmt(rt, "×", 2), verdict(rt, 1.2, False)))


def connections(page, runs):
    n = median(runs.get("praktika", []) or runs.get("floor", []), "connections")
    page.add(f"### Connections: {fmt(n)} upgrade and subscribe", "")
    page.add("praktika subscribes to `timeline:irkutsk-2020` as its front end does, in the upgrade's URL "
             "(the reply, carrying the timeline, comes with the 101); the peers to a bench topic in a message "
             "after the 101 (nchan: the URL is the subscription; the floor reads one frame and answers it). "
             "Every server answers a subscription with the same state, the event's timeline as praktika's "
             "reply carries it (`{\"timeline\": …}`, saved from `GET /api/events/irkutsk-2020/timeline`): "
             "Node ws, Bun and the floor in their reply, nchan as the channel's one stored message, which a "
             "subscriber on `/sub-state/` gets first. The row \"nothing sent after the 101\" is nchan as the "
             "runs before 2026-12-07 measured it: a subscription with no state, less work than the scenario's. "
             "Memory is the server's VmRSS after the connections went idle minus before, divided by the "
             "connections still open. The load "
             "client spreads its connections over 64 loopback source addresses (from one, its own "
             "`connect()` was the limit). CPU per upgrade is the server's CPU time (user and system) "
             "while the connections were made, divided by them: where the load client sets the pace, "
             "it still tells the servers apart.", "")
    rows = []
    for s in ["praktika", "node-ws", "bun", "nchan", "nchan-bare", "floor"]:
        r = runs.get(s)
        if not r:
            rows.append([PEER_NAMES[s], "not run", "", "", "", ""])
            continue
        rows.append([
            PEER_NAMES[s],
            fmt(median(r, "upgrades_per_second")),
            fmt(median(r, "server_cpu_us_per_upgrade"), " µs", 1),
            fmt(ms(median(r, "handshake.p99_us")), " ms", 1),
            fmt(median(r, "server_bytes_per_connection"), " B"),
            fmt(median(r, "subscribed")) + " / " + fmt(median(r, "connections")),
        ])
    page.table(["server", "upgrades/s", "server CPU per upgrade", "p99 upgrade + subscribe",
                "memory per idle connection",
                "subscribed"], rows)
    p = runs.get("praktika")
    a = median(p or [], "upgrades_per_second")
    b = median(runs.get("node-ws", []), "upgrades_per_second")
    rt = ratio(a, b)
    page.targets.append(("upgrades/s ≥ 3× Node ws", fmt(a), fmt(b), fmt(rt, "×", 2), verdict(rt, 3)))
    m = median(p or [], "server_bytes_per_connection")
    page.targets.append(("memory per idle connection ≤ 8 KB", fmt(m, " B"), "", "", verdict(m, 8192, False)))
    best = best_peer(runs, "upgrades_per_second", True)
    if best:
        b = median(runs[best], "upgrades_per_second")
        rt = ratio(a, b)
        page.targets.append((f"upgrades/s ≥ 1.0× the best peer ({PEER_NAMES[best]})", fmt(a), fmt(b), fmt(rt, "×", 2),
                             verdict(rt, 1.0)))
        mb = best_peer(runs, "server_bytes_per_connection", False)
        page.targets.append((f"memory per idle connection ≤ the best peer's ({PEER_NAMES[mb]})", fmt(m, " B"),
                             fmt(median(runs[mb], "server_bytes_per_connection"), " B"),
                             fmt(ratio(m, median(runs[mb], "server_bytes_per_connection")), "×", 2),
                             verdict(ratio(m, median(runs[mb], "server_bytes_per_connection")), 1.0, False)))
    bare = median(runs.get("nchan-bare", []), "upgrades_per_second")
    if bare is not None:
        rt = ratio(a, bare)
        page.targets.append(("upgrades/s ≥ 1.0× nginx + nchan sending nothing after the 101 (no state: less work)",
                             fmt(a), fmt(bare), fmt(rt, "×", 2), verdict(rt, 1.0)))
    f = median(runs.get("floor", []), "upgrades_per_second")
    if f is not None:
        # praktika within 1.2× of the floor: its rate at least 1/1.2 of the floor's.
        rt = ratio(a, f)
        page.targets.append(("upgrades/s within 1.2× of the kernel floor (≥ 0.83× its rate)", fmt(a), fmt(f) + " (floor)",
                             fmt(rt, "×", 2), verdict(rt, 1 / 1.2)))


PEERS = ("node-ws", "bun", "nchan")


def best_peer(runs, path, higher_is_better):
    """The peer with the best median of `path` in this run, or None when no peer ran."""
    found = [(median(runs[s], path), s) for s in PEERS if median(runs.get(s, []), path) is not None]
    if not found:
        return None
    return (max if higher_is_better else min)(found)[1]


def http(page, runs):
    page.add("### Gallery HTTP: keep-alive, 100 connections", "")
    page.add("\"Practice page JSON\" is `GET /api/events/irkutsk-2020` (the agenda's public part, serialised "
             "once at start-up and answered from memory with an ETag) until practice pages exist; nginx serves the same bytes as a static file. "
             "The photos are random bytes of 10 KB and 100 KB in the web root of both servers.", "")
    rows = []
    for what, label in (("http-json", "practice JSON"), ("http-10k", "10 KB file"), ("http-100k", "100 KB file")):
        r = runs.get(what, {})
        p, n = r.get("praktika"), r.get("nginx")
        a = median(p or [], "requests_per_second")
        b = median(n or [], "requests_per_second")
        bad = [r for r in (p or []) + (n or []) if r.get("non_2xx") or r.get("errors") or r.get("error")]
        if bad:
            label += " (**some answers were errors**: see the raw results)"
        rt = ratio(a, b)
        rows.append([label, fmt(a), fmt(b), fmt(rt, "×", 2),
                     fmt(ms(median(p or [], "latency.p99_us")), " ms", 1),
                     fmt(ms(median(n or [], "latency.p99_us")), " ms", 1),
                     fmt(median(p or [], "server_cpu_percent"), " %") + " / " +
                     fmt(median(n or [], "server_cpu_percent"), " %")])
        page.targets.append((f"HTTP {label} ≥ 0.8× nginx", fmt(a, " req/s"), fmt(b, " req/s"), fmt(rt, "×", 2),
                             verdict(rt, 0.8)))
        if what == "http-100k":
            page.targets.append(("HTTP 100 KB file ≥ 1.0× nginx (issue 23)", fmt(a, " req/s"), fmt(b, " req/s"),
                                 fmt(rt, "×", 2), verdict(rt, 1.0)))
    page.table(["resource", "praktika req/s", "nginx req/s", "ratio", "praktika p99", "nginx p99",
                "server CPU (praktika / nginx)"], rows)


def paired_upload_ratios(p, t, disk):
    """The disk's speed changes from minute to minute on a shared machine; within a round the disk
    and the two servers are measured a minute apart, so a round's own ratios say more than the
    ratio of medians taken from different rounds."""
    def by_round(runs):
        return {r["_round"]: r["mb_per_s"] for r in runs
                if isinstance(r.get("mb_per_s"), (int, float)) and "_round" in r}
    mine, peer, floor = by_round(p), by_round(t), by_round(disk)

    def paired(other):
        values = [mine[k] / other[k] for k in mine if other.get(k)]
        return fmt(Measured(values), "×", 2) if values else "—"
    return (f"Round by round, praktika against the disk of the same round: {paired(floor)}; against "
            f"`@tus/server` of the same round: {paired(peer)} (median and spread of the rounds' own ratios).")


def upload(page, runs, ws, upload_mb):
    page.add(f"### Upload: {upload_mb} MB resumable (tus 1.0, one PATCH)", "")
    p, t, disk = runs.get("praktika"), runs.get("tus"), runs.get("disk")
    if not p:
        page.add("Not run.", "")
        page.targets.append(("upload: ≥ 80 % of disk speed, RSS ≤ 64 MB, ≥ 1.5× @tus/server, WebSocket p99 ≤ 2× "
                             "idle", "pending", "", "", "not run in this run"))
        return
    page.add("The file is a valid MP4 (a two-second clip and a `free` box of random bytes). The disk's speed is "
             "`dd bs=1M conv=fdatasync` of the same size in the same run. praktika's last PATCH checks the file by "
             "its bytes, flushes it to the disk (`fdatasync`, the writes started along the way by "
             "`sync_file_range`) and records it before it answers 204; `@tus/server` answers once its writes "
             "are in the page cache. Each measurement (the disk's, each server's) starts after a `sync`, so the "
             "writeback of an earlier one does not land on it. RSS is the server's resident memory sampled "
             "every 50 ms during the PATCH. The WebSocket probe is 1000 subscribers at 10 events/s on praktika, "
             "once idle and once during its upload.", "")
    rows = []
    for name, r in (("praktika", p), ("tus", t)):
        if not r:
            rows.append([PEER_NAMES[name], "not run", "", "", ""])
            continue
        rows.append([PEER_NAMES[name], fmt(median(r, "mb_per_s"), " MB/s"), fmt(median(r, "seconds"), " s", 1),
                     fmt((median(r, "peak_rss_kb") or 0) / 1024, " MB", 1), errors(r) or "—"])
    rows.append(["disk (dd, fdatasync)", fmt(median(disk or [], "mb_per_s"), " MB/s"), "", "", ""])
    page.table(["server", "throughput", "time", "peak RSS", "errors"], rows)
    page.add(paired_upload_ratios(p, t or [], disk or []), "")
    a, d = median(p, "mb_per_s"), median(disk or [], "mb_per_s")
    page.targets.append((f"upload {upload_mb} MB ≥ 80 % of the disk's write speed", fmt(a, " MB/s"),
                         fmt(d, " MB/s") + " (disk)", fmt(ratio(a, d), "×", 2), verdict(ratio(a, d), 0.8)))
    rss = median(p, "peak_rss_kb")
    page.targets.append(("upload: server RSS ≤ 64 MB", fmt((rss or 0) / 1024, " MB", 1), "", "",
                         verdict(rss, 64 * 1024, False)))
    b = median(t or [], "mb_per_s")
    page.targets.append(("upload ≥ 1.5× @tus/server", fmt(a, " MB/s"), fmt(b, " MB/s"), fmt(ratio(a, b), "×", 2),
                         verdict(ratio(a, b), 1.5)))
    idle = median(ws.get("praktika-idle", []), "steps.0.last_subscriber_latency.p99_us")
    busy = median(ws.get("praktika-upload", []), "steps.0.last_subscriber_latency.p99_us")
    rt = ratio(busy, idle) if (busy or 0) < 1e12 and (idle or 0) < 1e12 else None
    page.targets.append(("WebSocket p99 during the upload ≤ 2× idle", late(busy), late(idle) + " (idle)",
                         fmt(rt, "×", 2), verdict(rt, 2, False)))
    page.table(["WebSocket probe (1000 subscribers, 10 events/s)", "p99 to the last subscriber",
                "p99 of all deliveries"],
               [[label, late(median(ws.get(k, []), "steps.0.last_subscriber_latency.p99_us")),
                 fmt(ms(median(ws.get(k, []), "steps.0.delivery_latency.p99_us")), " ms", 1)]
                for k, label in (("praktika-idle", "idle"), ("praktika-upload", "during the upload"))])


def cluster(page, runs):
    n = median(runs.get("praktika-x3", runs.get("praktika-x1", [])), "steps.0.subscribers")
    page.add(f"### Cluster: {fmt(n)} subscribers through HAProxy, events published on one instance", "")
    page.add("`scripts/cluster.sh` with one instance and with three (PostgreSQL, Redis, HAProxy as shipped, round "
             "robin), each started fresh; every subscriber connects through HAProxy; the publisher connects to "
             "instance 1 and publishes with `\"fanout\": true`, the path a module's event takes: numbered in Redis, "
             "kept in the topic's Stream, sent to every instance on one PUB/SUB channel. The rate rises as in the "
             "fan-out scenario. CPU is the whole cluster's: instances, HAProxy and Redis; nothing is pinned.", "")
    def row(name, r):
        if not r:
            return [PEER_NAMES[name], "not run"] + [""] * 6
        return [
            PEER_NAMES[name],
            fmt(median(r, "best_sustained.deliveries_per_second")),
            fmt(median(r, "best_sustained.rate"), digits=1),
            late(median(r, "best_sustained.last_p99_us")),
            fmt(median(r, "best.rate"), digits=1) if median(r, "best.rate") is not None else "none",
            fmt(median(r, "best_sustained.server_cpu_percent"), " %"),
            fmt(median(r, "best_sustained.deliveries_per_cpu_second")),
            (r[0].get("stopped_because") or errors(r) or "").replace("|", "/"),
        ]

    rows = [row(name, runs.get(name)) for name in ("praktika-x1", "praktika-x3")]
    page.table(["cluster", "deliveries/s (sustained)", "events/s sustained", "p99 to the last subscriber there",
                "events/s with p99 ≤ 100 ms", "cluster CPU", "deliveries per CPU-second", "stopped because"], rows)
    a = median(runs.get("praktika-x3", []), "best_sustained.deliveries_per_second")
    b = median(runs.get("praktika-x1", []), "best_sustained.deliveries_per_second")
    page.add(f"Three instances against one: {fmt(ratio(a, b), '×', 2)} the deliveries a second.", "")


def viewers(page, runs, items):
    item = items.get("praktika", [{}])[0]
    n = median(runs.get("praktika", []) or runs.get("nginx", []), "connections")
    seconds = median(runs.get("praktika", []) or runs.get("nginx", []), "seconds")
    page.add(f"### Viewers: {fmt(n)} viewers fetching HLS segments for {fmt(seconds)} s", "")
    ladder = ", ".join(f"{r['playlist']} {r['bandwidth'] / 1e6:.2f} Mbit/s" for r in item.get("renditions", []))
    page.add("A flashmob item converted by praktika's own job (its ffmpeg ladder: " + (ladder or "—") +
             f"; segments of {fmt((item.get('segment_bytes_mean') or 0) / 1024)} KB on average, made in "
             f"{fmt(item.get('convert_seconds'), ' s', 1)}). Each viewer is one keep-alive connection fetching "
             "the segments of every rendition back to back with the author's cookie (the item is not yet public, "
             "so every answer is a private one). praktika serves `/api/events/{id}/flashmob/hls/{item}/{file}` "
             "itself; nginx serves the same URLs from the same folder with `deploy/nginx/flashmob.conf`, asking "
             "praktika by `auth_request` (a HEAD, cached a minute per item and cookie). nginx's CPU includes "
             "praktika's for those answers. \"Viewers one core holds\" divides the Gbit/s one core would send at "
             "the measured cost by the top rendition's bitrate.", "")
    top = max((r["bandwidth"] for r in item.get("renditions", [])), default=None)
    rows = []
    for s in ["praktika", "nginx"]:
        r = runs.get(s)
        if not r:
            rows.append([s, "not run", "", "", "", "", "", ""])
            continue
        gbit = median(r, "gbit_per_second")
        cores = median(r, "server_cores_per_gbit")
        per_core = 1e9 / (cores * top) if cores and top else None
        bad = [x for x in r if x.get("non_2xx") or x.get("errors") or x.get("error")]
        rows.append([
            PEER_NAMES["nginx-flashmob"] if s == "nginx" else s,
            fmt(gbit, digits=2) + (" (**errors**)" if bad else ""),
            fmt(median(r, "requests_per_second")),
            fmt(ms(median(r, "latency.p99_us")), " ms", 1),
            fmt(median(r, "server_cpu_percent"), " %"),
            fmt(cores, digits=3),
            fmt(gbit * 1e9 / top) if gbit and top else "—",
            fmt(per_core),
        ])
    page.table(["server", "Gbit/s", "segments/s", "p99 per segment", "server CPU", "cores per Gbit/s",
                "viewers at the top bitrate, as measured", "viewers one core holds"], rows)


def listening_to_all_back(runs):
    """The client reports -1 when every client was back before the runner saw the new process
    listen (a held port: the restarted server takes the waiting connections at once)."""
    seen = [r for r in runs if isinstance(v := dig(r, "seconds_listening_to_all_back"), (int, float)) and v >= 0]
    text = fmt(median(seen, "seconds_listening_to_all_back"), " s", 2) if seen else "—"
    if len(seen) < len(runs):
        text += f" ({len(runs) - len(seen)} of {len(runs)} rounds back before it was seen listening)"
    return text


def reconnect(page, runs):
    n = median(runs.get("praktika", []) or runs.get("bun", []) or runs.get("nchan", []), "connections")
    page.add(f"### Reconnect storm: {fmt(n)} subscribers, the server stopped and started again", "")
    page.add("Every client reconnects as the front end does (`web/src/lib/ws.ts`: after a close it waits "
             "250 ms + random × min(15 s, 500 ms × 2^attempt), the attempt reset when a socket opens) and "
             "subscribes again (praktika: `timeline:irkutsk-2020` in the upgrade's URL with the last number seen, "
             "as ws.ts does, same data folder across the restart, its reply carrying only what was missed; Bun: a "
             "bench topic in a message; nchan: the URL). The peers have no resume: they answer every subscription "
             "with the event's timeline, as in the connections scenario (nchan's stored message posted again as soon "
             "as the restarted server listens). \"All back\" counts from the first client's loss; \"down\" is until "
             "the first is back; \"listening → all back\" from the moment the restarted server accepts "
             "connections (the runner tells the client); a client's reconnect is from its loss to its new "
             "subscription. A load client CPU near the storm's length means the client, not the server, set the pace.", "")
    rows = []
    for s in ["praktika", "praktika-held", "bun", "nchan"]:
        r = runs.get(s)
        if not r:
            rows.append([PEER_NAMES[s], "not run", "", "", "", "", "", "", ""])
            continue
        counts = {}
        for x in r:
            for e in x.get("errors", []):
                counts.setdefault(e["error"], []).append(e["count"])
        kinds = [f"{kind} ×{fmt(Measured(c))} in {len(c)} of {len(r)} rounds" for kind, c in sorted(counts.items())]
        back = median(r, "seconds_to_all_back")
        rows.append([
            PEER_NAMES[s],
            fmt(back, " s", 2) if back is not None and back >= 0 else "**not all back**",
            fmt(median(r, "seconds_down"), " s", 2),
            listening_to_all_back(r),
            fmt(ms(median(r, "reconnect.p50_us")), " ms"),
            fmt(ms(median(r, "reconnect.p99_us")), " ms"),
            fmt(median(r, "attempts")) + " / " + fmt(median(r, "failed_attempts")),
            ("; ".join(kinds) or errors(r) or "—").replace("|", "/"),
            fmt(median(r, "client_cpu_seconds"), " s", 1),
        ])
    page.table(["server", "all back after", "down", "listening → all back", "reconnect p50", "reconnect p99",
                "attempts / failed", "errors", "load client CPU"], rows)


def busy(page, fan, lat, peer):
    page.add("### Busy neighbour: fan-out and latency while ffmpeg transcodes on the server's core", "")
    page.add(f"praktika and {PEER_NAMES.get(peer, peer)} (the best peer of the fan-out and latency tables), each "
             "measured quiet and while `ffmpeg` transcodes a generated 720p clip with libx264 (`-preset veryfast`, "
             "looped) pinned to the server's core, as a late flashmob item's conversion would run on 7 July: "
             "at the niceness praktika gives its converters (`convert::kConverterNice`, 10 nicer than the "
             "server; Bun's neighbour the same). Fan-out as in its own scenario (sustained deliveries/s), latency as in its own "
             "(p99 to the last subscriber at 10 events/s).", "")
    rows = []
    for s in ("praktika", peer):
        q, b = fan.get(s + "-quiet", []), fan.get(s + "-busy", [])
        lq, lb = lat.get(s + "-quiet", []), lat.get(s + "-busy", [])
        fq, fb = median(q, "best_sustained.deliveries_per_second"), median(b, "best_sustained.deliveries_per_second")
        pq = median(lq, "steps.0.last_subscriber_latency.p99_us")
        pb = median(lb, "steps.0.last_subscriber_latency.p99_us")
        rows.append([PEER_NAMES.get(s, s), fmt(fq), fmt(fb), fmt(ratio(fb, fq), "×", 2), late(pq), late(pb),
                     fmt(median(b, "best_sustained.server_cpu_percent"), " %"),
                     (errors(q + b + lq + lb) or "—").replace("|", "/")])
    page.table(["server", "deliveries/s quiet", "deliveries/s busy", "busy / quiet", "p99 to the last quiet",
                "p99 to the last busy", "server CPU busy", "errors"], rows)
    pf = lambda s, c: median(fan.get(f"{s}-{c}", []), "best_sustained.deliveries_per_second")
    pl = lambda s, c: finite(median(lat.get(f"{s}-{c}", []), "steps.0.last_subscriber_latency.p99_us"))
    rt = ratio(pf("praktika", "busy"), pf("praktika", "quiet"))
    page.targets.append(("busy neighbour: fan-out ≥ 0.8× praktika's quiet figure", fmt(pf("praktika", "busy")),
                         fmt(pf("praktika", "quiet")) + " (quiet)", fmt(rt, "×", 2), verdict(rt, 0.8)))
    rt = ratio(pl("praktika", "quiet"), pl("praktika", "busy"))
    page.targets.append(("busy neighbour: latency p99 keeps ≥ 0.8× (quiet p99 / busy p99)",
                         late(pl("praktika", "busy")), late(pl("praktika", "quiet")) + " (quiet)", fmt(rt, "×", 2),
                         verdict(rt, 0.8)))
    rt = ratio(pf("praktika", "busy"), pf(peer, "busy"))
    page.targets.append((f"busy neighbour: fan-out ≥ 1.0× {PEER_NAMES.get(peer, peer)} under the same load",
                         fmt(pf("praktika", "busy")), fmt(pf(peer, "busy")), fmt(rt, "×", 2), verdict(rt, 1.0)))
    rt = ratio(pl(peer, "busy"), pl("praktika", "busy"))
    page.targets.append((f"busy neighbour: latency p99 ahead of {PEER_NAMES.get(peer, peer)} under the same load "
                         "(its p99 / praktika's)", late(pl("praktika", "busy")), late(pl(peer, "busy")),
                         fmt(rt, "×", 2), verdict(rt, 1.0)))


def finite(us):
    """A latency, or None when events went missing (∞): no ratio is made of an infinite one."""
    return None if us is None or us >= 1e12 else us


def main():
    ap = argparse.ArgumentParser()
    for flag in ("results", "out", "rounds", "quick", "machine", "versions", "command", "praktika-bench", "upload-mb"):
        ap.add_argument("--" + flag, required=True)
    ap.add_argument("--when", help="when the results were measured, for results merged from several runs "
                                    "(default: now)")
    ap.add_argument("--busy-peer", default="bun", help="the peer the busy scenario ran beside praktika")
    ap.add_argument("--only", default="fanout,latency,churn,connections,http,upload,cluster,viewers,reconnect,busy",
                    help="the scenarios run: the others get no section")
    a = ap.parse_args()
    wanted = set(a.only.split(","))
    runs = load(a.results)
    page = Page()
    now = a.when or datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    page.add(f"Measured {now} on {a.machine}; server pinned to core 0, load (`praktika_load`) to core 1; "
             f"{a.rounds} round(s), servers in alternating order. Each figure is the median over the rounds, "
             f"followed by its spread (the rounds' min–max) when the rounds differed; a ratio of two figures "
             f"says \"within spread\" when their spreads overlap (the rounds cannot tell them apart) and "
             f"\"beyond spread\" when they do not.", "",
             f"Versions: {a.versions}.", "",
             f"Reproduce: `{a.command}`" + (" (quick mode: short steps, figures indicative only; "
                                            "the full run is `scripts/bench/run.sh`)" if a.quick == "1" else "") + ".", "")
    body = Page()
    if "fanout" in wanted and ("fanout" in runs or a.praktika_bench != "1"):
        fanout(body, runs.get("fanout", {}), a.praktika_bench)
    if "latency" in wanted and ("latency" in runs or a.praktika_bench != "1"):
        latency(body, runs.get("latency", {}), a.praktika_bench)
    if "churn" in wanted:
        churn(body, runs.get("churn", {}), a.praktika_bench)
    if "connections" in runs:
        connections(body, runs["connections"])
    if any(k.startswith("http-") for k in runs):
        http(body, {k: v for k, v in runs.items() if k.startswith("http-")})
    if "upload" in wanted:
        upload(body, runs.get("upload", {}), runs.get("upload-ws", {}), a.upload_mb)
    if "cluster" in wanted:
        cluster(body, runs.get("cluster", {}))
    if "viewers" in wanted:
        viewers(body, runs.get("viewers", {}), runs.get("viewers-item", {}))
    if "reconnect" in wanted:
        reconnect(body, runs.get("reconnect", {}))
    if "busy" in wanted:
        busy(body, runs.get("busy-fanout", {}), runs.get("busy-latency", {}), a.busy_peer)
    if body.targets:
        page.add("### Targets", "")
        page.table(["target", "praktika", "peer", "ratio", "verdict"], [list(t) for t in body.targets])
    page.lines.extend(body.lines)
    generated = "\n".join([BEGIN, ""] + page.lines + [END])

    out = pathlib.Path(a.out)
    text = out.read_text() if out.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + generated + tail
    else:
        text = "# Performance\n\n" + generated + "\n"
    out.write_text(text)


if __name__ == "__main__":
    main()
