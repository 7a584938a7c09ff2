#!/usr/bin/env python3
"""Holds a listening port as systemd holds a .socket unit's, for the reconnect storm's
"praktika, port held" row: starts the command with the socket as descriptor 3 (LISTEN_FDS=1,
LISTEN_PID its pid) and starts it again each time it exits, until this process gets SIGTERM.
Each child's pid is written to PID_FILE as it starts.

Usage: hold_port.py PORT PID_FILE -- COMMAND...
"""
import os
import signal
import socket
import subprocess
import sys


def main():
    port, pid_file = int(sys.argv[1]), sys.argv[2]
    command = sys.argv[sys.argv.index("--") + 1:]
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(4096)
    stopping = False
    child = None

    def stop(_signum, _frame):
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.terminate()

    signal.signal(signal.SIGTERM, stop)

    if listener.fileno() != 3:
        os.dup2(listener.fileno(), 3)
    # The shell's pid is the command's (exec): LISTEN_PID names the process the socket is for.
    handed_over = ["/bin/sh", "-c", 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$@"', "sh", *command]
    while not stopping:
        child = subprocess.Popen(handed_over, pass_fds=(3,))
        with open(pid_file, "w") as f:
            f.write(f"{child.pid}\n")
        child.wait()


if __name__ == "__main__":
    main()
