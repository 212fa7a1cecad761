package dev.bouncewatch.agent.notify.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the agent knows about its own parts, read by the health rules at each evaluation: how far
 * each source is behind and how each notification destination is doing. The run command and the
 * outbox workers feed it (see {@link AgentHealthBoard}).
 */
public interface HealthSignals {

    /**
     * @param lag   how far reading is behind the log (time of the newest line not yet read), zero when current
     * @param error the source's last error when it is failing, else null
     */
    record SourceStatus(String source, Duration lag, String error) {
    }

    /**
     * @param since when the current state began (the first failure of a run, the pause)
     * @param detail the last outcome's detail, e.g. {@code HTTP 404 no_service: ...}; never a secret
     */
    record DestinationStatus(String destination, State state, Instant since, String detail) {

        public enum State {
            OK,
            /** deliveries fail and are being retried (the circuit may be open) */
            FAILING,
            /** the destination answered that it is unusable; nothing is sent until someone fixes it */
            PAUSED
        }
    }

    List<SourceStatus> sources();

    List<DestinationStatus> destinations();

    HealthSignals NONE = new HealthSignals() {
        @Override
        public List<SourceStatus> sources() {
            return List.of();
        }

        @Override
        public List<DestinationStatus> destinations() {
            return List.of();
        }
    };
}
