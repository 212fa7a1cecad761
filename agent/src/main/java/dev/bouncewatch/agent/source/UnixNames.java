package dev.bouncewatch.agent.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Users and groups of /etc/passwd and /etc/group (under a root, so tests can use their own files). */
public final class UnixNames {

    private final List<String[]> passwd;
    private final List<String[]> group;

    private UnixNames(List<String[]> passwd, List<String[]> group) {
        this.passwd = passwd;
        this.group = group;
    }

    /** Reads {@code etc/passwd} and {@code etc/group} under {@code root}; a missing file counts as empty. */
    public static UnixNames under(Path root) {
        return new UnixNames(read(root.resolve("etc/passwd")), read(root.resolve("etc/group")));
    }

    public static UnixNames system() {
        return under(Path.of("/"));
    }

    public Optional<String> userName(int uid) {
        return passwd.stream().filter(f -> f.length > 3 && f[2].equals(Integer.toString(uid))).map(f -> f[0]).findFirst();
    }

    /** A group's name, or its number as text. */
    public String groupName(int gid) {
        return group.stream().filter(f -> f.length > 2 && f[2].equals(Integer.toString(gid))).map(f -> f[0])
                .findFirst().orElse(Integer.toString(gid));
    }

    public Optional<Integer> groupId(String name) {
        return group.stream().filter(f -> f.length > 2 && f[0].equals(name)).map(f -> parse(f[2])).filter(g -> g >= 0)
                .findFirst();
    }

    Optional<UnixAccount> account(String user) {
        Optional<String[]> entry = passwd.stream().filter(f -> f.length > 3 && f[0].equals(user)).findFirst();
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        int uid = parse(entry.get()[2]);
        int gid = parse(entry.get()[3]);
        if (uid < 0 || gid < 0) {
            return Optional.empty();
        }
        Set<Integer> groups = new LinkedHashSet<>();
        groups.add(gid);
        for (String[] g : group) {
            if (g.length > 3 && List.of(g[3].split(",")).contains(user) && parse(g[2]) >= 0) {
                groups.add(parse(g[2]));
            }
        }
        return Optional.of(new UnixAccount(user, uid, gid, groups));
    }

    private static int parse(String number) {
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<String[]> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split(":", -1)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
