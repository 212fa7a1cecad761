package dev.bouncewatch.testmta.events;

import dev.bouncewatch.testmta.server.TransactionEvent;
import dev.bouncewatch.testmta.session.Stage;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which recent transactions to show; every part is optional (null matches all).
 *
 * @param sessionId exact session id
 * @param stage     the stage the reply answered
 * @param code      a reply code ({@code 550}) or a class with wildcards ({@code 5xx}, {@code 45x})
 */
public record TransactionFilter(String sessionId, Stage stage, String code) {

    private static final Pattern CODE = Pattern.compile("[2-5][0-9x][0-9x]");
    public static final TransactionFilter ALL = new TransactionFilter(null, null, null);

    public TransactionFilter {
        if (code != null) {
            code = code.toLowerCase(Locale.ROOT);
            if (!CODE.matcher(code).matches()) {
                throw new IllegalArgumentException("code: expected a reply code like 550 or a class like 5xx, got '"
                        + code + "'");
            }
        }
    }

    /**
     * From query-string values (null or empty means no filter).
     *
     * @throws IllegalArgumentException naming the parameter that is wrong
     */
    public static TransactionFilter parse(String sessionId, String stage, String code) {
        Stage s = null;
        if (stage != null && !stage.isBlank()) {
            try {
                s = Stage.fromConfigName(stage);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("stage: unknown stage '" + stage + "', expected one of "
                        + Arrays.stream(Stage.values()).map(Stage::configName).toList());
            }
        }
        return new TransactionFilter(sessionId == null || sessionId.isEmpty() ? null : sessionId, s,
                code == null || code.isEmpty() ? null : code);
    }

    public boolean matches(TransactionEvent e) {
        if (sessionId != null && !sessionId.equals(e.sessionId())) {
            return false;
        }
        if (stage != null && stage != e.stage()) {
            return false;
        }
        if (code != null) {
            String actual = Integer.toString(e.code());
            for (int i = 0; i < 3; i++) {
                char want = code.charAt(i);
                if (want != 'x' && want != actual.charAt(i)) {
                    return false;
                }
            }
        }
        return true;
    }
}
