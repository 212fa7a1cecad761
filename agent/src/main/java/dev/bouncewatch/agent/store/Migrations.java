package dev.bouncewatch.agent.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ordered schema migrations a store applies. The built-in set lives in resources under
 * {@code store/migrations/}; a jar cannot be listed, so the directory has an {@code index} file naming
 * each {@code NNN-name.sql}, one per line. Versions run 1, 2, 3 ... without gaps.
 */
public final class Migrations {

    public static final String BUILT_IN_DIRECTORY = "store/migrations";

    private static final Pattern FILE_NAME = Pattern.compile("(\\d{3})-([a-z0-9][a-z0-9-]*)\\.sql");

    private final List<Migration> list;

    private Migrations(List<Migration> list) {
        this.list = List.copyOf(list);
        for (int i = 0; i < this.list.size(); i++) {
            Migration m = this.list.get(i);
            if (m.version() != i + 1) {
                throw new IllegalArgumentException("migration " + m.origin() + " has version " + m.version()
                        + ", expected " + (i + 1) + ": versions must run 1, 2, 3 ... without gaps");
            }
        }
    }

    /** The migrations shipped with the agent. */
    public static Migrations builtIn() {
        return fromResources(Migrations.class.getClassLoader(), BUILT_IN_DIRECTORY);
    }

    /** The migrations named by {@code directory/index} on the class path. */
    public static Migrations fromResources(ClassLoader loader, String directory) {
        String indexPath = directory + "/index";
        List<Migration> found = new ArrayList<>();
        try (BufferedReader index = open(loader, indexPath)) {
            String line;
            int lineNumber = 0;
            while ((line = index.readLine()) != null) {
                lineNumber++;
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                found.add(resource(loader, directory + "/" + name, indexPath + ":" + lineNumber));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + indexPath + ": " + e.getMessage(), e);
        }
        return new Migrations(found);
    }

    /** One {@code NNN-name.sql} resource; {@code citedBy} names who asked for it, for errors. */
    public static Migration resource(ClassLoader loader, String path, String citedBy) {
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            throw new IllegalStateException(citedBy + ": migration file name '" + fileName
                    + "' is not NNN-name.sql (three digits, lower-case name)");
        }
        try (BufferedReader in = open(loader, path)) {
            StringBuilder sql = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                sql.append(line).append('\n');
            }
            return new Migration(Integer.parseInt(m.group(1)), m.group(2), sql.toString(), path);
        } catch (IOException e) {
            throw new IllegalStateException(citedBy + ": cannot read migration " + path + ": " + e.getMessage(), e);
        }
    }

    public static Migrations of(List<Migration> migrations) {
        return new Migrations(migrations);
    }

    /** These migrations followed by more (for a test that upgrades a database). */
    public Migrations plus(Migration... more) {
        List<Migration> all = new ArrayList<>(list);
        all.addAll(List.of(more));
        return new Migrations(all);
    }

    public List<Migration> list() {
        return list;
    }

    /** The highest version, 0 when there are none. */
    public int latestVersion() {
        return list.size();
    }

    private static BufferedReader open(ClassLoader loader, String path) throws IOException {
        InputStream in = loader.getResourceAsStream(path);
        if (in == null) {
            throw new IOException("resource " + path + " not found on the class path");
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
