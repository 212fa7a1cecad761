package dev.bouncewatch.agent.store;

/**
 * The database has a schema version above every migration this bouncewatch knows: a newer bouncewatch
 * wrote it (the package was downgraded, or two versions share a state directory). The store refuses it
 * before any write, so the newer version can still use it.
 */
public final class SchemaTooNewException extends StoreException {

    private final int found;
    private final int known;

    SchemaTooNewException(String message, int found, int known) {
        super(message, null);
        this.found = found;
        this.known = known;
    }

    /** The database's schema version. */
    public int found() {
        return found;
    }

    /** The highest version this bouncewatch can migrate to. */
    public int known() {
        return known;
    }
}
