"""Shared by the agent benchmarks (agent-benchmark.py, installed-footprint.py): the unit's JVM options
read from the unit file, per-process sampling from /proc, the steady Postfix load, small statistics."""
import importlib.util
import json
import os
import random
import re
import shlex
import threading
import time
import urllib.request
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_UNIT = os.path.join(os.path.dirname(os.path.dirname(HERE)), "systemd", "bouncewatch-agent.service")
TICKS = os.sysconf("SC_CLK_TCK")


# ---- the unit file ----

def unit_settings(unit_path, key):
    """Every value of KEY= in the unit file, in order (no drop-ins: they are the admin's, not ours)."""
    values = []
    with open(unit_path) as f:
        for raw in f:
            if raw.startswith(key + "="):
                values.append(raw[len(key) + 1:].strip())
    return values


def unit_environment(unit_path):
    """The unit's Environment= assignments as a dict, quoted the way systemd unquotes them."""
    env = {}
    for value in unit_settings(unit_path, "Environment"):
        for word in shlex.split(value):
            name, _, val = word.partition("=")
            env[name] = val
    return env


def unit_java_opts(unit_path=REPO_UNIT):
    """JAVA_OPTS as the unit sets them: the benchmarks run the agent with exactly these."""
    opts = unit_environment(unit_path).get("JAVA_OPTS")
    if opts is None:
        raise SystemExit(f"{unit_path}: no Environment=JAVA_OPTS=... line")
    return opts


# ---- sampling one process from /proc (host PIDs) ----

def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def memory_kib(pid, key):
    """A line of /proc/PID/status in KiB: VmRSS, VmHWM, RssAnon, RssFile, Threads (a count)."""
    with open(f"/proc/{pid}/status") as f:
        for entry in f:
            if entry.startswith(key + ":"):
                return int(entry.split()[1])
    return 0


def pss_kib(pid):
    """Proportional set size: shared pages (the JDK's libraries, the CDS archive) divided among the
    processes mapping them; None when the kernel has no smaps_rollup."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for entry in f:
                if entry.startswith("Pss:"):
                    return int(entry.split()[1])
    except OSError:
        return None
    return None


def thread_names(pid):
    """The process's threads grouped by name with digits folded ("C1 CompilerThre#" ...): count each."""
    names = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = re.sub(r"\d+", "#", f.read().strip())
        except OSError:
            continue
        names[name] = names.get(name, 0) + 1
    return dict(sorted(names.items(), key=lambda kv: (-kv[1], kv[0])))


def sample(pid):
    """RSS, PSS (MiB) and thread count of PID now."""
    pss = pss_kib(pid)
    return {"rss": memory_kib(pid, "VmRSS") / 1024, "pss": None if pss is None else pss / 1024,
            "anon": memory_kib(pid, "RssAnon") / 1024, "threads": memory_kib(pid, "Threads")}


def cpu_percent_over(pid, seconds, during=None):
    """CPU % of one core used by PID over SECONDS (wall clock), with an optional callback run meanwhile."""
    c0, t0 = cpu_seconds(pid), time.monotonic()
    if during:
        during()
    remaining = seconds - (time.monotonic() - t0)
    if remaining > 0:
        time.sleep(remaining)
    return (cpu_seconds(pid) - c0) / (time.monotonic() - t0) * 100


def get(port, path, timeout=10):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
        return json.loads(r.read())


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def median(values):
    return percentile(values, 50)


# ---- the steady Postfix load ----

def _generator():
    spec = importlib.util.spec_from_file_location("gen_postfix_log", os.path.join(HERE, "gen-postfix-log.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _generator()


def delivery_line(n, rnd, now=None):
    """One Postfix smtp delivery line stamped now (RFC 3339, as Debian 12's rsyslog writes): about 80 %
    sent, 10 % bounced and 10 % deferred, with the replies gen-postfix-log.py uses (Gmail unknown user,
    Spamhaus block, mailbox full, DMARC, greylisting, Yahoo and Gmail rate limits)."""
    now = now or datetime.now(timezone.utc)
    stamp = now.strftime("%Y-%m-%dT%H:%M:%S.%f") + "+00:00"
    queue_id = "%010X" % (0x3000000000 + n)
    dom, mx, ip = rnd.choice(GEN.DOMAINS)
    rcpt = f"{rnd.choice(GEN.NAMES)}.{n}@{dom}"
    relay = f"{mx}[{ip}]:25"
    head = f"{stamp} mail1 postfix/smtp[{4000 + n % 5000}]: {queue_id}: to=<{rcpt}>, relay={relay}, delay=0.4, delays=0.01/0.01/0.2/0.2"
    r = rnd.random()
    if r < 0.8:
        return f"{head}, dsn=2.0.0, status=sent (250 2.0.0 OK  1732848000 a1si{n} - gsmtp)\n"
    dsn, cmd, text = rnd.choice(GEN.BOUNCES if r < 0.9 else GEN.DEFERS)
    status = "bounced" if r < 0.9 else "deferred"
    return (f"{head}, dsn={dsn}, status={status} (host {mx}[{ip}] said: {text.replace('{rcpt}', rcpt)} "
            f"(in reply to {cmd} command))\n")


class SteadyWriter:
    """Appends RATE delivery lines/s to a log file from a thread, paced on the monotonic clock (a late
    tick writes the lines it owes, so the average rate holds on a loaded machine)."""

    def __init__(self, path, rate, seed=1, lock=None):
        self.path, self.rate = path, rate
        self.rnd = random.Random(seed)
        self.lock = lock or threading.Lock()
        self.written = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def append(self, text):
        with self.lock, open(self.path, "a") as f:
            f.write(text)

    def _run(self):
        started = time.monotonic()
        while not self._stop.is_set():
            due = int((time.monotonic() - started) * self.rate) + 1
            if due > self.written:
                lines = [delivery_line(self.written + i + 1, self.rnd) for i in range(due - self.written)]
                self.append("".join(lines))
                self.written = due
            time.sleep(max(0.0, started + (self.written) / self.rate - time.monotonic()))

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.written
