package dev.bouncewatch.agent.source;

import java.io.IOException;

/**
 * A finished file that cannot be read to its end (a cut-off gzip archive). Waiting will not mend it,
 * so the reader counts the error and treats the file as ended instead of retrying forever.
 */
final class DamagedFileException extends IOException {

    DamagedFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
