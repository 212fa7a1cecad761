package dev.bouncewatch.testmta.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bouncewatch.testmta.scenario.Outcome;
import dev.bouncewatch.testmta.scenario.ScenarioHolder;
import dev.bouncewatch.testmta.session.ProtocolOptions;
import dev.bouncewatch.testmta.session.Stage;
import dev.bouncewatch.testmta.smtp.Reply;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Clients nobody here wrote: Jakarta Mail (Angus), Python's smtplib and swaks. */
@Timeout(180)
class RealClientsTest {

    @TempDir
    Path dir;

    private SinkServer server;
    private final EventLog log = new EventLog();

    @BeforeEach
    void start() throws InterruptedException {
        ProtocolOptions d = ProtocolOptions.defaults().withAuthUsers(Map.of("alice", "wonder"));
        TestScenario scenario = new TestScenario(d, c -> c.stage() == Stage.RCPT && c.rcpt().startsWith("unknown@")
                ? new Outcome.Respond("no-user", null, Reply.parse("550 5.1.1 No such user"), false)
                : Outcome.PROCEED);
        server = SinkServer.start(new ServerSettings(new InetSocketAddress("127.0.0.1", 0), null, null, dir),
                new ScenarioHolder(scenario, null), log);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Properties mailProperties(boolean starttls) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(server.address().getPort()));
        p.put("mail.smtp.localhost", "jakarta.test");
        p.put("mail.smtp.connectiontimeout", "30000");
        p.put("mail.smtp.timeout", "30000");
        if (starttls) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
            p.put("mail.smtp.ssl.socketFactory", RawSmtpClient.trustAll().getSocketFactory());
            p.put("mail.smtp.ssl.checkserveridentity", "false");
        }
        return p;
    }

    private static MimeMessage message(Session session, String... to) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("sender@example.org"));
        for (String rcpt : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(rcpt));
        }
        m.setSubject("hello from jakarta");
        m.setText(".a line with a leading dot\r\nbody\r\n");
        return m;
    }

    @Test
    void jakartaMailSendsOverStarttlsWithAuth() throws Exception {
        Properties p = mailProperties(true);
        p.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(p);
        try (Transport t = session.getTransport("smtp")) {
            t.connect("alice", "wonder");
            t.sendMessage(message(session, "bob@example.net"), new InternetAddress[] {new InternetAddress("bob@example.net")});
        }
        assertThat(log.await(e -> e.stream().anyMatch(x -> x.stage() == Stage.DATA_END))).isTrue();
        assertThat(log.events).anyMatch(e -> e.stage() == Stage.STARTTLS && e.code() == 220);
        assertThat(log.events).anyMatch(e -> e.stage() == Stage.AUTH && e.code() == 235);
        assertThat(EventLog.poll(() -> emlCount() == 1, Duration.ofSeconds(30))).isTrue();
        String eml = onlyEml();
        assertThat(eml).contains("Subject: hello from jakarta", "\r\n.a line with a leading dot\r\n");
    }

    @Test
    void jakartaMailSeesWrongPasswordAndRejectedRecipient() throws Exception {
        Properties p = mailProperties(false);
        p.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(p);
        Assertions.assertThatThrownBy(() -> {
            try (Transport t = session.getTransport("smtp")) {
                t.connect("alice", "bad");
            }
        }).isInstanceOf(AuthenticationFailedException.class);

        Session plain = Session.getInstance(mailProperties(false));
        Assertions.assertThatThrownBy(() -> Transport.send(message(plain, "unknown@example.net")))
                .isInstanceOf(SendFailedException.class).cause().hasMessageContaining("550 5.1.1 No such user");
    }

    private long emlCount() {
        try (var s = Files.list(dir)) {
            return s.filter(f -> f.toString().endsWith(".eml")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    private String onlyEml() throws IOException {
        try (var s = Files.list(dir)) {
            return Files.readString(s.filter(f -> f.toString().endsWith(".eml")).findFirst().orElseThrow(),
                    StandardCharsets.UTF_8);
        }
    }

    private static boolean executable(String path) {
        return new File(path).canExecute();
    }

    private static String python() {
        for (String p : List.of("/usr/bin/python3", "/usr/local/bin/python3")) {
            if (executable(p)) {
                return p;
            }
        }
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? "python3" : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    @Test
    void pythonSmtplibSendsWithStarttlsAndAuth() throws Exception {
        String python = python();
        assumeTrue(python != null, "python3 is not installed");
        String script = String.join("\n",
                "import smtplib, ssl, sys",
                "ctx = ssl.create_default_context()",
                "ctx.check_hostname = False",
                "ctx.verify_mode = ssl.CERT_NONE",
                "s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), local_hostname='python.test', timeout=60)",
                "s.ehlo()",
                "assert s.has_extn('starttls'), s.esmtp_features",
                "s.starttls(context=ctx)",
                "s.ehlo()",
                "assert not s.has_extn('starttls')",
                "s.login('alice', 'wonder')",
                "refused = s.sendmail('py@example.org', ['ok@example.net', 'unknown@example.net'],",
                "    'Subject: from python\\r\\n\\r\\n.dot\\r\\nbody\\r\\n')",
                "print('refused', refused)",
                "code, msg = s.docmd('VRFY', 'x')",
                "print('vrfy', code)",
                "s.quit()");
        String out = run(List.of(python, "-c", script, Integer.toString(server.address().getPort())));
        assertThat(out).contains("refused {'unknown@example.net': (550, b'5.1.1 No such user')}", "vrfy 252");
        assertThat(EventLog.poll(() -> emlCount() == 1, Duration.ofSeconds(30))).isTrue();
        assertThat(onlyEml()).contains("X-TestMta-Helo: python.test", "\r\n.dot\r\n");
    }

    @Test
    void swaksPipelinesWithTlsAndAuth() throws Exception {
        assumeTrue(executable("/usr/bin/swaks"), "swaks is not installed");
        String port = Integer.toString(server.address().getPort());
        String out = run(List.of("/usr/bin/swaks", "--server", "127.0.0.1", "--port", port,
                "--from", "swaks@example.org", "--to", "rcpt@example.net", "--helo", "swaks.test",
                "--pipeline", "--tls", "--auth", "PLAIN", "--auth-user", "alice", "--auth-password", "wonder",
                "--timeout", "60"));
        assertThat(out).contains("<~  235 2.7.0", "<~  250 2.0.0 Ok: queued as", "<~  221 2.0.0");
        String login = run(List.of("/usr/bin/swaks", "--server", "127.0.0.1", "--port", port,
                "--from", "swaks@example.org", "--to", "rcpt@example.net", "--helo", "swaks.test",
                "--auth", "LOGIN", "--auth-user", "alice", "--auth-password", "wonder", "--timeout", "60"));
        assertThat(login).contains("<-  235 2.7.0", "<-  250 2.0.0 Ok: queued as");
        assertThat(EventLog.poll(() -> emlCount() == 2, Duration.ofSeconds(30))).isTrue();
    }
}
