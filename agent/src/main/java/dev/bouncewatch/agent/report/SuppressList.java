package dev.bouncewatch.agent.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Addresses that hard-bounced with action suppress, up to a cap; beyond it bounces are only counted. */
final class SuppressList {

    private static final class Entry {
        long bounces;
        String category;
        String reason;
        Instant lastSeen;
    }

    private final int capacity;
    private final Map<String, Entry> addresses = new HashMap<>();
    private long omittedBounces;

    SuppressList(int capacity) {
        this.capacity = capacity;
    }

    void add(String address, String category, String reason, Instant time) {
        Entry e = addresses.get(address);
        if (e == null) {
            if (addresses.size() >= capacity) {
                omittedBounces++;
                return;
            }
            e = new Entry();
            addresses.put(address, e);
        }
        e.bounces++;
        e.category = category;
        e.reason = reason;
        if (time != null && (e.lastSeen == null || time.isAfter(e.lastSeen))) {
            e.lastSeen = time;
        }
    }

    List<Report.SuppressedAddress> snapshot() {
        List<Report.SuppressedAddress> out = new ArrayList<>(addresses.size());
        addresses.forEach((addr, e) -> out.add(
                new Report.SuppressedAddress(addr, e.bounces, e.category, e.reason, e.lastSeen)));
        out.sort(Comparator.comparingLong(Report.SuppressedAddress::bounces).reversed()
                .thenComparing(Report.SuppressedAddress::address));
        return out;
    }

    long omittedBounces() {
        return omittedBounces;
    }
}
