package dev.bouncewatch.agent.classify;

import dev.bouncewatch.agent.model.SmtpStage;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Reads a YAML rule file into a {@link RuleFile}. Works on the node tree rather than plain maps so
 * that every error can name its line; unknown keys are errors too, because a misspelt condition
 * would otherwise silently widen a rule.
 */
final class RuleFileParser {

    private static final Set<String> TOP_KEYS = Set.of("providers", "stages", "wrappers", "signals",
            "transientCues", "rules");
    private static final Set<String> RULE_KEYS = Set.of("id", "provider", "stage", "notStage", "code", "esc",
            "text", "regex", "unless", "category", "action", "uncodedSeverity", "signals", "advice");
    private static final int MAX_RULE_FILE_CHARS = 4 << 20;

    private final String file;

    private RuleFileParser(String file) {
        this.file = file;
    }

    static RuleFile parse(String content, String file) {
        return new RuleFileParser(file).parse(content);
    }

    private RuleFile parse(String content) {
        if (content.length() > MAX_RULE_FILE_CHARS) {
            throw new RuleFileException(file, 0, null, "file is larger than " + MAX_RULE_FILE_CHARS + " characters");
        }
        Node root = compose(content);
        List<Provider> providers = new ArrayList<>();
        List<StageCue> stages = new ArrayList<>();
        List<Wrapper> wrappers = new ArrayList<>();
        List<SignalExtractor> signals = new ArrayList<>();
        List<String> transientCues = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        if (root == null) {
            return new RuleFile(file, providers, stages, wrappers, signals, transientCues, rules);
        }
        Map<String, NodeTuple> top = mapping(root, null, TOP_KEYS);
        for (var e : top.entrySet()) {
            Node value = e.getValue().getValueNode();
            switch (e.getKey()) {
                case "providers" -> sequence(value, "providers").forEach(n -> providers.add(provider(n)));
                case "stages" -> sequence(value, "stages").forEach(n -> stages.add(stageCue(n)));
                case "wrappers" -> sequence(value, "wrappers").forEach(n -> wrappers.add(wrapper(n)));
                case "signals" -> sequence(value, "signals").forEach(n -> signals.add(signal(n)));
                case "transientCues" -> transientCues.addAll(phrases(value, "transientCues"));
                case "rules" -> {
                    Set<String> ids = new LinkedHashSet<>();
                    for (Node n : sequence(value, "rules")) {
                        Rule r = rule(n);
                        if (!ids.add(r.id())) {
                            throw error(n, "id", "duplicate rule id '" + r.id() + "'");
                        }
                        rules.add(r);
                    }
                }
                default -> throw new IllegalStateException(e.getKey());
            }
        }
        return new RuleFile(file, providers, stages, wrappers, signals, transientCues, rules);
    }

    private Node compose(String content) {
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file).build();
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, content)));
            return composer.getSingleNode().orElse(null);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            String context = e.getContext() == null ? "" : e.getContext()
                    + e.getContextMark().map(m -> " (line " + (m.getLine() + 1) + ")").orElse("") + ": ";
            throw new RuleFileException(file, line, null, "not valid YAML: " + context + e.getProblem());
        } catch (YamlEngineException e) {
            throw new RuleFileException(file, 0, null, "not valid YAML: " + e.getMessage());
        }
    }

    private Provider provider(Node n) {
        Map<String, NodeTuple> m = mapping(n, "providers", Set.of("name", "hosts", "tokens"));
        String name = requiredScalar(m, n, "name").toLowerCase(Locale.ROOT);
        List<String> hosts = m.containsKey("hosts") ? phrases(m.get("hosts").getValueNode(), "hosts") : List.of();
        List<String> tokens = m.containsKey("tokens") ? phrases(m.get("tokens").getValueNode(), "tokens") : List.of();
        if (hosts.isEmpty() && tokens.isEmpty()) {
            throw error(n, "hosts", "provider '" + name + "' needs hosts or tokens");
        }
        return new Provider(name, hosts, tokens);
    }

    private StageCue stageCue(Node n) {
        Map<String, NodeTuple> m = mapping(n, "stages", Set.of("stage", "text"));
        SmtpStage stage = stage(requiredScalar(m, n, "stage"), m.get("stage").getValueNode(), "stage");
        return new StageCue(stage, phrases(required(m, n, "text"), "text"));
    }

    private Wrapper wrapper(Node n) {
        Map<String, NodeTuple> m = mapping(n, "wrappers", Set.of("text", "regex"));
        Node r = required(m, n, "regex");
        return new Wrapper(phrases(required(m, n, "text"), "text"), regex(scalar(r, "regex"), r, "regex"));
    }

    private SignalExtractor signal(Node n) {
        Map<String, NodeTuple> m = mapping(n, "signals", Set.of("signal", "text", "regex", "upper"));
        String signal = requiredScalar(m, n, "signal");
        boolean upper = m.containsKey("upper") && bool(m.get("upper").getValueNode(), "upper");
        if (!m.containsKey("regex") && !m.containsKey("text")) {
            throw error(n, "signal", "signal '" + signal + "' needs text or regex");
        }
        List<String> text = m.containsKey("text") ? phrases(m.get("text").getValueNode(), "text") : List.of();
        Pattern regex = null;
        if (m.containsKey("regex")) {
            Node r = m.get("regex").getValueNode();
            regex = regex(scalar(r, "regex"), r, "regex");
        }
        return new SignalExtractor(signal, text, regex, upper);
    }

    private Rule rule(Node n) {
        Map<String, NodeTuple> m = mapping(n, "rules", RULE_KEYS);
        String id = requiredScalar(m, n, "id");
        Node catNode = required(m, n, "category");
        String catName = scalar(catNode, "category");
        Category category = Category.fromWireName(catName).orElseThrow(() -> error(catNode, "category",
                "unknown category '" + catName + "', expected one of " + Arrays.stream(Category.values())
                        .map(Category::wireName).collect(Collectors.joining(", "))));
        Action action = null;
        if (m.containsKey("action")) {
            Node a = m.get("action").getValueNode();
            String s = scalar(a, "action");
            try {
                action = Action.fromWireName(s);
            } catch (IllegalArgumentException e) {
                throw error(a, "action", "unknown action '" + s + "', expected one of " + Arrays.stream(Action.values())
                        .map(Action::wireName).collect(Collectors.joining(", ")));
            }
        }
        Severity uncoded = null;
        if (m.containsKey("uncodedSeverity")) {
            Node s = m.get("uncodedSeverity").getValueNode();
            String v = scalar(s, "uncodedSeverity");
            if (!v.equals("permanent") && !v.equals("transient")) {
                throw error(s, "uncodedSeverity", "expected permanent or transient, got '" + v + "'");
            }
            uncoded = Severity.fromWireName(v);
        }
        RuleConditions when = new RuleConditions(
                m.containsKey("provider") ? Set.copyOf(phrases(m.get("provider").getValueNode(), "provider")) : Set.of(),
                stages(m, "stage"),
                stages(m, "notStage"),
                codes(m, "code"),
                codes(m, "esc"),
                m.containsKey("text") ? phrases(m.get("text").getValueNode(), "text") : List.of(),
                m.containsKey("regex") ? regexes(m.get("regex").getValueNode(), "regex") : List.of(),
                m.containsKey("unless") ? phrases(m.get("unless").getValueNode(), "unless") : List.of());
        if (when.providers().isEmpty() && when.stages().isEmpty() && when.replyCodes().isEmpty()
                && when.enhancedCodes().isEmpty() && when.phrases().isEmpty() && when.regexes().isEmpty()) {
            throw error(n, "id", "rule '" + id + "' has no condition (provider, stage, code, esc, text or regex)");
        }
        List<String> signals = m.containsKey("signals") ? strings(m.get("signals").getValueNode(), "signals") : List.of();
        String advice = m.containsKey("advice") ? scalar(m.get("advice").getValueNode(), "advice") : null;
        return new Rule(id, when, category, action, uncoded, signals, advice, file + ":" + line(n));
    }

    private Set<SmtpStage> stages(Map<String, NodeTuple> m, String field) {
        if (!m.containsKey(field)) {
            return Set.of();
        }
        Node n = m.get(field).getValueNode();
        EnumSet<SmtpStage> set = EnumSet.noneOf(SmtpStage.class);
        for (String s : strings(n, field)) {
            set.add(stage(s, n, field));
        }
        return set;
    }

    private SmtpStage stage(String s, Node at, String field) {
        try {
            return SmtpStage.fromWireName(s);
        } catch (IllegalArgumentException e) {
            throw error(at, field, "unknown stage '" + s + "', expected one of " + Arrays.stream(SmtpStage.values())
                    .map(SmtpStage::wireName).collect(Collectors.joining(", ")));
        }
    }

    private List<CodePattern> codes(Map<String, NodeTuple> m, String field) {
        if (!m.containsKey(field)) {
            return List.of();
        }
        Node n = m.get(field).getValueNode();
        List<CodePattern> out = new ArrayList<>();
        for (String s : strings(n, field)) {
            try {
                out.add(field.equals("code") ? CodePattern.reply(s) : CodePattern.enhanced(s));
            } catch (IllegalArgumentException e) {
                throw error(n, field, e.getMessage());
            }
        }
        return out;
    }

    private List<Pattern> regexes(Node n, String field) {
        List<Pattern> out = new ArrayList<>();
        for (String s : strings(n, field)) {
            out.add(regex(s, n, field));
        }
        return out;
    }

    private Pattern regex(String s, Node at, String field) {
        try {
            // matched against lower-cased text; only patterns with upper-case literals pay for
            // case-insensitive matching (lower-casing the pattern would turn \S into \s)
            return Pattern.compile(s, hasUpperCaseLiteral(s) ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        } catch (PatternSyntaxException e) {
            throw error(at, field, "bad regular expression '" + s + "': " + e.getDescription());
        }
    }

    private static boolean hasUpperCaseLiteral(String regex) {
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (Character.isUpperCase(c)) {
                return true;
            }
        }
        return false;
    }

    /** Lower-cased, whitespace-folded phrases, as the normalised text is. */
    private List<String> phrases(Node n, String field) {
        List<String> out = new ArrayList<>();
        for (String s : strings(n, field)) {
            String p = TextNormalizer.fold(s);
            if (p.isEmpty()) {
                throw error(n, field, "empty phrase");
            }
            out.add(p);
        }
        return out;
    }

    private List<String> strings(Node n, String field) {
        if (n instanceof ScalarNode) {
            return List.of(scalar(n, field));
        }
        List<String> out = new ArrayList<>();
        for (Node item : sequence(n, field)) {
            out.add(scalar(item, field));
        }
        return out;
    }

    private boolean bool(Node n, String field) {
        String s = scalar(n, field);
        if (!s.equals("true") && !s.equals("false")) {
            throw error(n, field, "expected true or false, got '" + s + "'");
        }
        return Boolean.parseBoolean(s);
    }

    private List<Node> sequence(Node n, String field) {
        if (!(n instanceof SequenceNode seq)) {
            throw error(n, field, "expected a list");
        }
        return seq.getValue();
    }

    private String scalar(Node n, String field) {
        if (!(n instanceof ScalarNode s)) {
            throw error(n, field, "expected a single value, not a list or mapping");
        }
        String v = s.getValue().trim();
        if (v.isEmpty()) {
            throw error(n, field, "empty value");
        }
        return v;
    }

    private Node required(Map<String, NodeTuple> m, Node parent, String field) {
        NodeTuple t = m.get(field);
        if (t == null) {
            throw error(parent, field, "missing");
        }
        return t.getValueNode();
    }

    private String requiredScalar(Map<String, NodeTuple> m, Node parent, String field) {
        return scalar(required(m, parent, field), field);
    }

    private Map<String, NodeTuple> mapping(Node n, String field, Set<String> allowed) {
        if (!(n instanceof MappingNode map)) {
            throw error(n, field, "expected a mapping of keys to values");
        }
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = scalar(t.getKeyNode(), field);
            if (!allowed.contains(key)) {
                throw error(t.getKeyNode(), key, "unknown key, expected one of " + allowed.stream().sorted()
                        .collect(Collectors.joining(", ")));
            }
            if (out.put(key, t) != null) {
                throw error(t.getKeyNode(), key, "given twice");
            }
        }
        return out;
    }

    private RuleFileException error(Node at, String field, String problem) {
        return new RuleFileException(file, line(at), field, problem);
    }

    private static int line(Node n) {
        return n.getStartMark().map(Mark::getLine).map(l -> l + 1).orElse(0);
    }
}
