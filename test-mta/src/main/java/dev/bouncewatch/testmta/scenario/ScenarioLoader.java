package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.yaml.Problems;
import dev.bouncewatch.testmta.yaml.YamlProblem;
import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlDocuments;
import dev.bouncewatch.testmta.yaml.YamlValues;
import dev.bouncewatch.testmta.session.ProtocolOptions;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Loads scenario files. The YAML is composed to nodes rather than constructed to objects so that
 * every problem can name its line, column and key; all problems are collected and reported
 * together in a {@link ScenarioException}.
 *
 * <pre>
 * version: 1
 * seed: 42
 * protocol: { hostname: mx.staging.example, size_limit: 10MiB }
 * catalog:  { my.reply: "550 5.7.1 No thanks" }
 * rules:
 *   - id: unknown-users
 *     when: { stage: rcpt, rcpt: "nobody@*" }
 *     then: { reply: "@gmail.no_such_user" }
 * </pre>
 */
public final class ScenarioLoader implements ScenarioParser {

    static final Set<String> TOP_KEYS = new LinkedHashSet<>(List.of("version", "description", "seed", "protocol", "catalog", "rules"));

    /** A scenario is a page of rules, not a data dump; this bounds memory for a bad upload. */
    public static final int MAX_CHARS = 1_000_000;

    /** Cap per stateful rule (greylist triplets, buckets, counters). */
    public static final int DEFAULT_STATE_CAPACITY = 100_000;

    private final InstantSource clock;
    private final Catalog catalog;
    private final int stateCapacity;

    public ScenarioLoader() {
        this(InstantSource.system());
    }

    /** @param clock time source for greylist, rate and sequence state; tests pass a manual one */
    public ScenarioLoader(InstantSource clock) {
        this(clock, Catalog.builtIn(), DEFAULT_STATE_CAPACITY);
    }

    ScenarioLoader(InstantSource clock, Catalog catalog, int stateCapacity) {
        this.clock = Objects.requireNonNull(clock);
        this.catalog = Objects.requireNonNull(catalog);
        this.stateCapacity = stateCapacity;
    }

    @Override
    public RuleScenario parse(String text, String sourceName) throws ScenarioException {
        return load(text, sourceName);
    }

    /** Reads a scenario file, which must be UTF-8. */
    public RuleScenario load(Path file) throws ScenarioException {
        return load(readText(file), file.toString());
    }

    /**
     * The text of a scenario file, for callers that keep it (the control API shows it): bounded in
     * size, and strict UTF-8 so a wrongly saved file gets a clear error instead of replacement marks.
     */
    public static String readText(Path file) throws ScenarioException {
        String name = file.toString();
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_CHARS * 4L) {
                throw single(name, "file is larger than a scenario can be (" + MAX_CHARS + " characters)");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw single(name, "cannot read the file: " + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file" : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString()));
        }
        String text;
        try {
            text = YamlDocuments.strictUtf8(bytes);
        } catch (MalformedInputException e) {
            throw single(name, "not valid UTF-8 (" + e.getMessage() + "); save the file as UTF-8");
        } catch (CharacterCodingException e) {
            throw single(name, "not valid UTF-8; save the file as UTF-8");
        }
        return text;
    }

    /**
     * Parses scenario text.
     *
     * @param sourceName file name or origin used in problem messages
     * @throws ScenarioException listing every problem as {@code source:line:column: key: message}
     */
    public RuleScenario load(String yaml, String sourceName) throws ScenarioException {
        Problems problems = new Problems(sourceName);
        if (yaml.length() > MAX_CHARS) {
            throw single(sourceName, "scenario is longer than " + MAX_CHARS + " characters");
        }
        Node root = YamlDocuments.compose(yaml, problems, MAX_CHARS, "a scenario");
        problems.throwIfAny(ScenarioException::new);
        if (root == null || YamlValues.isNull(root)) {
            // an empty file is the defaults, like no file at all
            return new RuleScenario(ProtocolOptions.defaults(), 0, List.of(), new MagicAddresses(catalog), clock, sourceName);
        }
        YamlMap top = YamlMap.open(root, "", problems, TOP_KEYS).orElse(null);
        if (top == null) {
            throw new ScenarioException(List.of(new YamlProblem(sourceName, 1, 1, "",
                    "a scenario is a mapping with keys " + String.join(", ", TOP_KEYS))));
        }
        top.integer("version", 1, Integer.MAX_VALUE).ifPresent(v -> {
            if (v != 1) {
                problems.add(top.value("version"), "version", "this test-mta reads version 1 scenarios, got version " + v);
            }
        });
        top.string("description");
        long seed = top.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE).orElse(0L);
        ProtocolOptions protocol = ProtocolReader.read(top.value("protocol"), problems);
        Catalog merged = catalog;
        if (top.has("catalog")) {
            Map<String, ReplyTemplate> extra = new LinkedHashMap<>();
            Map<String, String> about = new LinkedHashMap<>();
            CatalogReader.readEntries(top.value("catalog"), "catalog", problems, extra, about);
            merged = catalog.with(extra, about);
        }
        List<Rule> rules = new RuleReader(problems, merged, seed, stateCapacity).readAll(top.value("rules"));
        problems.throwIfAny(ScenarioException::new);
        return new RuleScenario(protocol, seed, rules, new MagicAddresses(merged), clock, sourceName);
    }

    private static ScenarioException single(String source, String message) {
        return new ScenarioException(List.of(new YamlProblem(source, 0, 0, "", message)));
    }
}
