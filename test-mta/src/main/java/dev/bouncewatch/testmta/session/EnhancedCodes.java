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

    private static final Properties TABLE = load();

    private EnhancedCodes() {
    }

    /** The default for this basic code at this stage; never null for codes 200..599 outside 3xx. */
    public static String defaultFor(int code, Stage stage) {
        String specific = TABLE.getProperty(code + "." + stage.configName());
        if (specific != null) {
            return specific;
        }
        return TABLE.getProperty(Integer.toString(code), (code / 100) + ".0.0");
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
