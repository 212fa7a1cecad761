package dev.bouncewatch.testmta.session;

/** ESMTP extensions the sink can advertise in its EHLO reply. */
public enum Extension {
    PIPELINING("PIPELINING"),
    SIZE("SIZE"),
    EIGHTBITMIME("8BITMIME"),
    SMTPUTF8("SMTPUTF8"),
    ENHANCEDSTATUSCODES("ENHANCEDSTATUSCODES"),
    CHUNKING("CHUNKING"),
    STARTTLS("STARTTLS"),
    AUTH("AUTH"),
    DSN("DSN");

    private final String keyword;

    Extension(String keyword) {
        this.keyword = keyword;
    }

    /** The EHLO keyword, e.g. {@code 8BITMIME}. */
    public String keyword() {
        return keyword;
    }

    public static Extension fromKeyword(String keyword) {
        for (Extension e : values()) {
            if (e.keyword.equalsIgnoreCase(keyword.trim()) || e.name().equalsIgnoreCase(keyword.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown ESMTP extension '" + keyword + "'");
    }
}
