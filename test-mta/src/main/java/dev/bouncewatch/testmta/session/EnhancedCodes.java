package dev.bouncewatch.testmta.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Default enhanced status codes (RFC 3463) per basic code and stage, read from
 * {@code enhanced-codes.properties}: a reply without one still carries a sensible code once
 * ENHANCEDSTATUSCODES is advertised (RFC 2034 asks for it on every 2xx/4xx/5xx line).
 */
public final class EnhancedCodes {

    private static final int FIRST_CODE = 200;
    private static final int LAST_CODE = 599;

    /** [stage][code - 200], resolved once: the lookup runs for nearly every reply. */
    private static final String[][] TABLE = resolve(load());

    private EnhancedCodes() {
    }

    /** The default for this basic code at this stage; never null for codes 200..599 outside 3xx. */
    public static String defaultFor(int code, Stage stage) {
        if (code < FIRST_CODE || code > LAST_CODE) {
            return (code / 100) + ".0.0";
        }
        return TABLE[stage.ordinal()][code - FIRST_CODE];
    }

    private static String[][] resolve(Properties p) {
        String[][] table = new String[Stage.values().length][LAST_CODE - FIRST_CODE + 1];
        for (Stage stage : Stage.values()) {
            for (int code = FIRST_CODE; code <= LAST_CODE; code++) {
                String specific = p.getProperty(code + "." + stage.configName());
                table[stage.ordinal()][code - FIRST_CODE] = specific != null ? specific
                        : p.getProperty(Integer.toString(code), (code / 100) + ".0.0");
            }
        }
        return table;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = EnhancedCodes.class.getResourceAsStream("enhanced-codes.properties")) {
            if (in == null) {
                throw new IllegalStateException("enhanced-codes.properties missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read enhanced-codes.properties", e);
        }
        return p;
    }
}
