package io.switchboard.packaging;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged service ({@code java -jar target/switchboard-<version>-runner.jar}) run as an operator would run it. */
final class PackagedApp implements AutoCloseable {

    static final String JAR = System.getProperty("quarkus.app.jar");

    final Process process;
    final Path log;
    final int port;

    private PackagedApp(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the jar with exactly the given configuration environment (nothing inherited but PATH and HOME). */
    static PackagedApp start(Map<String, String> env) throws IOException {
        return start(env, List.of());
    }

    /** The same, with these JVM options before {@code -jar}. */
    static PackagedApp start(Map<String, String> env, List<String> jvmOptions) throws IOException {
        int port = freePort();
        Path log = Files.createTempFile("switchboard-", ".log");
        var command = new ArrayList<String>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR));
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        var environment = builder.environment();
        environment.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        environment.putAll(env);
        return new PackagedApp(builder.start(), log, port);
    }

    /** Asks the process to stop (SIGTERM), as Kubernetes does, and waits for it to exit; returns its exit code. */
    int stop(Duration timeout) throws InterruptedException, IOException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Polls readiness; returns the milliseconds it took. */
    long awaitReady(Duration timeout) throws Exception {
        long start = System.nanoTime();
        var client = HttpClient.newHttpClient();
        while (System.nanoTime() - start < timeout.toNanos()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                var response = client.send(HttpRequest.newBuilder(uri("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("not ready after " + timeout + ":\n" + output());
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
