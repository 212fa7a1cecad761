package dev.bouncewatch.agent.config;

import dev.bouncewatch.testmta.yaml.Problems;
import dev.bouncewatch.testmta.yaml.YamlDocuments;
import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlProblem;
import dev.bouncewatch.testmta.yaml.YamlValues;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Loads the agent's YAML config. The text is composed to nodes, not bound to objects, so every
 * problem names its line, column and key; all problems are collected and thrown together in a
 * {@link ConfigException}. Keys left out get the built-in defaults ({@link AgentConfig#defaults()});
 * relative paths are taken from the config file's directory.
 *
 * <pre>
 * stateDir: /var/lib/bouncewatch
 * sources:
 *   - type: file
 *     path: /var/log/mail.log
 * http: { listen: 127.0.0.1:9325, token: { file: /etc/bouncewatch/token } }
 * </pre>
 */
public final class ConfigLoader {

    /** Where the Debian package installs the config. */
    public static final Path PACKAGED_PATH = Path.of("/etc/bouncewatch/agent.yml");

    /** A config is a page; this bounds memory for a wrong file (a log passed as --config). */
    public static final int MAX_CHARS = 1_000_000;

    static final Set<String> TOP_KEYS = new LinkedHashSet<>(List.of("stateDir", "sources", "http", "retention",
            "suppression", "rules", "notify"));

    private final Function<String, String> environment;

    public ConfigLoader() {
        this(System::getenv);
    }

    /** @param environment looks up environment variables for {@code {env: NAME}} secrets (tests pass a map) */
    public ConfigLoader(Function<String, String> environment) {
        this.environment = Objects.requireNonNull(environment);
    }

    /** Reads a config file, which must be UTF-8. */
    public LoadedConfig load(Path file) throws ConfigException {
        String name = file.toString();
        String text = readText(file);
        Path dir = file.toAbsolutePath().normalize().getParent();
        return parse(text, name, dir, readableByOthers(file));
    }

    /**
     * The documented config the package installs as {@link #PACKAGED_PATH} (systemd/agent.yml in
     * the source tree, copied into the jar by the build).
     */
    public static String packagedConfigText() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("agent.yml")) {
            if (in == null) {
                throw new IllegalStateException("agent.yml is missing from the jar; the build copies it from systemd/");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code file} when given, else the built-in defaults; for commands with an optional {@code --config}. */
    public LoadedConfig loadOrDefaults(Path file) throws ConfigException {
        return file == null ? new LoadedConfig(AgentConfig.defaults(), List.of()) : load(file);
    }

    /** Parses config text; relative paths are taken from the working directory. */
    public LoadedConfig parse(String text, String sourceName) throws ConfigException {
        return parse(text, sourceName, Path.of("").toAbsolutePath(), false);
    }

    /** Parses config text whose relative paths are taken from {@code baseDir}. */
    public LoadedConfig parse(String text, String sourceName, Path baseDir) throws ConfigException {
        return parse(text, sourceName, baseDir, false);
    }

    private LoadedConfig parse(String text, String sourceName, Path baseDir, boolean readableByOthers) throws ConfigException {
        if (text.length() > MAX_CHARS) {
            throw ConfigException.single(sourceName, "longer than a config can be (" + MAX_CHARS + " characters)");
        }
        Problems problems = new Problems(sourceName);
        Problems warnings = new Problems(sourceName);
        ConfigContext context = new ConfigContext(problems, warnings, baseDir, environment, readableByOthers);
        Node root = compose(text, problems);
        problems.throwIfAny(ConfigException::new);
        AgentConfig d = AgentConfig.defaults();
        if (root == null || YamlValues.isNull(root)) {
            // an empty file (or one with only comments) is the defaults, like no file at all
            return new LoadedConfig(withOrigin(d, sourceName), List.of());
        }
        YamlMap top = YamlMap.open(root, "", problems, TOP_KEYS).orElse(null);
        if (top == null) {
            throw new ConfigException(List.of(new YamlProblem(sourceName, 1, 1, "",
                    "a config is a mapping with keys " + String.join(", ", TOP_KEYS))));
        }
        Path stateDir = ConfigValues.path(top, "stateDir", context).orElse(d.stateDir());
        List<SourceConfig> sources = top.has("sources") ? new SourcesReader(context).read(top.value("sources")) : d.sources();
        HttpConfig http = HttpConfigReader.read(top.value("http"), context);
        RetentionConfig retention = RetentionConfigReader.read(top.value("retention"), context);
        SuppressionConfig suppression = SuppressionConfigReader.read(top.value("suppression"), context);
        List<Path> ruleFiles = top.has("rules") ? ruleFiles(top, context) : d.ruleFiles();
        NotifyConfig notify = new NotifyConfigReader(context).read(top.value("notify"));
        problems.throwIfAny(ConfigException::new);
        AgentConfig config = new AgentConfig(stateDir, sources, http, retention, suppression, ruleFiles, notify, sourceName);
        return new LoadedConfig(config, warnings.sorted());
    }

    /**
     * Every key the loader accepts, as {@code section -> keys} ({@code sources.file} for the keys
     * of a file source, {@code secret} for the forms of a secret); the documentation test checks
     * that systemd/agent.yml mentions each.
     */
    public static Map<String, Set<String>> acceptedKeys() {
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        keys.put("", TOP_KEYS);
        SourcesReader.KEYS_BY_TYPE.forEach((type, typeKeys) -> keys.put("sources." + type, typeKeys));
        keys.put("http", HttpConfigReader.KEYS);
        keys.put("retention", RetentionConfigReader.KEYS);
        keys.put("suppression", SuppressionConfigReader.KEYS);
        keys.put("suppression.rules.*", SuppressionConfigReader.RULE_KEYS);
        keys.put("notify", NotifyConfigReader.KEYS);
        keys.put("notify.webhooks", WebhookConfigReader.KEYS);
        keys.put("notify.slack", SlackConfigReader.KEYS);
        keys.put("notify.alerts", AlertsConfigReader.KEYS);
        keys.put("notify.alerts.rules", AlertsConfigReader.RULE_KEYS.keySet());
        AlertsConfigReader.RULE_KEYS.forEach((rule, ruleKeys) -> keys.put("notify.alerts.rules." + rule, ruleKeys));
        keys.put("notify.digest", DigestConfigReader.KEYS);
        keys.put("secret", SecretReader.KEYS);
        return keys;
    }

    private static AgentConfig withOrigin(AgentConfig c, String origin) {
        return new AgentConfig(c.stateDir(), c.sources(), c.http(), c.retention(), c.suppression(), c.ruleFiles(),
                c.notifications(), origin);
    }

    private static List<Path> ruleFiles(YamlMap top, ConfigContext context) {
        List<Path> files = new ArrayList<>();
        Node node = top.value("rules");
        if (YamlValues.isNull(node) || node instanceof SequenceNode seq && seq.getValue().isEmpty()) {
            return files;
        }
        top.stringList("rules").ifPresent(list -> {
            int i = 0;
            for (YamlValues.Located item : list) {
                String path = list.size() == 1 && !(node instanceof SequenceNode)
                        ? "rules" : "rules[" + i + "]";
                i++;
                ConfigValues.path(item.node(), path, context).ifPresent(file -> {
                    if (!Files.isRegularFile(file)) {
                        context.problems().add(item.node(), path, Files.exists(file) ? file + " is not a file"
                                : "no such rule file " + file);
                    } else if (files.contains(file)) {
                        context.problems().add(item.node(), path, file + " is listed twice");
                    } else {
                        files.add(file);
                    }
                });
            }
        });
        return files;
    }

    /** Reads the file as strict UTF-8, bounded in size, with one clear problem when it cannot. */
    static String readText(Path file) throws ConfigException {
        String name = file.toString();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_CHARS * 4 + 1);
        } catch (NoSuchFileException e) {
            throw ConfigException.single(name, "cannot read the config: no such file");
        } catch (AccessDeniedException e) {
            throw ConfigException.single(name, "cannot read the config: permission denied");
        } catch (IOException e) {
            throw ConfigException.single(name, "cannot read the config: " + (Files.isDirectory(file) ? "it is a directory" : e.toString()));
        }
        if (bytes.length > MAX_CHARS * 4) {
            throw ConfigException.single(name, "larger than a config can be (" + MAX_CHARS + " characters)");
        }
        try {
            return YamlDocuments.strictUtf8(bytes);
        } catch (CharacterCodingException e) {
            throw ConfigException.single(name, "not valid UTF-8; save the file as UTF-8");
        }
    }

    private static boolean readableByOthers(Path file) {
        try {
            return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    /** Composes YAML text to a node tree, recording syntax errors; null for an empty document or on error. */
    static Node compose(String text, Problems problems) {
        return YamlDocuments.compose(text, problems, MAX_CHARS, "a config");
    }
}
