package dev.bouncewatch.testmta.session;

import dev.bouncewatch.testmta.scenario.Outcome;
import dev.bouncewatch.testmta.scenario.Scenario;
import dev.bouncewatch.testmta.server.TransactionEvent;
import dev.bouncewatch.testmta.session.Answer.Action;
import dev.bouncewatch.testmta.session.ProtocolOptions.BareLineFeedPolicy;
import dev.bouncewatch.testmta.smtp.LineError;
import dev.bouncewatch.testmta.smtp.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP connection's state machine, free of any transport (like Apache James' protocol layer):
 * it takes command lines and body bytes and returns {@link Answer}s. Protocol checks come first
 * (order, syntax, limits: RFC 5321 4.1.4, 4.5.3); a valid command then goes to the scenario, which
 * decides the reply like a James hook. A rejected command leaves the state as it was.
 * Not thread-safe: one session lives on one event loop.
 */
public final class SmtpSession {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);

    private static final Pattern MAIL = Pattern.compile("(?i)FROM\\s*:\\s*(<[^<>]*>)(.*)");
    private static final Pattern RCPT = Pattern.compile("(?i)TO\\s*:\\s*(<[^<>]*>)(.*)");
    private static final Pattern BDAT = Pattern.compile("(?i)(\\d{1,18})(?:\\s+(LAST))?\\s*");
    // compiled once: String.split and String.matches compile their regex on every call
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern SIZE_VALUE = Pattern.compile("\\d{1,18}");
    private static final int MAX_PATH = 256;
    // RFC 5321 4.1.2 Mailbox (dot-string or quoted local part; domain or address literal), with
    // RFC 6531 UTF-8 in atext, qtext and labels (non-ASCII without SMTPUTF8 is refused before this)
    private static final String ATEXT = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~\\x{80}-\\x{10FFFF}]";
    private static final String LABEL = "[A-Za-z0-9_\\x{80}-\\x{10FFFF}]+(?:-+[A-Za-z0-9_\\x{80}-\\x{10FFFF}]+)*";
    private static final String QCONTENT = "[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E\\x{80}-\\x{10FFFF}]|\\\\[\\x20-\\x7E]";
    private static final Pattern MAILBOX = Pattern.compile(
            "(" + ATEXT + "+(?:\\." + ATEXT + "+)*|\"(?:" + QCONTENT + ")*\")"
                    + "@(" + LABEL + "(?:\\." + LABEL + ")*|\\[[\\x21-\\x5A\\x5E-\\x7E]+])");
    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_DOMAIN = 255;
    private static final int MAX_ECHO = 255;

    private final String sessionId;
    private final InetAddress clientAddress;
    private final String clientIp;
    private final Scenario scenario;
    private final ProtocolOptions options;
    private final boolean capturing;
    private final Clock clock;
    private final ByteBufAllocator allocator;

    private boolean greetingRejected;
    private String helo;
    private boolean tls;
    private String authUser;
    private AuthExchange auth;
    private int transactions;
    private int messages;

    // the mail transaction (RFC 5321 3.3)
    private String mailFrom;
    private boolean smtputf8;
    private final List<String> recipients = new ArrayList<>();
    private boolean recipientRejected;
    private boolean discardMessage = true;
    private Body body = Body.NONE;
    private boolean chunkFailed;

    // the message being received
    private long messageSize;
    private MessageHeaders headers;
    private CompositeByteBuf captured;
    private long dropAfterOctets = -1;
    private Outcome.Drop dropAfterData;
    private Reply pendingChunkError;
    private boolean pendingChunkLast;
    private boolean pendingChunkAbortsMessage;

    private enum Body { NONE, DATA, BDAT }

    private record AuthExchange(String mechanism, String user) {
    }

    /**
     * @param capturing whether accepted messages are kept for the capture directory
     */
    public SmtpSession(String sessionId, InetAddress clientAddress, Scenario scenario, ProtocolOptions options,
                       boolean capturing, Clock clock, ByteBufAllocator allocator) {
        this.sessionId = sessionId;
        this.clientAddress = clientAddress;
        this.clientIp = clientAddress == null ? "" : clientAddress.getHostAddress(); // never a DNS lookup
        this.scenario = scenario;
        this.options = options;
        this.capturing = capturing;
        this.clock = clock;
        this.allocator = allocator;
    }

    public ProtocolOptions options() {
        return options;
    }

    public String sessionId() {
        return sessionId;
    }

    // ---------------------------------------------------------------- connection-level events

    /** The greeting, decided at stage CONNECT (RFC 5321 3.1: 554 waits for QUIT, 421 closes). */
    public Answer greet() {
        Outcome outcome = decide(Stage.CONNECT, null, null);
        Reply normal = Reply.of(220, null, options.hostname() + " ESMTP test-mta");
        if (outcome instanceof Outcome.Drop drop) {
            return dropped(Stage.CONNECT, drop);
        }
        Reply reply = outcome instanceof Outcome.Respond r ? r.reply() : normal;
        boolean close = outcome instanceof Outcome.Respond r && r.close() || reply.isTransient();
        if (reply.isPermanent()) {
            greetingRejected = true;
        }
        // the greeting precedes EHLO, so no enhanced code is added (one a rule gives is kept)
        return answer(Stage.CONNECT, reply, outcome, close ? Action.CLOSE : Action.CONTINUE, null);
    }

    /** Refusal when the global or per-address connection limit is reached (Postfix wording). */
    public Answer tooManyConnections() {
        return answer(Stage.CONNECT,
                Reply.of(421, "4.7.0", options.hostname() + " Error: too many connections"), null,
                Action.CLOSE, null);
    }

    /** No input for {@code idleTimeout} (RFC 5321 4.5.3.2.7). */
    public Answer idleTimeout() {
        return answer(currentStage(), Reply.of(421, "4.4.2", options.hostname() + " Error: timeout exceeded"),
                null, Action.CLOSE, null);
    }

    /** The TLS handshake after STARTTLS succeeded: the client starts over (RFC 3207 4.2). */
    public void tlsEstablished() {
        tls = true;
        helo = null;
        authUser = null;
        auth = null;
        resetTransaction();
    }

    public boolean tls() {
        return tls;
    }

    /** True while an AUTH exchange waits for the client's next response line. */
    public boolean awaitingAuthResponse() {
        return auth != null;
    }

    /** Frees what the session holds (a message being captured); call when the connection ends. */
    public void release() {
        resetMessage();
    }

    private Stage currentStage() {
        if (body != Body.NONE) {
            return Stage.DATA_END;
        }
        return helo == null ? Stage.CONNECT : Stage.UNKNOWN;
    }

    // ---------------------------------------------------------------- command lines

    /** A line the decoder refused (too long, bare LF): one reply, the session goes on. */
    public Answer onLineError(LineError error) {
        if (auth != null) {
            auth = null;
            return answer(Stage.AUTH, error.kind() == LineError.Kind.TOO_LONG
                    ? Reply.of(500, "5.5.6", "Authentication Exchange line is too long")
                    : Reply.of(501, "5.5.2", "Error: bare <LF> received"), null, Action.CONTINUE, null);
        }
        Reply reply = error.kind() == LineError.Kind.TOO_LONG
                ? Reply.of(500, "5.5.2", "Error: command line too long")
                : Reply.of(500, "5.5.2", "Error: bare <LF> received");
        return answer(Stage.UNKNOWN, reply, null, Action.CONTINUE, null);
    }

    /** One command line (or AUTH continuation line) without its CRLF. */
    public Answer onLine(String line) {
        if (auth != null) {
            return continueAuth(line);
        }
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : line.substring(space + 1).strip();
        if (greetingRejected && !verb.equals("QUIT")) {
            return error(stageOf(verb), 503, "5.5.1", "Error: no SMTP service here, only QUIT");
        }
        return switch (verb) {
            case "EHLO" -> hello(args, true);
            case "HELO" -> hello(args, false);
            case "MAIL" -> mail(args);
            case "RCPT" -> rcpt(args);
            case "DATA" -> data(args);
            case "BDAT" -> offered(Extension.CHUNKING) ? bdat(args) : unknown();
            case "RSET" -> simple(Stage.RSET, Reply.of(250, null, "Ok"), this::resetTransaction);
            case "NOOP" -> simple(Stage.NOOP, Reply.of(250, null, "Ok"), null);
            case "VRFY" -> args.isEmpty()
                    ? error(Stage.VRFY, 501, "5.5.4", "Syntax: VRFY address")
                    : simple(Stage.VRFY, Reply.of(252, null,
                            "Cannot VRFY user, but will accept message and attempt delivery"), null);
            case "EXPN" -> error(Stage.UNKNOWN, 502, "5.5.1", "Error: command not implemented");
            case "HELP" -> simple(Stage.HELP, Reply.of(214, null, "Commands: " + commandsOffered()), null);
            case "QUIT" -> quit();
            case "STARTTLS" -> !offered(Extension.STARTTLS) ? unknown()
                    : tls ? error(Stage.STARTTLS, 503, "5.5.1", "Error: TLS already active") : starttls(args);
            case "AUTH" -> offered(Extension.AUTH) ? auth(args) : unknown();
            default -> unknown();
        };
    }

    private static Stage stageOf(String verb) {
        return switch (verb) {
            case "EHLO", "HELO" -> Stage.HELO;
            case "MAIL" -> Stage.MAIL;
            case "RCPT" -> Stage.RCPT;
            case "DATA", "BDAT" -> Stage.DATA;
            case "RSET" -> Stage.RSET;
            case "NOOP" -> Stage.NOOP;
            case "VRFY" -> Stage.VRFY;
            case "HELP" -> Stage.HELP;
            case "STARTTLS" -> Stage.STARTTLS;
            case "AUTH" -> Stage.AUTH;
            default -> Stage.UNKNOWN;
        };
    }

    /** Advertised in EHLO (whether or not it is refused when used). */
    /** HELP's list: only verbs this session would take (no STARTTLS under TLS, no AUTH without users). */
    private String commandsOffered() {
        return "EHLO HELO MAIL RCPT DATA" + (offered(Extension.CHUNKING) ? " BDAT" : "") + " RSET NOOP VRFY HELP QUIT"
                + (offered(Extension.STARTTLS) && !tls ? " STARTTLS" : "") + (offered(Extension.AUTH) ? " AUTH" : "");
    }

    private boolean offered(Extension e) {
        return options.advertises(e);
    }

    private boolean refused(Extension e) {
        return options.refused().contains(e);
    }

    private Answer unknown() {
        // RFC 5321 3.8: never close on an unknown command; an unadvertised extension counts as unknown
        Outcome outcome = decide(Stage.UNKNOWN, null, null);
        return conclude(Stage.UNKNOWN, outcome, Reply.of(500, "5.5.2", "Error: command not recognized"), null,
                Action.CONTINUE, null);
    }

    private Answer simple(Stage stage, Reply normal, Runnable onAccept) {
        return conclude(stage, decide(stage, null, null), normal, onAccept, Action.CONTINUE, null);
    }

    private Answer quit() {
        Outcome outcome = decide(Stage.QUIT, null, null);
        if (outcome instanceof Outcome.Drop drop) {
            return dropped(Stage.QUIT, drop);
        }
        Reply reply = outcome instanceof Outcome.Respond r ? r.reply() : Reply.of(221, null, "Bye");
        return answer(Stage.QUIT, reply, outcome, Action.CLOSE, null);
    }

    private Answer hello(String name, boolean extended) {
        if (name.isEmpty()) {
            return error(Stage.HELO, 501, "5.5.4", "Syntax: " + (extended ? "EHLO" : "HELO") + " hostname");
        }
        String offeredName = WHITESPACE.split(name)[0];
        Outcome outcome = decide(Stage.HELO, offeredName, null);
        Reply normal = extended ? ehloReply(offeredName) : Reply.of(250, null, options.hostname());
        return conclude(Stage.HELO, outcome, normal, () -> {
            resetTransaction(); // RFC 5321 4.1.4: a new EHLO resets like RSET
            helo = offeredName;
        }, Action.CONTINUE, null);
    }

    private Reply ehloReply(String name) {
        List<String> lines = new ArrayList<>();
        lines.add(options.hostname() + " Hello " + printable(name));
        for (Extension e : Extension.values()) {
            if (!offered(e) || e == Extension.STARTTLS && tls) {
                continue; // RFC 3207 4.2: no STARTTLS once under TLS
            }
            switch (e) {
                case SIZE -> lines.add("SIZE " + options.sizeLimit());
                case AUTH -> lines.add("AUTH PLAIN LOGIN");
                default -> lines.add(e.keyword());
            }
        }
        return new Reply(250, null, lines);
    }

    /**
     * Client text echoed in a reply: reply text is printable US-ASCII (RFC 5321 4.2), so anything
     * else (controls, escape sequences, UTF-8) becomes '?', and the echo is cut to keep lines short.
     */
    private static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_ECHO));
        text.codePoints().limit(MAX_ECHO).forEach(c -> sb.append(c >= 0x21 && c <= 0x7E ? (char) c : '?'));
        return sb.toString();
    }

    private Answer mail(String args) {
        if (helo == null) {
            return error(Stage.MAIL, 503, "5.5.1", "Error: send HELO/EHLO first");
        }
        if (options.requireTls() && !tls) {
            return error(Stage.MAIL, 530, "5.7.0", "Must issue a STARTTLS command first");
        }
        if (options.requireAuth() && authUser == null) {
            return error(Stage.MAIL, 530, "5.7.0", "Authentication required");
        }
        if (mailFrom != null) {
            return error(Stage.MAIL, 503, "5.5.1", "Error: nested MAIL command");
        }
        Matcher m = MAIL.matcher(args);
        if (!m.matches()) {
            return error(Stage.MAIL, 501, "5.5.4", "Syntax: MAIL FROM:<address>");
        }
        String address = unbracket(m.group(1));
        boolean utf8 = false;
        for (String param : WHITESPACE.split(m.group(2).strip())) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String key = (eq < 0 ? param : param.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : param.substring(eq + 1);
            Extension needs = switch (key) {
                case "SIZE" -> Extension.SIZE;
                case "BODY" -> Extension.EIGHTBITMIME;
                case "SMTPUTF8" -> Extension.SMTPUTF8;
                case "RET", "ENVID" -> Extension.DSN;
                case "AUTH" -> Extension.AUTH;
                default -> null;
            };
            if (needs == null || !offered(needs) || refused(needs)) {
                return error(Stage.MAIL, 555, "5.5.4", "Unsupported option: " + printable(param));
            }
            switch (key) {
                case "SIZE" -> {
                    if (value == null || !SIZE_VALUE.matcher(value).matches()) {
                        return error(Stage.MAIL, 501, "5.5.4", "Bad message size syntax");
                    }
                    long declared = Long.parseLong(value);
                    if (options.sizeLimit() > 0 && declared > options.sizeLimit()) {
                        return error(Stage.MAIL, 552, "5.3.4", "Message size exceeds fixed maximum message size");
                    }
                }
                case "BODY" -> {
                    if (value == null || !(value.equalsIgnoreCase("7BIT") || value.equalsIgnoreCase("8BITMIME"))) {
                        return error(Stage.MAIL, 501, "5.5.4", "Unsupported BODY type: " + printable(value));
                    }
                }
                case "SMTPUTF8" -> {
                    if (value != null) {
                        return error(Stage.MAIL, 501, "5.5.4", "SMTPUTF8 takes no value");
                    }
                    utf8 = true;
                }
                default -> {
                    // RET, ENVID, AUTH: accepted and ignored by a sink
                }
            }
        }
        Answer bad = checkAddress(Stage.MAIL, address, utf8);
        if (bad != null) {
            return bad;
        }
        boolean utf8Requested = utf8;
        Outcome outcome = decide(Stage.MAIL, address, null);
        return conclude(Stage.MAIL, outcome, Reply.of(250, null, "Ok"), () -> {
            mailFrom = address;
            smtputf8 = utf8Requested;
            transactions++;
        }, Action.CONTINUE, null);
    }

    private Answer checkAddress(Stage stage, String address, boolean utf8) {
        if (address.length() > MAX_PATH) {
            return error(stage, 501, "5.1.3", "Address too long");
        }
        if (address.indexOf('\uFFFD') >= 0) {
            return error(stage, 501, "5.1.3", "Bad address syntax: invalid UTF-8");
        }
        if (!utf8 && !isAscii(address)) {
            return error(stage, 553, "5.6.7", "Non-ASCII address requires SMTPUTF8");
        }
        if (stage == Stage.MAIL && address.isEmpty() || stage == Stage.RCPT && address.equalsIgnoreCase("postmaster")) {
            return null; // the null sender; RFC 5321 4.1.1.3: RCPT TO:<Postmaster> needs no domain
        }
        Matcher m = MAILBOX.matcher(address);
        if (!m.matches() || octets(m.group(1)) > MAX_LOCAL_PART || octets(m.group(2)) > MAX_DOMAIN) {
            // RFC 5321 4.1.2, 4.5.3.1.1-2; the magic addresses (550-5.1.1@x) are valid dot-strings
            return error(stage, 501, "5.1.3", "Bad address syntax");
        }
        return null;
    }

    private static int octets(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String unbracket(String path) {
        String inner = path.substring(1, path.length() - 1).strip();
        int colon = inner.indexOf(':');
        if (inner.startsWith("@") && colon > 0) {
            inner = inner.substring(colon + 1); // RFC 5321 4.1.2: ignore an old source route
        }
        return inner;
    }

    private Answer rcpt(String args) {
        if (options.requireTls() && !tls) {
            return error(Stage.RCPT, 530, "5.7.0", "Must issue a STARTTLS command first");
        }
        if (mailFrom == null) {
            return error(Stage.RCPT, 503, "5.5.1", "Error: need MAIL command");
        }
        Matcher m = RCPT.matcher(args);
        if (!m.matches() || m.group(1).length() == 2) {
            return error(Stage.RCPT, 501, "5.5.4", "Syntax: RCPT TO:<address>");
        }
        String address = unbracket(m.group(1));
        for (String param : WHITESPACE.split(m.group(2).strip())) {
            if (param.isEmpty()) {
                continue;
            }
            String key = param.split("=", 2)[0].toUpperCase(Locale.ROOT);
            boolean dsn = key.equals("NOTIFY") || key.equals("ORCPT");
            if (!dsn || !offered(Extension.DSN) || refused(Extension.DSN)) {
                return error(Stage.RCPT, 555, "5.5.4", "Unsupported option: " + printable(param));
            }
        }
        Answer bad = checkAddress(Stage.RCPT, address, smtputf8);
        if (bad != null) {
            return bad;
        }
        if (recipients.size() >= options.maxRecipients()) {
            // RFC 5321 4.5.3.1.10: a temporary 452 per extra recipient, earlier ones stay accepted
            return answerRcpt(address, Reply.of(452, "4.5.3", "Error: too many recipients"), null, Action.CONTINUE);
        }
        Outcome outcome = decide(Stage.RCPT, address, null);
        if (outcome instanceof Outcome.Drop drop) {
            return dropped(Stage.RCPT, drop);
        }
        Reply reply = outcome instanceof Outcome.Respond r ? r.reply() : Reply.of(250, null, "Ok");
        if (reply.code() / 100 == 2) {
            recipients.add(address);
            if (!(outcome instanceof Outcome.Proceed p && p.discard())) {
                discardMessage = false;
            }
        } else {
            recipientRejected = true;
        }
        boolean close = outcome instanceof Outcome.Respond r && r.close();
        return answerRcpt(address, reply, outcome, close ? Action.CLOSE : Action.CONTINUE);
    }

    private Answer answerRcpt(String address, Reply reply, Outcome outcome, Action action) {
        return answer(Stage.RCPT, reply, outcome, action, address);
    }

    /** The checks DATA and BDAT share; null when a body may follow. */
    private Reply bodyRefusal() {
        if (options.requireTls() && !tls) {
            return Reply.of(530, "5.7.0", "Must issue a STARTTLS command first");
        }
        if (mailFrom == null) {
            return Reply.of(503, "5.5.1", "Error: need MAIL command");
        }
        if (recipients.isEmpty()) {
            // RFC 5321 3.3: no 354 without an accepted recipient
            return recipientRejected ? Reply.of(554, "5.5.1", "Error: no valid recipients")
                    : Reply.of(503, "5.5.1", "Error: need RCPT command");
        }
        return null;
    }

    private Answer data(String args) {
        if (!args.isEmpty()) {
            return error(Stage.DATA, 501, "5.5.4", "Syntax: DATA (no parameters allowed)");
        }
        Reply refusal = bodyRefusal();
        if (refusal == null && body == Body.BDAT) {
            refusal = Reply.of(503, "5.5.1", "Error: DATA after BDAT in one transaction");
        }
        if (refusal != null) {
            return error(Stage.DATA, refusal);
        }
        Outcome outcome = decide(Stage.DATA, null, null);
        Reply normal = Reply.of(354, null, "End data with <CR><LF>.<CR><LF>");
        if (outcome instanceof Outcome.Drop drop && drop.afterDataBytes() >= 0) {
            beginMessage(Body.DATA);
            dropAfterOctets = drop.afterDataBytes();
            dropAfterData = drop;
            return answer(Stage.DATA, normal, outcome, Action.READ_DATA, null);
        }
        return conclude(Stage.DATA, outcome, normal, () -> beginMessage(Body.DATA), Action.READ_DATA, null);
    }

    private Answer bdat(String args) {
        Matcher m = BDAT.matcher(args);
        if (!m.matches()) {
            return error(Stage.DATA, 501, "5.5.4", "Syntax: BDAT size [LAST]");
        }
        long octets = Long.parseLong(m.group(1));
        boolean last = m.group(2) != null;
        Reply refusal = null;
        boolean aborts = false; // a refusal inside a valid transaction ends the message at LAST
        if (refused(Extension.CHUNKING)) {
            refusal = Reply.of(502, "5.5.1", "Error: BDAT not available");
        } else if (chunkFailed) {
            refusal = Reply.of(503, "5.5.1", "Error: earlier BDAT chunk was rejected, send RSET");
            aborts = true;
        } else if ((refusal = bodyRefusal()) == null && body == Body.DATA) {
            refusal = Reply.of(503, "5.5.1", "Error: BDAT after DATA in one transaction");
        }
        if (refusal == null && body == Body.NONE) {
            Outcome outcome = decide(Stage.DATA, null, null);
            if (outcome instanceof Outcome.Drop drop) {
                return dropped(Stage.DATA, drop);
            }
            if (outcome instanceof Outcome.Respond r && !r.reply().isPositive()) {
                refusal = r.reply();
                // RFC 3030 / Postfix: a rejected message's later chunks are skipped until LAST or RSET
                chunkFailed = true;
                aborts = true;
            } else {
                beginMessage(Body.BDAT);
            }
        }
        pendingChunkError = refusal;
        pendingChunkLast = last;
        pendingChunkAbortsMessage = aborts;
        if (octets == 0) {
            return chunkRead();
        }
        // RFC 3030 2: the chunk is read whatever the verdict, else its bytes would run as commands
        return new Answer(null, Duration.ZERO, Action.READ_CHUNK, octets, null, null);
    }

    // ---------------------------------------------------------------- message bodies

    private void beginMessage(Body kind) {
        resetMessage();
        body = kind;
        messageSize = 0;
        headers = new MessageHeaders();
        if (capturing) {
            captured = allocator.compositeBuffer(Integer.MAX_VALUE);
        }
    }

    /**
     * Body bytes (dot-unstuffed for DATA). The caller keeps ownership of {@code chunk}.
     *
     * @return a drop answer when a rule drops after so many octets, else null
     */
    public Answer onContent(ByteBuf chunk) {
        if (body == Body.NONE) {
            return null; // a rejected BDAT chunk being drained
        }
        int n = chunk.readableBytes();
        messageSize += n;
        if (headers != null) {
            headers.accept(chunk);
        }
        if (captured != null) {
            if (options.sizeLimit() > 0 && messageSize > options.sizeLimit()) {
                captured.release();
                captured = null;
            } else {
                captured.addComponent(true, chunk.retain());
            }
        }
        if (dropAfterData != null && messageSize >= dropAfterOctets) {
            return dropped(Stage.DATA, dropAfterData);
        }
        return null;
    }

    /** The end of a DATA body or of a BDAT chunk. */
    public Answer onDataEnd(boolean bareLineFeed, boolean chunk) {
        if (chunk) {
            return chunkRead();
        }
        if (dropAfterData != null) {
            return dropped(Stage.DATA, dropAfterData); // the body was shorter than the rule's octets
        }
        if (bareLineFeed && options.bareLineFeed() == BareLineFeedPolicy.REJECT) {
            // drained to the real end first; Postfix smtpd_forbid_bare_newline wording
            return endMessage(Reply.of(550, "5.5.2", "Error: bare <LF> received"));
        }
        return finishMessage();
    }

    private Answer chunkRead() {
        if (pendingChunkError != null) {
            Reply refusal = pendingChunkError;
            pendingChunkError = null;
            if (pendingChunkLast && pendingChunkAbortsMessage) {
                resetTransaction();
            }
            return error(Stage.DATA, refusal);
        }
        if (!pendingChunkLast) {
            if (options.sizeLimit() > 0 && messageSize > options.sizeLimit()) {
                chunkFailed = true;
                resetMessage();
                body = Body.NONE;
                return error(Stage.DATA, 552, "5.3.4", "Message size exceeds fixed maximum message size");
            }
            return answer(Stage.DATA, Reply.of(250, null, messageSize + " octets received"), null, Action.CONTINUE,
                    null);
        }
        return finishMessage();
    }

    private Answer finishMessage() {
        if (options.sizeLimit() > 0 && messageSize > options.sizeLimit()) {
            return endMessage(Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size"));
        }
        Map<String, List<String>> fields = headers == null ? Map.of() : headers.parse();
        Outcome outcome = decide(Stage.DATA_END, null, fields);
        String queueId = sessionId + "-" + (messages + 1);
        Reply normal = Reply.of(250, null, "Ok: queued as " + queueId);
        if (outcome instanceof Outcome.Drop drop) {
            Answer a = dropped(Stage.DATA_END, drop);
            resetTransaction();
            return a;
        }
        Reply reply = outcome instanceof Outcome.Respond r ? r.reply() : normal;
        boolean accepted = reply.code() / 100 == 2;
        boolean discard = discardMessage || outcome instanceof Outcome.Proceed p && p.discard();
        CapturedMessage capture = null;
        if (accepted) {
            messages++;
            if (captured != null && !discard) {
                capture = new CapturedMessage(clock.instant(), sessionId, messages, clientIp, helo, mailFrom,
                        List.copyOf(recipients), queueId, captured);
                captured = null; // ownership moves to the capture writer
            }
        }
        boolean close = outcome instanceof Outcome.Respond r && r.close();
        Answer a = answer(Stage.DATA_END, reply, outcome, close ? Action.CLOSE : Action.CONTINUE, null,
                messageId(fields), capture);
        resetTransaction(); // RFC 5321 4.1.1.4: the transaction ends whatever the verdict
        return a;
    }

    private Answer endMessage(Reply reply) {
        Answer a = answer(Stage.DATA_END, reply, null, Action.CONTINUE, null);
        resetTransaction();
        return a;
    }

    private static String messageId(Map<String, List<String>> fields) {
        List<String> ids = fields.get("message-id");
        return ids == null || ids.isEmpty() ? null : ids.get(0);
    }

    private void resetMessage() {
        if (captured != null) {
            captured.release();
            captured = null;
        }
        headers = null;
        messageSize = 0;
        dropAfterData = null;
        dropAfterOctets = -1;
    }

    private void resetTransaction() {
        resetMessage();
        mailFrom = null;
        smtputf8 = false;
        recipients.clear();
        recipientRejected = false;
        discardMessage = true;
        body = Body.NONE;
        chunkFailed = false;
        pendingChunkError = null;
    }

    // ---------------------------------------------------------------- STARTTLS and AUTH

    private Answer starttls(String args) {
        if (!args.isEmpty()) {
            return error(Stage.STARTTLS, 501, "5.5.4", "Syntax error (no parameters allowed)");
        }
        if (authUser != null) {
            // no TLS after AUTH: a MITM could otherwise fix the session (Poddebniak et al. 2021)
            return error(Stage.STARTTLS, 503, "5.5.1", "Error: already authenticated");
        }
        if (refused(Extension.STARTTLS)) {
            return error(Stage.STARTTLS, 454, "4.7.0", "TLS not available due to temporary reason");
        }
        Outcome outcome = decide(Stage.STARTTLS, null, null);
        return conclude(Stage.STARTTLS, outcome, Reply.of(220, null, "Ready to start TLS"), null,
                Action.START_TLS, null);
    }

    private Answer auth(String args) {
        if (helo == null) {
            return error(Stage.AUTH, 503, "5.5.1", "Error: send HELO/EHLO first");
        }
        if (authUser != null) {
            return error(Stage.AUTH, 503, "5.5.1", "Error: already authenticated");
        }
        if (mailFrom != null) {
            return error(Stage.AUTH, 503, "5.5.1", "Error: AUTH not allowed during a mail transaction");
        }
        if (refused(Extension.AUTH)) {
            return error(Stage.AUTH, 454, "4.7.0", "Temporary authentication failure");
        }
        if (options.requireTls() && !tls) {
            // policy: plaintext AUTH is fine on a test sink unless the scenario requires TLS
            return error(Stage.AUTH, 538, "5.7.11", "Encryption required for requested authentication mechanism");
        }
        if (args.isEmpty()) {
            return error(Stage.AUTH, 501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
        }
        String[] parts = WHITESPACE.split(args);
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        if (!mechanism.equals("PLAIN") && !mechanism.equals("LOGIN") || parts.length > 2) {
            return error(Stage.AUTH, 504, "5.5.4", "Unsupported authentication mechanism");
        }
        String initial = parts.length == 2 ? parts[1] : null;
        auth = new AuthExchange(mechanism, null);
        if (initial == null) {
            return challenge(mechanism.equals("PLAIN") ? "" : "VXNlcm5hbWU6"); // "Username:"
        }
        return continueAuth(initial);
    }

    private Answer challenge(String base64) {
        return answer(Stage.AUTH, Reply.of(334, null, base64), null, Action.CONTINUE, null);
    }

    private Answer continueAuth(String line) {
        AuthExchange exchange = auth;
        if (line.equals("*")) {
            auth = null;
            return error(Stage.AUTH, 501, "5.7.0", "Authentication cancelled");
        }
        byte[] decoded;
        try {
            decoded = line.equals("=") ? new byte[0] : Base64.getDecoder().decode(line.strip());
        } catch (IllegalArgumentException e) {
            auth = null;
            return error(Stage.AUTH, 501, "5.5.2", "Error: invalid base64 data");
        }
        String text = new String(decoded, java.nio.charset.StandardCharsets.UTF_8);
        if (exchange.mechanism().equals("LOGIN") && exchange.user() == null) {
            auth = new AuthExchange("LOGIN", text);
            return challenge("UGFzc3dvcmQ6"); // "Password:"
        }
        auth = null;
        String user;
        String password;
        if (exchange.mechanism().equals("PLAIN")) {
            String[] fields = text.split("\0", -1); // authzid NUL authcid NUL passwd (RFC 4616)
            if (fields.length != 3) {
                return error(Stage.AUTH, 501, "5.5.2", "Error: malformed PLAIN response");
            }
            user = fields[1];
            password = fields[2];
        } else {
            user = exchange.user();
            password = text;
        }
        String expected = options.authUsers().get(user);
        boolean valid = expected != null && expected.equals(password);
        Outcome outcome = decide(Stage.AUTH, null, null, user);
        Reply normal = valid ? Reply.of(235, "2.7.0", "Authentication successful")
                : Reply.of(535, "5.7.8", "Error: authentication failed");
        return conclude(Stage.AUTH, outcome, normal, () -> {
            if (valid || outcome instanceof Outcome.Respond) {
                authUser = user;
            }
        }, Action.CONTINUE, null);
    }

    // ---------------------------------------------------------------- decisions and replies

    private Outcome decide(Stage stage, String offered, Map<String, List<String>> fields) {
        return decide(stage, offered, fields, authUser);
    }

    private Outcome decide(Stage stage, String offered, Map<String, List<String>> fields, String user) {
        Context context = new Context(stage, sessionId, clientAddress,
                stage == Stage.HELO ? offered : helo, tls, user,
                stage == Stage.MAIL ? offered : mailFrom,
                stage == Stage.RCPT ? offered : null,
                List.copyOf(recipients),
                fields == null ? Map.of() : fields,
                stage == Stage.DATA_END ? messageSize : 0,
                stage == Stage.MAIL || mailFrom == null ? transactions : transactions - 1);
        try {
            Outcome outcome = scenario.decide(context);
            return outcome == null ? Outcome.PROCEED : outcome;
        } catch (RuntimeException e) {
            // a broken rule must not kill the session: answer as if no rule matched
            LOG.warn("session {}: scenario failed at stage {}, using the default reply", sessionId,
                    stage.configName(), e);
            return Outcome.PROCEED;
        }
    }

    /**
     * Applies an outcome: a reply of the same class as the normal one accepts the command (and
     * runs {@code onAccept}); any other reply leaves the state as it was (RFC 5321 4.1.4).
     */
    private Answer conclude(Stage stage, Outcome outcome, Reply normal, Runnable onAccept, Action acceptAction,
                            String recipient) {
        if (outcome instanceof Outcome.Drop drop) {
            return dropped(stage, drop);
        }
        Reply reply = outcome instanceof Outcome.Respond r ? r.reply() : normal;
        boolean accepted = reply.code() / 100 == normal.code() / 100;
        if (accepted && onAccept != null) {
            onAccept.run();
        }
        boolean close = outcome instanceof Outcome.Respond r && r.close();
        Action action = close ? Action.CLOSE : accepted ? acceptAction : Action.CONTINUE;
        return answer(stage, reply, outcome, action, recipient);
    }

    private Answer error(Stage stage, int code, String enhanced, String text) {
        return error(stage, Reply.of(code, enhanced, text));
    }

    private Answer error(Stage stage, Reply reply) {
        return answer(stage, reply, null, Action.CONTINUE, null);
    }

    private Answer dropped(Stage stage, Outcome.Drop drop) {
        Action action = switch (drop.mode()) {
            case CLOSE -> Action.CLOSE;
            case RST -> Action.RESET;
            case HANG -> Action.HANG;
        };
        // no reply goes out; the event (code 0, no lines) still tells listeners what happened
        TransactionEvent event = new TransactionEvent(clock.instant(), sessionId, clientIp, helo, stage, mailFrom,
                null, recipientsFor(stage), 0, null, List.of(), drop.ruleId(), null, true);
        return new Answer(null, drop.delay(), action, 0, event, null);
    }

    private Answer answer(Stage stage, Reply reply, Outcome outcome, Action action, String recipient) {
        return answer(stage, reply, outcome, action, recipient, null, null);
    }

    private Answer answer(Stage stage, Reply reply, Outcome outcome, Action action, String recipient,
                          String messageId, CapturedMessage capture) {
        Reply wire = withEnhancedCode(reply, stage);
        TransactionEvent event = new TransactionEvent(clock.instant(), sessionId, clientIp, helo, stage, mailFrom,
                recipient, recipientsFor(stage), wire.code(), wire.enhancedCode(), wire.lines(),
                outcome == null ? null : outcome.ruleId(), messageId, action == Action.CLOSE);
        Duration delay = outcome == null ? Duration.ZERO : outcome.delay();
        return new Answer(wire, delay, action, 0, event, capture);
    }

    private List<String> recipientsFor(Stage stage) {
        return stage == Stage.DATA || stage == Stage.DATA_END ? List.copyOf(recipients) : List.of();
    }

    /**
     * RFC 2034: with ENHANCEDSTATUSCODES every 2xx/4xx/5xx line carries one, a default when the
     * reply has none; never on 3xx, the greeting or the EHLO reply, and none when not advertised.
     */
    private Reply withEnhancedCode(Reply reply, Stage stage) {
        boolean enabled = options.advertises(Extension.ENHANCEDSTATUSCODES)
                && !options.refused().contains(Extension.ENHANCEDSTATUSCODES);
        if (!enabled || reply.code() / 100 == 3) {
            return reply.enhancedCode() == null ? reply : reply.withEnhancedCode(null);
        }
        if (reply.enhancedCode() != null) {
            return reply;
        }
        if (stage == Stage.CONNECT || stage == Stage.HELO && reply.code() == 250) {
            return reply;
        }
        return reply.withEnhancedCode(EnhancedCodes.defaultFor(reply.code(), stage));
    }

    /** The read-only view a scenario gets. */
    private record Context(Stage stage, String sessionId, InetAddress clientAddress, String helo, boolean tls,
                           String authUser, String mailFrom, String rcpt, List<String> recipients,
                           Map<String, List<String>> headers, long messageSize, int transactionIndex)
            implements TransactionContext {
    }
}
