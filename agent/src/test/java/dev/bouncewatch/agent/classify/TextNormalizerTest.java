package dev.bouncewatch.agent.classify;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextNormalizerTest {

    @Test
    void foldsCaseAndWhitespaceIncludingControlCharacters() {
        assertThat(TextNormalizer.fold("  550 5.1.1\t User\r\n  UNKNOWN\u0000 ")).isEqualTo("550 5.1.1 user unknown");
    }

    @Test
    void keepsOnlyTheStartOfHugeTexts() {
        String huge = "x".repeat(10_000_000);
        assertThat(TextNormalizer.fold(huge)).hasSize(TextNormalizer.MAX_CHARS);
    }

    @Test
    void dropsPostfixContinuationPrefixesButKeepsTheFirstCode() {
        String joined = "550-5.1.1 the email account that you tried to reach does not 550-5.1.1 exist. please try "
                + "550-5.1.1 double-checking 550 5.1.1 https://support.google.com/mail/?p=nosuchuser";
        assertThat(TextNormalizer.dropContinuations(joined)).isEqualTo(
                "550-5.1.1 the email account that you tried to reach does not exist. please try double-checking "
                        + "550 5.1.1 https://support.google.com/mail/?p=nosuchuser");
        assertThat(TextNormalizer.dropContinuations("554-gmx.net nemesis esmtp 554-no smtp service"))
                .isEqualTo("554-gmx.net nemesis esmtp no smtp service");
    }

    @Test
    void masksAddressLocalPartsAndIpv4ButNotVersionsOrCodes() {
        assertThat(TextNormalizer.maskVolatile("550 5.1.1 <kijitora.neko@example.org>: user unknown from 192.0.2.25"))
                .isEqualTo("550 5.1.1 <*@example.org>: user unknown from #.#.#.#");
        assertThat(TextNormalizer.maskVolatile("see 4.16.55.1.2 and 5.7.1 and ib607 (s3150) ofr006_102 [tss04]"))
                .isEqualTo("see 4.16.55.1.2 and 5.7.1 and ib607 (s3150) ofr006_102 [tss04]");
        assertThat(TextNormalizer.maskVolatile("p=nosuchuser d9443c01a7336-2150c3e0a1bsi1234567b3.89 - gsmtp 1732870000"))
                .isEqualTo("p=nosuchuser #-#.89 - gsmtp #");
    }

    @Test
    void wrappersAreCutOnlyWhenTheirPhraseOccurs() {
        Wrapper said = new Wrapper(List.of("said:"), java.util.regex.Pattern.compile("^.{0,300}?\\bsaid:"));
        assertThat(TextNormalizer.strip("host mx.example.org[#.#.#.#] said: 550 no such user", List.of(said)))
                .isEqualTo("550 no such user");
        assertThat(TextNormalizer.strip("550 no such user", List.of(said))).isEqualTo("550 no such user");
    }

    @Test
    void findsTheHostAnMtaWrapperNames() {
        assertThat(WrappedHost.find("host gmail-smtp-in.l.google.com[#.#.#.#] said: 550 ...")).isEqualTo("gmail-smtp-in.l.google.com");
        assertThat(WrappedHost.find("smtp error: host mx.example.jp [2001:db8::1]: 550")).isEqualTo("mx.example.jp");
        assertThat(WrappedHost.find("550 5.7.1 [c14] missing reverse dns")).isNull();
        assertThat(WrappedHost.find("[#.#.#.#] no host here")).isNull();
    }
}
