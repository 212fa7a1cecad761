package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.Mta;

import java.util.Locale;

/** Which parser reads the lines: chosen per line from the syslog tag, or one forced for all. */
public enum MtaChoice {
    AUTO(null), POSTFIX(Mta.POSTFIX), EXIM(Mta.EXIM), SENDMAIL(Mta.SENDMAIL), OPENSMTPD(Mta.OPENSMTPD);

    private final Mta mta;

    MtaChoice(Mta mta) {
        this.mta = mta;
    }

    /** The forced MTA, null for AUTO. */
    public Mta mta() {
        return mta;
    }

    public static MtaChoice fromWireName(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown MTA '" + s + "': expected auto, postfix, exim, sendmail or opensmtpd", e);
        }
    }
}
