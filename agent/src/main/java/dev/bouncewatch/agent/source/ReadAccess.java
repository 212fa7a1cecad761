package dev.bouncewatch.agent.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether an account may read a log file or the journal, and if not, why and what to change.
 * Works from owner, group and mode bits (what Debian's mail.log and rsyslog use); ACLs are not
 * read, so a file an ACL opens may be reported as closed: the agent's own open is the final word.
 */
public final class ReadAccess {

    /** Groups whose members journalctl shows every entry to (systemd-journal(8), Debian adds adm). */
    static final List<String> JOURNAL_GROUPS = List.of("systemd-journal", "adm", "wheel");

    private final UnixNames names;

    public ReadAccess(UnixNames names) {
        this.names = names;
    }

    public static ReadAccess system() {
        return new ReadAccess(UnixNames.system());
    }

    /** Why {@code who} cannot read {@code file}, with the fix; empty when it can or the file does not exist. */
    public Optional<String> fileProblem(Path file, UnixAccount who) {
        if (who.isRoot()) {
            return Optional.empty();
        }
        Path absolute = file.toAbsolutePath().normalize();
        List<Path> directories = new ArrayList<>();
        for (Path p = absolute.getParent(); p != null; p = p.getParent()) {
            directories.add(0, p);
        }
        try {
            for (Path dir : directories) {
                Mode mode = Mode.of(dir);
                if (!mode.allows(who, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                        PosixFilePermission.OTHERS_EXECUTE)) {
                    return Optional.of("directory " + dir + " (on the way to " + absolute + ") is " + mode.describe(names)
                            + ": " + describe(who) + " cannot enter it; " + fix(dir, mode, who, "x"));
                }
            }
            if (!Files.exists(absolute)) {
                return Optional.empty();
            }
            Mode mode = Mode.of(absolute);
            if (!mode.allows(who, PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ,
                    PosixFilePermission.OTHERS_READ)) {
                return Optional.of(absolute + " is " + mode.describe(names) + ": " + describe(who) + " cannot read it; "
                        + fix(absolute, mode, who, "r"));
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Why {@code who} would see only its own journal entries; empty when it sees them all. */
    public Optional<String> journalProblem(UnixAccount who) {
        if (who.isRoot()) {
            return Optional.empty();
        }
        for (String group : JOURNAL_GROUPS) {
            Optional<Integer> gid = names.groupId(group);
            if (gid.isPresent() && who.inGroup(gid.get())) {
                return Optional.empty();
            }
        }
        String present = JOURNAL_GROUPS.stream().filter(g -> names.groupId(g).isPresent()).collect(Collectors.joining(" or "));
        String group = names.groupId("systemd-journal").isPresent() ? "systemd-journal" : "adm";
        return Optional.of(describe(who) + " is not in group " + (present.isEmpty() ? "systemd-journal" : present)
                + ": journalctl shows it only its own entries, none of the MTA's; fix: sudo usermod -aG " + group
                + " " + who.name() + ", then restart the agent");
    }

    private String fix(Path path, Mode mode, UnixAccount who, String permission) {
        boolean groupMay = mode.permissions.contains(permission.equals("r") ? PosixFilePermission.GROUP_READ
                : PosixFilePermission.GROUP_EXECUTE);
        String group = names.groupName(mode.group);
        if (groupMay && mode.group != 0) {
            return "fix: sudo usermod -aG " + group + " " + who.name() + ", then restart the agent";
        }
        return "fix: give it to a group the user is in, e.g. sudo chgrp adm " + path + " && sudo chmod g+" + permission
                + " " + path + " && sudo usermod -aG adm " + who.name() + ", and keep that in the log's rotation"
                + " settings (logrotate 'create 0640 root adm', rsyslog $FileGroup adm and $FileCreateMode 0640)";
    }

    private String describe(UnixAccount who) {
        String groups = who.groups().stream().sorted().map(names::groupName).collect(Collectors.joining(","));
        return "user " + who.name() + " (groups " + groups + ")";
    }

    /** Owner, group and permission bits of one path. */
    private record Mode(int owner, int group, Set<PosixFilePermission> permissions) {

        static Mode of(Path path) throws IOException {
            int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int group = (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            if (Files.isSymbolicLink(path)) {
                // a symlink's own bits mean nothing: judge what it points to
                owner = (Integer) Files.getAttribute(path, "unix:uid");
                group = (Integer) Files.getAttribute(path, "unix:gid");
            }
            return new Mode(owner, group, Files.getPosixFilePermissions(path));
        }

        boolean allows(UnixAccount who, PosixFilePermission ifOwner, PosixFilePermission ifGroup,
                PosixFilePermission ifOther) {
            if (who.uid() == owner) {
                return permissions.contains(ifOwner);
            }
            if (who.inGroup(group)) {
                return permissions.contains(ifGroup);
            }
            return permissions.contains(ifOther);
        }

        String describe(UnixNames names) {
            String owners = names.userName(owner).orElse(Integer.toString(owner)) + ":" + names.groupName(group);
            return owners + " " + PosixFilePermissions.toString(permissions);
        }
    }
}
