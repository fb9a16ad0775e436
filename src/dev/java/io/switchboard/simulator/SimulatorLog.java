package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything the simulator received and sent, oldest first; cleared by a reset. A singleton, not application
 * scoped: its fields are read directly, and a client proxy would have fields of its own.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@Singleton
class SimulatorLog {

    final List<Recorded.Request> requests = new CopyOnWriteArrayList<>();
    final List<Recorded.Twiml> twiml = new CopyOnWriteArrayList<>();
    final List<Recorded.Callback> callbacks = new CopyOnWriteArrayList<>();

    void clear() {
        requests.clear();
        twiml.clear();
        callbacks.clear();
    }
}
