package dev.bouncewatch.testmta.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.smtp.DefaultSmtpResponse;
import io.netty.handler.codec.smtp.SmtpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a {@link Reply} (or an {@link SmtpResponse}) as RFC 5321 4.2 reply lines: the code on every line, {@code -}
 * after it on all but the last, a space on the last, CRLF always. A text line that would make the
 * reply line longer than 512 octets (4.5.3.1.5) is split, repeating a leading enhanced code.
 */
@ChannelHandler.Sharable
public final class SmtpServerEncoder extends MessageToByteEncoder<Object> {

    /** 512 octets per line minus "250-" and CRLF. */
    static final int MAX_TEXT_OCTETS = 512 - 4 - 2;

    private static final Pattern ENHANCED_PREFIX = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3}) ");

    public SmtpServerEncoder() {
        super(Object.class);
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof Reply || msg instanceof SmtpResponse;
    }

    /** The wire form of a reply: the enhanced code, when there is one, starts every line's text. */
    public static SmtpResponse toResponse(Reply reply) {
        List<CharSequence> details = new ArrayList<>(reply.lines().size());
        for (String line : reply.lines()) {
            if (reply.enhancedCode() == null) {
                details.add(line);
            } else {
                details.add(line.isEmpty() ? reply.enhancedCode() : reply.enhancedCode() + " " + line);
            }
        }
        return new DefaultSmtpResponse(reply.code(), details.toArray(new CharSequence[0]));
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        if (msg instanceof Reply reply) {
            if (!writeShortAscii(reply, out)) {
                encode(toResponse(reply), out);
            }
        } else {
            encode((SmtpResponse) msg, out);
        }
    }

    /**
     * The common case without building an {@link SmtpResponse}: every line ASCII, free of CR and LF
     * and short enough not to be split, so each goes out as is. False (nothing written) otherwise.
     */
    private static boolean writeShortAscii(Reply reply, ByteBuf out) {
        String esc = reply.enhancedCode(); // ASCII by construction (Reply validates it)
        int prefix = esc == null ? 0 : esc.length() + 1;
        for (String line : reply.lines()) {
            if (prefix + line.length() > MAX_TEXT_OCTETS || !isPlainAscii(line)) {
                return false;
            }
        }
        int code = reply.code();
        List<String> lines = reply.lines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            out.writeByte('0' + code / 100);
            out.writeByte('0' + code / 10 % 10);
            out.writeByte('0' + code % 10);
            out.writeByte(i == lines.size() - 1 ? ' ' : '-');
            if (esc != null) {
                out.writeCharSequence(esc, StandardCharsets.US_ASCII);
                if (!line.isEmpty()) {
                    out.writeByte(' ');
                }
            }
            out.writeCharSequence(line, StandardCharsets.US_ASCII);
            out.writeByte('\r');
            out.writeByte('\n');
        }
        return true;
    }

    private static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == '\r' || c == '\n') {
                return false;
            }
        }
        return true;
    }

    private static void encode(SmtpResponse response, ByteBuf out) {
        List<byte[]> lines = wireLines(response.details());
        byte[] code = Integer.toString(response.code()).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < lines.size(); i++) {
            out.writeBytes(code);
            out.writeByte(i == lines.size() - 1 ? ' ' : '-');
            out.writeBytes(lines.get(i));
            out.writeByte('\r');
            out.writeByte('\n');
        }
    }

    /** The text of each wire line, split where too long; never empty. */
    static List<byte[]> wireLines(List<CharSequence> details) {
        List<byte[]> lines = new ArrayList<>();
        for (CharSequence detail : details) {
            String text = stripLineBreaks(detail.toString());
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length <= MAX_TEXT_OCTETS) {
                lines.add(bytes);
                continue;
            }
            Matcher m = ENHANCED_PREFIX.matcher(text);
            String prefix = m.find() ? m.group() : "";
            split(text.substring(prefix.length()), prefix, lines);
        }
        if (lines.isEmpty()) {
            lines.add(new byte[0]);
        }
        return lines;
    }

    private static void split(String text, String prefix, List<byte[]> lines) {
        int room = MAX_TEXT_OCTETS - prefix.length();
        StringBuilder line = new StringBuilder(prefix);
        int octets = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + size > room) {
                lines.add(line.toString().getBytes(StandardCharsets.UTF_8));
                line.setLength(0);
                line.append(prefix);
                octets = 0;
            }
            line.appendCodePoint(cp);
            octets += size;
            i += Character.charCount(cp);
        }
        lines.add(line.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A CR or LF inside reply text would forge extra reply lines. */
    private static String stripLineBreaks(String text) {
        return text.indexOf('\r') < 0 && text.indexOf('\n') < 0 ? text : text.replaceAll("[\r\n]+", " ");
    }
}
