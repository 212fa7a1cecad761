package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.config.SourceConfig;
import dev.bouncewatch.agent.source.ReadAccess;
import dev.bouncewatch.agent.source.SourceDetector;
import dev.bouncewatch.agent.source.UnixAccount;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Part of {@code config check}: can the agent's user read what the sources name? The most common
 * reason a fresh install stores nothing is a mail log only group adm may read.
 */
final class SourceAccessCheck {

    /** One line per source; {@code problem} lines make the check fail. */
    record Finding(String text, boolean problem) {
    }

    private final SourceDetector detector;
    private final ReadAccess access;

    SourceAccessCheck(SourceDetector detector, ReadAccess access) {
        this.detector = detector;
        this.access = access;
    }

    List<Finding> check(List<SourceConfig> sources, UnixAccount who) {
        List<Finding> findings = new ArrayList<>();
        for (SourceConfig source : sources) {
            List<SourceConfig> concrete = source instanceof SourceConfig.Auto auto ? detector.detect(auto).sources()
                    : List.of(source);
            if (source instanceof SourceConfig.Auto && concrete.isEmpty()) {
                findings.add(new Finding("auto: found no mail log and no journal on this host", true));
            }
            for (SourceConfig c : concrete) {
                findings.add(check(c, who));
            }
        }
        return findings;
    }

    private Finding check(SourceConfig source, UnixAccount who) {
        if (source instanceof SourceConfig.File file) {
            var problem = access.fileProblem(file.path(), who);
            if (problem.isPresent()) {
                return new Finding(problem.get(), true);
            }
            return new Finding(file.path() + (Files.exists(file.path()) ? ": readable"
                    : ": does not exist yet (read once the MTA writes it)"), false);
        }
        if (source instanceof SourceConfig.Journal journal) {
            var problem = journal.directory() != null ? access.fileProblem(journal.directory().resolve("."), who)
                    : access.journalProblem(who);
            return problem.map(p -> new Finding("journal: " + p, true))
                    .orElseGet(() -> new Finding("journal: readable", false));
        }
        if (source instanceof SourceConfig.Sink sink) {
            return new Finding("sink on " + sink.listen().getHostString() + ":" + sink.listen().getPort() + ": nothing to read", false);
        }
        return new Finding(source + ": not checked", false);
    }
}
