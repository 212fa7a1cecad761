package dev.bouncewatch.testmta.scenario;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network such as {@code 192.0.2.0/24} or {@code 2001:db8::/32}; a bare address
 * means a single host. IPv4-mapped IPv6 clients ({@code ::ffff:192.0.2.1}) match IPv4 blocks,
 * because a dual-stack listener reports IPv4 clients that way.
 */
record CidrBlock(String source, byte[] network, int prefixLength) {

    // Literal addresses only: InetAddress.getByName must never trigger a DNS lookup here.
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    static CidrBlock parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String addressPart = slash < 0 ? s : s.substring(0, slash);
        if (!LITERAL.matcher(addressPart).matches() || (!addressPart.contains(":") && !addressPart.contains("."))) {
            throw new IllegalArgumentException("expected an IP address or CIDR block like 192.0.2.0/24 or 2001:db8::/32, got '" + text + "'");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addressPart).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + addressPart + "'", e);
        }
        if (!addressPart.contains(":") && !addressPart.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("expected a dotted IPv4 address like 192.0.2.1, got '" + addressPart + "'");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix length in '" + text + "' must be 0.." + max);
            }
        }
        return new CidrBlock(s, mask(bytes, prefix), prefix);
    }

    boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] a = address.getAddress();
        if (a.length == 16 && network.length == 4 && isIpv4Mapped(a)) {
            a = Arrays.copyOfRange(a, 12, 16);
        }
        if (a.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(a, prefixLength), network);
    }

    private static boolean isIpv4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - bits)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrBlock c && c.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return source;
    }
}
