package dev.bouncewatch.agent.http;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the API accepts as an address to suppress: {@code local@domain}, trimmed, angle brackets
 * removed, lower case (the list's key). Deliberately plainer than RFC 5321 (no quoted local parts,
 * no spaces): the list is imported by campaign tools, and one odd entry can break an import.
 */
final class AddressSyntax {

    static final int MAX_LENGTH = 254; // RFC 5321 4.5.3.1.3 path minus the brackets
    private static final int MAX_LOCAL = 64;
    private static final Pattern LOCAL = Pattern.compile("[^\\s\\p{Cntrl}<>()\\[\\],;:\\\\\"@]+");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)*[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?"
                    + "|\\[(?i:ipv6:)?[0-9A-Fa-f:.]+\\]");

    private AddressSyntax() {
    }

    /** The normalised address. */
    static String normalise(String raw) {
        String a = raw.trim();
        if (a.length() >= 2 && a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1).trim();
        }
        return a.toLowerCase(Locale.ROOT);
    }

    /** Why the normalised address is not acceptable, or null when it is. */
    static String problem(String address) {
        if (address.isEmpty()) {
            return "empty address";
        }
        if (address.length() > MAX_LENGTH) {
            return "address longer than " + MAX_LENGTH + " characters";
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return "expected local-part@domain";
        }
        String local = address.substring(0, at);
        if (local.length() > MAX_LOCAL) {
            return "local part longer than " + MAX_LOCAL + " characters";
        }
        if (!LOCAL.matcher(local).matches() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return "the local part has characters or dots an address cannot have unquoted";
        }
        if (!DOMAIN.matcher(address.substring(at + 1)).matches()) {
            return "the domain is not a host name or an address literal";
        }
        return null;
    }
}
