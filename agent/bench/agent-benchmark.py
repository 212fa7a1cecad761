#!/usr/bin/env python3
"""Live-agent benchmark: what `bouncewatch run` costs on a mail host, and how fast a result shows.

Phases, one agent process (java -jar bouncewatch.jar run) with the JVM options the packaged unit sets
(its Environment=JAVA_OPTS line, read from systemd/bouncewatch-agent.service; JAVA_OPTS or --java-opts
override it):
  1. ingest: the agent starts on a generated Postfix log of LINES lines and reads it from the start;
     reports lines/s, CPU seconds and peak RSS until every line is committed.
  2. idle: nothing is written for IDLE seconds; reports CPU % of one core and RSS.
  3. steady: a writer appends RATE Postfix delivery lines/s to the log (about 80 % sent, 10 % bounced,
     10 % deferred, benchlib.delivery_line); a sampler writes a marked line and
     polls /api/results until it is visible, again and again; reports the line-to-API delay p50/p99
     and the CPU % and RSS under that load.

usage: agent-benchmark.py [--lines N] [--rate N] [--idle S] [--steady S] [--jar PATH] [--java-opts OPTS]
       QUICK=1 shrinks everything (for CI: checks the script, not the figures)
Needs python3 and the shaded jar (mvn -B -DskipTests package). Traffic stays on 127.0.0.1.
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

from benchlib import REPO_UNIT, SteadyWriter, cpu_seconds, get, memory_kib, percentile, unit_java_opts

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT = os.path.dirname(HERE)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def line(n, recipient, now=None):
    now = now or datetime.now(timezone.utc)
    queue_id = "%010X" % (0x2000000000 + n)
    return (f"{now.strftime('%Y-%m-%dT%H:%M:%S.%f')}+00:00 mta postfix/smtp[4242]: {queue_id}: to=<{recipient}>, "
            f"relay=mx.example.com[192.0.2.1]:25, delay=0.2, delays=0.1/0/0.05/0.05, dsn=5.1.1, status=bounced "
            f"(host mx.example.com[192.0.2.1] said: 550 5.1.1 <{recipient}>: Recipient address rejected: "
            f"User unknown (in reply to RCPT TO command))\n")


def main():
    quick = os.environ.get("QUICK") == "1"
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=20000 if quick else 1000000)
    ap.add_argument("--rate", type=int, default=200)
    ap.add_argument("--idle", type=float, default=3 if quick else 30)
    ap.add_argument("--steady", type=float, default=5 if quick else 60)
    ap.add_argument("--jar", default=os.path.join(AGENT, "target", "bouncewatch.jar"))
    # the unit's JAVA_OPTS, read from systemd/bouncewatch-agent.service so the two cannot drift
    ap.add_argument("--java-opts", default=os.environ.get("JAVA_OPTS") or unit_java_opts(REPO_UNIT))
    ap.add_argument("--bench-dir", default=os.path.join(AGENT, "target", "bench"))
    args = ap.parse_args()

    os.makedirs(args.bench_dir, exist_ok=True)
    generated = os.path.join(args.bench_dir, f"postfix-{args.lines}.log")
    if not os.path.exists(generated):
        with open(generated, "w") as out:
            subprocess.run([sys.executable, os.path.join(HERE, "gen-postfix-log.py"), str(args.lines), "--seed", "1"],
                           stdout=out, check=True)
    work = tempfile.mkdtemp(prefix="bw-agent-bench-")
    log = os.path.join(work, "mail.log")
    shutil.copyfile(generated, log)
    with open(log, "rb") as f:
        total_lines = sum(1 for _ in f)
    port = free_port()
    config = os.path.join(work, "agent.yml")
    with open(config, "w") as f:
        f.write(f"stateDir: {work}/state\nsources:\n  - type: file\n    path: {log}\n    format: postfix\n"
                f"http:\n  listen: 127.0.0.1:{port}\n")
    cmd = ["java", *args.java_opts.split(), "-jar", args.jar, "run", "--config", config]
    out = open(os.path.join(work, "agent.out"), "w")
    started = time.monotonic()
    agent = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    rows = []
    try:
        # time to ready: /healthz answers
        while True:
            if agent.poll() is not None:
                sys.exit(f"agent exited early, see {work}/agent.out")
            try:
                get(port, "/healthz")
                break
            except OSError:
                time.sleep(0.05)
        ready = time.monotonic() - started
        rows.append(("time to ready (/healthz answers)", f"{ready:.2f} s"))

        # 1. ingest the backlog (it starts before /healthz answers: timed from the process start)
        cpu0 = 0
        t0 = started
        while True:
            src = get(port, "/healthz")["sources"][0]
            if src["committedLines"] >= total_lines:
                break
            time.sleep(0.2)
        elapsed = time.monotonic() - t0
        cpu = cpu_seconds(agent.pid) - cpu0
        rows.append((f"ingest {total_lines:,} lines from the start of the file, JVM start included",
                     f"{elapsed:.1f} s, {total_lines / elapsed:,.0f} lines/s, CPU {cpu:.1f} s, "
                     f"{src['results']:,} results"))
        rows.append(("peak RSS after ingest", f"{memory_kib(agent.pid, 'VmHWM') / 1024:.0f} MiB"))

        # 2. idle
        cpu0 = cpu_seconds(agent.pid)
        time.sleep(args.idle)
        idle_cpu = (cpu_seconds(agent.pid) - cpu0) / args.idle * 100
        rows.append((f"idle ({args.idle:.0f} s)", f"CPU {idle_cpu:.2f} % of one core, RSS "
                     f"{memory_kib(agent.pid, 'VmRSS') / 1024:.0f} MiB, {memory_kib(agent.pid, 'Threads')} threads"))

        # 3. steady load and line-to-API delay
        load = SteadyWriter(log, args.rate).start()
        append = load.append
        cpu0 = cpu_seconds(agent.pid)
        time.sleep(args.steady)
        steady_cpu = (cpu_seconds(agent.pid) - cpu0) / args.steady * 100
        rows.append((f"steady {args.rate} lines/s ({args.steady:.0f} s)", f"CPU {steady_cpu:.1f} % of one core, RSS "
                     f"{memory_kib(agent.pid, 'VmRSS') / 1024:.0f} MiB"))
        # probes poll the API every 5 ms, which costs CPU of its own: measured apart from the load
        delays = []
        t0 = time.monotonic()
        n = 0
        while time.monotonic() - t0 < args.steady:
            n += 1
            rcpt = f"probe-{n}@example.org"
            written = time.monotonic()
            append(line(900000000 + n, rcpt))
            while True:
                page = get(port, f"/api/results?limit=1&recipient={rcpt}")
                if page["count"] > 0:
                    delays.append((time.monotonic() - written) * 1000)
                    break
                if time.monotonic() - written > 30:
                    sys.exit(f"{rcpt} not visible after 30 s")
                time.sleep(0.005)
        load.stop()
        rows.append((f"line written -> visible in /api/results ({len(delays)} probes, under the steady load)",
                     f"p50 {percentile(delays, 50):.0f} ms, p99 {percentile(delays, 99):.0f} ms, "
                     f"max {max(delays):.0f} ms"))
        db = os.path.join(work, "state", "bouncewatch.db")
        size = sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p))
        rows.append(("database size", f"{size / 1048576:.0f} MiB"))
    finally:
        agent.send_signal(signal.SIGTERM)
        try:
            code = agent.wait(60)
        except subprocess.TimeoutExpired:
            agent.kill()
            code = "killed"
        out.close()
    rows.append(("exit after SIGTERM", str(code)))
    print(f"\nbouncewatch agent benchmark, JVM options: {args.java_opts}\n")
    print("| measure | result |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")
    shutil.rmtree(work, ignore_errors=True)
    if code != 0:
        sys.exit(1)


if __name__ == "__main__":
    main()
