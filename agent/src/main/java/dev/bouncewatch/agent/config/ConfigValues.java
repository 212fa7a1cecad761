package dev.bouncewatch.agent.config;

import dev.bouncewatch.testmta.yaml.DidYouMean;
import dev.bouncewatch.testmta.yaml.Durations;
import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import java.math.BigDecimal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The value syntaxes of the agent's config, for every section reader (sources, http, retention,
 * notify...): durations ({@code 250ms}, {@code 30s}, {@code 1h30m}, {@code 30d}, {@code 2w}),
 * sizes ({@code 512MiB}, {@code 1GB}), listen addresses ({@code 127.0.0.1:9325},
 * {@code [::1]:9325}), paths relative to the config file, and secrets (text, {@code {env: NAME}} or
 * {@code {file: PATH}}).
 *
 * <p>The {@code parse*} methods throw {@link IllegalArgumentException} whose message says what was
 * expected; the YAML readers record a problem at the value's line instead and return empty.
 */
public final class ConfigValues {

    /** Ten years: longer than any retention or interval anyone means; catches {@code 30000d} typos. */
    public static final Duration MAX_DURATION = Duration.ofDays(3660);


    private static final Pattern SIZE = Pattern.compile("(\\d{1,15}(?:\\.\\d{1,6})?)\\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_TEXT = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");
    private static final String HOST_PORT_EXAMPLES = "127.0.0.1:9325, [::1]:9325 or 0.0.0.0:9325 (all interfaces)";

    private ConfigValues() {
    }

    // ---- plain text parsers

    /** Bytes; {@code KB/MB/GB/TB} are powers of 1000, {@code KiB/MiB/GiB/TiB} powers of 1024; a bare number is bytes. */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size like 512MiB, 1GiB, 1GB or 1048576 (bytes), got '" + text + "'");
        }
        long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
            case "kb" -> 1000L;
            case "kib" -> 1L << 10;
            case "mb" -> 1000L * 1000;
            case "mib" -> 1L << 20;
            case "gb" -> 1000L * 1000 * 1000;
            case "gib" -> 1L << 30;
            case "tb" -> 1000L * 1000 * 1000 * 1000;
            case "tib" -> 1L << 40;
            default -> 1L;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("size '" + text + "' is too large");
        }
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("size '" + text + "' is not a whole number of bytes");
        }
        return bytes.longValueExact();
    }

    /**
     * A listen address: an IP literal and a port, IPv6 in brackets. Host names are refused on
     * purpose: a listener binds an interface, and resolving a name at start-up would make the
     * agent depend on DNS. {@code localhost} is accepted as 127.0.0.1.
     */
    public static InetSocketAddress parseHostPort(String text) {
        String s = text.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [IPv6 address]:port like [::1]:9325, got '" + text + "'");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
            if (!host.contains(":") || !IPV6_TEXT.matcher(host).matches()) {
                throw new IllegalArgumentException("'" + host + "' is not an IPv6 address; expected host:port like " + HOST_PORT_EXAMPLES);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("expected host:port like " + HOST_PORT_EXAMPLES + ", got '" + text + "'");
            }
            if (s.indexOf(':') != colon) {
                throw new IllegalArgumentException("IPv6 addresses go in brackets, e.g. [::1]:9325; got '" + text + "'");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
            if (host.equalsIgnoreCase("localhost")) {
                host = "127.0.0.1";
            } else if (!IPV4.matcher(host).matches()) {
                throw new IllegalArgumentException("expected an IP address before the port (host names are not resolved), like "
                        + HOST_PORT_EXAMPLES + "; got '" + text + "'");
            }
        }
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("expected a port from 0 to 65535 after the colon, got '" + text + "'");
        }
        try {
            // a literal never goes to DNS
            return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(port));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + host + "' is not an IP address; expected host:port like " + HOST_PORT_EXAMPLES, e);
        }
    }

    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 30d}, {@code 2w}, combined as {@code 1h30m}; {@code 0} is zero. */
    public static Duration parseDuration(String text) {
        return Durations.parse(text, MAX_DURATION, "250ms, 30s, 5m, 1h, 30d, 2w or 1h30m");
    }

    /** In days down to milliseconds, as the user would write it: {@code 30d}, {@code 1h}, {@code 1h30m}, {@code 250ms}. */
    public static String formatDuration(Duration d) {
        return Durations.format(d);
    }

    /** " (did you mean X?)" when a candidate is within two edits of {@code word}, else "". */
    public static String didYouMean(String word, Collection<String> candidates) {
        return DidYouMean.suggestion(word, candidates);
    }

    /** {@code 1GiB}, {@code 512MiB}, {@code 1GB}, else bytes: what the user would have written. */
    public static String formatSize(long bytes) {
        String[] binary = {"TiB", "GiB", "MiB", "KiB"};
        String[] decimal = {"TB", "GB", "MB", "KB"};
        for (int i = 0; i < binary.length; i++) {
            long b = 1L << (10 * (4 - i));
            if (bytes >= b && bytes % b == 0) {
                return bytes / b + binary[i];
            }
            long d = (long) Math.pow(1000, 4 - i);
            if (bytes >= d && bytes % d == 0) {
                return bytes / d + decimal[i];
            }
        }
        return bytes + "B";
    }

    /** {@code 127.0.0.1:9325} or {@code [::1]:9325}, as it would be written in the config. */
    public static String formatHostPort(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        if (ip instanceof Inet6Address) {
            host = "[" + compressIpv6(host) + "]";
        }
        return host + ":" + address.getPort();
    }

    /** Loopback addresses are reachable from this host only; anything else (including 0.0.0.0) is not. */
    public static boolean isLoopback(InetSocketAddress address) {
        return address.getAddress() != null && address.getAddress().isLoopbackAddress();
    }

    // ---- YAML readers: record a problem at the value and return empty

    public static Optional<Duration> duration(YamlMap map, String key, Duration min, Duration max) {
        return map.string(key).flatMap(text -> {
            try {
                Duration d = parseDuration(text);
                if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                    map.problems().add(map.value(key), map.path(key), "expected a duration from " + formatDuration(min)
                            + " to " + formatDuration(max) + ", got '" + text + "'");
                    return Optional.empty();
                }
                return Optional.of(d);
            } catch (IllegalArgumentException e) {
                map.problems().add(map.value(key), map.path(key), e.getMessage());
                return Optional.empty();
            }
        });
    }

    public static Optional<Long> size(YamlMap map, String key, long min, long max) {
        return map.string(key).flatMap(text -> {
            try {
                long bytes = parseSize(text);
                if (bytes < min || bytes > max) {
                    map.problems().add(map.value(key), map.path(key), "expected a size from " + formatSize(min) + " to "
                            + formatSize(max) + ", got '" + text + "'");
                    return Optional.empty();
                }
                return Optional.of(bytes);
            } catch (IllegalArgumentException e) {
                map.problems().add(map.value(key), map.path(key), e.getMessage());
                return Optional.empty();
            }
        });
    }

    public static Optional<InetSocketAddress> hostPort(YamlMap map, String key) {
        return map.string(key).flatMap(text -> {
            try {
                return Optional.of(parseHostPort(text));
            } catch (IllegalArgumentException e) {
                map.problems().add(map.value(key), map.path(key), e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** One of a closed set of lower-case words, matched ignoring case; returned lower-case. */
    public static Optional<String> choice(YamlMap map, String key, Collection<String> allowed) {
        return map.string(key).flatMap(text -> {
            String word = text.strip().toLowerCase(Locale.ROOT);
            if (allowed.contains(word)) {
                return Optional.of(word);
            }
            map.problems().add(map.value(key), map.path(key), "unknown value '" + text + "'" + didYouMean(word, allowed) + "; expected one of: "
                    + String.join(", ", allowed));
            return Optional.empty();
        });
    }

    /** A file or directory path; relative paths are taken from the config file's directory. */
    public static Optional<Path> path(YamlMap map, String key, ConfigContext context) {
        return map.has(key) ? path(map.value(key), map.path(key), context) : Optional.empty();
    }

    public static Optional<Path> path(Node node, String path, ConfigContext context) {
        return YamlValues.string(node, path, context.problems()).flatMap(text -> {
            if (text.isBlank()) {
                context.problems().add(node, path, "expected a path but the value is empty");
                return Optional.empty();
            }
            if (text.indexOf('\0') >= 0) {
                context.problems().add(node, path, "a path cannot contain a NUL character");
                return Optional.empty();
            }
            if (text.startsWith("~")) {
                context.problems().add(node, path, "'~' is not expanded; write the full path, e.g. /home/me/"
                        + text.substring(Math.min(text.length(), 2)));
                return Optional.empty();
            }
            try {
                return Optional.of(context.resolve(text));
            } catch (java.nio.file.InvalidPathException e) {
                context.problems().add(node, path, "not a valid path: " + e.getReason());
                return Optional.empty();
            }
        });
    }

    public static Optional<Secret> secret(YamlMap map, String key, ConfigContext context) {
        return map.has(key) ? secret(map.value(key), map.path(key), context) : Optional.empty();
    }

    /**
     * A secret: the text itself, {@code {env: NAME}} or {@code {file: PATH}} (content trimmed). No
     * message about it ever quotes the value, so a misplaced token cannot end up in a log.
     */
    public static Optional<Secret> secret(Node node, String path, ConfigContext context) {
        return new SecretReader(context).read(node, path);
    }

    /** One secret or a list of them (key rotation: the first signs, all verify). */
    public static Optional<List<Secret>> secrets(Node node, String path, ConfigContext context) {
        return new SecretReader(context).readList(node, path);
    }

    /** {@code 0:0:0:0:0:0:0:1} as {@code ::1}: the longest run of zero groups becomes {@code ::} (RFC 5952). */
    private static String compressIpv6(String full) {
        String[] groups = full.split(":", -1);
        if (groups.length != 8) {
            return full;
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < 8 && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, 8));
        return head + "::" + tail;
    }
}
