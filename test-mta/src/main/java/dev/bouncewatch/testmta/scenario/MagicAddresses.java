package dev.bouncewatch.testmta.scenario;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recipients that ask for their own reply, so a test needs no scenario file: the local part
 * starts with a reply code, optionally followed by an enhanced code, then ends or goes on after
 * {@code -} or {@code +}: {@code 550@x}, {@code 550-5.1.1@x}, {@code 451-4.7.1-anything@x},
 * {@code 452.4.2.2+tag@x}. {@code tempfail} and {@code permfail} (KumoMTA's Smart Sink words)
 * mean 451 4.3.0 and 550 5.1.1. 250 and 251 accept with that reply (other 2xx codes are no RCPT
 * answer, so such addresses are ordinary); 421 closes the connection.
 * Look-alikes such as {@code 5500@x}, {@code abc550@x} or {@code 550abc@x} are ordinary addresses,
 * and so is a code whose enhanced code has another class ({@code 550-4.1.1@x}).
 */
final class MagicAddresses {

    /** What the local part asks for. */
    record Request(int code, String enhancedCode) {
    }

    private static final Pattern CODED = Pattern.compile(
            "([245][0-9][0-9])(?:[-.]([245]\\.[0-9]{1,3}\\.[0-9]{1,3}))?(?:[-+].*)?", Pattern.DOTALL);
    private static final Pattern WORD = Pattern.compile("(tempfail|permfail)(?:[-+.].*)?",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final Catalog catalog;

    MagicAddresses(Catalog catalog) {
        this.catalog = catalog;
    }

    /** What this recipient's local part asks for, if it is a magic address. */
    static Optional<Request> parse(String recipient) {
        if (recipient == null) {
            return Optional.empty();
        }
        String local = Evaluation.localPartOf(recipient);
        if (local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"")) {
            local = local.substring(1, local.length() - 1);
        }
        if (local.isEmpty() || "245tTpP".indexOf(local.charAt(0)) < 0) {
            return Optional.empty(); // neither pattern can match: skip both regexes for ordinary addresses
        }
        Matcher m = CODED.matcher(local);
        if (m.matches()) {
            int code = Integer.parseInt(m.group(1));
            String esc = m.group(2);
            if (esc != null && esc.charAt(0) - '0' != code / 100) {
                return Optional.empty();
            }
            if (code < 300 && code != 250 && code != 251) { // RFC 5321 4.3.2: RCPT succeeds with 250 or 251 only
                return Optional.empty();
            }
            return Optional.of(new Request(code, esc));
        }
        Matcher w = WORD.matcher(local);
        if (w.matches()) {
            return Optional.of(w.group(1).toLowerCase(Locale.ROOT).equals("tempfail")
                    ? new Request(451, "4.3.0") : new Request(550, "5.1.1"));
        }
        return Optional.empty();
    }

    /** The outcome for the recipient being decided, or null when it is not a magic address. */
    Outcome decide(Evaluation ev, String ruleId) {
        Optional<Request> request = parse(ev.context().rcpt());
        if (request.isEmpty()) {
            return null;
        }
        Request r = request.get();
        ReplyTemplate template = catalog.forMagic(r.code(), r.enhancedCode());
        return new Outcome.Respond(ruleId, Duration.ZERO, template.render(ev), r.code() == 421);
    }
}
