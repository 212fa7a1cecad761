package dev.bouncewatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * systemd/agent.yml, the documented config the package installs: it must load, hold the packaged
 * values, and mention every key the loader accepts, so the documentation cannot drift from the code.
 */
class PackagedConfigTest {

    /** Surefire runs in the agent module's directory. */
    private static final Path SOURCE = Path.of("../systemd/agent.yml");

    @Test
    void theJarCarriesTheFileFromTheSourceTree() throws IOException {
        assertThat(ConfigLoader.packagedConfigText()).isEqualTo(Files.readString(SOURCE));
    }

    @Test
    void itLoadsWithThePackagedValues() throws ConfigException {
        LoadedConfig loaded = new ConfigLoader(name -> null).load(SOURCE);
        AgentConfig c = loaded.config();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/bouncewatch"));
        // no sink on a production host: auto-detected logs only
        assertThat(c.sources()).containsExactly(SourceConfig.Auto.defaults());
        assertThat(c.http()).isEqualTo(HttpConfig.defaults());
        // the values it writes out are the built-in defaults, so the comments tell the truth
        assertThat(c.retention()).isEqualTo(RetentionConfig.defaults());
        assertThat(c.suppression()).isEqualTo(SuppressionConfig.defaults());
        assertThat(c.notifications()).isEqualTo(NotifyConfig.defaults());
        assertThat(c.ruleFiles()).isEmpty();
    }

    @Test
    void theCommentedOutExamplesAreValidToo() throws IOException, ConfigException {
        // uncomment every "#   key: value" / "# - type:" example line and the result must still parse
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(SOURCE)) {
            String uncommented = line.replaceFirst("^(\\s*)# (\\s*((- )?[a-zA-Z]+:( |$)|- /))", "$1$2");
            lines.add(uncommented);
        }
        String text = String.join("\n", lines) + "\n";
        assertThat(text).contains("  - type: sink", "    listen: 127.0.0.1:2525", "  token: {env: BOUNCEWATCH_HTTP_TOKEN}",
                "rules:\n  - /etc/bouncewatch/rules.yml");
        // the examples name files of the target host; what matters here is the syntax and the keys
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> new ConfigLoader(name -> "0123456789abcdef0123456789abcdef").parse(text, "uncommented agent.yml", Path.of("/etc/bouncewatch")),
                ConfigException.class);
        assertThat(e).as("the uncommented file has problems besides missing files").isNotNull();
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.message()).containsAnyOf("no such file", "no such rule file",
                "duplicate key", "duplicate source"));
    }

    @Test
    void everyAcceptedKeyIsDocumented() throws IOException {
        String text = Files.readString(SOURCE);
        List<String> undocumented = new ArrayList<>();
        for (Map.Entry<String, Set<String>> section : ConfigLoader.acceptedKeys().entrySet()) {
            for (String key : section.getValue()) {
                // as a key, set or commented out: "key:" after indentation, "# ", "- ", "{" or ", "
                Pattern asKey = Pattern.compile("(^|[\\s{,#-])" + Pattern.quote(key) + ":", Pattern.MULTILINE);
                if (!asKey.matcher(text).find()) {
                    undocumented.add((section.getKey().isEmpty() ? "" : section.getKey() + ".") + key);
                }
            }
        }
        assertThat(undocumented).as("keys the loader accepts but systemd/agent.yml does not mention").isEmpty();
    }

    @Test
    void everySourceTypeAndFormatIsDocumented() throws IOException {
        String text = Files.readString(SOURCE);
        for (String type : ConfigLoader.acceptedKeys().keySet()) {
            if (type.startsWith("sources.")) {
                assertThat(text).contains("type: " + type.substring("sources.".length()));
            }
        }
        for (dev.bouncewatch.agent.parse.MtaChoice format : dev.bouncewatch.agent.parse.MtaChoice.values()) {
            assertThat(text).contains(format.name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
