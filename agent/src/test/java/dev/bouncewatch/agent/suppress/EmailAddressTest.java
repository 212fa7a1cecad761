package dev.bouncewatch.agent.suppress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"a@example.com", "First.Last+tag@Sub.Example.ORG", "o'neil@example.ie",
            "x_y-z=1@mail-1.example", "user@localhost", "postmaster@[192.0.2.1]", "jürgen@müller.de",
            "a@example.com.", "<angled@example.com>", "a@b", "user@[ipv6:2001:db8::1]", "550-5.1.1@sink.test"})
    void acceptsRealAddresses(String address) {
        assertThat(EmailAddress.check(address)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "no-at-sign", "@example.com", "a@", "a b@example.com", "a@exa mple.com",
            "a..b@example.com", ".a@example.com", "a.@example.com", "\"quoted\"@example.com", "a@-example.com",
            "a@example..com", "a@example.com\nb@example.com", "a,b@example.com", "a@exam_ple.com",
            "a@example.com; DROP TABLE suppressions", "user@", "<script>@example.com",
            "user@example.com,other@example.com", "a\nb@example.com"})
    void refusesWhatIsNoAddress(String address) {
        assertThat(EmailAddress.check(address)).isPresent();
    }

    @Test
    void lengthsFollowRfc5321() {
        assertThat(EmailAddress.check("a".repeat(64) + "@example.com")).isEmpty();
        assertThat(EmailAddress.check("a".repeat(65) + "@example.com")).get().asString().contains("64");
        assertThat(EmailAddress.check("a@" + "b".repeat(64) + ".com")).isPresent();
        assertThat(EmailAddress.check("x@" + "a".repeat(250) + ".com")).isPresent();
    }

    @Test
    void normaliseLowerCasesAndTrimsAndExplainsRefusals() {
        assertThat(EmailAddress.normalise("  <Jane.DOE@Example.COM> ")).isEqualTo("jane.doe@example.com");
        assertThatThrownBy(() -> EmailAddress.normalise("jane\u0000@example.com\r\n=cmd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("\u0000").hasMessageNotContaining("\n");
    }

    @Test
    void theKeyOfALoggedAddressIsNormalisedWithoutBeingChecked() {
        assertThat(EmailAddress.key("  <\"Odd User\"@Example.COM> ")).isEqualTo("\"odd user\"@example.com");
        assertThat(EmailAddress.check("\"Odd User\"@Example.COM")).isPresent();
    }
}
