package dev.bouncewatch.agent.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which events a destination wants: by type, and for events about a message or a recipient also by
 * category and recipient domain. Category and domain filters do not apply to events that have no
 * such field (alerts, digests, health, test pings), which pass on their type alone.
 *
 * @param types      accepted types
 * @param categories classifier categories ({@code userunknown}, {@code blocked} ...); empty for all
 * @param domains    recipient domains, each matching itself and its subdomains; empty for all
 */
public record EventFilter(Set<EventType> types, Set<String> categories, Set<String> domains) {

    /** Every type except {@code message.delivered}, which is one event per sent message and must be asked for. */
    public static final Set<EventType> DEFAULT_TYPES = Set.copyOf(EnumSet.complementOf(EnumSet.of(EventType.MESSAGE_DELIVERED)));

    public EventFilter {
        types = Set.copyOf(types);
        categories = categories.stream().map(c -> c.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
        domains = domains.stream().map(EventFilter::normaliseDomain).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public static EventFilter defaults() {
        return new EventFilter(DEFAULT_TYPES, Set.of(), Set.of());
    }

    public static EventFilter types(Set<EventType> types) {
        return new EventFilter(types, Set.of(), Set.of());
    }

    public boolean accepts(NotificationEvent event) {
        EventType type;
        try {
            type = EventType.fromWireName(event.type());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!types.contains(type)) {
            return false;
        }
        if (!categories.isEmpty()) {
            String category = firstText(event.data(), "bounce", "suppression", "category");
            if (category != null && !categories.contains(category.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        if (!domains.isEmpty()) {
            String domain = event.data().path("recipient").path("domain").asText(null);
            if (domain != null && !matchesDomain(normaliseDomain(domain))) {
                return false;
            }
        }
        return true;
    }

    private boolean matchesDomain(String domain) {
        for (String d = domain; ; ) {
            if (domains.contains(d)) {
                return true;
            }
            int dot = d.indexOf('.');
            if (dot < 0) {
                return false;
            }
            d = d.substring(dot + 1);
        }
    }

    private static String firstText(JsonNode data, String object1, String object2, String field) {
        JsonNode v = data.path(object1).path(field);
        if (!v.isTextual()) {
            v = data.path(object2).path(field);
        }
        return v.isTextual() ? v.asText() : null;
    }

    private static String normaliseDomain(String d) {
        String s = d.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("@")) {
            s = s.substring(1);
        }
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
