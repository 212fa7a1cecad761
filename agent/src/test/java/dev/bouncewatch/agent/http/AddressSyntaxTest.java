package dev.bouncewatch.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressSyntaxTest {

    @Test
    void normalisingTrimsDropsAngleBracketsAndLowerCases() {
        assertThat(AddressSyntax.normalise("  <John.Doe+News@Example.COM> ")).isEqualTo("john.doe+news@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b", "user@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.ie",
            "user@[192.0.2.1]", "user@[ipv6:2001:db8::1]", "müller@bücher.de", "550-5.1.1@sink.test"})
    void acceptsAddressesCampaignToolsUse(String address) {
        assertThat(AddressSyntax.problem(AddressSyntax.normalise(address))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "no-at-sign", "@example.com", "user@", "two words@example.com", "a\nb@example.com",
            "user@exa mple.com", "user@-example.com", "user@example..com", ".user@example.com", "us..er@example.com",
            "<script>@example.com", "user@example.com,other@example.com", "\"quoted\"@example.com"})
    void refusesWhatWouldBreakAListImport(String address) {
        assertThat(AddressSyntax.problem(AddressSyntax.normalise(address))).isNotNull();
    }

    @Test
    void refusesOverlongParts() {
        assertThat(AddressSyntax.problem("x".repeat(65) + "@example.com")).contains("local part");
        assertThat(AddressSyntax.problem("x@" + "a".repeat(250) + ".com")).contains("254");
    }
}
