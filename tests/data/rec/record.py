#!/usr/bin/env python3
"""Records what a program writes to its terminal, for the term oracle tests.

usage: record.py OUT ROWS COLS KEYS -- CMD...

Runs CMD in a fresh PTY of ROWS x COLS with TERM=xterm-256color, sends the
keys (with \\xNN, \\r, \\t escapes; "|" waits 0.4 s) with pauses, and writes every
byte the program printed to OUT (capped at 190 KB). The recordings in this
directory were made with the commands in README (same directory)."""
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time


def main():
    out, rows, cols, keys = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    keys = keys.encode().decode("unicode_escape").encode("latin-1")
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        for v in ("COLORTERM", "LINES", "COLUMNS"):
            os.environ.pop(v, None)
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    data = bytearray()

    def pump(secs):
        end = time.time() + secs
        while time.time() < end:
            r, _, _ = select.select([fd], [], [], max(0, end - time.time()))
            if not r:
                continue
            try:
                b = os.read(fd, 65536)
            except OSError:
                return False
            if not b:
                return False
            data.extend(b)
        return True

    pump(0.8)
    for k in keys.split(b"|"):
        if k:
            os.write(fd, k)
        if not pump(0.4):
            break
    pump(1.0)
    try:
        os.kill(pid, 9)
    except OSError:
        pass
    os.waitpid(pid, 0)
    with open(out, "wb") as f:
        f.write(bytes(data[:190000]))


main()
