package dev.bouncewatch.agent.classify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reply code and enhanced status code found in a raw reply text, such as
 * {@code 550 5.1.1 <x@y>: Recipient address rejected: User unknown} or a Postfix-joined multi-line
 * reply {@code 550-5.1.1 The email account ... 550 5.1.1 ...}. Either may be null.
 */
record ReplyCodes(Integer replyCode, String enhancedCode) {

    /*
     * A reply code is three digits starting 2, 4 or 5 followed by a space, a dash (multi-line
     * continuation, RFC 5321 4.2.1) or the end. It must start the text or follow a separator that
     * wrappers use ("said: ", "'", "[", "("), so "OFR_506" or "432000 seconds" are not codes.
     * An enhanced code (RFC 3463) has three dotted parts; "552 1 Requested..." has none.
     */
    private static final Pattern CODE = Pattern.compile(
            "(?:^|[\\s:'\"(\\[<])([245][0-5]\\d)(?:[ -]+(?:#?([245]\\.\\d{1,3}\\.\\d{1,3})(?![\\d.]))?|$)");
    private static final Pattern ENHANCED = Pattern.compile(
            "(?<![\\d.])#?([245]\\.\\d{1,3}\\.\\d{1,3})(?![\\d.]|\\w)");

    static final ReplyCodes NONE = new ReplyCodes(null, null);

    static ReplyCodes find(String text) {
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        Matcher m = CODE.matcher(text);
        Integer code = null;
        String enhanced = null;
        if (m.find()) {
            code = Integer.valueOf(m.group(1));
            enhanced = m.group(2);
        }
        if (enhanced == null) {
            Matcher e = ENHANCED.matcher(text);
            if (e.find()) {
                enhanced = e.group(1);
            }
        }
        return new ReplyCodes(code, enhanced);
    }
}
