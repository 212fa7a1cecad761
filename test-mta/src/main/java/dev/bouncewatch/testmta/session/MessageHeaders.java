package dev.bouncewatch.testmta.session;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects a message's header section from body chunks (only the header bytes are copied, at most
 * {@value #MAX_OCTETS}) and parses it: names in lower case, folded values unfolded (RFC 5322 2.2.3).
 */
public final class MessageHeaders {

    static final int MAX_OCTETS = 64 * 1024;
    private static final Pattern LINE_BREAK = Pattern.compile("\r?\n"); // compiled once, not per message

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    private boolean complete;
    private int lineLength;
    private byte previous;

    /** Copies header bytes from this chunk until the blank line that ends the header section. */
    public void accept(ByteBuf chunk) {
        if (complete) {
            return;
        }
        int from = chunk.readerIndex();
        int to = chunk.writerIndex();
        int room = MAX_OCTETS - bytes.size();
        int end = from;
        while (end < to && !complete) {
            byte b = chunk.getByte(end++);
            if (b == '\n') {
                // a line holding only CR (or nothing) before its LF ends the header section
                if (lineLength == 0 || (lineLength == 1 && previous == '\r')) {
                    complete = true;
                }
                lineLength = 0;
            } else {
                lineLength++;
            }
            previous = b;
            if (end - from >= room) {
                complete = true;
            }
        }
        try {
            chunk.getBytes(from, bytes, end - from); // one bulk copy, not a synchronized write per byte
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream never throws
        }
    }

    /** The fields seen so far, in order of first appearance. */
    public Map<String, List<String>> parse() {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : LINE_BREAK.split(bytes.toString(StandardCharsets.UTF_8), -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (name != null) {
                    value.append(line);
                }
                continue;
            }
            if (name != null) {
                fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value.toString().strip());
                name = null;
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                value.setLength(0);
                value.append(line, colon + 1, line.length());
            }
        }
        if (name != null) {
            fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value.toString().strip());
        }
        fields.replaceAll((k, v) -> List.copyOf(v));
        return fields;
    }
}
