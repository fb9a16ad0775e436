package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Dev mode only: the simulated accounts outlive a restart, as a real Twilio account outlives its client's, so that a
 * kept dev database and the simulator still agree (the trunk a provider points to, the webhook URLs an imported
 * number carries). Saved when the application stops, a live reload included, and read when it starts; a process
 * killed without stopping keeps the accounts of its last stop. {@code -Dswitchboard.dev.reset=true} deletes the file
 * with the database (see {@code EmbeddedPostgresConfigSourceFactory}).
 */
@IfBuildProfile("dev")
@Singleton
class SimulatorPersistence {

    private static final Logger LOG = Logger.getLogger(SimulatorPersistence.class);

    private final Accounts accounts;
    private final Path file;

    /**
     * quarkus:dev only: the bench scripts run this dev build as a packaged simulator (profile dev), and each of their
     * runs starts from the configured accounts.
     */
    private static boolean keeps() {
        return LaunchMode.current() == LaunchMode.DEVELOPMENT;
    }

    SimulatorPersistence(Accounts accounts,
            @ConfigProperty(name = "switchboard.dev.data-directory", defaultValue = "target/dev-data") Path directory) {
        this.accounts = accounts;
        this.file = directory.resolve("simulator-accounts.json");
    }

    /** Before anything else observes the start: the dev seeding asks the simulator for its accounts. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) throws IOException {
        if (!keeps()) {
            return;
        }
        if (Files.exists(file)) {
            accounts.restore(new JsonObject(Files.readString(file)));
            LOG.infof("simulator: accounts restored from %s", file);
        }
    }

    void onStop(@Observes ShutdownEvent event) throws IOException {
        if (!keeps()) {
            return;
        }
        Files.createDirectories(file.getParent());
        // Written beside and moved, so that a stop cut short never leaves half a file to be read at the next start.
        Path written = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(written, accounts.saved().encodePrettily());
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
