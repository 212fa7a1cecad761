package dev.bouncewatch.testmta.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatchersTest {

    private static boolean matches(String pattern, String value) {
        return TextPattern.parse(pattern).matches(value, new HashMap<>());
    }

    @Test
    void globMatchesTheWholeValueIgnoringCase() {
        assertThat(matches("nobody@*", "Nobody@Example.COM")).isTrue();
        assertThat(matches("nobody@*", "xnobody@example.com")).isFalse();
        assertThat(matches("*.partner.example", "mx1.partner.example")).isTrue();
        assertThat(matches("*.partner.example", "partner.example")).isFalse();
        assertThat(matches("user?@x", "user1@x")).isTrue();
        assertThat(matches("user?@x", "user12@x")).isFalse();
    }

    @Test
    void globTreatsRegexCharactersLiterally() {
        assertThat(matches("a+b@x.example", "a+b@x.example")).isTrue();
        assertThat(matches("a+b@x.example", "aab@xxexample")).isFalse();
        assertThat(matches("[x]", "[x]")).isTrue();
    }

    @Test
    void emptyGlobMatchesOnlyTheNullSender() {
        assertThat(matches("", "")).isTrue();
        assertThat(matches("", "a@b")).isFalse();
    }

    @Test
    void regexIsFoundAnywhereUnlessAnchored() {
        assertThat(matches("/bounce/", "x-bounce-y@example.com")).isTrue();
        assertThat(matches("/^bounce/", "x-bounce-y@example.com")).isFalse();
        assertThat(matches("/^BOUNCE-\\d+@/", "bounce-42@example.com")).isTrue();
    }

    @Test
    void regexNamedGroupsBecomeCaptures() {
        Map<String, String> captures = new HashMap<>();
        TextPattern p = TextPattern.parse("/^(?<user>[^@+]+)(\\+(?<tag>[^@]*))?@/");
        assertThat(p.groupNames()).containsExactly("user", "tag");
        assertThat(p.matches("alice+news@example.com", captures)).isTrue();
        assertThat(captures).containsEntry("user", "alice").containsEntry("tag", "news");
    }

    @Test
    void nullValueNeverMatches() {
        assertThat(matches("*", null)).isFalse();
        assertThat(matches("/.*/", null)).isFalse();
    }

    @Test
    void listMatcherIsAnOr() {
        TextMatcher m = TextMatcher.of("a@*", "/^b/");
        assertThat(m.matches("a@x", new HashMap<>())).isTrue();
        assertThat(m.matches("bob@x", new HashMap<>())).isTrue();
        assertThat(m.matches("carol@x", new HashMap<>())).isFalse();
    }

    @Test
    void cidrIpv4() {
        CidrBlock b = CidrBlock.parse("192.0.2.0/24");
        assertThat(b.contains(FakeContext.ip("192.0.2.200"))).isTrue();
        assertThat(b.contains(FakeContext.ip("192.0.3.1"))).isFalse();
        assertThat(CidrBlock.parse("10.1.2.3").contains(FakeContext.ip("10.1.2.3"))).isTrue();
        assertThat(CidrBlock.parse("10.1.2.3").contains(FakeContext.ip("10.1.2.4"))).isFalse();
        assertThat(CidrBlock.parse("0.0.0.0/0").contains(FakeContext.ip("203.0.113.9"))).isTrue();
        assertThat(CidrBlock.parse("10.0.0.0/9").contains(FakeContext.ip("10.127.255.255"))).isTrue();
        assertThat(CidrBlock.parse("10.0.0.0/9").contains(FakeContext.ip("10.128.0.0"))).isFalse();
    }

    @Test
    void cidrIpv6AndMappedIpv4() {
        CidrBlock v6 = CidrBlock.parse("2001:db8::/32");
        assertThat(v6.contains(FakeContext.ip("2001:db8:1::25"))).isTrue();
        assertThat(v6.contains(FakeContext.ip("2001:db9::1"))).isFalse();
        assertThat(v6.contains(FakeContext.ip("192.0.2.1"))).isFalse();
        assertThat(CidrBlock.parse("::1").contains(FakeContext.ip("::1"))).isTrue();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[14] = 2;
        mapped[15] = 7;
        assertThat(CidrBlock.parse("192.0.2.0/24").contains(ipv6Bytes(mapped))).isTrue();
    }

    private static java.net.InetAddress ipv6Bytes(byte[] b) {
        try {
            return java.net.Inet6Address.getByAddress(null, b, -1);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void cidrRejectsNonsense() {
        assertThatThrownBy(() -> CidrBlock.parse("example.com")).hasMessageContaining("CIDR");
        assertThatThrownBy(() -> CidrBlock.parse("10.0.0.0/33")).hasMessageContaining("0..32");
        assertThatThrownBy(() -> CidrBlock.parse("2001:db8::/129")).hasMessageContaining("0..128");
        assertThatThrownBy(() -> CidrBlock.parse("10.0.0/8")).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> CidrBlock.parse("10.0.0.0/x")).hasMessageContaining("prefix");
    }

    @Test
    void quantities() {
        assertThat(Quantities.duration("300s")).hasSeconds(300);
        assertThat(Quantities.duration("5m")).hasMinutes(5);
        assertThat(Quantities.duration("1h30m")).hasMinutes(90);
        assertThat(Quantities.duration("500ms")).hasMillis(500);
        assertThat(Quantities.duration("2d")).hasDays(2);
        assertThat(Quantities.duration("0")).isZero();
        assertThatThrownBy(() -> Quantities.duration("300")).hasMessageContaining("500ms");
        assertThatThrownBy(() -> Quantities.duration("5 minutes")).hasMessageContaining("5m");
        assertThatThrownBy(() -> Quantities.duration("999d")).hasMessageContaining("maximum");
        assertThat(Quantities.size("50MiB")).isEqualTo(50L * 1024 * 1024);
        assertThat(Quantities.size("10MB")).isEqualTo(10_000_000L);
        assertThat(Quantities.size("1024")).isEqualTo(1024L);
        assertThat(Quantities.size("0")).isZero();
        assertThatThrownBy(() -> Quantities.size("-5")).hasMessageContaining("50MiB");
        assertThatThrownBy(() -> Quantities.size("999999999999999GiB")).hasMessageContaining("too large");
        assertThat(Quantities.ratePerSecond("10/s")).isEqualTo(10.0);
        assertThat(Quantities.ratePerSecond("600/m")).isEqualTo(10.0);
        assertThat(Quantities.ratePerSecond("3600 / h")).isEqualTo(1.0);
        assertThatThrownBy(() -> Quantities.ratePerSecond("0/s")).hasMessageContaining("above zero");
        assertThatThrownBy(() -> Quantities.ratePerSecond("fast")).hasMessageContaining("10/s");
        assertThat(Quantities.format(Quantities.duration("2d"))).isEqualTo("2d");
        assertThat(Quantities.format(Quantities.duration("90m"))).isEqualTo("90m");
        assertThat(Quantities.format(Quantities.duration("300s"))).isEqualTo("5m");
        assertThat(Quantities.format(Quantities.duration("1500ms"))).isEqualTo("1500ms");
        assertThat(Quantities.format(Quantities.duration("0"))).isEqualTo("0s");
    }

    @Test
    void templateRendersVariablesAndKeepsStrayBraces() {
        Template t = Template.parse("<{rcpt}> {not a var} {}");
        assertThat(t.variables()).containsExactly("rcpt");
        assertThat(t.render(n -> n.equals("rcpt") ? "a@b" : null)).isEqualTo("<a@b> {not a var} {}");
        assertThat(Template.parse("x {v}").render(n -> "evil\r\n250 ok")).isEqualTo("x evil  250 ok");
    }

    @Test
    void renderedValuesArePrintableAscii() {
        // a client-chosen helo or SMTPUTF8 recipient must not put control characters or UTF-8 in a reply
        assertThat(Template.parse("<{rcpt}> by {helo}").render(n -> n.equals("rcpt") ? "j\u00f6rg@b" : "a\u0001\u001b[31m"))
                .isEqualTo("<j?rg@b> by a??[31m");
    }

    @Test
    void hugeValuesAreCutSoReplyLinesStayShort() {
        String huge = "a".repeat(10_000);
        assertThat(Template.parse("<{rcpt}> unknown").render(n -> huge)).hasSize(Template.MAX_VALUE_CHARS + 10);
    }
}
