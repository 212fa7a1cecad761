package dev.bouncewatch.testmta.http;

/** A request the API refuses, with the HTTP status and a message for the JSON error body. */
public final class ApiException extends Exception {

    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
