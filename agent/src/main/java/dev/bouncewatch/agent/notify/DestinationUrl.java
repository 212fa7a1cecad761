package dev.bouncewatch.agent.notify;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules for a destination URL: absolute http(s) with a host; https unless the operator allowed
 * plain http explicitly, which is meant for a receiver on loopback or in a test.
 */
public final class DestinationUrl {

    private DestinationUrl() {
    }

    /** What is wrong with the URL, or empty when it may be used. Never includes the URL's query (it may hold a token). */
    public static Optional<String> problem(URI url, boolean allowInsecure) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return Optional.of("expected an absolute https:// URL with a host name");
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of("user:password@ in the URL is not supported; use the signing secret");
        }
        if (scheme.equals("http") && !allowInsecure) {
            return Optional.of("plain http sends events unencrypted; use https, or set allowInsecure: true for a receiver on loopback or in a test");
        }
        return Optional.empty();
    }

    /** True for plain http to a host that is not loopback (worth a warning even when allowed). */
    public static boolean insecureRemote(URI url) {
        return "http".equalsIgnoreCase(url.getScheme()) && !isLoopback(url.getHost());
    }

    /** Loopback by its literal name or address, without a DNS lookup. */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /**
     * Scheme, host, port and the path's first segment, for logs. The rest of the path, the query
     * and the fragment are left out: receivers put their tokens there (Zapier's
     * {@code /hooks/catch/<id>/<token>/}, Discord's {@code /api/webhooks/<id>/<token>}, {@code ?token=}).
     */
    public static String forLog(URI url) {
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        int second = path.indexOf('/', 1);
        if (second >= 0 && second < path.length() - 1) {
            path = path.substring(0, second + 1) + "...";
        }
        return url.getScheme() + "://" + url.getHost() + port + path;
    }

    /** {@code text} (an exception's message, say) with the URL, its path and its query replaced by {@link #forLog}'s form. */
    public static String redacted(String text, URI url) {
        if (text == null) {
            return null;
        }
        String safe = forLog(url);
        String out = text.replace(url.toString(), safe);
        for (String part : new String[] {url.getRawQuery(), url.getQuery(), url.getRawPath(), url.getPath()}) {
            if (part != null && part.length() > 1) {
                out = out.replace(part, "...");
            }
        }
        return out;
    }
}
