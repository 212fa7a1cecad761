package dev.bouncewatch.testmta.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.testmta.cli.TestMtaCommand;
import dev.bouncewatch.testmta.cli.VersionProvider;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

    @Test
    void theBuildFilledInVersionCommitAndTime() {
        BuildInfo info = BuildInfo.of("test-mta", TestMtaCommand.class);
        assertThat(info.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        // a build from git gives the abbreviated commit, one without git "unknown"; never a placeholder
        assertThat(info.commit()).matches("[0-9a-f]{12}(-dirty)?|unknown");
        assertThat(info.time()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    @Test
    void placeholdersAndAMissingFileReadUnknown() {
        assertThat(BuildInfo.filled("${build.commit}")).isEqualTo("unknown");
        assertThat(BuildInfo.filled(" ")).isEqualTo("unknown");
        assertThat(BuildInfo.filled(null)).isEqualTo("unknown");
        assertThat(BuildInfo.filled("0123456789ab\n")).isEqualTo("0123456789ab");
        BuildInfo none = BuildInfo.of("x", String.class);
        assertThat(none).isEqualTo(new BuildInfo("x", "unknown", "unknown", "unknown"));
    }

    @Test
    void versionOutputIsTwoShortLinesWithTheJavaRuntime() {
        String[] lines = new VersionProvider().getVersion();
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("test-mta ").contains(" (commit ", ", built ");
        assertThat(lines[1]).startsWith("Java " + System.getProperty("java.runtime.version"))
                .contains(System.getProperty("java.vendor"));
    }
}
