package dev.bouncewatch.agent.http;

import dev.bouncewatch.agent.parse.TsvRows;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps a recipient domain to a mailbox-provider group ({@code google}, {@code microsoft} ... or
 * {@code other}): a label value from a small fixed set, so a metric never gets a series per domain.
 * The table is {@code domain-groups.tsv}; a domain matches itself and its subdomains.
 */
public final class DomainGroups {

    public static final String OTHER = "other";
    private static final String RESOURCE = "domain-groups.tsv";
    private static final String PROVIDER_SIGNAL = "provider:";
    private static final DomainGroups DEFAULT = load();

    private final Map<String, String> byDomain;
    private final Set<String> groups;

    private DomainGroups(Map<String, String> byDomain) {
        this.byDomain = Map.copyOf(byDomain);
        TreeSet<String> all = new TreeSet<>(byDomain.values());
        all.add(OTHER);
        this.groups = Set.copyOf(all);
    }

    public static DomainGroups defaults() {
        return DEFAULT;
    }

    /** Every value {@link #groupOf} can return, {@code other} included. */
    public Set<String> groups() {
        return groups;
    }

    /**
     * The group of a recipient domain; when the table does not know it, the group of a
     * {@code provider:<name>} classifier signal (the MX host told who hosts the domain), else other.
     */
    public String groupOf(String recipientDomain, List<String> signals) {
        String byTable = lookup(recipientDomain);
        if (byTable != null) {
            return byTable;
        }
        for (String s : signals) {
            if (s.startsWith(PROVIDER_SIGNAL)) {
                String provider = s.substring(PROVIDER_SIGNAL.length());
                if (groups.contains(provider) && !provider.equals(OTHER)) {
                    return provider;
                }
            }
        }
        return OTHER;
    }

    private String lookup(String domain) {
        if (domain == null || domain.isEmpty()) {
            return null;
        }
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        // the domain itself, then each parent: mail.contoso.onmicrosoft.com -> ... -> onmicrosoft.com
        for (int from = 0; from >= 0; from = nextLabel(d, from)) {
            String group = byDomain.get(d.substring(from));
            if (group != null) {
                return group;
            }
        }
        return null;
    }

    private static int nextLabel(String d, int from) {
        int dot = d.indexOf('.', from);
        return dot < 0 ? -1 : dot + 1;
    }

    private static DomainGroups load() {
        Map<String, String> byDomain = new HashMap<>();
        TsvRows.readResource(DomainGroups.class, RESOURCE, (lineNo, f) -> {
            if (f.length != 2 || f[0].isBlank() || f[1].isBlank()) {
                throw new IllegalStateException(RESOURCE + " line " + lineNo
                        + ": expected 2 tab-separated fields (domain, group), got " + String.join("|", f));
            }
            String domain = f[0].trim().toLowerCase(Locale.ROOT);
            if (byDomain.put(domain, f[1].trim()) != null) {
                throw new IllegalStateException(RESOURCE + " line " + lineNo + ": field domain: '" + domain
                        + "' is listed twice");
            }
        });
        return new DomainGroups(byDomain);
    }
}
