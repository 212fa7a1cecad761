#!/usr/bin/env python3
"""Waits for, prints and checks what the agent made of a staging run (run-staging.sh).

  report.py first --api URL --campaign FILE [--deadline S]
      wait until the agent has stored a result for every recipient of the campaign
  report.py check --api URL --out DIR --expected FILE --alerts FILE [--deadline S] [--remote-slack]
      wait until every expectation holds (or the deadline passes), print the report, exit 0 when
      all held and 1 when one is missing

Reads the agent's HTTP API (/api/results, /api/suppressions) and what receiver.py saved in DIR
(webhooks/, slack/, rejected.jsonl). Standard library only.
"""
import argparse
import glob
import json
import os
import re
import sys
import time
import urllib.parse
import urllib.request

SLACK_ESCAPES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


# ---------------------------------------------------------------------------------- inputs
def read_table(path):
    """Rows of a tab-separated file, comments and blank lines skipped, with their line numbers."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.strip() and not line.lstrip().startswith("#"):
                rows.append((number, line.split("\t")))
    return rows


def read_expected(path):
    expected = {}
    for number, cols in read_table(path):
        if len(cols) != 4 or cols[3] not in ("yes", "no"):
            sys.exit("%s:%d: expected 4 tab-separated columns: recipient, statuses, category, suppressed (yes|no)"
                     % (path, number))
        expected[cols[0].lower()] = {"statuses": cols[1].split(">"), "category": cols[2], "suppressed": cols[3] == "yes"}
    return expected


def read_alerts(path):
    alerts = []
    for number, cols in read_table(path):
        if len(cols) != 3 or "=" not in cols[1]:
            sys.exit("%s:%d: expected 3 tab-separated columns: rule, scope (key=value), severity" % (path, number))
        alerts.append({"rule": cols[0], "scope": cols[1], "severity": cols[2]})
    return alerts


def read_campaign(path):
    recipients = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.lstrip().startswith("#"):
                recipients.extend(a.lower() for a in line.split())
    return recipients


def get_json(api, path):
    with urllib.request.urlopen(api.rstrip("/") + path, timeout=10) as r:
        return json.load(r)


def fetch_results(api):
    """Every stored result, oldest first (the API pages newest first)."""
    items, before = [], None
    while True:
        query = {"limit": "1000"}
        if before is not None:
            query["before"] = str(before)
        page = get_json(api, "/api/results?" + urllib.parse.urlencode(query))
        items.extend(page.get("items", []))
        before = page.get("next")
        if before is None:
            break
    items.sort(key=lambda r: r["id"])
    by_recipient = {}
    for r in items:
        by_recipient.setdefault((r.get("recipient") or "").lower(), []).append(r)
    return by_recipient


def fetch_suppressions(api):
    page = get_json(api, "/api/suppressions?format=json&limit=1000")
    return {s["address"].lower(): s for s in page.get("items", [])}


def load_payloads(out, kind):
    payloads = []
    for path in sorted(glob.glob(os.path.join(out, kind, "*.json"))):
        try:
            with open(path, encoding="utf-8") as f:
                payloads.append((path, json.load(f)))
        except ValueError:
            payloads.append((path, None))
    return payloads


def load_rejected(out):
    path = os.path.join(out, "rejected.jsonl")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# ---------------------------------------------------------------------------------- state
def collapse(statuses):
    out = []
    for s in statuses:
        if not out or out[-1] != s:
            out.append(s)
    return out


def last_failure(results):
    failed = [r for r in results if r.get("status") != "delivered"]
    return failed[-1] if failed else None


def event_recipient(event):
    data = event.get("data") or {}
    return ((data.get("recipient") or {}).get("emailAddress") or "").lower()


def alert_of(event):
    alerts = (event.get("data") or {}).get("alerts") or []
    return alerts[0] if alerts else {}


def scope_text(alert):
    scope = alert.get("scope") or {}
    return "%s=%s" % (scope.get("key", ""), scope.get("value", "")) if scope else ""


class Snapshot:
    def __init__(self, args):
        self.results = fetch_results(args.api)
        self.suppressions = fetch_suppressions(args.api)
        self.webhooks = load_payloads(args.out, "webhooks")
        self.slack = load_payloads(args.out, "slack")
        self.rejected = load_rejected(args.out)
        self.events = [e for _, e in self.webhooks if e]


def recipient_problem(address, want, snap):
    """None when the recipient came out as expected, else what is wrong (one line)."""
    results = snap.results.get(address, [])
    got = collapse([r.get("status") for r in results])
    if got != want["statuses"]:
        return "statuses %s, expected %s" % (">".join(got) or "none", ">".join(want["statuses"]))
    failure = last_failure(results)
    category = (failure.get("category") or "?") if failure else "-"
    if category != want["category"]:
        return "category %s, expected %s" % (category, want["category"])
    if (address in snap.suppressions) != want["suppressed"]:
        return "suppressed %s, expected %s" % ("yes" if address in snap.suppressions else "no",
                                                "yes" if want["suppressed"] else "no")
    types = {e.get("type") for e in snap.events if event_recipient(e) == address}
    for status in want["statuses"]:
        if "message." + status not in types:
            return "no message.%s webhook event" % status
    if want["suppressed"] != ("recipient.suppressed" in types):
        return "recipient.suppressed webhook event %s" % ("missing" if want["suppressed"] else "unexpected")
    return None


def alert_problem(want, snap, remote_slack):
    firing = [e for e in snap.events if e.get("type") == "alert.firing"
              and alert_of(e).get("rule") == want["rule"] and scope_text(alert_of(e)) == want["scope"]]
    if not firing:
        return "no alert.firing webhook event for %s %s" % (want["rule"], want["scope"])
    severity = alert_of(firing[0]).get("severity")
    if severity != want["severity"]:
        return "alert %s %s has severity %s, expected %s" % (want["rule"], want["scope"], severity, want["severity"])
    if not remote_slack and not any(p and "rule `%s`" % want["rule"] in json.dumps(p, ensure_ascii=False)
                                    for _, p in snap.slack):
        return "no Slack message for alert %s" % want["rule"]
    return None


def problems(expected, alerts, snap, remote_slack):
    out = []
    for address, want in expected.items():
        p = recipient_problem(address, want, snap)
        if p:
            out.append("%s: %s" % (address, p))
    for want in alerts:
        p = alert_problem(want, snap, remote_slack)
        if p:
            out.append(p)
    wanted = {(w["rule"], w["scope"]) for w in alerts}
    for e in snap.events:
        a = alert_of(e)
        if e.get("type") == "alert.firing" and (a.get("rule"), scope_text(a)) not in wanted:
            out.append("unexpected alert %s %s: %s" % (a.get("rule"), scope_text(a), a.get("summary")))
    for r in snap.rejected:
        out.append("webhook %s rejected by the receiver: %s" % (r.get("id"), r.get("problem")))
    for path, payload in snap.webhooks + snap.slack:
        if payload is None:
            out.append("%s is not JSON" % path)
    return out


# ---------------------------------------------------------------------------------- printing
def short(text, width):
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[:width - 1] + "…"


def clock(iso):
    return (iso or "")[11:19] or "-"


def heading(title):
    print()
    print(title)
    print("=" * len(title))


def print_results(expected, snap):
    heading("Results the agent stored (GET /api/results), per recipient, oldest attempt first")
    fmt = "%-26s %-8s %-9s %-4s %-8s %-12s %-18s %-5s %s"
    print(fmt % ("RECIPIENT", "TIME", "STATUS", "CODE", "DSN", "CATEGORY", "ACTION", "SUPPR", "CHECK"))
    addresses = list(expected) + sorted(a for a in snap.results if a not in expected)
    for address in addresses:
        results = snap.results.get(address, [])
        want = expected.get(address)
        check = "(not in expected.tsv)" if want is None else (recipient_problem(address, want, snap) or "ok")
        if want is not None and check != "ok":
            check = "MISSING: " + check
        suppressed = "yes" if address in snap.suppressions else "no"
        if not results:
            print(fmt % (address, "-", "(none)", "", "", "", "", suppressed, check))
            continue
        for i, r in enumerate(results):
            failed = r.get("status") != "delivered"
            print(fmt % (address if i == 0 else "", clock(r.get("time")), r.get("status"), r.get("replyCode") or "-",
                         r.get("dsn") or "-", r.get("category") if failed else "-", r.get("action") if failed else "-",
                         suppressed if i == 0 else "", check if i == 0 else ""))
        failure = last_failure(results)
        if failure:
            print("%-26s   reply: %s" % ("", short(failure.get("diagnostic"), 100)))


def print_suppressions(snap):
    heading("Suppression list (GET /api/suppressions): %d address%s" % (len(snap.suppressions),
                                                                         "" if len(snap.suppressions) == 1 else "es"))
    for address, s in sorted(snap.suppressions.items()):
        print("%-26s %-12s %-8s %s" % (address, s.get("category") or "-", s.get("origin") or "-",
                                       short(s.get("reason"), 80)))


def describe_event(e):
    data = e.get("data") or {}
    kind = e.get("type", "?")
    if kind.startswith("message."):
        detail = data.get("bounce") or data.get("delivery") or {}
        code = "%s %s" % (detail.get("smtpCode", "-"), detail.get("status", "-"))
        extra = [detail.get("category"), detail.get("action")]
        if (data.get("suppression") or {}).get("added"):
            extra.append("[suppressed]")
        return event_recipient(e), code + "  " + " ".join(x for x in extra if x)
    if kind == "recipient.suppressed":
        s = data.get("suppression") or {}
        return event_recipient(e), "added to the suppression list: %s" % short(s.get("reason"), 70)
    if kind.startswith("alert."):
        a = alert_of(e)
        return "%s %s" % (a.get("rule", "?"), scope_text(a)), "%s: %s" % (a.get("severity", "?"), short(a.get("summary"), 70))
    return "", short(json.dumps(data, ensure_ascii=False), 80)


def print_webhooks(snap, out):
    valid = "all signatures valid" if not snap.rejected else "%d REJECTED" % len(snap.rejected)
    heading("Webhook events received (%d; Standard Webhooks HMAC-SHA256, %s)" % (len(snap.webhooks), valid))
    for path, e in snap.webhooks:
        if e is None:
            print("%-5s (not JSON) %s" % (os.path.basename(path)[:4], path))
            continue
        subject, detail = describe_event(e)
        print("%-5s %-20s %-40s %s" % (os.path.basename(path)[:4], e.get("type"), short(subject, 40), detail))
    for r in snap.rejected:
        print("REJECTED %s: %s" % (r.get("id"), r.get("problem")))


def slack_text(text):
    """Slack mrkdwn as a terminal shows it: *bold* and _italic_ marks dropped outside `code`."""
    parts = text.split("`")
    for i in range(0, len(parts), 2):  # even parts are outside code spans
        parts[i] = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", parts[i])
        parts[i] = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"\1", parts[i])
    text = "`".join(parts)
    for a, b in SLACK_ESCAPES:
        text = text.replace(a, b)
    return text


def render_slack(payload):
    """Block Kit as plain text: header, sections, field pairs, context; the fallback if no blocks."""
    lines = []
    for block in payload.get("blocks") or []:
        kind = block.get("type")
        if kind == "header":
            lines.append(slack_text(block["text"]["text"]))
        elif kind == "section":
            if block.get("text"):
                lines.extend(slack_text(block["text"]["text"]).split("\n"))
            pairs = []
            for field in block.get("fields") or []:
                label, _, value = slack_text(field.get("text", "")).partition("\n")
                pairs.append("%s: %s" % (label.strip("*"), value))
            if pairs:
                lines.append("   ".join(pairs))
        elif kind == "context":
            lines.append(" ".join(slack_text(el.get("text", "")) for el in block.get("elements") or []))
        elif kind == "divider":
            lines.append("-" * 40)
    if not lines:
        lines.append(slack_text(payload.get("text", "")))
    return lines


def print_slack(snap, remote_slack):
    if remote_slack:
        heading("Slack messages: posted to SLACK_WEBHOOK_URL (the agent's outbox for it follows the checks)")
        return
    heading("Slack messages received (%d), as Slack would show them" % len(snap.slack))
    for path, payload in snap.slack:
        print("--- %s" % os.path.basename(path))
        if payload is None:
            print("    (not JSON)")
            continue
        for line in render_slack(payload):
            print("    " + line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["first", "check"])
    parser.add_argument("--api", required=True, help="the agent's HTTP API, http://127.0.0.1:PORT")
    parser.add_argument("--campaign", help="campaign.txt (mode first)")
    parser.add_argument("--out", help="the run's output directory (mode check)")
    parser.add_argument("--expected", help="expected.tsv (mode check)")
    parser.add_argument("--alerts", help="expected-alerts.tsv (mode check)")
    parser.add_argument("--deadline", type=float, default=90, help="seconds to wait (default 90)")
    parser.add_argument("--remote-slack", action="store_true", help="Slack goes to a real URL: do not look for it")
    args = parser.parse_args()
    end = time.monotonic() + args.deadline

    if args.mode == "first":
        recipients = read_campaign(args.campaign)
        while True:
            try:
                results = fetch_results(args.api)
            except OSError as e:  # the API is busy or restarting: try again until the deadline
                results = {}
            missing = [a for a in recipients if a not in results]
            if not missing:
                return 0
            if time.monotonic() > end:
                print("no result after %.0f s for: %s" % (args.deadline, ", ".join(missing)), file=sys.stderr)
                return 1
            time.sleep(0.5)

    expected = read_expected(args.expected)
    alerts = read_alerts(args.alerts)
    snap = None
    while True:
        try:
            snap = Snapshot(args)
            found = problems(expected, alerts, snap, args.remote_slack)
        except OSError as e:
            if snap is None and time.monotonic() > end:
                print("the agent's API does not answer: %s" % e, file=sys.stderr)
                return 1
            found = ["the agent's API: %s" % e]
        if (snap is not None and not found) or time.monotonic() > end:
            break
        time.sleep(0.5)
    print_results(expected, snap)
    print_suppressions(snap)
    print_webhooks(snap, args.out)
    print_slack(snap, args.remote_slack)
    heading("Checks (expected.tsv, expected-alerts.tsv)")
    if found:
        for p in found:
            print("NOT AS EXPECTED: " + p)
        print("FAIL: %d problem%s after waiting %.0f s" % (len(found), "" if len(found) == 1 else "s", args.deadline))
        return 1
    print("PASS: %d recipients as expected, %d suppressed, %d alerts, %d webhook events (signatures valid), %s"
          % (len(expected), sum(1 for w in expected.values() if w["suppressed"]), len(alerts), len(snap.webhooks),
             "Slack via SLACK_WEBHOOK_URL" if args.remote_slack else "%d Slack messages" % len(snap.slack)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
