package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.session.Stage;
import dev.bouncewatch.testmta.session.TransactionContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/** A session view for tests, changed with withers like the session would change it. */
record FakeContext(Stage stage, String sessionId, InetAddress clientAddress, String helo, boolean tls, String authUser,
                   String mailFrom, String rcpt, List<String> recipients, Map<String, List<String>> headers,
                   long messageSize, int transactionIndex) implements TransactionContext {

    static FakeContext at(Stage stage) {
        return new FakeContext(stage, "s1", ip("192.0.2.10"), "client.example", false, null, "sender@example.com", null,
                List.of(), Map.of(), 0, 0);
    }

    static FakeContext rcpt(String recipient) {
        return at(Stage.RCPT).withRcpt(recipient);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    FakeContext withStage(Stage s) {
        return new FakeContext(s, sessionId, clientAddress, helo, tls, authUser, mailFrom, rcpt, recipients, headers,
                messageSize, transactionIndex);
    }

    FakeContext withSession(String id) {
        return new FakeContext(stage, id, clientAddress, helo, tls, authUser, mailFrom, rcpt, recipients, headers,
                messageSize, transactionIndex);
    }

    FakeContext withClient(String literal) {
        return new FakeContext(stage, sessionId, ip(literal), helo, tls, authUser, mailFrom, rcpt, recipients, headers,
                messageSize, transactionIndex);
    }

    FakeContext withHelo(String h) {
        return new FakeContext(stage, sessionId, clientAddress, h, tls, authUser, mailFrom, rcpt, recipients, headers,
                messageSize, transactionIndex);
    }

    FakeContext withTls(boolean t) {
        return new FakeContext(stage, sessionId, clientAddress, helo, t, authUser, mailFrom, rcpt, recipients, headers,
                messageSize, transactionIndex);
    }

    FakeContext withAuthUser(String u) {
        return new FakeContext(stage, sessionId, clientAddress, helo, tls, u, mailFrom, rcpt, recipients, headers,
                messageSize, transactionIndex);
    }

    FakeContext withMailFrom(String m) {
        return new FakeContext(stage, sessionId, clientAddress, helo, tls, authUser, m, rcpt, recipients, headers,
                messageSize, transactionIndex);
    }

    FakeContext withRcpt(String r) {
        return new FakeContext(stage, sessionId, clientAddress, helo, tls, authUser, mailFrom, r, recipients, headers,
                messageSize, transactionIndex);
    }

    FakeContext withRecipients(String... r) {
        return new FakeContext(stage, sessionId, clientAddress, helo, tls, authUser, mailFrom, rcpt, List.of(r), headers,
                messageSize, transactionIndex);
    }

    FakeContext withHeaders(Map<String, List<String>> h) {
        return new FakeContext(stage, sessionId, clientAddress, helo, tls, authUser, mailFrom, rcpt, recipients, h,
                messageSize, transactionIndex);
    }

    FakeContext withTransactionIndex(int i) {
        return new FakeContext(stage, sessionId, clientAddress, helo, tls, authUser, mailFrom, rcpt, recipients, headers,
                messageSize, i);
    }
}
