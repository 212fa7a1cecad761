package dev.bouncewatch.agent.store;

import java.io.IOException;

/** The database could not be opened, migrated, read or written; the message names the file. */
public class StoreException extends IOException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
