package dev.bouncewatch.testmta.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** {@code HOST:PORT} and {@code [v6]:PORT} on the command line; literal addresses only, no DNS. */
final class HostPort {

    private HostPort() {
    }

    static InetSocketAddress parse(String text, String option) {
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
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(option + ": port must be 0..65535, got '" + port + "'");
        }
        try {
            InetAddress address = host.isEmpty() || host.equals("*") ? InetAddress.getByName("0.0.0.0")
                    : host.equals("localhost") ? InetAddress.getLoopbackAddress() : literal(host, option);
            return new InetSocketAddress(address, p);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + ": '" + host + "' is not an IP address");
        }
    }

    private static InetAddress literal(String host, String option) throws UnknownHostException {
        // only literals: a sink must never wait on DNS at start
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
