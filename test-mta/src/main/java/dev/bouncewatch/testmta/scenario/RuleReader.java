package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.yaml.Problems;
import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import dev.bouncewatch.testmta.session.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the {@code rules:} list: ids, {@code when} matchers and {@code then} actions, checking
 * that each matcher and action makes sense at the rule's stages (a {@code header} matcher at RCPT
 * could never match, so it is an error rather than a silent no-op).
 */
final class RuleReader {

    static final Set<String> RULE_KEYS = ordered("id", "description", "when", "then");
    static final Set<String> WHEN_KEYS = ordered("stage", "rcpt", "rcpt_domain", "mail_from", "helo", "client_ip",
            "auth_user", "header", "tls", "p");
    static final Set<String> THEN_KEYS = ordered("reply", "close", "accept", "discard", "delay", "drop", "greylist",
            "rate", "sequence", "pick");
    static final List<String> TERMINALS = List.of("reply", "accept", "drop", "greylist", "rate", "sequence", "pick");
    static final Set<String> STEP_KEYS = ordered("reply", "close", "accept", "discard", "drop");
    static final Set<String> CHOICE_KEYS = ordered("weight", "reply", "close", "accept", "discard", "drop");
    static final Set<String> GREYLIST_KEYS = ordered("min_delay", "retry_window", "whitelist_ttl", "reply");
    static final Set<String> RATE_KEYS = ordered("key", "rate", "burst", "reply", "close");
    static final Set<String> SEQUENCE_KEYS = ordered("key", "steps", "after_last", "ttl");
    static final Set<String> DROP_KEYS = ordered("mode", "after_bytes");

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Set<Stage> AFTER_HELO = EnumSet.complementOf(EnumSet.of(Stage.CONNECT));
    private static final Set<Stage> AFTER_AUTH = EnumSet.complementOf(EnumSet.of(Stage.CONNECT, Stage.HELO, Stage.STARTTLS));
    private static final Set<Stage> WITH_SENDER = EnumSet.of(Stage.MAIL, Stage.RCPT, Stage.DATA, Stage.DATA_END);
    private static final Set<Stage> WITH_RECIPIENT = EnumSet.of(Stage.RCPT, Stage.DATA, Stage.DATA_END);

    /** Where each matcher can see a value, and why (for the error message). */
    private static final Map<String, Set<Stage>> MATCHER_STAGES = Map.of(
            "rcpt", WITH_RECIPIENT, "rcpt_domain", WITH_RECIPIENT, "mail_from", WITH_SENDER, "helo", AFTER_HELO,
            "auth_user", AFTER_AUTH, "header", EnumSet.of(Stage.DATA_END));
    private static final Map<String, String> MATCHER_REASONS = Map.of(
            "rcpt", "recipients are known from RCPT on",
            "rcpt_domain", "recipients are known from RCPT on",
            "mail_from", "the sender is known from MAIL on",
            "helo", "the client names itself at HELO/EHLO",
            "auth_user", "the user is known from AUTH on",
            "header", "headers are known only after the final dot");

    /** What a rule's actions may refer to: its stages and the variables its matchers capture. */
    private record RuleScope(String id, Set<Stage> stages, Set<String> captures) {
    }

    private final Problems problems;
    private final Catalog catalog;
    private final long seed;
    private final int stateCapacity;
    private final Map<String, Integer> idLines = new HashMap<>();

    RuleReader(Problems problems, Catalog catalog, long seed, int stateCapacity) {
        this.problems = problems;
        this.catalog = catalog;
        this.seed = seed;
        this.stateCapacity = stateCapacity;
    }

    List<Rule> readAll(Node node) {
        List<Rule> rules = new ArrayList<>();
        if (node == null || YamlValues.isNull(node)) {
            return rules;
        }
        if (!(node instanceof SequenceNode seq)) {
            problems.add(node, "rules", "expected a list of rules (lines starting with '- id: ...') but found " + YamlValues.describe(node));
            return rules;
        }
        int i = 0;
        for (Node item : seq.getValue()) {
            readRule(item, "rules[" + i++ + "]").ifPresent(rules::add);
        }
        return rules;
    }

    private Optional<Rule> readRule(Node node, String path) {
        Optional<YamlMap> opened = YamlMap.open(node, path, problems, RULE_KEYS);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        YamlMap rule = opened.get();
        int before = problems.count();
        String id = readId(rule);
        String description = rule.string("description").orElse(null);
        Set<Stage> stages = EnumSet.noneOf(Stage.class);
        List<Condition> conditions = new ArrayList<>();
        Set<String> captures = new LinkedHashSet<>();
        if (!rule.has("when")) {
            rule.missing("when", "a mapping with at least 'stage', e.g. when: { stage: rcpt, rcpt: \"nobody@*\" }");
        } else {
            YamlMap.open(rule.value("when"), rule.path("when"), problems, WHEN_KEYS)
                    .ifPresent(when -> readWhen(when, id, stages, conditions, captures));
        }
        Action action = null;
        Duration delay = Duration.ZERO;
        if (!rule.has("then")) {
            rule.missing("then", "a mapping with one action: " + String.join(", ", TERMINALS) + " (or only a delay)");
        } else {
            Optional<YamlMap> then = YamlMap.open(rule.value("then"), rule.path("then"), problems, THEN_KEYS);
            if (then.isPresent()) {
                RuleScope scope = new RuleScope(id, stages, captures);
                delay = then.get().has("delay") ? ProtocolReader.duration(then.get(), "delay").orElse(Duration.ZERO) : Duration.ZERO;
                action = readThen(then.get(), scope).orElse(null);
            }
        }
        if (problems.count() > before || id == null || action == null || stages.isEmpty()) {
            return Optional.empty();
        }
        int line = node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        return Optional.of(new Rule(id, description, stages, conditions, action, delay, line, new LongAdder()));
    }

    private String readId(YamlMap rule) {
        if (!rule.has("id")) {
            rule.missing("id", "a unique name for the rule, e.g. id: unknown-users (it shows in events and metrics)");
            return null;
        }
        Optional<String> id = rule.string("id");
        if (id.isEmpty()) {
            return null;
        }
        Node node = rule.value("id");
        if (!ID.matcher(id.get()).matches()) {
            problems.add(node, rule.path("id"), "ids use letters, digits, '.', '_' and '-' (at most 64), got '" + id.get() + "'");
            return null;
        }
        if (id.get().equals(RuleScenario.MAGIC_RULE_ID)) {
            problems.add(node, rule.path("id"), "'" + RuleScenario.MAGIC_RULE_ID + "' is reserved for magic addresses");
            return null;
        }
        int line = node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        Integer first = idLines.putIfAbsent(id.get(), line);
        if (first != null) {
            problems.add(node, rule.path("id"), "duplicate id '" + id.get() + "', first used on line " + first + "; ids must be unique");
            return null;
        }
        return id.get();
    }

    private void readWhen(YamlMap when, String id, Set<Stage> stages, List<Condition> conditions, Set<String> captures) {
        if (!when.has("stage")) {
            when.missing("stage", "one stage or a list of: " + stageNames());
            return;
        }
        when.stringList("stage").ifPresent(names -> {
            for (YamlValues.Located name : names) {
                try {
                    stages.add(Stage.fromConfigName(name.value()));
                } catch (IllegalArgumentException e) {
                    problems.add(name.node(), when.path("stage"), "unknown stage '" + name.value() + "'; expected one of: " + stageNames());
                }
            }
        });
        for (String key : when.keys()) {
            Set<Stage> allowed = MATCHER_STAGES.get(key);
            if (allowed != null && !stages.isEmpty() && !allowed.containsAll(stages)) {
                Set<Stage> wrong = EnumSet.copyOf(stages);
                wrong.removeAll(allowed);
                problems.add(when.keyNode(key), when.path(key), key + " cannot match at " + names(wrong) + " ("
                        + MATCHER_REASONS.get(key) + "); use it with stage " + names(allowed));
            }
        }
        for (String key : List.of("rcpt", "rcpt_domain", "mail_from", "helo", "auth_user")) {
            textMatcher(when, key).ifPresent(m -> {
                captures.addAll(m.groupNames());
                conditions.add(key.startsWith("rcpt") ? new Condition.Recipient(key.equals("rcpt_domain"), m)
                        : new Condition.Field(key, m));
            });
        }
        if (when.has("header")) {
            YamlMap.open(when.value("header"), when.path("header"), problems, Set.of()).ifPresent(headers -> {
                for (Map.Entry<ScalarNode, Node> pair : headers.pairs()) {
                    String name = pair.getKey().getValue();
                    String path = headers.path(name);
                    if (!name.matches("[!-9;-~]+")) {
                        problems.add(pair.getKey(), path, "not a header field name (RFC 5322 2.2: printable ASCII without ':')");
                        continue;
                    }
                    YamlValues.stringList(pair.getValue(), path, problems).flatMap(list -> matcherOf(list, path)).ifPresent(m -> {
                        captures.addAll(m.groupNames());
                        conditions.add(new Condition.Header(name.toLowerCase(Locale.ROOT), m));
                    });
                }
            });
        }
        if (when.has("client_ip")) {
            when.stringList("client_ip").ifPresent(list -> {
                List<CidrBlock> blocks = new ArrayList<>();
                for (YamlValues.Located v : list) {
                    try {
                        blocks.add(CidrBlock.parse(v.value()));
                    } catch (IllegalArgumentException e) {
                        problems.add(v.node(), when.path("client_ip"), e.getMessage());
                    }
                }
                if (blocks.size() == list.size()) {
                    conditions.add(new Condition.ClientIp(blocks));
                }
            });
        }
        when.bool("tls").ifPresent(tls -> conditions.add(new Condition.Tls(tls)));
        when.string("p").ifPresent(text -> {
            double p = -1;
            try {
                p = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                // reported below
            }
            if (!(p >= 0 && p <= 1)) {
                problems.add(when.value("p"), when.path("p"), "expected a probability from 0 to 1 (0.05 = 5 %), got '" + text + "'");
            } else {
                // the draw comes last so cheaper matchers filter first and rule order stays meaningful
                conditions.add(new Condition.Chance(p, seed, id == null ? "" : id));
            }
        });
    }

    private Optional<TextMatcher> textMatcher(YamlMap when, String key) {
        return when.stringList(key).flatMap(list -> matcherOf(list, when.path(key)));
    }

    private Optional<TextMatcher> matcherOf(List<YamlValues.Located> list, String path) {
        List<TextPattern> patterns = new ArrayList<>();
        for (YamlValues.Located v : list) {
            try {
                patterns.add(TextPattern.parse(v.value()));
            } catch (IllegalArgumentException e) {
                problems.add(v.node(), path, e.getMessage());
            }
        }
        return patterns.size() == list.size() ? Optional.of(new TextMatcher(patterns)) : Optional.empty();
    }

    private Optional<Action> readThen(YamlMap then, RuleScope scope) {
        List<String> terminals = TERMINALS.stream().filter(then::has).toList();
        if (terminals.size() > 1) {
            problems.add(then.keyNode(terminals.get(1)), then.path(terminals.get(1)), "a rule has one action, but this one has "
                    + String.join(" and ", terminals) + "; split it into two rules or use sequence/pick");
            return Optional.empty();
        }
        if (terminals.isEmpty()) {
            if (then.has("delay")) {
                checkCloseAndDiscard(then, null);
                return Optional.of(new DelayAction()); // a delay alone slows whatever answer comes next
            }
            problems.add(then.node(), then.path(), "missing an action; expected one of: " + String.join(", ", TERMINALS)
                    + " (or only a delay)");
            return Optional.empty();
        }
        String action = terminals.get(0);
        return switch (action) {
            case "greylist" -> greylist(then, scope);
            case "rate" -> rate(then, scope);
            case "sequence" -> sequence(then, scope);
            case "pick" -> pick(then, scope);
            default -> simple(then, scope);
        };
    }

    /** reply, accept or drop, with their close/discard flags; also sequence steps and pick choices. */
    private Optional<Action> simple(YamlMap map, RuleScope scope) {
        List<String> present = List.of("reply", "accept", "drop").stream().filter(map::has).toList();
        if (present.size() != 1) {
            problems.add(map.node(), map.path(), present.isEmpty() ? "missing an action; expected reply, accept or drop"
                    : "expected one action but found " + String.join(" and ", present));
            return Optional.empty();
        }
        String action = present.get(0);
        checkCloseAndDiscard(map, action);
        switch (action) {
            case "reply" -> {
                Optional<ReplyTemplate> reply = replyAt(map.value("reply"), map.path("reply"), scope);
                if (reply.isEmpty()) {
                    return Optional.empty();
                }
                boolean close = map.bool("close").orElse(ReplyAction.closesByDefault(reply.get()));
                return Optional.of(new ReplyAction(reply.get(), close));
            }
            case "accept" -> {
                Optional<Boolean> accept = map.bool("accept");
                if (accept.isPresent() && !accept.get()) {
                    problems.add(map.value("accept"), map.path("accept"), "accept: false does nothing; remove the rule or give another action");
                    return Optional.empty();
                }
                boolean discard = map.bool("discard").orElse(false);
                if (discard && !EnumSet.of(Stage.RCPT, Stage.DATA_END).containsAll(scope.stages())) {
                    problems.add(map.keyNode("discard"), map.path("discard"), "discard works only at stage rcpt or data_end");
                    return Optional.empty();
                }
                return accept.map(a -> new ProceedAction(discard));
            }
            default -> {
                return drop(map.value("drop"), map.path("drop"), scope);
            }
        }
    }

    private void checkCloseAndDiscard(YamlMap map, String action) {
        if (map.has("close") && !"reply".equals(action)) {
            problems.add(map.keyNode("close"), map.path("close"), "close goes with reply (reply, then close the connection); use drop to close without a reply");
        }
        if (map.has("discard") && !"accept".equals(action)) {
            problems.add(map.keyNode("discard"), map.path("discard"), "discard goes with accept: true");
        }
    }

    private Optional<Action> drop(Node node, String path, RuleScope scope) {
        Outcome.DropMode mode = Outcome.DropMode.CLOSE;
        long afterBytes = -1;
        if (node instanceof ScalarNode && !YamlValues.isNull(node)) {
            Optional<Outcome.DropMode> m = dropMode(((ScalarNode) node).getValue(), node, path);
            if (m.isEmpty()) {
                return Optional.empty();
            }
            mode = m.get();
        } else {
            Optional<YamlMap> opened = YamlMap.open(node, path, problems, DROP_KEYS);
            if (opened.isEmpty()) {
                return Optional.empty();
            }
            YamlMap map = opened.get();
            if (map.has("mode")) {
                Optional<Outcome.DropMode> m = map.string("mode").flatMap(s -> dropMode(s, map.value("mode"), map.path("mode")));
                if (m.isEmpty()) {
                    return Optional.empty();
                }
                mode = m.get();
            }
            if (map.has("after_bytes")) {
                Optional<Long> n = map.integer("after_bytes", 0, Long.MAX_VALUE / 2);
                if (n.isEmpty()) {
                    return Optional.empty();
                }
                if (!scope.stages().equals(EnumSet.of(Stage.DATA))) {
                    problems.add(map.keyNode("after_bytes"), map.path("after_bytes"),
                            "after_bytes works only at stage data (answer 354, read that many octets, then drop)");
                    return Optional.empty();
                }
                afterBytes = n.get();
            }
        }
        return Optional.of(new DropAction(mode, afterBytes));
    }

    private Optional<Outcome.DropMode> dropMode(String text, Node node, String path) {
        for (Outcome.DropMode m : Outcome.DropMode.values()) {
            if (m.name().equalsIgnoreCase(text.strip())) {
                return Optional.of(m);
            }
        }
        problems.add(node, path, "expected a drop mode: close (FIN), rst (reset) or hang (never answer), got '" + text + "'");
        return Optional.empty();
    }

    private Optional<Action> greylist(YamlMap then, RuleScope scope) {
        if (!EnumSet.of(Stage.RCPT).containsAll(scope.stages())) {
            problems.add(then.keyNode("greylist"), then.path("greylist"),
                    "greylisting works at stage rcpt (the triplet needs the recipient)");
            return Optional.empty();
        }
        checkCloseAndDiscard(then, "greylist");
        Duration minDelay = GreylistAction.DEFAULT_MIN_DELAY;
        Duration window = GreylistAction.DEFAULT_RETRY_WINDOW;
        Duration ttl = GreylistAction.DEFAULT_WHITELIST_TTL;
        Optional<ReplyTemplate> reply = catalog.get("greylisted");
        Node node = then.value("greylist");
        if (node instanceof ScalarNode && !YamlValues.isNull(node)) {
            Optional<Boolean> on = YamlValues.bool(node, then.path("greylist"), problems);
            if (on.isEmpty()) {
                return Optional.empty();
            }
            if (!on.get()) {
                problems.add(node, then.path("greylist"), "greylist: false does nothing; remove the rule");
                return Optional.empty();
            }
        } else {
            Optional<YamlMap> opened = YamlMap.open(node, then.path("greylist"), problems, GREYLIST_KEYS);
            if (opened.isEmpty()) {
                return Optional.empty();
            }
            YamlMap g = opened.get();
            minDelay = ProtocolReader.duration(g, "min_delay").orElse(minDelay);
            window = ProtocolReader.duration(g, "retry_window").orElse(window);
            ttl = ProtocolReader.duration(g, "whitelist_ttl").orElse(ttl);
            if (g.has("reply")) {
                reply = replyAt(g.value("reply"), g.path("reply"), scope);
            }
            if (minDelay.compareTo(window) >= 0) {
                problems.add(g.node(), g.path(), "min_delay (" + Quantities.format(minDelay)
                        + ") must be shorter than retry_window (" + Quantities.format(window) + ") or no retry could ever pass");
            }
            if (ttl.isZero()) {
                problems.add(g.value("whitelist_ttl"), g.path("whitelist_ttl"), "must be above zero");
            }
        }
        if (reply.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GreylistAction(minDelay, window, ttl, reply.get(), stateCapacity));
    }

    private Optional<Action> rate(YamlMap then, RuleScope scope) {
        checkCloseAndDiscard(then, "rate");
        Optional<YamlMap> opened = YamlMap.open(then.value("rate"), then.path("rate"), problems, RATE_KEYS);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        YamlMap r = opened.get();
        Optional<Template> key = keyTemplate(r, "{client_ip}", scope);
        if (!r.has("rate")) {
            r.missing("rate", "a rate like 10/s, 600/m or 1000/h");
            return Optional.empty();
        }
        Optional<Double> perSecond = r.string("rate").flatMap(s -> {
            try {
                return Optional.of(Quantities.ratePerSecond(s));
            } catch (IllegalArgumentException e) {
                problems.add(r.value("rate"), r.path("rate"), e.getMessage());
                return Optional.empty();
            }
        });
        long defaultBurst = perSecond.map(p -> Math.max(1L, (long) Math.ceil(p))).orElse(1L);
        Optional<Long> burst = r.has("burst") ? r.integer("burst", 1, 1_000_000) : Optional.of(defaultBurst);
        Optional<ReplyTemplate> reply = r.has("reply") ? replyAt(r.value("reply"), r.path("reply"), scope) : catalog.get("rate_limited");
        if (key.isEmpty() || perSecond.isEmpty() || burst.isEmpty() || reply.isEmpty()) {
            return Optional.empty();
        }
        boolean close = r.bool("close").orElse(ReplyAction.closesByDefault(reply.get()));
        return Optional.of(new RateLimitAction(key.get(), perSecond.get(), burst.get().intValue(),
                new ReplyAction(reply.get(), close), stateCapacity));
    }

    private Optional<Action> sequence(YamlMap then, RuleScope scope) {
        checkCloseAndDiscard(then, "sequence");
        Optional<YamlMap> opened = YamlMap.open(then.value("sequence"), then.path("sequence"), problems, SEQUENCE_KEYS);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        YamlMap s = opened.get();
        Optional<Template> key = keyTemplate(s, "{rcpt}", scope);
        SequenceAction.AfterLast afterLast = s.has("after_last")
                ? ProtocolReader.choice(s, "after_last", SequenceAction.AfterLast.class).orElse(null)
                : SequenceAction.AfterLast.REPEAT;
        Duration ttl = s.has("ttl") ? ProtocolReader.duration(s, "ttl").orElse(null) : Duration.ofHours(1);
        if (ttl != null && ttl.isZero()) {
            problems.add(s.value("ttl"), s.path("ttl"), "must be above zero");
        }
        if (!s.has("steps")) {
            s.missing("steps", "a list like [\"451 4.3.0 Try again\", \"451 4.3.0 Try again\", accept]");
            return Optional.empty();
        }
        List<Action> steps = new ArrayList<>();
        Node stepsNode = s.value("steps");
        if (!(stepsNode instanceof SequenceNode list) || list.getValue().isEmpty()) {
            problems.add(stepsNode, s.path("steps"), "expected a non-empty list of steps but found " + YamlValues.describe(stepsNode));
            return Optional.empty();
        }
        int i = 0;
        boolean ok = true;
        for (Node step : list.getValue()) {
            Optional<Action> a = step(step, s.path("steps") + "[" + i++ + "]", scope, STEP_KEYS);
            a.ifPresent(steps::add);
            ok &= a.isPresent();
        }
        if (!ok || key.isEmpty() || afterLast == null || ttl == null || ttl.isZero()) {
            return Optional.empty();
        }
        return Optional.of(new SequenceAction(key.get(), steps, afterLast, ttl, stateCapacity));
    }

    private Optional<Action> pick(YamlMap then, RuleScope scope) {
        checkCloseAndDiscard(then, "pick");
        Node node = then.value("pick");
        if (!(node instanceof SequenceNode list) || list.getValue().size() < 2) {
            problems.add(node, then.path("pick"), "expected a list of at least two choices like { weight: 90, accept: true }, found "
                    + YamlValues.describe(node));
            return Optional.empty();
        }
        List<PickAction.Choice> choices = new ArrayList<>();
        int i = 0;
        for (Node item : list.getValue()) {
            String path = then.path("pick") + "[" + i++ + "]";
            Optional<YamlMap> choice = YamlMap.open(item, path, problems, CHOICE_KEYS);
            if (choice.isEmpty()) {
                continue;
            }
            if (!choice.get().has("weight")) {
                choice.get().missing("weight", "a whole number from 1 to 1000000 (relative to the other choices)");
            }
            Optional<Long> weight = choice.get().integer("weight", 1, 1_000_000);
            Optional<Action> action = simple(choice.get(), scope);
            if (weight.isPresent() && action.isPresent()) {
                choices.add(new PickAction.Choice(weight.get().intValue(), action.get()));
            }
        }
        if (choices.size() != list.getValue().size()) {
            return Optional.empty();
        }
        return Optional.of(new PickAction(choices, seed));
    }

    /** A sequence step: {@code accept}, a reply text, {@code @name}, or a mapping with one of reply/accept/drop. */
    private Optional<Action> step(Node node, String path, RuleScope scope, Set<String> keys) {
        if (node instanceof ScalarNode s && !YamlValues.isNull(node)) {
            String v = s.getValue().strip();
            if (v.equals("accept")) {
                return Optional.of(new ProceedAction(false));
            }
            if (!v.startsWith("@") && !Character.isDigit(v.isEmpty() ? 'x' : v.charAt(0))) {
                problems.add(node, path, "expected accept, a reply like \"451 4.3.0 Try again\", \"@catalog.name\" or a mapping"
                        + " like { drop: rst }, got '" + v + "'");
                return Optional.empty();
            }
            return replyAt(node, path, scope).map(r -> new ReplyAction(r, ReplyAction.closesByDefault(r)));
        }
        return YamlMap.open(node, path, problems, keys).flatMap(m -> simple(m, scope));
    }

    private Optional<ReplyTemplate> replyAt(Node node, String path, RuleScope scope) {
        Optional<ReplyTemplate> reply = ReplyReader.read(node, path, problems, catalog);
        reply.ifPresent(r -> checkVariables(r.variables(), node, path, scope));
        return reply;
    }

    private Optional<Template> keyTemplate(YamlMap map, String fallback, RuleScope scope) {
        if (!map.has("key")) {
            return Optional.of(Template.parse(fallback));
        }
        return map.string("key").map(Template::parse).filter(t -> {
            if (t.variables().isEmpty()) {
                problems.add(map.value("key"), map.path("key"), "a key needs at least one variable such as {client_ip}, {mail_from_domain}"
                        + " or {rcpt}; a constant key would share one counter between everyone");
                return false;
            }
            return checkVariables(t.variables(), map.value("key"), map.path("key"), scope);
        });
    }

    private boolean checkVariables(Set<String> used, Node node, String path, RuleScope scope) {
        List<String> unknown = used.stream()
                .filter(v -> !Evaluation.VARIABLES.contains(v) && !scope.captures().contains(v)).toList();
        if (unknown.isEmpty()) {
            return true;
        }
        List<String> known = new ArrayList<>(new TreeSet<>(Evaluation.VARIABLES));
        known.addAll(scope.captures());
        problems.add(node, path, "unknown template variable " + unknown.stream().map(v -> "{" + v + "}").collect(Collectors.joining(", "))
                + "; known: " + known.stream().map(v -> "{" + v + "}").collect(Collectors.joining(", "))
                + " (named regex groups of this rule's matchers count too)");
        return false;
    }

    private static String stageNames() {
        return Arrays.stream(Stage.values()).map(Stage::configName).collect(Collectors.joining(", "));
    }

    private static String names(Set<Stage> stages) {
        return stages.stream().map(Stage::configName).collect(Collectors.joining("/"));
    }

    private static Set<String> ordered(String... keys) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
    }
}
