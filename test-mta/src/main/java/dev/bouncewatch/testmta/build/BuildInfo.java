package dev.bouncewatch.testmta.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What {@code --version} prints: the version, git commit and build date Maven wrote into a
 * {@code build-info.properties} resource (see maven-antrun-plugin in the parent pom), and the Java
 * runtime the program runs on. Anything the build could not fill in reads "unknown", so a build
 * from a source tarball without git still answers.
 */
public record BuildInfo(String program, String version, String commit, String time) {

    static final String UNKNOWN = "unknown";

    /** Reads {@code build-info.properties} next to {@code anchor}'s class; a missing file gives "unknown"s. */
    public static BuildInfo of(String program, Class<?> anchor) {
        Properties p = new Properties();
        try (InputStream in = anchor.getResourceAsStream("build-info.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build-info.properties", e);
        }
        return new BuildInfo(program, filled(p.getProperty("version")), filled(p.getProperty("commit")),
                filled(p.getProperty("time")));
    }

    /** An unfilled placeholder ("${build.commit}" when the build ran no antrun) counts as unknown. */
    static String filled(String value) {
        return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.strip();
    }

    /** Two lines: program, version, commit and date; the Java runtime. Callers may add their own. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(program + " " + version + " (commit " + commit + ", built " + time + ")");
        lines.add("Java " + System.getProperty("java.runtime.version", System.getProperty("java.version"))
                + " (" + System.getProperty("java.vendor", UNKNOWN) + ", " + System.getProperty("java.vm.name", UNKNOWN)
                + ") on " + System.getProperty("os.name", UNKNOWN) + " " + System.getProperty("os.arch", UNKNOWN));
        return lines;
    }
}
