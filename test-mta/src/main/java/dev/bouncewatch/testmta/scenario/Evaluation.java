package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.session.TransactionContext;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One call of {@link Scenario#decide}: the session view plus what matchers found (regex captures,
 * the recipient that matched), which reply and key templates read as variables.
 */
final class Evaluation {

    /** Variables every template may use; regex named groups of the rule's matchers come on top. */
    static final Set<String> VARIABLES = Set.of("rcpt", "rcpt_domain", "rcpt_local", "mail_from", "mail_from_domain",
            "mail_from_local", "helo", "client_ip", "client_net", "auth_user", "hostname", "session_id", "stage");

    private final TransactionContext context;
    private final String hostname;
    private final Map<String, String> captures = new HashMap<>();
    private String matchedRecipient;

    Evaluation(TransactionContext context, String hostname) {
        this.context = context;
        this.hostname = hostname;
    }

    TransactionContext context() {
        return context;
    }

    Map<String, String> captures() {
        return captures;
    }

    void matchedRecipient(String recipient) {
        this.matchedRecipient = recipient;
    }

    /** Forget what the previous rule's matchers found. */
    void startRule() {
        captures.clear();
        matchedRecipient = null;
    }

    /** The recipient a template means: the one matched, the one at RCPT, else the first accepted one. */
    String recipient() {
        if (matchedRecipient != null) {
            return matchedRecipient;
        }
        if (context.rcpt() != null) {
            return context.rcpt();
        }
        List<String> all = context.recipients();
        return all == null || all.isEmpty() ? null : all.get(0);
    }

    String variable(String name) {
        String captured = captures.get(name);
        if (captured != null) {
            return captured;
        }
        return switch (name) {
            case "rcpt" -> recipient();
            case "rcpt_domain" -> domainOf(recipient());
            case "rcpt_local" -> localPartOf(recipient());
            case "mail_from" -> context.mailFrom();
            case "mail_from_domain" -> domainOf(context.mailFrom());
            case "mail_from_local" -> localPartOf(context.mailFrom());
            case "helo" -> context.helo();
            case "client_ip" -> context.clientAddress() == null ? null : context.clientAddress().getHostAddress();
            case "client_net" -> network(context.clientAddress());
            case "auth_user" -> context.authUser();
            case "hostname" -> hostname;
            case "session_id" -> context.sessionId();
            case "stage" -> context.stage().configName();
            default -> null;
        };
    }

    static String domainOf(String address) {
        if (address == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1);
    }

    static String localPartOf(String address) {
        if (address == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at);
    }

    /** The client's /24 (IPv4) or /64 (IPv6), as greylisters group a sender's outbound pool. */
    static String network(InetAddress address) {
        if (address == null) {
            return null;
        }
        byte[] b = address.getAddress();
        int keep = address instanceof Inet4Address ? 3 : 8;
        byte[] masked = new byte[b.length];
        System.arraycopy(b, 0, masked, 0, keep);
        try {
            return InetAddress.getByAddress(masked).getHostAddress() + (keep == 3 ? "/24" : "/64");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
        }
    }
}
