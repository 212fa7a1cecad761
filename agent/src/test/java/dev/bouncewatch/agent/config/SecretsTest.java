package dev.bouncewatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bouncewatch.testmta.yaml.YamlProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets from the config text, the environment or a file, and that their values never show. */
class SecretsTest {

    /** What a real token looks like: nothing in a message may contain it. */
    private static final String TOKEN = "c2VjcmV0LXRva2VuLTEyMzQ1Njc4OTA";

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Map.of("BW_TOKEN", "  " + TOKEN + "\n", "BW_EMPTY", " ")::get);

    private LoadedConfig parse(String yaml) throws ConfigException {
        return loader.parse(yaml, "agent.yml", dir);
    }

    private ConfigException failure(String yaml) {
        ConfigException e = catchThrowableOfType(() -> parse(yaml), ConfigException.class);
        assertThat(e).as("expected problems in:%n%s", yaml).isNotNull();
        return e;
    }

    private Path secretFile(String name, String content, String mode) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void plainTextSecret() throws ConfigException {
        Secret token = parse("http:\n  token: " + TOKEN + "\n").config().http().token();
        assertThat(token.reveal()).isEqualTo(TOKEN);
        assertThat(token.origin()).isEqualTo("config");
    }

    @Test
    void secretFromTheEnvironmentIsTrimmed() throws ConfigException {
        Secret token = parse("http:\n  token: {env: BW_TOKEN}\n").config().http().token();
        assertThat(token.reveal()).isEqualTo(TOKEN);
        assertThat(token.origin()).isEqualTo("env:BW_TOKEN");
    }

    @Test
    void secretFromAFileIsTrimmedAndItsPathResolved() throws IOException, ConfigException {
        Path file = secretFile("token", "\n" + TOKEN + "\n\n", "rw-------");
        LoadedConfig loaded = parse("http:\n  token: {file: token}\n");
        assertThat(loaded.config().http().token().reveal()).isEqualTo(TOKEN);
        assertThat(loaded.config().http().token().origin()).isEqualTo("file:" + file);
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void aSecretFileOthersCanReadWarns() throws IOException, ConfigException {
        Path file = secretFile("token", TOKEN, "rw-r--r--");
        assertThat(parse("http:\n  token: {file: token}\n").warnings()).map(YamlProblem::toString).containsExactly(
                "agent.yml:2:17: http.token.file: " + file + " can be read by its group and every user; make it readable"
                        + " by its owner only (chmod 600)");
        secretFile("token", TOKEN, "rw-r-----");
        assertThat(parse("http:\n  token: {file: token}\n").warnings()).map(YamlProblem::toString).singleElement().asString()
                .endsWith("can be read by its group; make it readable by its owner only (chmod 600)");
    }

    @Test
    void aSecretWrittenInAConfigOthersCanReadWarns() throws IOException, ConfigException {
        Path config = dir.resolve("agent.yml");
        Files.writeString(config, "http:\n  token: " + TOKEN + "\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(loader.load(config).warnings()).map(YamlProblem::toString).containsExactly(config
                + ":2:10: http.token: this secret is written in a config file other users can read; use {file: PATH} (mode 600)"
                + " or {env: NAME} instead");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(loader.load(config).warnings()).isEmpty();
    }

    @Test
    void secretMistakes() throws IOException {
        secretFile("empty", "\n  \n", "rw-------");
        secretFile("unreadable", TOKEN, "-w-------");
        Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
        Files.write(dir.resolve("huge"), new byte[SecretReader.MAX_FILE_BYTES + 1]);
        List<String> expected = new ArrayList<>(List.of(
                "agent.yml:1:21: http.token.env: environment variable BW_MISSING is not set",
                "agent.yml:1:21: http.token.env: environment variable BW_EMPTY is empty",
                "agent.yml:1:21: http.token.env: '1BAD' is not an environment variable name (letters, digits and _, not starting with a digit)",
                "agent.yml:1:22: http.token.file: cannot read the secret: no such file " + dir.resolve("missing"),
                "agent.yml:1:22: http.token.file: " + dir.resolve("empty") + " is empty",
                "agent.yml:1:22: http.token.file: " + dir.resolve("binary") + " is not UTF-8 text",
                "agent.yml:1:22: http.token.file: " + dir.resolve("huge") + " is larger than a secret can be (64KiB)",
                "agent.yml:1:15: http.token: give either env or file, not both",
                "agent.yml:1:15: http.token: expected env or file, e.g. {env: BOUNCEWATCH_TOKEN} or {file: /etc/bouncewatch/token}",
                "agent.yml:1:16: http.token: a secret mapping takes only env or file, e.g. {env: BOUNCEWATCH_TOKEN} or"
                        + " {file: /etc/bouncewatch/token}; this one has another key (not repeated here: it may be the secret)",
                "agent.yml:1:15: http.token: expected a secret: a text value, {env: VARIABLE} or {file: /path/to/file}, but found a list",
                "agent.yml:1:15: http.token: the secret is empty; expected a text value, {env: VARIABLE} or {file: /path/to/file}"));
        List<String> yaml = List.of(
                "{token: {env: BW_MISSING}}", "{token: {env: BW_EMPTY}}", "{token: {env: 1BAD}}",
                "{token: {file: missing}}", "{token: {file: empty}}", "{token: {file: binary}}", "{token: {file: huge}}",
                "{token: {env: BW_TOKEN, file: token}}", "{token: {}}", "{token: {path: x}}", "{token: [a]}", "{token: ''}");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) { // root reads any file, so the permission case only exists for other users
            expected.add("agent.yml:1:22: http.token.file: cannot read the secret: permission denied on " + dir.resolve("unreadable")
                    + " (the agent's user must be able to read it)");
        }
        List<String> inputs = new ArrayList<>(yaml);
        if (!root) {
            inputs.add("{token: {file: unreadable}}");
        }
        for (int i = 0; i < inputs.size(); i++) {
            assertThat(failure("http: " + inputs.get(i) + "\n").problems()).map(YamlProblem::toString)
                    .as(inputs.get(i)).containsExactly(expected.get(i));
        }
    }

    @Test
    void badTokenCharactersAreReportedWithoutTheToken() throws IOException {
        String bad = "my secret token!";
        secretFile("bad", bad, "rw-------");
        ConfigException e = failure("http:\n  token: {file: bad}\n");
        assertThat(e.problems()).map(YamlProblem::toString).containsExactly("agent.yml:2:10: http.token: the token (from file:"
                + dir.resolve("bad") + ") may contain only letters, digits and - . _ ~ + / (and = at the end), as a Bearer"
                + " token must (RFC 6750); generate one with: openssl rand -hex 32");
        assertThat(e.getMessage()).doesNotContain(bad).doesNotContain("secret token");
        ConfigException plain = failure("http:\n  token: \"" + bad + "\"\n");
        assertThat(plain.getMessage()).doesNotContain("secret token");
    }

    @Test
    void aShortTokenWarns() throws ConfigException {
        assertThat(parse("http:\n  token: abc123\n").warnings()).map(YamlProblem::toString).containsExactly(
                "agent.yml:2:10: http.token: the token (from config) is shorter than 16 characters and easy to guess;"
                        + " generate one with: openssl rand -hex 32");
    }

    @Test
    void noMessageSummaryOrToStringShowsTheSecret() throws IOException, ConfigException {
        secretFile("token", TOKEN, "rw-r--r--");
        // valid configs: warnings, summary, toString of every record
        for (String yaml : List.of("http: {listen: 0.0.0.0:1, token: " + TOKEN + "}\n",
                "http: {token: {env: BW_TOKEN}}\n", "http: {token: {file: token}}\n")) {
            LoadedConfig loaded = parse(yaml);
            assertThat(loaded.config().http().token().reveal()).isEqualTo(TOKEN);
            assertThat(loaded.config().summary()).doesNotContain(TOKEN);
            assertThat(loaded.config().toString()).doesNotContain(TOKEN);
            assertThat(loaded.config().http().toString()).doesNotContain(TOKEN);
            assertThat(loaded.config().http().token().toString()).doesNotContain(TOKEN).startsWith("<secret from ");
            assertThat(loaded.warnings()).map(YamlProblem::toString).allSatisfy(w -> assertThat(w).doesNotContain(TOKEN));
        }
        // broken configs around a secret: no problem quotes it
        for (String yaml : List.of(
                "http: {tokn: " + TOKEN + "}\n",
                "http: {token: " + TOKEN + ", token: " + TOKEN + "}\n",
                "http: {token: [" + TOKEN + "]}\n",
                "http: {token: {" + TOKEN + ": x}}\n",
                "http: {token: {file: token}, listen: bad}\n",
                "http:\n  token: \"" + TOKEN + "\n",
                "http:\n  token: '" + TOKEN + " with space'\n",
                "http:\n  token: " + TOKEN + "\n  listen: 1.2.3.4:1\n  bogus: x\n",
                "http: {token: " + TOKEN + "} ]\n",
                "http:\n  token: " + TOKEN + ": x\n",
                "http:\n  token: " + TOKEN + "\n  - x\n")) {
            ConfigException e = catchThrowableOfType(() -> parse(yaml), ConfigException.class);
            assertThat(e).as(yaml).isNotNull();
            assertThat(e.getMessage()).as(yaml).doesNotContain(TOKEN);
            assertThat(e.problems()).map(YamlProblem::toString).allSatisfy(p -> assertThat(p).doesNotContain(TOKEN));
        }
        assertThat(Files.readString(dir.resolve("token"), StandardCharsets.UTF_8)).isEqualTo(TOKEN);
    }

    @Test
    void aListOfSecretsForKeyRotation() throws ConfigException {
        dev.bouncewatch.testmta.yaml.Problems problems = new dev.bouncewatch.testmta.yaml.Problems("agent.yml");
        ConfigContext context = new ConfigContext(problems, new dev.bouncewatch.testmta.yaml.Problems("agent.yml"), dir,
                Map.of("NEW", "whsec_new")::get, false);
        org.snakeyaml.engine.v2.nodes.Node node = ConfigLoader.compose("[{env: NEW}, whsec_old]", problems);
        List<Secret> secrets = ConfigValues.secrets(node, "secret", context).orElseThrow();
        assertThat(secrets).map(Secret::reveal).containsExactly("whsec_new", "whsec_old");
        assertThat(secrets).map(Secret::origin).containsExactly("env:NEW", "config");
        org.snakeyaml.engine.v2.nodes.Node one = ConfigLoader.compose("whsec_only", problems);
        assertThat(ConfigValues.secrets(one, "secret", context).orElseThrow()).map(Secret::reveal).containsExactly("whsec_only");
        org.snakeyaml.engine.v2.nodes.Node bad = ConfigLoader.compose("[{env: MISSING}, x]", problems);
        assertThat(ConfigValues.secrets(bad, "secret", context)).isEmpty();
        assertThat(problems.sorted()).map(YamlProblem::toString).containsExactly(
                "agent.yml:1:8: secret[0].env: environment variable MISSING is not set");
    }
}
