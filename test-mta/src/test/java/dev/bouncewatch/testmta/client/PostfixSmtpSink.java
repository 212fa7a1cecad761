package dev.bouncewatch.testmta.client;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Postfix's {@code smtp-sink} on a free loopback port, for tests of the load source. */
public final class PostfixSmtpSink implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/smtp-sink");

    private final Process process;
    private final int port;

    private PostfixSmtpSink(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code smtp-sink [options] 127.0.0.1:PORT 256}; skips the test when it is not installed. */
    public static PostfixSmtpSink start(String... options) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(BINARY), "Postfix smtp-sink is not installed");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "nobody")); // smtp-sink refuses to keep root privileges
        }
        command.addAll(List.of(options));
        command.addAll(List.of("127.0.0.1:" + port, "256"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        PostfixSmtpSink sink = new PostfixSmtpSink(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("smtp-sink exited with " + p.exitValue() + ": " + command);
            }
            try (Socket s = new Socket()) {
                s.connect(sink.address(), 1000);
                return sink;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        sink.close();
        throw new IOException("smtp-sink did not listen on port " + port + " within 20 s");
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
