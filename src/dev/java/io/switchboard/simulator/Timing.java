package io.switchboard.simulator;

import java.time.Duration;

/** The pace of simulated calls and messages; see {@link SimulatorConfig.Timing}. */
public record Timing(Duration step, Duration talkTime) {

    static Timing of(SimulatorConfig.Timing config) {
        return new Timing(config.step(), config.talkTime());
    }
}
