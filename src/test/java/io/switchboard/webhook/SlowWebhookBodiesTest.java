package io.switchboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SignedWebhook;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * Connections that declare a large webhook body and send it slowly, or not at all: they cost what they sent, not what
 * they declared, are answered and closed after the body timeout (1 s in tests), and meanwhile Twilio is answered.
 */
@QuarkusTest
class SlowWebhookBodiesTest {

    private static final int DECLARED = 65_536;

    @Inject
    TwilioSimulator simulator;

    @Inject
    MeterRegistry metrics;

    @Test
    void declaredBodiesAreNotAllocatedAndSlowOnesAreClosed() throws Exception {
        var c = Connected.create(simulator, 1);
        c.importNumber(0, null);
        int count = 300;
        int sent = 100;
        long before = retainedHeap();
        var sockets = new ArrayList<Socket>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(slowPost(DECLARED, sent));
            }
            Await.until(Duration.ofSeconds(5), () -> buffered() >= (double) count * sent,
                    "every connection's first bytes to be read");
            long grown = retainedHeap() - before;
            // Sized up front, the buffers alone held count * 64 KiB (19 MiB).
            assertThat(grown).isLessThan((long) count * DECLARED / 4);

            SignedWebhook.post("/twilio/voice/inbound",
                    SignedWebhook.inboundCall(c.account().accountSid(), "+15105550123", c.number(0)),
                    c.account().authToken()).then().statusCode(200);

            long start = System.nanoTime();
            for (Socket socket : sockets) {
                assertThat(readToClose(socket.getInputStream())).startsWith("HTTP/1.1 408");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            Await.until(Duration.ofSeconds(2), () -> buffered() == 0, "the closed bodies to be released");
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Bodies arriving faster than the budget allows: those past it are answered 503 and closed, the heap stays bounded. */
    @Test
    void bodiesBeyondTheBudgetAreRefused() throws Exception {
        int count = 160;
        int sent = 60_000;
        var sockets = new ArrayList<Socket>();
        long before = retainedHeap();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(slowPost(DECLARED, sent));
            }
            var statuses = new ArrayList<String>();
            for (Socket socket : sockets) {
                statuses.add(status(socket));
                if (statuses.size() == 1) {
                    // Every body sent so far is held at once, within the budget (8 MiB) and little more.
                    assertThat(retainedHeap() - before).isLessThan(12L << 20);
                }
            }
            // Closed with part of its body unread, a refused connection may be reset before its 503 is read.
            assertThat(statuses).contains("HTTP/1.1 408").containsAnyOf("HTTP/1.1 503", "reset")
                    .allMatch(s -> s.equals("HTTP/1.1 503") || s.equals("HTTP/1.1 408") || s.equals("reset"));
            Await.until(Duration.ofSeconds(2), () -> buffered() == 0, "the closed bodies to be released");
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** The headers of an inbound-call webhook declaring {@code declared} bytes, and only {@code sent} of them. */
    private static Socket slowPost(int declared, int sent) throws IOException {
        var socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port);
        socket.setSoTimeout(10_000);
        String head = "POST /twilio/voice/inbound HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: c2xvdw==\r\n"
                + "Content-Length: " + declared + "\r\n\r\n";
        var out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write("x".repeat(sent).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** The status line the service answered before closing, or "reset". */
    private static String status(Socket socket) throws IOException {
        try {
            String answer = readToClose(socket.getInputStream());
            return answer.length() < 12 ? answer : answer.substring(0, 12);
        } catch (SocketException e) {
            return "reset";
        }
    }

    /** Everything the service writes until it closes the connection (a read timeout fails the test). */
    private static String readToClose(InputStream in) throws IOException {
        var answer = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        for (int n; (n = in.read(chunk)) >= 0;) {
            answer.write(chunk, 0, n);
        }
        return answer.toString(StandardCharsets.US_ASCII);
    }

    private double buffered() {
        return metrics.get("switchboard.webhook.bodies.buffered").gauge().value();
    }

    private static long retainedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
