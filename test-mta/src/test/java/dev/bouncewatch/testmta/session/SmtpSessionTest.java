package dev.bouncewatch.testmta.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.testmta.scenario.Outcome;
import dev.bouncewatch.testmta.scenario.Scenario;
import dev.bouncewatch.testmta.session.Answer.Action;
import dev.bouncewatch.testmta.smtp.LineError;
import dev.bouncewatch.testmta.smtp.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SmtpSessionTest {

    private final List<TransactionContext> seen = new ArrayList<>();

    private SmtpSession session(ProtocolOptions options, Function<TransactionContext, Outcome> rules) {
        Scenario scenario = new Scenario() {
            @Override
            public ProtocolOptions protocol() {
                return options;
            }

            @Override
            public Outcome decide(TransactionContext context) {
                seen.add(context);
                return rules.apply(context);
            }
        };
        return new SmtpSession("t1", InetAddress.getLoopbackAddress(), scenario, options, true,
                Clock.systemUTC(), ByteBufAllocator.DEFAULT);
    }

    private SmtpSession session() {
        return session(ProtocolOptions.defaults(), c -> Outcome.PROCEED);
    }

    private static String wire(Answer a) {
        Reply r = a.reply();
        return r.code() + (r.enhancedCode() == null ? "" : " " + r.enhancedCode()) + " " + r.text();
    }

    private static Answer body(SmtpSession s, String text) {
        ByteBuf b = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        s.onContent(b);
        b.release();
        return s.onDataEnd(false, false);
    }

    @Test
    void greetingHasNoEnhancedCode() {
        assertThat(wire(session().greet())).isEqualTo("220 test-mta.localhost ESMTP test-mta");
    }

    @Test
    void orderRulesAnswer503AndKeepState() {
        SmtpSession s = session();
        s.greet();
        assertThat(wire(s.onLine("MAIL FROM:<a@x>"))).startsWith("503 5.5.1");
        assertThat(wire(s.onLine("NOOP"))).startsWith("250 2.0.0");
        assertThat(wire(s.onLine("RSET"))).startsWith("250 2.0.0");
        assertThat(wire(s.onLine("VRFY bob"))).startsWith("252 2.0.0");
        assertThat(wire(s.onLine("HELP"))).startsWith("214 2.0.0")
                .contains("STARTTLS").doesNotContain("AUTH"); // AUTH only once users are configured
        assertThat(s.onLine("EHLO c").reply().code()).isEqualTo(250);
        assertThat(wire(s.onLine("RCPT TO:<b@x>"))).startsWith("503 5.5.1");
        assertThat(wire(s.onLine("MAIL FROM:<>"))).isEqualTo("250 2.1.0 Ok");
        assertThat(wire(s.onLine("MAIL FROM:<a@x>"))).isEqualTo("503 5.5.1 Error: nested MAIL command");
        // state unchanged: the null sender's transaction goes on
        assertThat(wire(s.onLine("RCPT TO:<b@x>"))).isEqualTo("250 2.1.5 Ok");
        assertThat(seen.get(seen.size() - 1).mailFrom()).isEmpty();
    }

    @Test
    void ehloListsAdvertisedExtensionsAndAuthOnlyWithUsers() {
        SmtpSession s = session();
        Reply r = s.onLine("EHLO client").reply();
        assertThat(r.enhancedCode()).isNull();
        assertThat(r.lines()).contains("SIZE " + ProtocolOptions.DEFAULT_SIZE_LIMIT, "PIPELINING", "8BITMIME",
                "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING", "STARTTLS").doesNotContain("AUTH PLAIN LOGIN");
        SmtpSession withUsers = session(ProtocolOptions.defaults().withAuthUsers(Map.of("u", "p")), c -> Outcome.PROCEED);
        assertThat(withUsers.onLine("EHLO client").reply().lines()).contains("AUTH PLAIN LOGIN");
    }

    @Test
    void mailParameters() {
        SmtpSession s = session();
        s.onLine("EHLO c");
        assertThat(wire(s.onLine("MAIL FROM:<a@x> SIZE=999999999999"))).startsWith("552 5.3.4");
        assertThat(wire(s.onLine("MAIL FROM:<a@x> FOO=1"))).startsWith("555 5.5.4");
        assertThat(wire(s.onLine("MAIL FROM:<a@x> BODY=BINARYMIME"))).startsWith("501 5.5.4");
        assertThat(wire(s.onLine("MAIL FROM:<jöe@x>"))).startsWith("553 5.6.7");
        assertThat(wire(s.onLine("MAIL FROM:a@x"))).startsWith("501 5.5.4");
        assertThat(wire(s.onLine("MAIL FROM : <jöe@x> SMTPUTF8 BODY=8BITMIME SIZE=100"))).startsWith("250 2.1.0");
        assertThat(wire(s.onLine("RCPT TO:<ü@x>"))).startsWith("250 2.1.5");
    }

    @Test
    void unadvertisedParameterIsUnknown() {
        ProtocolOptions noSize = new ProtocolOptions("h", EnumSet.of(Extension.ENHANCEDSTATUSCODES), java.util.Set.of(), 0, 100,
                2048, ProtocolOptions.BareLineFeedPolicy.REJECT, ProtocolOptions.StarttlsLeftoverPolicy.DISCARD,
                Duration.ofMinutes(5), Map.of(), false, false, 0, 0, false);
        SmtpSession s = session(noSize, c -> Outcome.PROCEED);
        s.onLine("EHLO c");
        assertThat(wire(s.onLine("MAIL FROM:<a@x> SIZE=10"))).startsWith("555 5.5.4");
        assertThat(wire(s.onLine("STARTTLS"))).startsWith("500 5.5.2");
        assertThat(wire(s.onLine("BDAT 10"))).startsWith("500 5.5.2");
    }

    @Test
    void recipientLimitGives452PerExtraRecipient() {
        SmtpSession s = session();
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@x>");
        for (int i = 0; i < 100; i++) {
            assertThat(s.onLine("RCPT TO:<r" + i + "@x>").reply().code()).isEqualTo(250);
        }
        assertThat(wire(s.onLine("RCPT TO:<r100@x>"))).startsWith("452 4.5.3");
        assertThat(wire(s.onLine("RCPT TO:<r101@x>"))).startsWith("452 4.5.3");
        assertThat(s.onLine("DATA").action()).isEqualTo(Action.READ_DATA);
    }

    @Test
    void dataWithoutAcceptedRecipientNeverGets354() {
        SmtpSession s = session(ProtocolOptions.defaults(),
                c -> c.stage() == Stage.RCPT ? new Outcome.Respond("r1", null, Reply.parse("550 5.1.1 nope"), false)
                        : Outcome.PROCEED);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@x>");
        assertThat(wire(s.onLine("DATA"))).startsWith("503 5.5.1");
        assertThat(wire(s.onLine("RCPT TO:<b@x>"))).isEqualTo("550 5.1.1 nope");
        Answer data = s.onLine("DATA");
        assertThat(wire(data)).startsWith("554 5.5.1");
        assertThat(data.action()).isEqualTo(Action.CONTINUE);
    }

    @Test
    void scenarioReplyWithoutEnhancedCodeGetsStageDefault() {
        SmtpSession s = session(ProtocolOptions.defaults(),
                c -> c.stage() == Stage.RCPT ? new Outcome.Respond("r", null, Reply.parse("550 No such user"), false)
                        : Outcome.PROCEED);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@x>");
        Answer a = s.onLine("RCPT TO:<b@x>");
        assertThat(wire(a)).isEqualTo("550 5.1.1 No such user");
        assertThat(a.event().ruleId()).isEqualTo("r");
        assertThat(a.event().recipient()).isEqualTo("b@x");
    }

    @Test
    void dataEndSeesHeadersAndSizeAndAcceptedMessageIsCaptured() {
        SmtpSession s = session();
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@x>");
        s.onLine("RCPT TO:<b@x>");
        assertThat(wire(s.onLine("DATA"))).startsWith("354 ");
        String message = "Subject: hello\r\n  world\r\nMessage-ID: <1@x>\r\n\r\nbody\r\n";
        Answer end = body(s, message);
        assertThat(wire(end)).startsWith("250 2.0.0 Ok: queued as t1-1");
        TransactionContext ctx = seen.get(seen.size() - 1);
        assertThat(ctx.stage()).isEqualTo(Stage.DATA_END);
        assertThat(ctx.headers()).containsEntry("subject", List.of("hello  world"));
        assertThat(ctx.messageSize()).isEqualTo(message.length());
        assertThat(end.event().messageId()).isEqualTo("<1@x>");
        assertThat(end.event().recipients()).containsExactly("b@x");
        assertThat(end.capture()).isNotNull();
        assertThat(end.capture().content().toString(StandardCharsets.UTF_8)).isEqualTo(message);
        end.capture().content().release();
        // the transaction is over
        assertThat(wire(s.onLine("RCPT TO:<b@x>"))).startsWith("503 5.5.1");
    }

    @Test
    void oversizedMessageIsRejectedAfterTheDot() {
        ProtocolOptions small = new ProtocolOptions("h", ProtocolOptions.defaults().advertised(), java.util.Set.of(), 10, 100,
                2048, ProtocolOptions.BareLineFeedPolicy.REJECT, ProtocolOptions.StarttlsLeftoverPolicy.DISCARD,
                Duration.ofMinutes(5), Map.of(), false, false, 0, 0, false);
        SmtpSession s = session(small, c -> Outcome.PROCEED);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@x>");
        s.onLine("RCPT TO:<b@x>");
        s.onLine("DATA");
        assertThat(wire(body(s, "0123456789abc\r\n"))).startsWith("552 5.3.4");
    }

    @Test
    void bareLineFeedInDataRejectedAfterTheDot() {
        SmtpSession s = session();
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@x>");
        s.onLine("RCPT TO:<b@x>");
        s.onLine("DATA");
        assertThat(wire(s.onDataEnd(true, false))).startsWith("550 5.5.2");
    }

    @Test
    void discardAcceptsButDoesNotCapture() {
        SmtpSession s = session(ProtocolOptions.defaults(),
                c -> c.stage() == Stage.DATA_END ? new Outcome.Proceed("d", null, true) : Outcome.PROCEED);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@x>");
        s.onLine("RCPT TO:<b@x>");
        s.onLine("DATA");
        Answer end = body(s, "x\r\n");
        assertThat(end.reply().code()).isEqualTo(250);
        assertThat(end.capture()).isNull();
    }

    @Test
    void bdatChunksAndMixingWithData() {
        SmtpSession s = session();
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@x>");
        s.onLine("RCPT TO:<b@x>");
        Answer first = s.onLine("BDAT 3");
        assertThat(first.action()).isEqualTo(Action.READ_CHUNK);
        assertThat(first.octets()).isEqualTo(3);
        assertThat(first.reply()).isNull();
        ByteBuf b = Unpooled.copiedBuffer("a\r\n", StandardCharsets.US_ASCII);
        s.onContent(b);
        b.release();
        assertThat(wire(s.onDataEnd(false, true))).startsWith("250 2.0.0 3 octets");
        assertThat(wire(s.onLine("DATA"))).startsWith("503 5.5.1");
        Answer last = s.onLine("BDAT 0 LAST");
        assertThat(wire(last)).startsWith("250 2.0.0 Ok: queued");
        last.capture().content().release();
    }

    @Test
    void bdatWithoutRecipientsIsDrainedThenRefused() {
        SmtpSession s = session();
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@x>");
        Answer a = s.onLine("BDAT 5 LAST");
        assertThat(a.action()).isEqualTo(Action.READ_CHUNK);
        assertThat(wire(s.onDataEnd(false, true))).startsWith("503 5.5.1");
    }

    @Test
    void greeting554AllowsOnlyQuit() {
        SmtpSession s = session(ProtocolOptions.defaults(),
                c -> c.stage() == Stage.CONNECT ? new Outcome.Respond(null, null, Reply.parse("554 go away"), false)
                        : Outcome.PROCEED);
        assertThat(wire(s.greet())).isEqualTo("554 go away");
        assertThat(wire(s.onLine("EHLO c"))).startsWith("503 5.5.1");
        assertThat(wire(s.onLine("NOOP"))).startsWith("503 5.5.1");
        Answer quit = s.onLine("QUIT");
        assertThat(wire(quit)).startsWith("221 2.0.0");
        assertThat(quit.action()).isEqualTo(Action.CLOSE);
    }

    @Test
    void midSessionEhloResetsTheTransaction() {
        SmtpSession s = session();
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@x>");
        s.onLine("EHLO c2");
        assertThat(wire(s.onLine("RCPT TO:<b@x>"))).startsWith("503 5.5.1");
        assertThat(wire(s.onLine("MAIL FROM:<a@x>"))).startsWith("250");
    }

    @Test
    void authPlainAndLoginAgainstUsers() {
        String plainOk = java.util.Base64.getEncoder().encodeToString("\0user\0secret".getBytes(StandardCharsets.UTF_8));
        String plainBad = java.util.Base64.getEncoder().encodeToString("\0user\0wrong".getBytes(StandardCharsets.UTF_8));
        SmtpSession s = session(ProtocolOptions.defaults().withAuthUsers(Map.of("user", "secret")), c -> Outcome.PROCEED);
        s.onLine("EHLO c");
        assertThat(wire(s.onLine("AUTH CRAM-MD5"))).startsWith("504 5.5.4");
        assertThat(wire(s.onLine("AUTH PLAIN " + plainBad))).startsWith("535 5.7.8");
        assertThat(wire(s.onLine("AUTH PLAIN"))).isEqualTo("334 ");
        assertThat(wire(s.onLine("*"))).startsWith("501 5.7.0");
        assertThat(wire(s.onLine("AUTH LOGIN"))).isEqualTo("334 VXNlcm5hbWU6");
        assertThat(wire(s.onLine("!!notbase64"))).startsWith("501 5.5.2");
        assertThat(wire(s.onLine("AUTH LOGIN dXNlcg=="))).isEqualTo("334 UGFzc3dvcmQ6");
        assertThat(wire(s.onLine("c2VjcmV0"))).startsWith("235 2.7.0");
        assertThat(seen.get(seen.size() - 1).authUser()).isEqualTo("user");
        assertThat(wire(s.onLine("AUTH PLAIN " + plainOk))).startsWith("503 5.5.1");
        assertThat(wire(s.onLine("STARTTLS"))).startsWith("503 5.5.1");
    }

    @Test
    void requireTlsAndRefusedStarttls() {
        ProtocolOptions d = ProtocolOptions.defaults();
        ProtocolOptions strict = new ProtocolOptions("h", d.advertised(), java.util.Set.of(Extension.STARTTLS),
                d.sizeLimit(), 100, 2048, d.bareLineFeed(), d.starttlsLeftover(), d.idleTimeout(), Map.of(),
                true, false, 0, 0, false);
        SmtpSession s = session(strict, c -> Outcome.PROCEED);
        s.onLine("EHLO c");
        assertThat(wire(s.onLine("MAIL FROM:<a@x>"))).startsWith("530 5.7.0");
        assertThat(wire(s.onLine("STARTTLS"))).isEqualTo("454 4.7.0 TLS not available due to temporary reason");
    }

    @Test
    void starttlsThenForgetsTheSession() {
        SmtpSession s = session();
        s.onLine("EHLO c");
        assertThat(wire(s.onLine("STARTTLS foo"))).startsWith("501 5.5.4");
        Answer a = s.onLine("STARTTLS");
        assertThat(wire(a)).startsWith("220 2.0.0");
        assertThat(a.action()).isEqualTo(Action.START_TLS);
        s.tlsEstablished();
        assertThat(wire(s.onLine("MAIL FROM:<a@x>"))).startsWith("503 5.5.1");
        assertThat(s.onLine("EHLO c").reply().lines()).doesNotContain("STARTTLS");
    }

    @Test
    void starttlsUnderTlsIsBadSequenceNotUnknown() {
        SmtpSession s = session();
        s.onLine("EHLO c");
        s.onLine("STARTTLS");
        s.tlsEstablished();
        s.onLine("EHLO c");
        Answer a = s.onLine("STARTTLS");
        assertThat(wire(a)).startsWith("503 5.5.1");
        assertThat(a.action()).isEqualTo(Action.CONTINUE);
        assertThat(wire(s.onLine("MAIL FROM:<a@x>"))).isEqualTo("250 2.1.0 Ok"); // the session goes on under TLS
    }

    @Test
    void dropsAndDelaysComeFromTheScenario() {
        SmtpSession s = session(ProtocolOptions.defaults(), c -> switch (c.stage()) {
            case MAIL -> new Outcome.Proceed("slow", Duration.ofSeconds(2), false);
            case RCPT -> new Outcome.Drop("rst", null, Outcome.DropMode.RST, -1);
            default -> Outcome.PROCEED;
        });
        s.onLine("EHLO c");
        Answer mail = s.onLine("MAIL FROM:<a@x>");
        assertThat(mail.delay()).isEqualTo(Duration.ofSeconds(2));
        Answer rcpt = s.onLine("RCPT TO:<b@x>");
        assertThat(rcpt.reply()).isNull();
        assertThat(rcpt.action()).isEqualTo(Action.RESET);
        assertThat(rcpt.event().closed()).isTrue();
    }

    @Test
    void lineErrorsAnswer500AndUnknownVerbsNeverClose() {
        SmtpSession s = session();
        assertThat(wire(s.onLineError(new LineError(LineError.Kind.TOO_LONG)))).startsWith("500 5.5.2");
        Answer unknown = s.onLine("FROBNICATE");
        assertThat(wire(unknown)).startsWith("500 5.5.2");
        assertThat(unknown.action()).isEqualTo(Action.CONTINUE);
    }

    @Test
    void brokenScenarioFallsBackToDefaults() {
        SmtpSession s = session(ProtocolOptions.defaults(), c -> {
            throw new IllegalStateException("bug in a rule");
        });
        assertThat(s.greet().reply().code()).isEqualTo(220);
        assertThat(s.onLine("EHLO c").reply().code()).isEqualTo(250);
    }

    @Test
    void bdatRejectedByScenarioSkipsLaterChunksUntilLastThenRecovers() {
        SmtpSession s = session(ProtocolOptions.defaults(), c -> c.stage() == Stage.DATA
                ? new Outcome.Respond("no-data", null, Reply.parse("554 5.7.1 not today"), false) : Outcome.PROCEED);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@x>");
        s.onLine("RCPT TO:<b@x>");
        assertThat(s.onLine("BDAT 4").action()).isEqualTo(Action.READ_CHUNK);
        assertThat(wire(s.onDataEnd(false, true))).isEqualTo("554 5.7.1 not today");
        s.onLine("BDAT 4 LAST");
        assertThat(wire(s.onDataEnd(false, true))).startsWith("503 5.5.1");
        // the message is over: a new transaction starts cleanly
        assertThat(wire(s.onLine("MAIL FROM:<a@x>"))).startsWith("250 2.1.0");
    }

    @Test
    void echoedClientTextIsPrintableAsciiAndBounded() {
        SmtpSession s = session();
        assertThat(s.onLine("EHLO a\u0001\u00fc\u001b[31mred").reply().lines().get(0))
                .isEqualTo("test-mta.localhost Hello a???[31mred");
        String longName = "h".repeat(1000);
        assertThat(s.onLine("EHLO " + longName).reply().lines().get(0))
                .isEqualTo("test-mta.localhost Hello " + "h".repeat(255));
        assertThat(wire(s.onLine("MAIL FROM:<a@x> X-\u0007\u00e9=1")))
                .isEqualTo("555 5.5.4 Unsupported option: X-??=1");
        assertThat(wire(s.onLine("MAIL FROM:<a@x> BODY=\u001b[0m"))).isEqualTo("501 5.5.4 Unsupported BODY type: ?[0m");
        s.onLine("MAIL FROM:<a@x>");
        assertThat(wire(s.onLine("RCPT TO:<b@x> N\u0000=\u4e2d"))).isEqualTo("555 5.5.4 Unsupported option: N?=?");
    }

    @Test
    void badAddressSyntaxIs501AndLeavesTheStateAsItWas() {
        SmtpSession s = session();
        s.onLine("EHLO c");
        for (String bad : List.of("@", "a@", "@x", "a b@x", "a@x..y", "a@.x", "a@x.", ".a@x", "a..b@x", "a@-x", "a@x-",
                "a@x y", "a\"b@x", "a@[1.2.3.4", "a@x@y", "a", "x".repeat(65) + "@x", "a@" + "d".repeat(250) + ".test")) {
            assertThat(wire(s.onLine("MAIL FROM:<" + bad + ">"))).as(bad).startsWith("501 5.1.3");
        }
        assertThat(wire(s.onLine("MAIL FROM:<>"))).isEqualTo("250 2.1.0 Ok"); // the null sender
        for (String bad : List.of("@", "r@", "a b@x", "r@x..y", "x".repeat(65) + "@x", " ")) {
            assertThat(wire(s.onLine("RCPT TO:<" + bad + ">"))).as(bad).startsWith("501 5.1.3");
        }
        assertThat(seen).noneMatch(c -> c.stage() == Stage.RCPT); // refused before the scenario saw them
        assertThat(wire(s.onLine("DATA"))).startsWith("503 5.5.1"); // no recipient was taken
        for (String good : List.of("postmaster", "PostMaster", "x".repeat(64) + "@x", "b@x", "b.c+tag@sub-1.x.test",
                "\"a b\"@x", "\"a\\\"b\"@x", "!#$%&'*+-/=?^_`{|}~@x", "r@[127.0.0.1]", "r@[IPv6:::1]",
                "550-5.1.1@x.test", "451-4.7.1-anything@x.test", "452.4.2.2+tag@x.test", "tempfail@x.test")) {
            assertThat(s.onLine("RCPT TO:<" + good + ">").reply().code()).as(good).isIn(250, 451, 452, 550);
        }
        assertThat(wire(s.onLine("RCPT TO : < b@x >"))).isEqualTo("250 2.1.5 Ok"); // lenient about spaces
        assertThat(wire(s.onLine("RCPT TO:<@relay.x:b@x>"))).isEqualTo("250 2.1.5 Ok"); // source route ignored
    }

    @Test
    void smtputf8AddressesStayValid() {
        SmtpSession s = session();
        s.onLine("EHLO c");
        assertThat(wire(s.onLine("MAIL FROM:<jöe@bücher.example> SMTPUTF8"))).isEqualTo("250 2.1.0 Ok");
        assertThat(wire(s.onLine("RCPT TO:<用户@例子.广告>"))).isEqualTo("250 2.1.5 Ok");
        assertThat(wire(s.onLine("RCPT TO:<" + "ü".repeat(33) + "@x>"))).startsWith("501 5.1.3"); // 66 octets
    }

    @Test
    void authWithoutMechanismIsASyntaxError() {
        SmtpSession s = session(ProtocolOptions.defaults().withAuthUsers(Map.of("u", "p")), c -> Outcome.PROCEED);
        s.onLine("EHLO c");
        assertThat(wire(s.onLine("AUTH"))).startsWith("501 5.5.4");
        assertThat(wire(s.onLine("AUTH "))).startsWith("501 5.5.4");
        assertThat(wire(s.onLine("AUTH CRAM-MD5"))).startsWith("504 5.5.4");
    }

    @Test
    void heloTakesTheFirstWordAndNeedsOne() {
        SmtpSession s = session();
        assertThat(wire(s.onLine("HELO"))).startsWith("501 5.5.4");
        assertThat(wire(s.onLine("HELO host.example extra"))).isEqualTo("250 test-mta.localhost");
        s.onLine("MAIL FROM:<a@x>");
        assertThat(seen.get(seen.size() - 1).helo()).isEqualTo("host.example");
    }
}
