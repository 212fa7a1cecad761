package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.config.LoadedConfig;
import dev.bouncewatch.agent.notify.DisplayFormat;
import dev.bouncewatch.agent.store.DatabaseInfo;
import dev.bouncewatch.agent.store.DatabaseInspector;
import dev.bouncewatch.agent.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bouncewatch db info}: the database's schema version against this bouncewatch's, the migrations
 * applied to it (when, by which version, the copy taken before), its size and row counts. Read-only: it
 * neither migrates nor writes, so it is safe beside a running agent and on a database the agent refuses.
 */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Shows the agent's database without changing it: schema version (and whether this bouncewatch",
            "would migrate or refuse it), the schema history (each migration: when, by which bouncewatch, the copy",
            "taken before), file and write-ahead log sizes, row counts and the pre-migration copies on disk."},
        footer = {"", "Exit status: 0 shown, 1 no database yet, 2 bad config or unreadable database."})
public final class DbInfoCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss xxx", Locale.ROOT);

    @Mixin
    AgentConfigOption config = new AgentConfigOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    ZoneId zone = ZoneId.systemDefault();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<LoadedConfig> loaded = config.loadOrReport(err);
        if (loaded.isEmpty()) {
            return 2;
        }
        Path file = loaded.get().config().databaseFile();
        if (!Files.isRegularFile(file)) {
            err.println("no database at " + file + " (config: " + config.describe() + "): the agent has not run with this config yet");
            err.flush();
            return 1;
        }
        DatabaseInfo info;
        try {
            info = DatabaseInspector.inspect(file);
        } catch (StoreException e) {
            return AgentConfigOption.databaseFailed(err, e);
        }
        print(out, info);
        out.flush();
        return 0;
    }

    private void print(PrintWriter out, DatabaseInfo info) {
        String version = new VersionProvider().getVersion()[0];
        out.println("database:  " + info.file());
        out.println("size:      " + DisplayFormat.bytes(info.fileBytes() + info.walBytes()) + " (file " + info.fileBytes() + " bytes, "
                + "write-ahead log " + info.walBytes() + " bytes, free inside the file " + info.freeBytes() + " bytes)");
        out.println("schema:    version " + info.schemaVersion() + switch (info.schemaState()) {
            case CURRENT -> ", current (" + version + " knows up to " + info.knownVersion() + ")";
            case OLDER -> ", older than " + version + "'s " + info.knownVersion()
                    + ": the agent copies the database and migrates it at its next start";
            case NEWER -> ", NEWER than " + version + " knows (up to " + info.knownVersion()
                    + "): written by a newer bouncewatch; this one refuses to start on it";
        });
        out.println("rows:      " + info.rows().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        out.println("copies:    " + (info.copies().isEmpty() ? "none" : info.copies().stream()
                .map(c -> c.path() + " (" + DisplayFormat.bytes(c.bytes()) + ", " + time(c.modified()) + ")")
                .collect(Collectors.joining("; "))));
        out.println();
        if (info.history().isEmpty()) {
            out.println("No schema history: the database predates it (it starts at the next upgrade).");
            return;
        }
        out.println("Schema history (oldest first; 'found' is the version the database had when the history began):");
        List<List<String>> rows = new ArrayList<>();
        for (DatabaseInfo.HistoryEntry h : info.history()) {
            rows.add(List.of(String.valueOf(h.version()), TerminalText.safe(h.name()), time(h.applied()),
                    TerminalText.safe(h.agentVersion()), h.backup() == null ? "-" : TerminalText.safe(h.backup())));
        }
        out.print(TerminalText.table(List.of("VERSION", "NAME", "APPLIED", "BY", "COPY BEFORE"), rows));
    }

    private String time(Instant t) {
        return TIME.format(t.atZone(zone));
    }
}
