package dev.bouncewatch.testmta.cli;

import dev.bouncewatch.testmta.build.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** {@code test-mta --version}: version, commit, build date and the Java runtime. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return BuildInfo.of("test-mta", TestMtaCommand.class).lines().toArray(String[]::new);
    }
}
