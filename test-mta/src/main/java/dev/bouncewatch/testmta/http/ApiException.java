package dev.bouncewatch.testmta.http;

/** A request the API refuses, with the HTTP status and a message for the JSON error body. */
final class ApiException extends Exception {

    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
