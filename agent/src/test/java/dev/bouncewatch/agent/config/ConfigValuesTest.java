package dev.bouncewatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The value syntaxes every section of the config shares. */
class ConfigValuesTest {

    @ParameterizedTest
    @CsvSource({
        "250ms, PT0.25S",
        "30s, PT30S",
        "5m, PT5M",
        "1h, PT1H",
        "1h30m, PT1H30M",
        "30d, PT720H",
        "2w, PT336H",
        "0, PT0S",
        "' 10S ', PT10S",
    })
    void durations(String text, String iso) {
        assertThat(ConfigValues.parseDuration(text)).isEqualTo(Duration.parse(iso));
    }

    @Test
    void durationMistakesSayWhatWasExpected() {
        assertThatThrownBy(() -> ConfigValues.parseDuration("30")).hasMessageContaining("a number needs a unit")
                .hasMessageContaining("got '30'");
        assertThatThrownBy(() -> ConfigValues.parseDuration("30 s")).hasMessageContaining("expected a duration like 250ms");
        assertThatThrownBy(() -> ConfigValues.parseDuration("1.5h")).hasMessageContaining("got '1.5h'");
        assertThatThrownBy(() -> ConfigValues.parseDuration("h")).hasMessageContaining("got 'h'");
        assertThatThrownBy(() -> ConfigValues.parseDuration("")).hasMessageContaining("got ''");
        assertThatThrownBy(() -> ConfigValues.parseDuration("4000d")).hasMessageContaining("longer than the maximum of 3660d");
        assertThatThrownBy(() -> ConfigValues.parseDuration("999999999w")).hasMessageContaining("longer than the maximum");
    }

    @ParameterizedTest
    @CsvSource({
        "1048576, 1048576",
        "512MiB, 536870912",
        "1GiB, 1073741824",
        "1gib, 1073741824",
        "1GB, 1000000000",
        "500MB, 500000000",
        "1.5GiB, 1610612736",
        "64KiB, 65536",
        "2TiB, 2199023255552",
        "10B, 10",
    })
    void sizes(String text, long bytes) {
        assertThat(ConfigValues.parseSize(text)).isEqualTo(bytes);
    }

    @Test
    void sizeMistakes() {
        assertThatThrownBy(() -> ConfigValues.parseSize("1XB")).hasMessageContaining("expected a size like 512MiB")
                .hasMessageContaining("'1XB'");
        assertThatThrownBy(() -> ConfigValues.parseSize("-1GiB")).hasMessageContaining("expected a size");
        assertThatThrownBy(() -> ConfigValues.parseSize("0.3B")).hasMessageContaining("not a whole number of bytes");
        assertThatThrownBy(() -> ConfigValues.parseSize("99999999999999TiB")).hasMessageContaining("too large");
    }

    @Test
    void listenAddresses() {
        InetSocketAddress v4 = ConfigValues.parseHostPort("127.0.0.1:9325");
        assertThat(v4.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(v4.getPort()).isEqualTo(9325);
        assertThat(ConfigValues.isLoopback(v4)).isTrue();

        InetSocketAddress v6 = ConfigValues.parseHostPort("[::1]:9325");
        assertThat(v6.getAddress().isLoopbackAddress()).isTrue();
        assertThat(ConfigValues.formatHostPort(v6)).isEqualTo("[::1]:9325");

        InetSocketAddress any = ConfigValues.parseHostPort("0.0.0.0:0");
        assertThat(any.getAddress().isAnyLocalAddress()).isTrue();
        assertThat(any.getPort()).isZero();
        assertThat(ConfigValues.isLoopback(any)).isFalse();

        assertThat(ConfigValues.formatHostPort(ConfigValues.parseHostPort("localhost:2525"))).isEqualTo("127.0.0.1:2525");
        assertThat(ConfigValues.formatHostPort(ConfigValues.parseHostPort("[2001:db8:0:0:0:0:0:1]:25"))).isEqualTo("[2001:db8::1]:25");
        assertThat(ConfigValues.formatHostPort(ConfigValues.parseHostPort("[::]:25"))).isEqualTo("[::]:25");
        assertThat(ConfigValues.isLoopback(ConfigValues.parseHostPort("192.0.2.10:9325"))).isFalse();
    }

    @Test
    void listenAddressMistakes() {
        assertThatThrownBy(() -> ConfigValues.parseHostPort("::1:9325")).hasMessageContaining("IPv6 addresses go in brackets");
        assertThatThrownBy(() -> ConfigValues.parseHostPort("9325")).hasMessageContaining("expected host:port like 127.0.0.1:9325");
        assertThatThrownBy(() -> ConfigValues.parseHostPort("mail.example.org:25")).hasMessageContaining("host names are not resolved");
        assertThatThrownBy(() -> ConfigValues.parseHostPort("256.1.1.1:25")).hasMessageContaining("expected an IP address");
        assertThatThrownBy(() -> ConfigValues.parseHostPort("127.0.0.1:65536")).hasMessageContaining("port from 0 to 65535");
        assertThatThrownBy(() -> ConfigValues.parseHostPort("127.0.0.1:")).hasMessageContaining("port from 0 to 65535");
        assertThatThrownBy(() -> ConfigValues.parseHostPort("[::1]9325")).hasMessageContaining("[IPv6 address]:port");
        assertThatThrownBy(() -> ConfigValues.parseHostPort("[zz::1]:9325")).hasMessageContaining("not an IPv6 address");
        assertThatThrownBy(() -> ConfigValues.parseHostPort("[127.0.0.1]:9325")).hasMessageContaining("not an IPv6 address");
    }

    @Test
    void formatsReadBackAsWritten() {
        for (String d : List.of("250ms", "30s", "5m", "1h", "1h30m", "30d", "14d", "1d2h", "1s500ms")) {
            assertThat(ConfigValues.formatDuration(ConfigValues.parseDuration(d))).isEqualTo(d);
        }
        assertThat(ConfigValues.formatDuration(Duration.ZERO)).isEqualTo("0s");
        for (String s : List.of("1GiB", "512MiB", "1GB", "500MB", "64KiB", "1KB", "1023B")) {
            assertThat(ConfigValues.formatSize(ConfigValues.parseSize(s))).isEqualTo(s);
        }
    }

    @Test
    void didYouMeanNamesCloseWordsOnly() {
        assertThat(ConfigValues.didYouMean("postfx", List.of("auto", "postfix", "exim"))).isEqualTo(" (did you mean postfix?)");
        assertThat(ConfigValues.didYouMean("STATEDIR", List.of("stateDir"))).isEqualTo(" (did you mean stateDir?)");
        assertThat(ConfigValues.didYouMean("completelydifferent", List.of("auto", "postfix"))).isEmpty();
    }
}
