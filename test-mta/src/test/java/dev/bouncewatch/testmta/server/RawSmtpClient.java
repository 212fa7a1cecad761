package dev.bouncewatch.testmta.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A byte-level SMTP client for conformance tests: writes exactly what it is told, reads raw reply lines. */
final class RawSmtpClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawSmtpClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 30_000);
        socket.setSoTimeout(30_000); // safety net only
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    RawSmtpClient send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    RawSmtpClient sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** One raw line including its CRLF, or null at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /** All lines of one reply, each with its CRLF. */
    List<String> readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed after " + lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return lines;
            }
        }
    }

    /** The last line of the next reply without CRLF, e.g. {@code 250 2.0.0 Ok}. */
    String reply() throws IOException {
        List<String> lines = readReply();
        return lines.get(lines.size() - 1).stripTrailing();
    }

    String command(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    /** True when the server closed the connection (reads EOF or reset) before the deadline. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Runs a TLS handshake over the connection, trusting the sink's self-signed certificate. */
    void startTls() throws Exception {
        SSLSocket tls = (SSLSocket) trustAll().getSocketFactory()
                .createSocket(socket, "localhost", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        socket = tls;
        in = tls.getInputStream();
        out = tls.getOutputStream();
    }

    /** The certificate the server presented in the TLS handshake. */
    java.security.cert.Certificate peerCertificate() throws Exception {
        return ((SSLSocket) socket).getSession().getPeerCertificates()[0];
    }

    static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        return context;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
