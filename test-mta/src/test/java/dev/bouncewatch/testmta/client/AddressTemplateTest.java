package dev.bouncewatch.testmta.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressTemplateTest {

    @Test
    void expandsMessageRecipientAndConnection() {
        assertThat(AddressTemplate.parse("u{n}.{r}+c{c}@example.test").expand(17, 2, 3))
                .isEqualTo("u17.2+c3@example.test");
        assertThat(AddressTemplate.parse("fixed@example.test").expand(5, 1, 1)).isEqualTo("fixed@example.test");
    }

    @Test
    void rejectsUnknownPlaceholdersAndCommandBreakingCharacters() {
        assertThatThrownBy(() -> AddressTemplate.parse("u{x}@e.test")).hasMessageContaining("unknown placeholder {x}");
        assertThatThrownBy(() -> AddressTemplate.parse("a b@e.test")).hasMessageContaining("space");
        assertThatThrownBy(() -> AddressTemplate.parse("a>@e.test")).hasMessageContaining("'>'");
        assertThatThrownBy(() -> AddressTemplate.parse("a\r\nRSET@e.test")).hasMessageContaining("control");
    }
}
