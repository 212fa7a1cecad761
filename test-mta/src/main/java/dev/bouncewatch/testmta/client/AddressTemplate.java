package dev.bouncewatch.testmta.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An envelope address with placeholders, so a load run can spread over many recipients:
 * {@code {n}} the message number in the run (1-based), {@code {r}} the recipient number in the
 * message (1-based), {@code {c}} the connection number (1-based). {@code "rcpt{n}.{r}@example.test"}
 * gives {@code rcpt17.1@example.test}.
 */
public final class AddressTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Pattern FORBIDDEN = Pattern.compile("[\\s<>\\x00-\\x1f\\x7f]");

    private final String template;
    private final boolean constant;

    private AddressTemplate(String template) {
        this.template = template;
        this.constant = !template.contains("{");
    }

    /**
     * @throws IllegalArgumentException on an unknown placeholder or characters that would break the
     *                                  command line (spaces, angle brackets, controls)
     */
    public static AddressTemplate parse(String template) {
        if (FORBIDDEN.matcher(template).find()) {
            throw new IllegalArgumentException(
                    "address template '" + template + "' contains a space, '<', '>' or a control character");
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            String name = m.group(1);
            if (!name.equals("n") && !name.equals("r") && !name.equals("c")) {
                throw new IllegalArgumentException("address template '" + template + "' has unknown placeholder {"
                        + name + "}; expected {n} (message), {r} (recipient) or {c} (connection)");
            }
        }
        return new AddressTemplate(template);
    }

    public String expand(long message, int recipient, int connection) {
        if (constant) {
            return template;
        }
        return template.replace("{n}", Long.toString(message))
                .replace("{r}", Integer.toString(recipient))
                .replace("{c}", Integer.toString(connection));
    }

    @Override
    public String toString() {
        return template;
    }
}
