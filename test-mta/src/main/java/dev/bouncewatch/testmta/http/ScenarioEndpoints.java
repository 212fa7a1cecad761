package dev.bouncewatch.testmta.http;

import dev.bouncewatch.testmta.yaml.YamlProblem;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.bouncewatch.testmta.scenario.Scenario;
import dev.bouncewatch.testmta.scenario.ScenarioException;
import dev.bouncewatch.testmta.scenario.ScenarioHolder;
import dev.bouncewatch.testmta.scenario.ScenarioParser;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reading, checking and replacing the active scenario, and resetting its state. */
final class ScenarioEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioEndpoints.class);
    static final String SOURCE_NAME = "request body";

    private final ScenarioHolder holder;
    private final ScenarioParser parser;
    private final int maxBodyBytes;

    ScenarioEndpoints(ScenarioHolder holder, ScenarioParser parser, int maxBodyBytes) {
        this.holder = holder;
        this.parser = parser;
        this.maxBodyBytes = maxBodyBytes;
    }

    void get(HttpExchange ex) throws IOException {
        ScenarioHolder.Installed installed = holder.current();
        ObjectNode body = Exchanges.JSON.createObjectNode();
        body.put("version", installed.version());
        body.put("source", installed.source());
        Exchanges.sendJson(ex, 200, body);
    }

    void put(HttpExchange ex) throws IOException, ApiException {
        String text = Exchanges.readBody(ex, maxBodyBytes);
        Scenario parsed = parse(ex, text);
        if (parsed == null) {
            return;
        }
        long version = holder.replace(parsed, text);
        LOG.info("scenario version {} installed through the control API", version);
        Exchanges.sendJson(ex, 200, Exchanges.JSON.createObjectNode().put("version", version).put("installed", true));
    }

    void validate(HttpExchange ex) throws IOException, ApiException {
        String text = Exchanges.readBody(ex, maxBodyBytes);
        if (parse(ex, text) != null) {
            Exchanges.sendJson(ex, 200, Exchanges.JSON.createObjectNode().put("valid", true));
        }
    }

    void resetState(HttpExchange ex) throws IOException {
        ScenarioHolder.Installed installed = holder.current();
        installed.scenario().resetState();
        Exchanges.sendJson(ex, 200,
                Exchanges.JSON.createObjectNode().put("reset", true).put("version", installed.version()));
    }

    /** The parsed scenario, or null after answering 422 with every problem found. */
    private Scenario parse(HttpExchange ex, String text) throws IOException, ApiException {
        if (text.isBlank()) { // most likely a client that forgot the body, not a wish to accept everything
            throw new ApiException(400, "empty body: send the scenario YAML (an explicit 'rules: []' accepts everything)");
        }
        try {
            return parser.parse(text, SOURCE_NAME);
        } catch (ScenarioException e) {
            ObjectNode body = Exchanges.JSON.createObjectNode();
            body.put("error", "invalid scenario: " + e.problems().size() + " problem(s)");
            body.put("status", 422);
            ArrayNode problems = body.putArray("problems");
            for (YamlProblem p : e.problems()) {
                problems.addObject()
                        .put("source", p.source())
                        .put("line", p.line())
                        .put("column", p.column())
                        .put("key", p.key())
                        .put("message", p.message());
            }
            Exchanges.sendJson(ex, 422, body);
            return null;
        } catch (RuntimeException e) {
            // a parser bug must not take the API down or touch the active scenario
            LOG.error("scenario parser failed on a request body", e);
            throw new ApiException(500, "scenario parser failed: " + e);
        }
    }
}
