package dev.bouncewatch.agent.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A Unix user as file permissions see it: uid, primary gid and supplementary groups. Used to
 * explain why a mail log or the journal cannot be read, in the words an admin acts on
 * ("add bouncewatch to group adm"), before and while the agent runs.
 *
 * @param name   the login name, or the uid as text when /etc/passwd does not know it
 * @param groups every group id the user is in, the primary one included
 */
public record UnixAccount(String name, int uid, int gid, Set<Integer> groups) {

    public UnixAccount {
        groups = Set.copyOf(groups);
    }

    public boolean isRoot() {
        return uid == 0;
    }

    public boolean inGroup(int groupId) {
        return gid == groupId || groups.contains(groupId);
    }

    /**
     * This process's account from /proc/self/status (its file-system uid and gid, which are what
     * the kernel checks on open, and its supplementary groups), named from /etc/passwd. Empty off Linux.
     */
    public static Optional<UnixAccount> current(Path procStatus, UnixNames names) {
        List<String> lines;
        try {
            lines = Files.readAllLines(procStatus, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        Integer uid = null;
        Integer gid = null;
        Set<Integer> groups = new LinkedHashSet<>();
        for (String line : lines) {
            String[] fields = line.split("\\s+");
            // Uid:/Gid: real, effective, saved, file-system
            if (line.startsWith("Uid:") && fields.length >= 5) {
                uid = Integer.parseInt(fields[4]);
            } else if (line.startsWith("Gid:") && fields.length >= 5) {
                gid = Integer.parseInt(fields[4]);
            } else if (line.startsWith("Groups:")) {
                for (int i = 1; i < fields.length; i++) {
                    groups.add(Integer.parseInt(fields[i]));
                }
            }
        }
        if (uid == null || gid == null) {
            return Optional.empty();
        }
        groups.add(gid);
        return Optional.of(new UnixAccount(names.userName(uid).orElse(Integer.toString(uid)), uid, gid, groups));
    }

    /** This process's account on this host. */
    public static Optional<UnixAccount> current() {
        return current(Path.of("/proc/self/status"), UnixNames.system());
    }

    /** A named user's account from /etc/passwd and /etc/group (local accounts; NSS-only users are not seen). */
    public static Optional<UnixAccount> named(String user, UnixNames names) {
        return names.account(user);
    }
}
