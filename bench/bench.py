#!/usr/bin/env python3
"""Side-by-side benchmark: nginx, HAProxy and Bulwark in front of the same three backends, driven by wrk.

Targets run interleaved (A B C A B C ...) for several rounds so machine drift hits all alike; the table
shows medians and each proxy's ratio to nginx from the same run. Everything started here is stopped here,
and every wrk run is bounded by --duration.
"""
import argparse
import datetime
import os
import platform
import resource
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLK_TCK = os.sysconf("SC_CLK_TCK")

BACKEND_PORTS = [18101, 18102, 18103]
PROXY_PORTS = {"nginx": 18201, "haproxy": 18202, "bulwark": 18203, "baseline": 18205}
BULWARK_ADMIN = 18204
BASELINE_ADMIN = 18206
# Each proxy also listens DEFERRED_OFFSET ports higher with TCP_DEFER_ACCEPT (nginx `deferred`, HAProxy
# `defer-accept`, Bulwark's default), for the scenarios that open connections: each option is then compared
# with itself, off on the first port and on on the second.
DEFERRED_OFFSET = 10


def shift_ports(offset):
    """Moves every port by offset (--port-offset), e.g. when a stray server holds one of the defaults."""
    global BULWARK_ADMIN, BASELINE_ADMIN
    BACKEND_PORTS[:] = [p + offset for p in BACKEND_PORTS]
    for k in PROXY_PORTS:
        PROXY_PORTS[k] += offset
    BULWARK_ADMIN += offset
    BASELINE_ADMIN += offset


def port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False

SCENARIOS = [
    # name, path, connections, extra wrk headers, request body bytes (a POST when > 0), deferred accept
    ("13B keep-alive c50", "/13", 50, [], 0, False),
    ("13B keep-alive c200", "/13", 200, [], 0, False),
    ("64KiB keep-alive c50", "/64k", 50, [], 0, False),
    ("64KiB keep-alive c200", "/64k", 200, [], 0, False),
    ("13B new conn c50", "/13", 50, ["Connection: close"], 0, False),
    ("13B new conn c50 deferred", "/13", 50, ["Connection: close"], 0, True),
    ("1KiB POST keep-alive c50", "/post", 50, [], 1024, False),
]


def need(tool, package):
    if shutil.which(tool):
        return
    if os.geteuid() != 0:
        sys.exit(f"bench: {tool} missing; install the Debian package {package}")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True,
                   env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"), stdout=subprocess.DEVNULL)


def wait_port(port, timeout=30.0, proc=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process {proc.args[0]} exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def nginx_backend_conf(work):
    body13 = os.path.join(work, "13")
    with open(body13, "w") as f:
        f.write("hello, world\n")
    with open(os.path.join(work, "64k"), "wb") as f:
        f.write(b"x" * 65536)
    for name in ("13", "64k"):
        os.chmod(os.path.join(work, name), 0o644)
    listens = "\n".join(f"    listen 127.0.0.1:{p} backlog=4096;" for p in BACKEND_PORTS)
    return f"""
worker_processes 1;
daemon off;
pid {work}/backend.pid;
error_log {work}/backend-error.log warn;
events {{ worker_connections 8192; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  server {{
{listens}
    root {work};
    location / {{ default_type text/plain; }}
    # Reads and discards the request body, then answers 3 bytes.
    location = /post {{ return 200 "ok\\n"; }}
  }}
}}
"""


# Bulwark keeps up to `keepalive: 64` idle connections per server per event loop; nginx's `keepalive` is
# per worker for the whole upstream, so the same budget is 64 per backend. With 64 in all, nginx closed and
# reopened upstream connections under 200 clients (13B c200: 20 -> 12.4 us/req once matched).
UPSTREAM_KEEPALIVE = 64


# FORWARDING: Bulwark adds X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Host and Via to every request
# and passes Host unchanged; nginx and HAProxy do neither unless told. Each proxy is told, so all three
# send the backends the same fields and the backends do the same work (four more header lines cost the
# nginx backend about 0.2 us per request).


def nginx_proxy_conf(work, workers):
    servers = "\n".join(f"    server 127.0.0.1:{p};" for p in BACKEND_PORTS)
    return f"""
worker_processes {workers};
daemon off;
pid {work}/nginx-proxy.pid;
error_log {work}/nginx-proxy-error.log warn;
events {{ worker_connections 8192; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  upstream app {{
{servers}
    keepalive {UPSTREAM_KEEPALIVE * len(BACKEND_PORTS)};
  }}
  server {{
    listen 127.0.0.1:{PROXY_PORTS['nginx']} backlog=4096;
    listen 127.0.0.1:{PROXY_PORTS['nginx'] + DEFERRED_OFFSET} backlog=4096 deferred;
    location / {{
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # The forwarding fields Bulwark adds by default (see FORWARDING above).
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header Via "1.1 nginx";
      proxy_buffering on;
    }}
  }}
}}
"""


def haproxy_conf(work, threads):
    servers = "\n".join(f"  server s{i} 127.0.0.1:{p}" for i, p in enumerate(BACKEND_PORTS))
    return f"""
global
  nbthread {threads}
  maxconn 5000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  http-reuse always
  option http-keep-alive
frontend fe
  bind 127.0.0.1:{PROXY_PORTS['haproxy']}
  bind 127.0.0.1:{PROXY_PORTS['haproxy'] + DEFERRED_OFFSET} defer-accept
  # The forwarding fields Bulwark adds by default (see FORWARDING above).
  option forwardfor
  http-request set-header X-Forwarded-Proto http
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  http-request add-header Via "1.1 haproxy"
  default_backend app
backend app
  balance roundrobin
{servers}
"""


def bulwark_conf(workers, port, admin):
    servers = "\n".join(f"      - address: 127.0.0.1:{p}" for p in BACKEND_PORTS)
    return f"""
workers: {workers}
listeners:
  - name: web
    bind: 127.0.0.1:{port}
    defer_accept: false
  - name: deferred
    bind: 127.0.0.1:{port + DEFERRED_OFFSET}
routes:
  - upstream: app
upstreams:
  app:
    balance: round_robin
    keepalive: {UPSTREAM_KEEPALIVE}
    servers:
{servers}
admin:
  bind: 127.0.0.1:{admin}
access_log:
  format: off
"""


class Proc:
    """A started server; pids() lists the processes whose CPU and memory count for it."""

    def __init__(self, name, argv, port, env=None, log=None):
        self.name = name
        self.port = port
        # A stray server on the port would answer in place of the one started here (and its CPU and RSS
        # would not be counted): refuse rather than measure the wrong process.
        if not port_free(port):
            raise RuntimeError(f"{name}: port {port} is already in use (a server left over from an earlier "
                               f"run? see `ss -ltnp | grep {port}`; or pass --port-offset)")
        self.log = open(log or os.devnull, "w")
        self.logpath = log
        self.p = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        try:
            wait_port(port, 60, self.p)
        except BaseException:
            self.stop()
            raise

    def pids(self):
        kids = []
        try:
            out = subprocess.run(["pgrep", "-P", str(self.p.pid)], capture_output=True, text=True).stdout
            kids = [int(x) for x in out.split()]
        except OSError:
            pass
        return [self.p.pid] + kids

    def cpu_seconds(self):
        total = 0
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime + stime
            except OSError:
                pass
        return total / CLK_TCK

    def peak_rss_mib(self):
        total = 0
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            total += int(line.split()[1])
            except OSError:
                pass
        return total / 1024

    def stop(self):
        try:
            os.killpg(self.p.pid, signal.SIGTERM)
            self.p.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()


WRK_RE = {
    "rps": re.compile(r"Requests/sec:\s+([\d.]+)"),
    "requests": re.compile(r"(\d+) requests in"),
    "non2xx": re.compile(r"Non-2xx or 3xx responses:\s+(\d+)"),
    "sockerr": re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"),
}


def latency_us(text, pct):
    m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m:
        return float("nan")
    v, unit = float(m.group(1)), m.group(2)
    return v * {"us": 1, "ms": 1000, "s": 1_000_000}[unit]


def post_script(work, size):
    """A wrk script that sends each request as a POST with a body of size bytes."""
    path = os.path.join(work, f"post-{size}.lua")
    with open(path, "w") as f:
        f.write(f'wrk.method = "POST"\nwrk.body = string.rep("a", {size})\n'
                'wrk.headers["Content-Type"] = "application/octet-stream"\n')
    return path


def run_wrk(port, path, conns, headers, duration, script=None):
    argv = ["wrk", "-t1", f"-c{conns}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    for h in headers:
        argv += ["-H", h]
    if script:
        argv += ["-s", script]
    argv.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 30).stdout
    res = {"rps": float(WRK_RE["rps"].search(out).group(1)), "requests": int(WRK_RE["requests"].search(out).group(1))}
    errors = 0
    m = WRK_RE["non2xx"].search(out)
    if m:
        errors += int(m.group(1))
    m = WRK_RE["sockerr"].search(out)
    if m:
        errors += sum(int(x) for x in m.groups())
    res["errors"] = errors
    res["p50"] = latency_us(out, 50)
    res["p99"] = latency_us(out, 99)
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", default="1,2", help="worker counts to run, e.g. 1,2 (default)")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds; the table shows medians (default 5)")
    ap.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    ap.add_argument("--warmup", type=int, default=5, help="seconds of warm-up per target")
    ap.add_argument("--scenarios", default="", help="substring filter on scenario names")
    ap.add_argument("--record", action="store_true", help="append the table to bench/RESULTS.md")
    ap.add_argument("--java-opts", default=os.environ.get("JAVA_OPTS", ""))
    ap.add_argument("--port-offset", type=int, default=0, help="added to every port the benchmark uses")
    ap.add_argument("--baseline", default="",
                    help="another checkout of Bulwark (e.g. a git worktree of main) to run as a fifth target, "
                         "'baseline', interleaved with the others: a change's before and after in one run")
    args = ap.parse_args()
    shift_ports(args.port_offset)

    # Every proxy needs descriptors for 200 clients plus their upstream connections.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    for tool, pkg in [("nginx", "nginx"), ("haproxy", "haproxy"), ("wrk", "wrk")]:
        need(tool, pkg)
    subprocess.run([os.path.join(ROOT, "bulwark"), "--version"], check=True, stdout=subprocess.DEVNULL)
    if args.baseline:
        subprocess.run([os.path.join(args.baseline, "bulwark"), "--version"], check=True, stdout=subprocess.DEVNULL)

    work = tempfile.mkdtemp(prefix="bulwark-bench-")
    # mkdtemp makes the directory 0700, but nginx workers run as nobody and must read the bodies.
    os.chmod(work, 0o755)
    started = []
    lines = []
    try:
        with open(f"{work}/backend.conf", "w") as f:
            f.write(nginx_backend_conf(work))
        for port in BACKEND_PORTS[1:]:
            if not port_free(port):
                raise RuntimeError(f"backend: port {port} is already in use (or pass --port-offset)")
        started.append(Proc("backend", ["nginx", "-c", f"{work}/backend.conf", "-p", work], BACKEND_PORTS[0]))
        scenarios = [s for s in SCENARIOS if args.scenarios in s[0]]
        for workers in [int(w) for w in args.workers.split(",")]:
            lines += bench_workers(work, workers, scenarios, args, started)
    finally:
        for p in reversed(started):
            p.stop()
        shutil.rmtree(work, ignore_errors=True)

    header = [
        f"## {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} on {platform.node()} "
        f"({os.cpu_count()} cores, {platform.machine()}, {platform.release()})",
        "",
        f"rounds={args.rounds} duration={args.duration}s warmup={args.warmup}s wrk -t1; medians; "
        "CPU/req is the proxy's own CPU time; RSS is the peak over the whole run.",
        "",
    ]
    table = header + lines
    print("\n".join(table))
    if args.record:
        with open(os.path.join(HERE, "RESULTS.md"), "a") as f:
            f.write("\n".join(table) + "\n\n")


def bench_workers(work, workers, scenarios, args, started):
    with open(f"{work}/nginx-proxy.conf", "w") as f:
        f.write(nginx_proxy_conf(work, workers))
    with open(f"{work}/haproxy.cfg", "w") as f:
        f.write(haproxy_conf(work, workers))
    with open(f"{work}/bulwark.yaml", "w") as f:
        f.write(bulwark_conf(workers, PROXY_PORTS["bulwark"], BULWARK_ADMIN))
    with open(f"{work}/baseline.yaml", "w") as f:
        f.write(bulwark_conf(workers, PROXY_PORTS["baseline"], BASELINE_ADMIN))
    env = dict(os.environ, JAVA_OPTS=args.java_opts)
    targets = {}
    try:
        # Registered one by one so that a target failing to start does not leave the others running.
        targets["nginx"] = Proc("nginx", ["nginx", "-c", f"{work}/nginx-proxy.conf", "-p", work],
                                PROXY_PORTS["nginx"])
        targets["haproxy"] = Proc("haproxy", ["haproxy", "-db", "-f", f"{work}/haproxy.cfg"], PROXY_PORTS["haproxy"])
        targets["bulwark"] = Proc("bulwark", [os.path.join(ROOT, "bulwark"), "run", "--config",
                                              f"{work}/bulwark.yaml"], PROXY_PORTS["bulwark"], env=env,
                                  log=f"{work}/bulwark.log")
        if args.baseline:
            targets["baseline"] = Proc("baseline", [os.path.join(args.baseline, "bulwark"), "run", "--config",
                                                    f"{work}/baseline.yaml"], PROXY_PORTS["baseline"], env=env,
                                       log=f"{work}/baseline.log")
        for name, t in targets.items():
            run_wrk(t.port, "/13", 50, [], args.warmup)
            run_wrk(t.port, "/64k", 50, [], max(1, args.warmup // 2))
        rows = []
        for sname, path, conns, headers, body, deferred in scenarios:
            script = post_script(work, body) if body else None
            samples = {name: [] for name in ["direct", *targets]}
            for _ in range(args.rounds):
                for name in samples:
                    port = BACKEND_PORTS[0] if name == "direct" else targets[name].port + (DEFERRED_OFFSET if deferred else 0)
                    proc = None if name == "direct" else targets[name]
                    cpu0 = proc.cpu_seconds() if proc else 0
                    r = run_wrk(port, path, conns, headers, args.duration, script)
                    r["cpu_us"] = ((proc.cpu_seconds() - cpu0) * 1e6 / max(1, r["requests"])) if proc else float("nan")
                    samples[name].append(r)
            for name, runs in samples.items():
                rows.append((sname, name, median(runs, "rps"), median(runs, "p50"), median(runs, "p99"),
                             sum(r["errors"] for r in runs), median(runs, "cpu_us"),
                             targets[name].peak_rss_mib() if name in targets else float("nan")))
    finally:
        for t in targets.values():
            t.stop()
    out = [f"### {workers} worker{'s' if workers > 1 else ''} each (nginx worker_processes {workers}, "
           f"HAProxy nbthread {workers}, Bulwark workers: {workers})", "",
           "| scenario | target | req/s | p50 µs | p99 µs | errors | CPU µs/req | peak RSS MiB | req/s vs nginx | CPU vs nginx | p99 vs nginx |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    by = {(r[0], r[1]): r for r in rows}
    for r in rows:
        n = by[(r[0], "nginx")]
        out.append(f"| {r[0]} | {r[1]} | {r[2]:.0f} | {r[3]:.0f} | {r[4]:.0f} | {r[5]} | {fmt(r[6])} | {fmt(r[7], 0)} | "
                   f"{ratio(r[2], n[2])} | {ratio(r[6], n[6])} | {ratio(r[4], n[4])} |")
    out.append("")
    return out


def median(runs, key):
    vals = [r[key] for r in runs if r[key] == r[key]]
    return statistics.median(vals) if vals else float("nan")


def fmt(v, digits=1):
    return "-" if v != v else f"{v:.{digits}f}"


def ratio(a, b):
    if a != a or b != b or b == 0:
        return "-"
    return f"{a / b:.2f}x"


if __name__ == "__main__":
    main()
