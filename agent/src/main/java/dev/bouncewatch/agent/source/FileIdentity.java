package dev.bouncewatch.agent.source;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Which file a byte offset belongs to: the file system's key (device and inode on Linux) plus a hash
 * of the file's first bytes. The key alone is not enough: an inode number is reused once a rotated
 * file is deleted, and copytruncate refills the same inode with new content. The head alone is not
 * enough either while a file is still shorter than {@link #HEAD_BYTES}, so both are compared.
 *
 * @param fileKey    {@code BasicFileAttributes.fileKey()} as text ({@code (dev=803,ino=1234)}), null
 *                   where the file system has none
 * @param headLength how many leading bytes {@code headHash} covers, 0 to {@link #HEAD_BYTES}; it grows
 *                   while the file is young, so a stored identity may cover fewer bytes than a fresh one
 * @param headHash   the first 16 hex digits of the SHA-256 of those bytes
 */
public record FileIdentity(String fileKey, int headLength, String headHash) {

    /** Bytes hashed from the start of a file: more than a syslog line, less than one read. */
    public static final int HEAD_BYTES = 1024;

    private static final int HASH_HEX_DIGITS = 16;

    public FileIdentity {
        if (headLength < 0 || headLength > HEAD_BYTES) {
            throw new IllegalArgumentException("head length " + headLength + " outside 0.." + HEAD_BYTES);
        }
        Objects.requireNonNull(headHash, "headHash");
        if (headHash.length() != HASH_HEX_DIGITS || !headHash.chars().allMatch(FileIdentity::isLowerHex)) {
            throw new IllegalArgumentException("head hash '" + headHash + "' is not " + HASH_HEX_DIGITS + " hex digits");
        }
    }

    /** The identity of a file whose key is {@code fileKey} and whose first bytes are {@code head[0..length)}. */
    public static FileIdentity of(Object fileKey, byte[] head, int length) {
        int covered = Math.min(length, HEAD_BYTES);
        return new FileIdentity(fileKey == null ? null : fileKey.toString(), covered, hash(head, covered));
    }

    /**
     * True when a file with these first bytes can be the file this identity was taken from: it has at
     * least {@link #headLength()} bytes and they hash the same.
     */
    public boolean headMatches(byte[] head, int available) {
        return available >= headLength && headHash.equals(hash(head, headLength));
    }

    /**
     * True when {@code key} names this file, or when one of the two keys is unknown (then only the
     * head can tell).
     */
    public boolean keyMatches(Object key) {
        return key == null || fileKey == null || fileKey.equals(key.toString());
    }

    /** True when both keys are known and equal: the very same inode. */
    public boolean sameKnownKey(Object key) {
        return key != null && fileKey != null && fileKey.equals(key.toString());
    }

    /** Key and head both fit: the file at hand is this one (possibly grown since). */
    public boolean matches(Object key, byte[] head, int available) {
        return keyMatches(key) && headMatches(head, available);
    }

    /** This identity with the head widened to {@code head[0..length)}, once the file has grown. */
    public FileIdentity widened(byte[] head, int length) {
        int covered = Math.min(length, HEAD_BYTES);
        return covered <= headLength ? this : new FileIdentity(fileKey, covered, hash(head, covered));
    }

    private static String hash(byte[] bytes, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes, 0, length);
            return HexFormat.of().formatHex(Arrays.copyOf(sha.digest(), HASH_HEX_DIGITS / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static boolean isLowerHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    @Override
    public String toString() {
        return (fileKey == null ? "?" : fileKey) + " head " + headLength + "B " + headHash;
    }
}
