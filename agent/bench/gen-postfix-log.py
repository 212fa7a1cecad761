#!/usr/bin/env python3
"""Writes a realistic Postfix mail log for benchmarks: a busy outbound relay.

Each message goes through pickup/cleanup/qmgr, then one delivery line per recipient and attempt:
~80 % sent, ~9 % deferred then sent, ~6 % bounced, ~2 % deferred until expired, plus inbound
smtpd noise (connect/disconnect/NOQUEUE rejects) and other programs' lines, in RFC 3339 or
traditional syslog format. Deterministic for a given seed.

usage: gen-postfix-log.py LINES [--seed N] [--format rfc3339|traditional] > mail.log
"""
import argparse
import random
import sys
from datetime import datetime, timedelta, timezone

DOMAINS = [("gmail.com", "gmail-smtp-in.l.google.com", "142.250.27.26"),
           ("outlook.com", "outlook-com.olc.protection.outlook.com", "52.101.42.17"),
           ("yahoo.com", "mta7.am0.yahoodns.net", "67.195.204.72"),
           ("example.org", "mx.example.org", "192.0.2.25"),
           ("web.de", "mx-ha03.web.de", "212.227.15.41"),
           ("icloud.com", "mx01.mail.icloud.com", "17.57.154.6"),
           ("corp.example", "mail.corp.example", "198.51.100.7")]

BOUNCES = [
    ("5.1.1", "RCPT", "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp"),
    ("5.5.0", "RCPT", "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302)"),
    ("5.7.1", "RCPT", "550 5.7.1 Service unavailable, Client host [203.0.113.9] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/203.0.113.9 (AS3130). [BN8NAM12FT053.eop-nam12.prod.protection.outlook.com]"),
    ("5.2.2", "RCPT", "552 5.2.2 <{rcpt}>: Recipient address rejected: Mailbox full"),
    ("5.7.26", "end of DATA", "550-5.7.26 Unauthenticated email from example.net is not accepted due to domain's 550-5.7.26 DMARC policy. 550 5.7.26 https://support.google.com/mail/answer/2451690 - gsmtp"),
    ("5.1.1", "RCPT", "554 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table"),
]
DEFERS = [
    ("4.7.0", "MAIL FROM", "421 4.7.0 [TSS04] Messages from 203.0.113.9 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"),
    ("4.2.0", "RCPT", "450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html"),
    ("4.7.28", "end of DATA", "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating 421-4.7.28 from your IP address. 421 4.7.28  https://support.google.com/mail/?p=UnsolicitedRateLimitError x9si1 - gsmtp"),
]
NAMES = ["anna", "ben", "chris", "dora", "emil", "fritz", "gina", "hans", "ines", "jan", "kim", "lea", "max",
         "nina", "otto", "paul", "rita", "sam", "tina", "uwe"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lines", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=["rfc3339", "traditional"], default="rfc3339")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    t = datetime(2026, 11, 1, 0, 0, 0, tzinfo=timezone.utc)
    out = sys.stdout
    written = 0
    qn = 0x1A2B3C000
    pending = []  # (due_time, lines)

    def stamp(ts):
        if a.format == "rfc3339":
            return ts.strftime("%Y-%m-%dT%H:%M:%S.") + "%06d+00:00" % ts.microsecond
        return ts.strftime("%b %e %H:%M:%S")

    def emit(ts, prog, pid, text):
        nonlocal written
        out.write("%s mail1 %s[%d]: %s\n" % (stamp(ts), prog, pid, text))
        written += 1

    while written < a.lines:
        t += timedelta(microseconds=rnd.randint(20000, 400000))  # ~5 messages/s
        # flush retries that are due
        while pending and pending[0][0] <= t:
            for prog, pid, text in pending.pop(0)[1]:
                emit(t, prog, pid, text)
        r = rnd.random()
        if r < 0.12:  # inbound noise
            ip = "198.51.100.%d" % rnd.randint(1, 254)
            pid = rnd.randint(1000, 60000)
            emit(t, "postfix/smtpd", pid, "connect from unknown[%s]" % ip)
            if rnd.random() < 0.3:
                emit(t, "postfix/smtpd", pid, "NOQUEUE: reject: RCPT from unknown[%s]: 554 5.7.1 <spam@%s>: Relay access denied; from=<x@spam.example> to=<spam@%s> proto=ESMTP helo=<spam.example>" % (ip, "relay.example", "relay.example"))
            emit(t, "postfix/smtpd", pid, "disconnect from unknown[%s] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4" % ip)
            continue
        if r < 0.14:
            emit(t, "dovecot", rnd.randint(1000, 60000), "imap-login: Login: user=<anna>, method=PLAIN, rip=192.0.2.4, lip=192.0.2.1, TLS")
            continue
        qn += rnd.randint(1, 4096)
        qid = "%X" % qn
        sender = "news@sender.example"
        rcpts = []
        for _ in range(1 if rnd.random() < 0.8 else rnd.randint(2, 4)):
            dom = rnd.choice(DOMAINS)
            rcpts.append(("%s.%d@%s" % (rnd.choice(NAMES), rnd.randint(1, 99999), dom[0]), dom))
        size = rnd.randint(2000, 90000)
        emit(t, "postfix/pickup", 4242, "%s: uid=1000 from=<%s>" % (qid, sender))
        emit(t, "postfix/cleanup", rnd.randint(1000, 60000), "%s: message-id=<%d.%s@sender.example>" % (qid, qn, qid))
        emit(t, "postfix/qmgr", 4243, "%s: from=<%s>, size=%d, nrcpt=%d (queue active)" % (qid, sender, size, len(rcpts)))
        spid = rnd.randint(1000, 60000)
        left = len(rcpts)
        for rcpt, (dom, mx, ip) in rcpts:
            relay = "%s[%s]:25" % (mx, ip)
            d = rnd.random()
            delay = "%.2f" % rnd.uniform(0.3, 3.0)
            delays = "0.01/0.01/0.2/%.2f" % rnd.uniform(0.1, 2.0)
            if d < 0.80:
                emit(t, "postfix/smtp", spid, "%s: to=<%s>, relay=%s, delay=%s, delays=%s, dsn=2.0.0, status=sent (250 2.0.0 OK  1732848000 a1si%d - gsmtp)" % (qid, rcpt, relay, delay, delays, rnd.randint(1, 10**6)))
                left -= 1
            elif d < 0.86:
                dsn, cmd, text = rnd.choice(BOUNCES)
                emit(t, "postfix/smtp", spid, "%s: to=<%s>, relay=%s, delay=%s, delays=%s, dsn=%s, status=bounced (host %s[%s] said: %s (in reply to %s command))" % (qid, rcpt, relay, delay, delays, dsn, mx, ip, text.replace("{rcpt}", rcpt), cmd))
                left -= 1
            else:
                dsn, cmd, text = rnd.choice(DEFERS)
                line = "%s: to=<%s>, relay=%s, delay=%s, delays=%s, dsn=%s, status=deferred (host %s[%s] said: %s (in reply to %s command))" % (qid, rcpt, relay, delay, delays, dsn, mx, ip, text.replace("{rcpt}", rcpt), cmd)
                emit(t, "postfix/smtp", spid, line)
                later = t + timedelta(seconds=rnd.randint(300, 3600))
                if d < 0.98:
                    retry = [("postfix/smtp", spid + 1, "%s: to=<%s>, relay=%s, delay=%d, delays=300/0.01/0.2/0.4, dsn=2.0.0, status=sent (250 2.0.0 OK queued)" % (qid, rcpt, relay, rnd.randint(300, 3600))),
                             ("postfix/qmgr", 4243, "%s: removed" % qid)]
                else:
                    retry = [("postfix/smtp", spid + 1, line),
                             ("postfix/qmgr", 4243, "%s: from=<%s>, status=expired, returned to sender" % (qid, sender)),
                             ("postfix/qmgr", 4243, "%s: removed" % qid)]
                pending.append((later, retry))
                pending.sort(key=lambda p: p[0])
        if left == 0:
            emit(t, "postfix/qmgr", 4243, "%s: removed" % qid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
