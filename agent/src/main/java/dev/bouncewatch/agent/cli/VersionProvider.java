package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.store.Migrations;
import dev.bouncewatch.testmta.build.BuildInfo;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code bouncewatch --version}: version, commit, build date, the Java runtime, and the database
 * schema version this build writes (an older build refuses a newer database, so an admin who
 * downgrades needs to know it).
 */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        List<String> build = BuildInfo.of("bouncewatch", BouncewatchCommand.class).lines();
        String schema = "database schema version " + Migrations.builtIn().latestVersion();
        return Stream.concat(build.stream(), Stream.of(schema)).toArray(String[]::new);
    }
}
