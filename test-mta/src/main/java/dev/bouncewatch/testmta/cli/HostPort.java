package dev.bouncewatch.testmta.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** {@code HOST:PORT} and {@code [v6]:PORT} on the command line. */
final class HostPort {

    private HostPort() {
    }

    private record Split(String host, int port) {
    }

    /** An address to bind: IP literals only (a sink must never wait on DNS at start); port 0 picks one. */
    static InetSocketAddress parse(String text, String option) {
        Split s = split(text, option, 0);
        try {
            InetAddress address = s.host().isEmpty() || s.host().equals("*") ? InetAddress.getByName("0.0.0.0")
                    : s.host().equals("localhost") ? InetAddress.getLoopbackAddress() : literal(s.host(), option);
            return new InetSocketAddress(address, s.port());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + ": '" + s.host() + "' is not an IP address");
        }
    }

    /** A server to connect to: a name or a literal, resolved at connect time; port 1..65535. */
    static InetSocketAddress parseUnresolved(String text, String option) {
        Split s = split(text, option, 1);
        if (s.host().isEmpty()) {
            throw new IllegalArgumentException(option + ": expected HOST:PORT, got '" + text + "'");
        }
        return InetSocketAddress.createUnresolved(s.host(), s.port());
    }

    private static Split split(String text, String option, int minPort) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException(option + ": expected [IPv6]:PORT, got '" + text + "'");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException(option + ": expected HOST:PORT (e.g. 127.0.0.1:2525), got '" + text + "'");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < minPort || p > 65535) {
            throw new IllegalArgumentException(option + ": port must be " + minPort + "..65535, got '" + port + "'");
        }
        return new Split(host, p);
    }

    private static InetAddress literal(String host, String option) throws UnknownHostException {
        if (!host.matches("[0-9.]+|[0-9A-Fa-f:.%a-z]*:[0-9A-Fa-f:.%a-z]*")) {
            throw new IllegalArgumentException(option + ": '" + host + "' is not an IP address literal");
        }
        return InetAddress.getByName(host);
    }

    static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
