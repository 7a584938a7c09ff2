#!/usr/bin/env python3
"""One resumable (tus 1.0) upload of a file to praktika or to @tus/server, timed, with the
server's resident memory sampled meanwhile. Prints one JSON object.

praktika: registers a participant (the upload needs a signed-in owner), creates the upload of
purpose `flashmob` (whose largest kind allows 1000 MB) and sends the file in one PATCH, as
tus-js-client does by default. @tus/server: the same two requests on /files.
The file is a real video, as an author's is: two seconds of H.264 in an MP4 whose `free` box
carries the rest of the size in random bytes (`--make`). praktika's last PATCH checks it by its
bytes, accepts it and makes it durable before it answers 204, so the time includes that check and
that flush; @tus/server stores the bytes and answers.
"""
import argparse
import http.client
import json
import os
import struct
import subprocess
import tempfile
import threading
import time


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def make_video(path, size):
    """A valid MP4 of exactly `size` bytes: a short clip, then one `free` box of random bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        clip = os.path.join(tmp, "clip.mp4")
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                        "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", clip],
                       check=True)
        with open(clip, "rb") as f:
            head = f.read()
    pad = size - len(head)
    with open(path, "wb") as out:
        out.write(head)
        out.write(struct.pack(">I", pad) + b"free")
        noise = os.urandom(1 << 20)
        left = pad - 8
        while left > 0:
            n = min(left, len(noise))
            out.write(noise[:n])
            left -= n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--make", help="write the test video to this path and stop")
    ap.add_argument("--mb", type=int, help="its size in MiB (with --make)")
    ap.add_argument("--server", choices=["praktika", "tus"])
    ap.add_argument("--port", type=int)
    ap.add_argument("--file")
    ap.add_argument("--server-pid", type=int)
    a = ap.parse_args()
    if a.make:
        make_video(a.make, a.mb << 20)
        return
    if not (a.server and a.port and a.file and a.server_pid):
        ap.error("--server, --port, --file and --server-pid are needed for an upload")

    size = os.path.getsize(a.file)
    conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=600, blocksize=1 << 20)
    headers = {"Tus-Resumable": "1.0.0"}
    if a.server == "praktika":
        body = json.dumps({"email": "bench@example.org", "password": "bench-password-1",
                           "full_name": "Нагрузочный Тест"})
        status, h, data = request(conn, "POST", "/api/auth/register", body, {"Content-Type": "application/json"})
        if status != 201:
            print(json.dumps({"error": f"register: {status} {data[:200]!r}"}))
            return
        headers["Cookie"] = h["set-cookie"].split(";", 1)[0]
        headers["Origin"] = f"http://127.0.0.1:{a.port}"  # a state change with the cookie names its page
        create = "/api/events/irkutsk-2020/uploads?purpose=flashmob"
    else:
        create = "/files"
    import base64
    meta = "filename " + base64.b64encode(b"bench.mp4").decode() + ",filetype " + base64.b64encode(b"video/mp4").decode()
    status, h, data = request(conn, "POST", create, None,
                              dict(headers, **{"Upload-Length": str(size), "Upload-Metadata": meta, "Content-Length": "0"}))
    if status != 201:
        print(json.dumps({"error": f"create: {status} {data[:200]!r}"}))
        return
    location = h["location"]
    if location.startswith("http"):
        location = "/" + location.split("/", 3)[3]

    samples = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            v = rss_kb(a.server_pid)
            if v is not None:
                samples.append(v)
            time.sleep(0.05)

    before = rss_kb(a.server_pid)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.monotonic()
    with open(a.file, "rb") as f:
        status, h, data = request(conn, "PATCH", location, f, dict(headers, **{
            "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0", "Content-Length": str(size)}))
    seconds = time.monotonic() - start
    done.set()
    sampler.join()
    ok = status == 204
    out = {"server": a.server, "bytes": size, "seconds": seconds, "mb_per_s": size / 1e6 / seconds,
           "status": status, "rss_before_kb": before, "peak_rss_kb": max(samples) if samples else None}
    if not ok:
        out["error"] = f"patch: {status} {data[:200]!r}"
    print(json.dumps(out))


if __name__ == "__main__":
    main()
