package io.switchboard.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.mutiny.sqlclient.Pool;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops the tests' embedded PostgreSQL, or one backend of it, with SIGSTOP and resumes it with SIGCONT: the server
 * then neither answers nor closes anything, while its kernel still acknowledges every packet, as a hung server or a
 * half-open connection would behave. The server is found through a backend of the pool: its parent is the
 * postmaster.
 */
public final class PostgresProcesses {

    private PostgresProcesses() {
    }

    /** Processes stopped until {@link #close()}. */
    public static final class Frozen implements AutoCloseable {

        private final List<Long> pids;
        private boolean thawed;

        private Frozen(List<Long> pids) {
            this.pids = pids;
        }

        public List<Long> pids() {
            return List.copyOf(pids);
        }

        @Override
        public synchronized void close() {
            if (!thawed) {
                thawed = true;
                signal("-CONT", pids);
            }
        }
    }

    /** The whole server: the postmaster first, so it forks nothing more, then every process it started. */
    public static Frozen freezeServer(Pool pool) {
        long backend = pool.query("select pg_backend_pid() as pid").execute().await().atMost(Duration.ofSeconds(5))
                .iterator().next().getInteger("pid");
        var postmaster = ProcessHandle.of(backend).flatMap(ProcessHandle::parent)
                .orElseThrow(() -> new AssertionError("no postmaster above backend " + backend));
        assertThat(postmaster.info().command()).as("the postmaster's command").hasValueSatisfying(
                command -> assertThat(command).endsWith("/postgres"));
        var pids = new ArrayList<Long>();
        pids.add(postmaster.pid());
        signal("-STOP", pids);
        postmaster.descendants().forEach(child -> pids.add(child.pid()));
        var frozen = new Frozen(pids);
        // Resumed even when the test dies with it stopped, or the embedded server could not be shut down.
        Runtime.getRuntime().addShutdownHook(new Thread(frozen::close, "embedded-postgres-thaw"));
        signal("-STOP", pids.subList(1, pids.size()));
        return frozen;
    }

    /** One backend, found by the test; the rest of the server keeps working. */
    public static Frozen freezeBackend(long pid) {
        var frozen = new Frozen(List.of(pid));
        Runtime.getRuntime().addShutdownHook(new Thread(frozen::close, "embedded-postgres-thaw"));
        signal("-STOP", frozen.pids);
        return frozen;
    }

    private static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        var command = new ArrayList<String>(List.of("kill", signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
            // Resuming is best effort: a backend may be gone by then, and the others must still be resumed.
            if (!signal.equals("-CONT")) {
                assertThat(exit).as(String.join(" ", command)).isZero();
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }
}
