#!/usr/bin/env python3
"""Footprint of the packaged agent as systemd runs it. Started by installed-footprint.sh, which boots
systemd in namespaces (systemd/boot-test.sh) with the .deb installed, and runs this script in that
namespace's network (so 127.0.0.1:9325 is the agent's) with the host's file system and /proc.

Every start is `systemctl start bouncewatch-agent` of the installed unit: /usr/bin/bouncewatch, user
bouncewatch, the unit's Environment= (JAVA_OPTS, the AppCDS archive), its sandbox and StateDirectory;
time to ready is what systemd saw: ExecMainStartTimestampMonotonic (the launcher forked) to
ActiveEnterTimestampMonotonic (READY=1 received).
  starts:  ROUNDS times each: a first start (no archive; the stop writes it), a second start (maps
           it), and a start with CDS off (drop-in Environment=BOUNCEWATCH_CDS_ARCHIVE=); RSS, PSS and
           threads right after ready
  idle:    a start with the archive, IDLE seconds with nothing written: CPU % of one core, RSS, PSS
  steady:  RATE Postfix delivery lines/s (mixed sent, bounced, deferred) appended to /var/log/mail.log,
           the file the packaged config (sources: auto) reads, for STEADY seconds: CPU, RSS, PSS, and
           that every line was committed
usage: installed-footprint.py --init-pid PID [--rounds N] [--idle S] [--steady S] [--rate N] [--set LINE]...
  --set 'Environment="JAVA_OPTS=..."' (repeatable) adds a line to a drop-in for the whole run: to
  measure other settings against the packaged ones without rebuilding the package
"""
import argparse
import os
import subprocess
import sys
import time

from benchlib import (SteadyWriter, cpu_seconds, get, median, memory_kib, sample, thread_names,
                      unit_settings)

UNIT = "bouncewatch-agent.service"
UNIT_FILE = "/lib/systemd/system/" + UNIT
DROP_INS = "/etc/systemd/system/bouncewatch-agent.service.d"
CDS_OFF = DROP_INS + "/footprint-cds-off.conf"
ARCHIVE_DIR = "/var/cache/bouncewatch"


class Box:
    """The booted namespace: commands run inside it, files reached through /proc/INIT/root."""

    def __init__(self, init_pid):
        self.init = init_pid
        self.root = f"/proc/{init_pid}/root"
        self.pidns = os.readlink(f"/proc/{init_pid}/ns/pid")

    def run(self, *cmd, check=True):
        done = subprocess.run(["nsenter", "-t", str(self.init), "-a", *cmd], capture_output=True, text=True)
        if check and done.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
        return done.stdout.strip()

    def path(self, inside_path):
        return self.root + inside_path

    def show(self, *props):
        out = self.run("systemctl", "show", "-p", ",".join(props), UNIT)
        return dict(entry.split("=", 1) for entry in out.splitlines())

    def host_pid(self, ns_pid):
        """The host PID of the namespace's process NS_PID (sampling reads the host's /proc)."""
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                if os.readlink(f"/proc/{entry}/ns/pid") != self.pidns:
                    continue
                with open(f"/proc/{entry}/status") as f:
                    for row in f:
                        if row.startswith("NSpid:") and row.split()[-1] == str(ns_pid):
                            return int(entry)
            except OSError:
                continue
        sys.exit(f"no host process for PID {ns_pid} of the namespace")


def start(box):
    """systemctl start (returns once systemd has READY=1); returns (host PID, seconds to ready)."""
    box.run("systemctl", "start", UNIT)
    p = box.show("MainPID", "ExecMainStartTimestampMonotonic", "ActiveEnterTimestampMonotonic", "ActiveState")
    if p["ActiveState"] != "active":
        sys.exit(f"{UNIT} is {p['ActiveState']} after start")
    ready = (int(p["ActiveEnterTimestampMonotonic"]) - int(p["ExecMainStartTimestampMonotonic"])) / 1e6
    return box.host_pid(int(p["MainPID"])), ready


def stop(box):
    t0 = time.monotonic()
    box.run("systemctl", "stop", UNIT)
    took = time.monotonic() - t0
    result = box.show("Result")["Result"]
    if result != "success":
        sys.exit(f"stopping {UNIT} ended with Result={result}")
    return took


def cgroup_memory(box):
    """The unit's cgroup memory as systemd accounts it; None where systemd has no memory controller
    (cgroup v1 hosts whose controllers a container cannot use)."""
    value = box.show("MemoryCurrent")["MemoryCurrent"]
    return int(value) / 1048576 if value.isdigit() and int(value) < 2 ** 63 else None


def mib(value):
    return "n/a" if value is None else f"{value:.0f} MiB"


def memory_text(s, cgroup=None):
    text = f"RSS {s['rss']:.0f} MiB, PSS {mib(s['pss'])}, {s['threads']} threads"
    return text + (f", cgroup {cgroup:.0f} MiB" if cgroup is not None else "")


def committed_lines(port):
    return sum(src.get("committedLines", 0) for src in get(port, "/healthz").get("sources", []))


def main():
    quick = os.environ.get("QUICK") == "1"
    ap = argparse.ArgumentParser()
    ap.add_argument("--init-pid", type=int, required=True)
    ap.add_argument("--rounds", type=int, default=1 if quick else 3)
    ap.add_argument("--idle", type=float, default=5 if quick else 60)
    ap.add_argument("--steady", type=float, default=5 if quick else 60)
    ap.add_argument("--rate", type=int, default=200)
    ap.add_argument("--port", type=int, default=9325, help="the packaged config's http.listen port")
    ap.add_argument("--set", action="append", default=[], metavar="LINE", help="a [Service] line for a drop-in")
    args = ap.parse_args()
    box = Box(args.init_pid)
    if args.set:
        os.makedirs(box.path(DROP_INS), exist_ok=True)
        with open(box.path(DROP_INS + "/footprint-set.conf"), "w") as f:
            f.write("[Service]\n" + "".join(entry + "\n" for entry in args.set))
        box.run("systemctl", "daemon-reload")
    unit_file = box.path(UNIT_FILE)
    load_before = open("/proc/loadavg").read().split()[:3]
    rows = []

    # ---- starts: first (writes the archive at stop), second (maps it), CDS off ----
    starts = {"first": [], "second": [], "off": []}
    after = {}
    for _ in range(args.rounds):
        box.run("sh", "-c", f"rm -f {ARCHIVE_DIR}/*.jsa {ARCHIVE_DIR}/*.stamp")
        for kind in ("first", "second", "off"):
            if kind == "off":
                box.run("sh", "-c", f"mkdir -p {os.path.dirname(CDS_OFF)} && "
                        f"printf '[Service]\\nEnvironment=BOUNCEWATCH_CDS_ARCHIVE=\\n' >{CDS_OFF} && systemctl daemon-reload")
            pid, ready = start(box)
            time.sleep(2)   # what start-up leaves behind, not a GC in flight at READY=1
            starts[kind].append(ready)
            after[kind] = (sample(pid), cgroup_memory(box))
            if kind == "second":
                cmdline = open(f"/proc/{pid}/cmdline").read().split("\0")
                if not any(a.startswith("-XX:SharedArchiveFile=") for a in cmdline):
                    sys.exit("the second start does not map the class-data archive")
            stop_took = stop(box)
            if kind == "first":
                archive = box.path(f"{ARCHIVE_DIR}/agent.jsa")
                if not os.path.exists(archive):
                    sys.exit("the first start left no class-data archive")
                archive_mib = os.path.getsize(archive) / 1048576
                first_stop = stop_took
            if kind == "off":
                box.run("sh", "-c", f"rm -f {CDS_OFF} && systemctl daemon-reload")
    n = args.rounds
    rows.append(("time to ready, first start (no archive yet)",
                 f"{median(starts['first']):.2f} s (median of {n}: {', '.join('%.2f' % s for s in starts['first'])})"))
    rows.append(("time to ready, second start (maps the AppCDS archive)",
                 f"{median(starts['second']):.2f} s (median of {n}: {', '.join('%.2f' % s for s in starts['second'])})"))
    rows.append(("time to ready, AppCDS off",
                 f"{median(starts['off']):.2f} s (median of {n}: {', '.join('%.2f' % s for s in starts['off'])})"))
    rows.append(("first stop (writes the archive)", f"{first_stop:.1f} s, archive {archive_mib:.0f} MiB"))
    for kind, label in (("first", "first start"), ("second", "start with the archive"), ("off", "start, AppCDS off")):
        rows.append((f"2 s after ready, {label}", memory_text(*after[kind])))

    # ---- idle and steady load, on a start that maps the archive (how the service normally runs) ----
    pid, _ = start(box)
    time.sleep(5)
    idle_cpu = 0.0
    c0, t0 = cpu_seconds(pid), time.monotonic()
    peak = 0
    while time.monotonic() - t0 < args.idle:
        time.sleep(min(5, args.idle))
        peak = max(peak, memory_kib(pid, "VmRSS"))
    idle_cpu = (cpu_seconds(pid) - c0) / (time.monotonic() - t0) * 100
    s = sample(pid)
    rows.append((f"idle, {args.idle:.0f} s", f"CPU {idle_cpu:.2f} % of one core; {memory_text(s, cgroup_memory(box))}"))

    log = box.path("/var/log/mail.log")
    before = committed_lines(args.port)
    writer = SteadyWriter(log, args.rate).start()
    c0, t0 = cpu_seconds(pid), time.monotonic()
    peak = 0
    while time.monotonic() - t0 < args.steady:
        time.sleep(min(5, args.steady))
        peak = max(peak, memory_kib(pid, "VmRSS"))
    steady_cpu = (cpu_seconds(pid) - c0) / (time.monotonic() - t0) * 100
    written = writer.stop()
    deadline = time.monotonic() + 30
    while committed_lines(args.port) - before < written and time.monotonic() < deadline:
        time.sleep(0.2)
    committed = committed_lines(args.port) - before
    if committed < written:
        sys.exit(f"only {committed} of {written} lines committed 30 s after the load stopped")
    s = sample(pid)
    rows.append((f"steady {args.rate} lines/s, {args.steady:.0f} s ({written:,} lines, all committed)",
                 f"CPU {steady_cpu:.1f} % of one core; {memory_text(s, cgroup_memory(box))}, peak RSS {peak / 1024:.0f} MiB"))
    threads = thread_names(pid)
    stop(box)
    load_after = open("/proc/loadavg").read().split()[:3]

    print(f"\nbouncewatch installed service footprint: {UNIT} under systemd "
          f"{box.run('systemctl', '--version').split()[1]}, {os.cpu_count()} cores, "
          f"load {' '.join(load_before)} before, {' '.join(load_after)} after")
    print(f"ExecStart={unit_settings(unit_file, 'ExecStart')[0]}")
    for entry in args.set:
        print(f"drop-in: {entry}")
    print(f"Environment={box.run('systemctl', 'show', '-p', 'Environment', '--value', UNIT)}\n")
    print("| measure | result |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")
    print("\nthreads under load: " + ", ".join(f"{name} {count}" for name, count in threads.items()))


if __name__ == "__main__":
    main()
