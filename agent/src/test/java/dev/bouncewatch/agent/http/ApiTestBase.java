package dev.bouncewatch.agent.http;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An endpoint test against a fresh {@link ApiTestAgent} (no token) per test, in its own directory. */
@Timeout(120)
abstract class ApiTestBase {

    @TempDir
    Path dir;
    ApiTestAgent agent;

    /** Runs before a subclass's own {@code @BeforeEach}, which may seed the agent. */
    @BeforeEach
    void startAgent() throws Exception {
        agent = ApiTestAgent.start(dir);
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }
}
