package dev.bouncewatch.agent.notify.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderDirectoryTest {

    private final ProviderDirectory providers = ProviderDirectory.builtIn();

    @Test
    void theMxDecidesForCustomDomains() {
        assertThat(providers.providerOf("contoso.com", "contoso-com.mail.protection.outlook.com[52.101.0.1]:25"))
                .contains("microsoft");
        assertThat(providers.providerOf("startup.io", "aspmx.l.google.com[142.250.27.26]:25")).contains("google");
        assertThat(providers.providerOf("example.org", "mx.example.org[192.0.2.1]:25")).isEmpty();
    }

    @Test
    void aProvidersOwnDomainNeedsNoMx() {
        assertThat(providers.providerOf("gmail.com", null)).contains("google");
        assertThat(providers.providerOf("hotmail.com", null)).contains("microsoft");
        assertThat(providers.providerOf("yahoo.com", "")).contains("yahoo");
        assertThat(providers.providerOf("notgmail.com", null)).isEqualTo(Optional.empty());
    }

    @Test
    void relayForms() {
        assertThat(ProviderDirectory.hostOf("MX1.Example.NET[192.0.2.1]:25")).isEqualTo("mx1.example.net");
        assertThat(ProviderDirectory.hostOf("mx1.example.net:25")).isEqualTo("mx1.example.net");
        assertThat(ProviderDirectory.hostOf("mx1.example.net.")).isEqualTo("mx1.example.net");
        assertThat(ProviderDirectory.hostOf("2001:db8::25")).isEqualTo("2001:db8::25");
        assertThat(ProviderDirectory.hostOf(null)).isNull();
    }
}
