package dev.bouncewatch.testmta.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The load source against Postfix's smtp-sink: a real server nobody here wrote. */
@Timeout(120)
class SmtpLoadClientAgainstPostfixTest {

    private static LoadOptions load(PostfixSmtpSink sink) {
        return LoadOptions.to(sink.address()).withReplyTimeout(Duration.ofSeconds(30));
    }

    @Test
    void acceptAllDeliversEveryMessageToEveryRecipient() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start()) {
            LoadResult r = SmtpLoadClient.run(load(sink).withConnections(3).withMessages(31).withRecipients(2));

            assertThat(r.connected()).isEqualTo(3);
            assertThat(r.attempted()).isEqualTo(31);
            assertThat(r.accepted()).isEqualTo(31);
            assertThat(r.failed()).isZero();
            assertThat(r.unsent()).isZero();
            assertThat(r.count(ClientStage.GREETING, 220)).isEqualTo(3);
            assertThat(r.count(ClientStage.MAIL, 250)).isEqualTo(31);
            assertThat(r.count(ClientStage.RCPT, 250)).isEqualTo(62);
            assertThat(r.count(ClientStage.DATA, 354)).isEqualTo(31);
            assertThat(r.count(ClientStage.DATA_END, 250)).isEqualTo(31);
            assertThat(r.count(ClientStage.QUIT, 221)).isEqualTo(3);
            assertThat(r.connectionErrors()).isEmpty();
            assertThat(r.messagesPerSecond()).isPositive();
        }
    }

    @Test
    void pipelinedRunGetsTheSameRepliesInOrder() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start()) {
            LoadResult r = SmtpLoadClient.run(
                    load(sink).withConnections(2).withMessages(40).withRecipients(3).withPipelining(true)
                            .withSize(20_000));

            assertThat(r.accepted()).isEqualTo(40);
            assertThat(r.count(ClientStage.RCPT, 250)).isEqualTo(120);
            assertThat(r.count(ClientStage.DATA_END, 250)).isEqualTo(40);
            assertThat(r.connectionErrors()).isEmpty();
        }
    }

    @Test
    void softRejectedRecipientsFailEveryMessageWithoutData() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start("-r", "rcpt")) {
            LoadResult r = SmtpLoadClient.run(load(sink).withConnections(2).withMessages(10).withRecipients(2));

            assertThat(r.attempted()).isEqualTo(10);
            assertThat(r.accepted()).isZero();
            assertThat(r.failed()).isEqualTo(10);
            assertThat(r.count(ClientStage.RCPT, 450)).isEqualTo(20);
            assertThat(r.count(ClientStage.DATA)).isZero();
            assertThat(r.count(ClientStage.RSET, 250)).isEqualTo(10);
            assertThat(r.connectionErrors()).isEmpty();
        }
    }

    @Test
    void hardRejectedSenderFailsAtMail() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start("-f", "mail")) {
            LoadResult r = SmtpLoadClient.run(load(sink).withConnections(1).withMessages(5).withPipelining(true));

            assertThat(r.failed()).isEqualTo(5);
            assertThat(r.count(ClientStage.MAIL, 500)).isEqualTo(5);
            assertThat(r.count(ClientStage.RCPT)).isZero(); // -f implies no PIPELINING: we waited
            assertThat(r.count(ClientStage.QUIT, 221)).isEqualTo(1);
        }
    }

    @Test
    void hardRejectAfterTheDotCountsAtDataEnd() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start("-f", ".")) {
            LoadResult r = SmtpLoadClient.run(load(sink).withConnections(2).withMessages(6));

            assertThat(r.failed()).isEqualTo(6);
            assertThat(r.count(ClientStage.DATA, 354)).isEqualTo(6);
            assertThat(r.count(ClientStage.DATA_END, 500)).isEqualTo(6);
            assertThat(r.connectionErrors()).isEmpty();
        }
    }

    @Test
    void serverThatHangsUpAtRcptEndsEachConnectionWithAReason() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start("-q", "rcpt")) {
            LoadResult r = SmtpLoadClient.run(load(sink).withConnections(2).withMessages(10));

            assertThat(r.attempted()).isEqualTo(2);
            assertThat(r.failed()).isEqualTo(2);
            assertThat(r.unsent()).isEqualTo(8);
            assertThat(r.connectionErrors()).containsEntry("closed by server before rcpt reply", 2L);
        }
    }

    @Test
    void serverThatSays421AtMailIsCountedAndLeft() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start("-Q", "mail")) {
            LoadResult r = SmtpLoadClient.run(load(sink).withConnections(2).withMessages(4));

            assertThat(r.count(ClientStage.MAIL, 421)).isEqualTo(2);
            assertThat(r.failed()).isEqualTo(2);
            assertThat(r.unsent()).isEqualTo(2);
            assertThat(r.connectionErrors()).containsEntry("421 from server at mail", 2L);
        }
    }
}
