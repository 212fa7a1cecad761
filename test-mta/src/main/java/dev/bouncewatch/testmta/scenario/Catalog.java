package dev.bouncewatch.testmta.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Named, realistic replies (Gmail, Microsoft, Yahoo, Spamhaus, Postgrey ...) that rules refer to
 * as {@code "@gmail.no_such_user"}. The built-in entries live in {@code catalog/replies.yml};
 * a scenario's {@code catalog:} section adds entries or replaces built-in ones by name. The
 * catalogue also says which entry magic addresses use for a bare code ({@code magic:} section).
 */
public final class Catalog {

    static final String RESOURCE = "catalog/replies.yml";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*");

    private static volatile Catalog builtIn;

    private final Map<String, ReplyTemplate> entries;
    private final Map<String, String> about;
    private final Map<Integer, String> magicByCode;

    Catalog(Map<String, ReplyTemplate> entries, Map<String, String> about, Map<Integer, String> magicByCode) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        this.about = Map.copyOf(about);
        this.magicByCode = Map.copyOf(magicByCode);
    }

    /** The catalogue shipped in the jar; loaded once. A broken resource is a build bug, so it throws. */
    public static Catalog builtIn() {
        Catalog c = builtIn;
        if (c == null) {
            synchronized (Catalog.class) {
                c = builtIn;
                if (c == null) {
                    c = loadResource();
                    builtIn = c;
                }
            }
        }
        return c;
    }

    private static Catalog loadResource() {
        try (InputStream in = Catalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return CatalogReader.readBuiltIn(text, RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        } catch (ScenarioException e) {
            throw new IllegalStateException("built-in catalogue is invalid:\n" + e.getMessage(), e);
        }
    }

    public Set<String> names() {
        return entries.keySet();
    }

    Optional<ReplyTemplate> get(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** One-line explanation of an entry (where the text comes from), or "". */
    public String about(String name) {
        return about.getOrDefault(name, "");
    }

    Map<String, ReplyTemplate> entries() {
        return entries;
    }

    Map<Integer, String> magicByCode() {
        return magicByCode;
    }

    /** This catalogue with {@code extra} entries added or replacing same-named ones. */
    Catalog with(Map<String, ReplyTemplate> extra, Map<String, String> extraAbout) {
        Map<String, ReplyTemplate> merged = new LinkedHashMap<>(entries);
        merged.putAll(extra);
        Map<String, String> mergedAbout = new LinkedHashMap<>(about);
        mergedAbout.putAll(extraAbout);
        return new Catalog(merged, mergedAbout, magicByCode);
    }

    /**
     * The reply a magic address gets: an entry with exactly this code and enhanced code; for a
     * bare code the entry the {@code magic:} section names; otherwise the RFC 5321 text for the
     * code with the given enhanced code.
     */
    ReplyTemplate forMagic(int code, String enhancedCode) {
        if (enhancedCode != null) {
            for (ReplyTemplate t : entries.values()) {
                if (t.code() == code && enhancedCode.equals(t.enhancedCode())) {
                    return t;
                }
            }
        } else {
            String name = magicByCode.get(code);
            if (name != null && entries.containsKey(name)) {
                return entries.get(name);
            }
        }
        ReplyTemplate rfc = entries.get("rfc5321." + code);
        if (rfc != null) {
            return rfc.withCode(code, enhancedCode != null ? enhancedCode : rfc.enhancedCode());
        }
        String text = switch (code / 100) {
            case 2 -> "Ok";
            case 4 -> "Requested action not taken, try again later";
            default -> "Requested action not taken";
        };
        return ReplyTemplate.parse(code + (enhancedCode == null ? "" : " " + enhancedCode) + " " + text);
    }
}
