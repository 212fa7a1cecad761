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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern WRAPPED_HOST = Pattern.compile(
            "(?:^|\\s)(?:host\\s+)?([a-z0-9][a-z0-9.-]*\\.[a-z]{2,})\\s?\\[[0-9a-f.:]+\\]");
    private static final int CACHE_SIZE = 4096;

    private final List<Provider> providers;
    private final List<StageCue> stageCues;
    private final List<Pattern> wrappers;
    private final List<SignalExtractor> signalExtractors;
    private final List<String> transientCues;
    private final List<Rule> rules;
    private final Map<CacheKey, Classification> cache = new LinkedHashMap<>(CACHE_SIZE * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CacheKey, Classification> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private Classifier(List<RuleFile> files) {
        List<Provider> p = new ArrayList<>();
        List<StageCue> s = new ArrayList<>();
        List<Pattern> w = new ArrayList<>();
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
        this.rules = List.copyOf(byId.values());
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

    public Classification classify(ClassifierInput input) {
        CacheKey key = new CacheKey(input);
        synchronized (cache) {
            Classification hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        Classification result = compute(input);
        synchronized (cache) {
            cache.put(key, result);
        }
        return result;
    }

    private Classification compute(ClassifierInput input) {
        String folded = TextNormalizer.fold(input.text());
        SmtpStage stage = input.stage() != SmtpStage.NONE ? input.stage() : inferStage(folded);
        String host = normaliseHost(input.remoteHost(), folded);
        Set<String> found = new LinkedHashSet<>();
        for (Provider p : providers) {
            if (p.matchesHost(host) || p.matchesText(folded)) {
                found.add(p.name());
            }
        }
        String text = TextNormalizer.strip(folded, wrappers);
        Integer code = input.replyCode();
        String enhanced = input.enhancedCode();
        ReplyFacts facts = new ReplyFacts(code, code == null ? null : code.toString(), enhanced, text, stage, host,
                found);

        List<String> signals = new ArrayList<>();
        for (SignalExtractor e : signalExtractors) {
            e.addTo(folded, signals);
        }
        for (String p : found) {
            signals.add("provider:" + p);
        }
        if (stage != SmtpStage.NONE) {
            signals.add("stage:" + stage.wireName());
        }

        Severity codedSeverity = severityFromCodes(code, enhanced);
        if (codedSeverity == Severity.NONE) {
            return new Classification(Severity.NONE, Category.DELIVERED.wireName(), false, Action.NONE, signals,
                    "builtin.delivered", Category.DELIVERED.defaultAdvice());
        }
        for (Rule r : rules) {
            if (r.matches(facts)) {
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
        String h = remoteHost;
        if (h == null) {
            Matcher m = WRAPPED_HOST.matcher(folded);
            if (!m.find()) {
                return null;
            }
            h = m.group(1);
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

    private record CacheKey(Integer code, String enhanced, String text, SmtpStage stage, String host) {
        CacheKey(ClassifierInput in) {
            this(in.replyCode(), in.enhancedCode(), in.text(), in.stage(), in.remoteHost());
        }
    }
}
