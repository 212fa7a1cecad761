package dev.bouncewatch.agent.source;

import dev.bouncewatch.agent.config.SourceConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the {@link Source} for each configured entry; {@code type: auto} becomes what the
 * {@link SourceDetector} finds on this host. Sources are only built here, not started.
 */
public final class SourceFactory {

    /**
     * The sources to run, one per id, and what auto-detection found (for the start-up log line).
     *
     * @param sources in config order, auto-detected ones where {@code auto} stood
     * @param notes   the detector's description per {@code auto} entry, and duplicates left out
     */
    public record Created(List<Source> sources, List<String> notes) {
        public Created {
            sources = List.copyOf(sources);
            notes = List.copyOf(notes);
        }
    }

    private final SourceDetector detector;

    public SourceFactory(SourceDetector detector) {
        this.detector = Objects.requireNonNull(detector, "detector");
    }

    public static SourceFactory forThisHost() {
        return new SourceFactory(SourceDetector.forThisHost());
    }

    /**
     * All sources of a config. A source that another entry already yields (an auto-detected file also
     * named explicitly) is left out with a note: two readers of one file would store every result twice.
     *
     * @throws IllegalArgumentException when an entry cannot be built (e.g. a bad sink scenario); none
     *                                  of the others is left open
     */
    public Created createAll(List<SourceConfig> configs) {
        Map<String, Source> byId = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        try {
            for (SourceConfig config : configs) {
                List<SourceConfig> concrete = List.of(config);
                if (config instanceof SourceConfig.Auto auto) {
                    SourceDetector.Detection found = detector.detect(auto);
                    notes.add(found.description());
                    concrete = found.sources();
                }
                for (SourceConfig c : concrete) {
                    Source source = create(c);
                    if (byId.putIfAbsent(source.id(), source) != null) {
                        source.close();
                        notes.add(source.id() + " is configured twice; read once");
                    }
                }
            }
        } catch (RuntimeException e) {
            byId.values().forEach(Source::close);
            throw e;
        }
        return new Created(new ArrayList<>(byId.values()), notes);
    }

    /**
     * The source for one concrete entry.
     *
     * @throws IllegalArgumentException for {@code auto}, which {@link #createAll} expands, or an entry
     *                                  that cannot be built
     */
    public Source create(SourceConfig config) {
        Objects.requireNonNull(config, "config");
        if (config instanceof SourceConfig.File file) {
            return new FileSource(file);
        }
        if (config instanceof SourceConfig.Journal journal) {
            return new JournalSource(journal);
        }
        if (config instanceof SourceConfig.Sink sink) {
            return new SinkSource(sink);
        }
        if (config instanceof SourceConfig.Auto) {
            throw new IllegalArgumentException("type: auto stands for the detected sources; use createAll");
        }
        throw new IllegalArgumentException("unknown source type " + config.getClass().getSimpleName());
    }
}
