package dev.bouncewatch.testmta.scenario;

import static dev.bouncewatch.testmta.scenario.ScenarioTesting.load;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The HTTP API serialises descriptions with a plain Jackson mapper; they must not need extra modules. */
class DescriptionJsonTest {

    @Test
    void descriptionSerialisesWithAPlainObjectMapper() throws Exception {
        RuleScenario s = load("""
                protocol: { auth_users: { app: s3cret }, idle_timeout: 90s }
                rules:
                  - id: unknown
                    when: { stage: rcpt, rcpt: "nobody@*" }
                    then: { reply: "@gmail.no_such_user" }
                """);
        s.decide(FakeContext.rcpt("nobody@example.org"));
        String json = new ObjectMapper().writeValueAsString(Scenarios.describe(s));
        JsonNode tree = new ObjectMapper().readTree(json);
        assertThat(tree.at("/rules/0/id").asText()).isEqualTo("unknown");
        assertThat(tree.at("/rules/0/hits").asLong()).isEqualTo(1);
        assertThat(tree.at("/protocol/idleTimeoutSeconds").asLong()).isEqualTo(90);
        assertThat(json).doesNotContain("s3cret");
    }
}
