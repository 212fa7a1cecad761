package dev.bouncewatch.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DomainGroupsTest {

    private final DomainGroups groups = DomainGroups.defaults();

    @ParameterizedTest
    @CsvSource({
            "gmail.com, google",
            "GoogleMail.com, google",
            "hotmail.co.uk, microsoft",
            "contoso.onmicrosoft.com, microsoft",
            "yahoo.co.jp, yahoo",
            "aol.com, yahoo",
            "icloud.com, apple",
            "web.de, gmx",
            "mail.ru, mailru",
            "yandex.ru, yandex",
            "gmail.com., google",
            "example.org, other",
            "notgmail.com, other",
    })
    void recipientDomainsMapToTheirProvider(String domain, String group) {
        assertThat(groups.groupOf(domain, List.of())).isEqualTo(group);
    }

    @Test
    void aCompanyDomainHostedByAProviderTakesTheProviderFromTheClassifierSignal() {
        assertThat(groups.groupOf("example-corp.com", List.of("stage:rcpt", "provider:google"))).isEqualTo("google");
        // the table wins over a signal: a gmail.com recipient stays google whatever relayed it
        assertThat(groups.groupOf("gmail.com", List.of("provider:microsoft"))).isEqualTo("google");
    }

    @Test
    void providersThatAreNotGroupsAndEmptyDomainsAreOther() {
        assertThat(groups.groupOf("example.com", List.of("provider:mimecast"))).isEqualTo("other");
        assertThat(groups.groupOf("", List.of())).isEqualTo("other");
        assertThat(groups.groupOf(null, List.of())).isEqualTo("other");
    }

    @Test
    void theLabelSetIsSmallAndFixed() {
        assertThat(groups.groups()).contains("google", "microsoft", "yahoo", "apple", "gmx", "mailru", "yandex", "other")
                .hasSizeLessThan(40)
                .allMatch(g -> g.matches("[a-z0-9-]+"));
    }
}
