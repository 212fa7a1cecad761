package dev.bouncewatch.agent.classify;

import dev.bouncewatch.agent.model.SmtpStage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Classifies SMTP replies with ordered, data-driven rules: user rules first, then the built-in
 * provider rules, generic text rules, the RFC 3463 enhanced-code table and the reply-code
 * fallbacks ({@code classify/*.yml}). The first rule that matches decides; nothing depends on map
 * order or state, so the same input always gives the same answer. Thread-safe.
 */
public final class Classifier {

    /** Built-in rule files in precedence order. */
    static final List<String> BUILT_IN = List.of("classify/normalise.yml", "classify/providers.yml", "classify/text.yml",
            "classify/status.yml", "classify/reply.yml");

    private static final int CACHE_SIZE = 4096;
    private static final int EXACT_CACHE_SIZE = 1024;
    private static final int EXACT_MAX_CHARS = 1024;

    private final List<Provider> providers;
    private final List<StageCue> stageCues;
    private final List<Wrapper> wrappers;
    private final List<SignalExtractor> signalExtractors;
    private final List<String> transientCues;
    private final List<CompiledRule> rules;
    private final PhraseIndex phraseIndex;
    private final Map<CacheKey, Classification> cache = new LinkedHashMap<>(CACHE_SIZE * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CacheKey, Classification> eldest) {
            return size() > CACHE_SIZE;
        }
    };
    /**
     * In front of {@link #cache}: the exact input, so a reply seen before skips folding and masking,
     * which cost more than the rules on a log where the same texts repeat.
     */
    private final Map<ClassifierInput, Classification> exact = new LinkedHashMap<>(EXACT_CACHE_SIZE * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ClassifierInput, Classification> eldest) {
            return size() > EXACT_CACHE_SIZE;
        }
    };
    /** A 2xx reply's answer depends on the stage only: one instance per stage, not one per delivered line. */
    private static final Map<SmtpStage, Classification> DELIVERED = delivered();

    private Classifier(List<RuleFile> files) {
        List<Provider> p = new ArrayList<>();
        List<StageCue> s = new ArrayList<>();
        List<Wrapper> w = new ArrayList<>();
        List<SignalExtractor> sig = new ArrayList<>();
        List<String> t = new ArrayList<>();
        Map<String, Rule> byId = new LinkedHashMap<>();
        for (RuleFile f : files) {
            p.addAll(f.providers());
            s.addAll(f.stageCues());
            w.addAll(f.wrappers());
            sig.addAll(f.signals());
            t.addAll(f.transientCues());
            for (Rule r : f.rules()) {
                // the first file to define an id wins: user files come first and so override
                byId.putIfAbsent(r.id(), r);
            }
        }
        this.providers = List.copyOf(p);
        this.stageCues = List.copyOf(s);
        this.wrappers = List.copyOf(w);
        this.signalExtractors = List.copyOf(sig);
        this.transientCues = List.copyOf(t);
        List<String> phrases = new ArrayList<>();
        for (Rule r : byId.values()) {
            phrases.addAll(r.when().phrases());
            phrases.addAll(r.when().unless());
        }
        this.phraseIndex = new PhraseIndex(phrases);
        this.rules = byId.values().stream().map(r -> new CompiledRule(r, ids(r.when().phrases()), ids(r.when().unless())))
                .toList();
    }

    /** The built-in rules only. */
    public static Classifier load() {
        return load(List.of());
    }

    /**
     * The built-in rules plus the user's files, whose rules are tried first; a user rule with the id
     * of a built-in rule replaces it.
     *
     * @throws RuleFileException naming file, line and field when a file is wrong
     */
    public static Classifier load(List<Path> extraRuleFiles) {
        List<RuleFile> files = new ArrayList<>();
        for (Path path : extraRuleFiles) {
            String content;
            try {
                content = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RuleFileException(path.toString(), 0, null, "cannot read: " + e.getMessage());
            }
            files.add(RuleFileParser.parse(content, path.toString()));
        }
        for (String resource : BUILT_IN) {
            files.add(RuleFileParser.parse(readResource(resource), resource));
        }
        return new Classifier(files);
    }

    /** For tests: rules from strings, in the order given, without the built-in files. */
    static Classifier fromStrings(Map<String, String> namedContents) {
        List<RuleFile> files = new ArrayList<>();
        namedContents.forEach((name, content) -> files.add(RuleFileParser.parse(content, name)));
        return new Classifier(files);
    }

    private static String readResource(String name) {
        try (InputStream in = Classifier.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("built-in rule file missing from the class path: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Number of rules in precedence order, user rules included. */
    public int ruleCount() {
        return rules.size();
    }

    /** Rule ids in precedence order. */
    List<String> ruleIds() {
        return rules.stream().map(r -> r.rule().id()).toList();
    }

    /**
     * What the reply means and what to do. A 2xx reply is {@code delivered} before any rule runs;
     * otherwise the first matching rule decides, or {@code onhold} ({@code undefined} without text).
     * Replies that differ only in addresses, IPs or ids share a cache entry.
     */
    public Classification classify(ClassifierInput input) {
        Integer code = input.replyCode();
        String enhanced = input.enhancedCode();
        Severity codedSeverity = severityFromCodes(code, enhanced);
        if (codedSeverity == Severity.NONE) {
            return DELIVERED.get(input.stage()); // 2xx: the message got through, whatever the text says
        }
        if (input.text().length() > EXACT_MAX_CHARS) { // bounded memory: long texts are not kept twice
            return classifyFolded(input, code, enhanced, codedSeverity);
        }
        synchronized (exact) {
            Classification hit = exact.get(input);
            if (hit != null) {
                return hit;
            }
        }
        Classification result = classifyFolded(input, code, enhanced, codedSeverity);
        synchronized (exact) {
            exact.put(input, result);
        }
        return result;
    }

    private static Map<SmtpStage, Classification> delivered() {
        Map<SmtpStage, Classification> byStage = new java.util.EnumMap<>(SmtpStage.class);
        for (SmtpStage stage : SmtpStage.values()) {
            List<String> signals = stage == SmtpStage.NONE ? List.of() : List.of("stage:" + stage.wireName());
            byStage.put(stage, new Classification(Severity.NONE, Category.DELIVERED.wireName(), false, Action.NONE, signals,
                    "builtin.delivered", Category.DELIVERED.defaultAdvice()));
        }
        return byStage;
    }

    private Classification classifyFolded(ClassifierInput input, Integer code, String enhanced, Severity codedSeverity) {
        String folded = TextNormalizer.maskVolatile(TextNormalizer.fold(input.text()));
        CacheKey key = new CacheKey(code, enhanced, folded, input.stage(), input.remoteHost());
        synchronized (cache) {
            Classification hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        Classification result = compute(code, enhanced, codedSeverity, folded, input.stage(), input.remoteHost());
        synchronized (cache) {
            cache.put(key, result);
        }
        return result;
    }

    private Classification compute(Integer code, String enhanced, Severity codedSeverity, String folded,
                                   SmtpStage givenStage, String remoteHost) {
        SmtpStage stage = givenStage != SmtpStage.NONE ? givenStage : inferStage(folded);
        String host = normaliseHost(remoteHost, folded);
        Set<String> recognised = new LinkedHashSet<>();
        for (Provider p : providers) {
            if (p.matchesHost(host) || p.matchesText(folded)) {
                recognised.add(p.name());
            }
        }
        String text = TextNormalizer.strip(folded, wrappers);
        ReplyFacts facts = new ReplyFacts(code, code == null ? null : code.toString(), enhanced, text, stage, host,
                recognised);

        List<String> signals = new ArrayList<>();
        for (SignalExtractor e : signalExtractors) {
            e.addTo(folded, signals);
        }
        for (String p : recognised) {
            signals.add("provider:" + p);
        }
        if (stage != SmtpStage.NONE) {
            signals.add("stage:" + stage.wireName());
        }

        boolean[] found = phraseIndex.find(text);
        for (CompiledRule c : rules) {
            if (c.matches(facts, found)) {
                Rule r = c.rule();
                return decide(r.id(), r.category(), r.action(), r.uncodedSeverity(), r.advice(), r.signals(),
                        codedSeverity, text, signals);
            }
        }
        Category fallback = text.isEmpty() ? Category.UNDEFINED : Category.ONHOLD;
        return decide("builtin." + fallback.wireName(), fallback, null, null, null, List.of(), codedSeverity, text,
                signals);
    }

    private Classification decide(String ruleId, Category category, Action action, Severity uncodedSeverity,
                                  String advice, List<String> ruleSignals, Severity codedSeverity, String text,
                                  List<String> signals) {
        Severity severity = codedSeverity != null ? codedSeverity
                : uncodedSeverity != null ? uncodedSeverity
                : severityFromText(text);
        for (String s : ruleSignals) {
            if (!signals.contains(s)) {
                signals.add(s);
            }
        }
        Action chosen = action != null ? action : category.defaultAction(severity);
        boolean hard = category.hard() && severity == Severity.PERMANENT;
        return new Classification(severity, category.wireName(), hard, chosen, signals, ruleId,
                advice != null ? advice : category.defaultAdvice());
    }

    /** RFC 5321 4.2.1: the first digit of the reply code decides; else the enhanced code's class. */
    static Severity severityFromCodes(Integer code, String enhanced) {
        if (code != null) {
            Severity s = Severity.ofClassDigit(Integer.toString(code).charAt(0));
            if (s != null) {
                return s;
            }
        }
        if (enhanced != null && !enhanced.isEmpty()) {
            return Severity.ofClassDigit(enhanced.charAt(0));
        }
        return null;
    }

    /** Without codes, a bounce is final unless its words say it will be tried again. */
    private Severity severityFromText(String text) {
        for (String cue : transientCues) {
            if (text.contains(cue)) {
                return Severity.TRANSIENT;
            }
        }
        return Severity.PERMANENT;
    }

    private SmtpStage inferStage(String folded) {
        for (StageCue cue : stageCues) {
            if (cue.matches(folded)) {
                return cue.stage();
            }
        }
        return SmtpStage.NONE;
    }

    /** Host without brackets, port or trailing dot; when absent, the host an MTA wrapper names. */
    private static String normaliseHost(String remoteHost, String folded) {
        String h = remoteHost != null ? remoteHost : WrappedHost.find(folded);
        if (h == null) {
            return null;
        }
        h = h.toLowerCase(Locale.ROOT).trim();
        int cut = h.indexOf('[');
        if (cut >= 0) {
            h = h.substring(0, cut);
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
            h = h.substring(0, colon);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.isEmpty() ? null : h;
    }

    private int[] ids(List<String> phrases) {
        return phrases.stream().mapToInt(phraseIndex::id).toArray();
    }

    /** A rule with its phrases replaced by ids into the shared phrase index. */
    private record CompiledRule(Rule rule, int[] phraseIds, int[] unlessIds) {
        boolean matches(ReplyFacts f, boolean[] found) {
            RuleConditions when = rule.when();
            return when.matchesGates(f)
                    && (phraseIds.length == 0 || PhraseIndex.any(found, phraseIds))
                    && (when.regexes().isEmpty() || when.anyRegex(f.text()))
                    && !PhraseIndex.any(found, unlessIds);
        }
    }

    private record CacheKey(Integer code, String enhanced, String foldedText, SmtpStage stage, String host) {
    }
}
