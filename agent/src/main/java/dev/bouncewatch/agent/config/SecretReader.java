package dev.bouncewatch.agent.config;

import dev.bouncewatch.testmta.yaml.Problems;
import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a secret: the text itself, {@code {env: NAME}} or {@code {file: PATH}}. Every message
 * names where the secret comes from and never what it is, since problems end up in logs and
 * terminals. Called through {@link ConfigValues#secret}.
 */
final class SecretReader {

    static final Set<String> KEYS = Set.of("env", "file");
    /** A secret is a token or a key, never a document. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final String FORMS = "a text value, {env: VARIABLE} or {file: /path/to/file}";
    private static final String EXAMPLES = "{env: BOUNCEWATCH_TOKEN} or {file: /etc/bouncewatch/token}";

    private final ConfigContext context;
    private final Problems problems;

    SecretReader(ConfigContext context) {
        this.context = context;
        this.problems = context.problems();
    }

    Optional<Secret> read(Node node, String path) {
        if (node instanceof ScalarNode s && !YamlValues.isNull(node)) {
            return inline(s, path);
        }
        if (!(node instanceof MappingNode mapping)) {
            problems.add(node, path, "expected a secret: " + FORMS + ", but found "
                    + (node instanceof SequenceNode ? "a list" : "nothing (an empty value)"));
            return Optional.empty();
        }
        for (NodeTuple tuple : mapping.getValue()) {
            // "token: {s3cr3t}" is a mapping whose key is the secret: never repeat an unknown key here
            if (!(tuple.getKeyNode() instanceof ScalarNode key) || !KEYS.contains(key.getValue())) {
                problems.add(tuple.getKeyNode(), path, "a secret mapping takes only env or file, e.g. " + EXAMPLES
                        + "; this one has another key (not repeated here: it may be the secret)");
                return Optional.empty();
            }
        }
        Optional<YamlMap> opened = YamlMap.open(node, path, problems, KEYS);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        YamlMap map = opened.get();
        if (map.keys().size() != 1) {
            problems.add(node, path, map.keys().isEmpty() ? "expected env or file, e.g. " + EXAMPLES
                    : "give either env or file, not both");
            return Optional.empty();
        }
        return map.has("env") ? fromEnvironment(map) : fromFile(map);
    }

    Optional<List<Secret>> readList(Node node, String path) {
        if (!(node instanceof SequenceNode seq)) {
            return read(node, path).map(List::of);
        }
        if (seq.getValue().isEmpty()) {
            problems.add(node, path, "expected at least one secret but the list is empty");
            return Optional.empty();
        }
        List<Secret> out = new ArrayList<>();
        int i = 0;
        boolean ok = true;
        for (Node item : seq.getValue()) {
            Optional<Secret> one = read(item, path + "[" + i++ + "]");
            one.ifPresent(out::add);
            ok &= one.isPresent();
        }
        return ok ? Optional.of(List.copyOf(out)) : Optional.empty();
    }

    private Optional<Secret> inline(ScalarNode node, String path) {
        if (node.getValue().isBlank()) {
            problems.add(node, path, "the secret is empty; expected " + FORMS);
            return Optional.empty();
        }
        if (context.sourceReadableByOthers()) {
            context.warnings().add(node, path, "this secret is written in a config file other users can read; use"
                    + " {file: PATH} (mode 600) or {env: NAME} instead");
        }
        return Optional.of(new Secret(node.getValue(), "config"));
    }

    private Optional<Secret> fromEnvironment(YamlMap map) {
        return map.string("env").flatMap(name -> {
            Node node = map.value("env");
            if (!ENV_NAME.matcher(name).matches()) {
                problems.add(node, map.path("env"), "'" + name
                        + "' is not an environment variable name (letters, digits and _, not starting with a digit)");
                return Optional.empty();
            }
            String value = context.environment().apply(name);
            if (value == null) {
                problems.add(node, map.path("env"), "environment variable " + name + " is not set");
                return Optional.empty();
            }
            if (value.isBlank()) {
                problems.add(node, map.path("env"), "environment variable " + name + " is empty");
                return Optional.empty();
            }
            return Optional.of(new Secret(value.strip(), "env:" + name));
        });
    }

    private Optional<Secret> fromFile(YamlMap map) {
        Node node = map.value("file");
        String key = map.path("file");
        return ConfigValues.path(map, "file", context).flatMap(file -> {
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            } catch (NoSuchFileException e) {
                problems.add(node, key, "cannot read the secret: no such file " + file);
                return Optional.empty();
            } catch (AccessDeniedException e) {
                problems.add(node, key, "cannot read the secret: permission denied on " + file
                        + " (the agent's user must be able to read it)");
                return Optional.empty();
            } catch (IOException e) {
                problems.add(node, key, "cannot read the secret from " + file + ": " + e.getClass().getSimpleName());
                return Optional.empty();
            }
            if (bytes.length > MAX_FILE_BYTES) {
                problems.add(node, key, file + " is larger than a secret can be (" + ConfigValues.formatSize(MAX_FILE_BYTES) + ")");
                return Optional.empty();
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString().strip();
            } catch (CharacterCodingException e) {
                problems.add(node, key, file + " is not UTF-8 text");
                return Optional.empty();
            }
            if (text.isEmpty()) {
                problems.add(node, key, file + " is empty");
                return Optional.empty();
            }
            warnIfOthersCanRead(file, node, key);
            return Optional.of(new Secret(text, "file:" + file));
        });
    }

    private void warnIfOthersCanRead(Path file, Node node, String key) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return; // not a POSIX file system: nothing to say
        }
        List<String> who = new ArrayList<>();
        if (permissions.contains(PosixFilePermission.GROUP_READ)) {
            who.add("its group");
        }
        if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
            who.add("every user");
        }
        if (!who.isEmpty()) {
            context.warnings().add(node, key, file + " can be read by " + String.join(" and ", who)
                    + "; make it readable by its owner only (chmod 600)");
        }
    }
}
