package dev.bouncewatch.agent.source;

import java.util.Objects;

/**
 * Where a file source stands: which file, and the byte just after the last line handed over. This is
 * the text a {@link FileSource} puts into {@link SourceBatch#position()} and gets back at its next
 * start, so it is versioned and parsed strictly:
 * <pre>file/1 offset=52311 head=1024:9f86d081884c7d65 key=(dev=803,ino=1234)</pre>
 * {@code key=-} when the file system has no file key. The key comes last because it is the file
 * system's own text.
 *
 * @param identity the file
 * @param offset   bytes of that file already handed over (for a {@code .gz} file: uncompressed bytes)
 */
public record FilePosition(FileIdentity identity, long offset) {

    private static final String VERSION = "file/1";
    private static final String NO_KEY = "-";

    public FilePosition {
        Objects.requireNonNull(identity, "identity");
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
    }

    public String format() {
        return VERSION + " offset=" + offset + " head=" + identity.headLength() + ":" + identity.headHash()
                + " key=" + (identity.fileKey() == null ? NO_KEY : identity.fileKey());
    }

    /**
     * Reads what {@link #format()} wrote.
     *
     * @throws IllegalArgumentException naming the part that is wrong, for any other text
     */
    public static FilePosition parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no position");
        }
        String[] parts = text.strip().split(" ", 4);
        if (parts.length != 4 || !parts[0].equals(VERSION)) {
            throw new IllegalArgumentException("not a '" + VERSION + " offset=.. head=..:.. key=..' position");
        }
        long offset = parseLong(value(parts[1], "offset"), "offset");
        String head = value(parts[2], "head");
        int colon = head.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("head '" + head + "' is not LENGTH:HASH");
        }
        int headLength = (int) parseLong(head.substring(0, colon), "head length");
        String key = value(parts[3], "key");
        FileIdentity identity = new FileIdentity(key.equals(NO_KEY) ? null : key, headLength,
                head.substring(colon + 1));
        return new FilePosition(identity, offset);
    }

    private static String value(String part, String name) {
        if (!part.startsWith(name + "=")) {
            throw new IllegalArgumentException("expected '" + name + "=' but found '" + part + "'");
        }
        return part.substring(name.length() + 1);
    }

    private static long parseLong(String digits, String name) {
        try {
            long value = Long.parseLong(digits);
            if (value < 0) {
                throw new IllegalArgumentException(name + " " + value + " is negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + digits + "' is not a number", e);
        }
    }

    @Override
    public String toString() {
        return format();
    }
}
