#!/usr/bin/env python3
"""A flashmob item with its HLS ladder, made the way a participant's video is: registers an author,
uploads a video that ffmpeg generates (tus, one PATCH), submits it, and waits until praktika's own
conversion job has written the renditions. praktika must run inside the intake stage (--clock).
Prints one JSON object: the item, the author's cookie (the item is the author's to see before the
feed), every segment's URL path, and each rendition's declared bandwidth (from the master playlist).
"""
import argparse
import http.client
import json
import re
import subprocess
import sys
import time

EVENT = "irkutsk-2020"
API = f"/api/events/{EVENT}"


class Client:
    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookie = ""

    def call(self, method, path, body=None, headers=None):
        h = {"Origin": f"http://127.0.0.1:{self.port}"}
        if self.cookie:
            h["Cookie"] = self.cookie
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse()
        data = r.read()
        if r.getheader("Set-Cookie"):
            self.cookie = r.getheader("Set-Cookie").split(";", 1)[0]
        return r.status, data


def expect(what, status, data, want):
    if status != want:
        sys.exit(f"hls_item: {what}: {status} {data[:300]!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--work", required=True, help="a folder for the generated video")
    ap.add_argument("--seconds", type=int, default=24)
    a = ap.parse_args()

    # A 480p source with motion and sound, so every rung of the ladder is made and its segments have
    # a realistic size; 25 frames a second at a bitrate a phone's upload would have.
    video = f"{a.work}/viewers-source.mp4"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"testsrc2=duration={a.seconds}:size=854x480:rate=25",
                    "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=44100:duration={a.seconds}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "1500k", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "96k", "-shortest", video], check=True)
    data = open(video, "rb").read()

    c = Client(a.port)
    status, body = c.call("POST", "/api/auth/register",
                          {"email": "viewers@example.org", "password": "bench-password-1", "full_name": "Нагрузочный Тест"})
    expect("register", status, body, 201)
    status, body = c.call("POST", f"{API}/uploads?purpose=flashmob", None,
                          {"Tus-Resumable": "1.0.0", "Upload-Length": str(len(data)), "Content-Length": "0",
                           "Upload-Metadata": "filename dmlld2Vycy5tcDQ="})
    expect("create upload", status, body, 201)
    upload = json.loads(body)["id"]
    status, body = c.call("PATCH", f"/api/uploads/{upload}", data,
                          {"Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream",
                           "Upload-Offset": "0"})
    expect("upload", status, body, 204)
    status, body = c.call("POST", f"{API}/flashmob/items",
                          {"upload": upload, "work_kind": "dance", "title": "Нагрузочный танец",
                           "institution": "Центр помощи детям"})
    expect("item", status, body, 201)
    item = json.loads(body)["id"]

    started = time.monotonic()
    while True:
        status, body = c.call("GET", f"{API}/flashmob/items/{item}")
        hls = json.loads(body).get("hls") or {}
        if hls.get("state") in ("ready", "failed"):
            break
        if time.monotonic() - started > 600:
            sys.exit("hls_item: the ladder was not ready in 10 minutes")
        time.sleep(1)
    if hls["state"] != "ready":
        sys.exit(f"hls_item: conversion failed: {hls}")
    convert_seconds = time.monotonic() - started

    base = f"{API}/flashmob/hls/{item}"
    status, master = c.call("GET", f"{base}/master.m3u8")
    expect("master playlist", status, master, 200)
    renditions, segments = [], []
    lines = master.decode().splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("#EXT-X-STREAM-INF"):
            continue
        bandwidth = int(re.search(r"BANDWIDTH=(\d+)", line).group(1))
        playlist = lines[i + 1].strip()
        status, text = c.call("GET", f"{base}/{playlist}")
        expect(playlist, status, text, 200)
        files = [x for x in text.decode().splitlines() if x and not x.startswith("#")]
        renditions.append({"playlist": playlist, "bandwidth": bandwidth, "segments": len(files)})
        segments += [f"{base}/{f}" for f in files]
    total = 0
    for path in segments:
        status, seg = c.call("GET", path)
        expect(path, status, seg, 200)
        total += len(seg)
    print(json.dumps({"item": item, "cookie": c.cookie, "convert_seconds": round(convert_seconds, 1),
                      "renditions": renditions, "segments": segments,
                      "segment_bytes_mean": total // max(1, len(segments))}))


if __name__ == "__main__":
    main()
