package dev.bouncewatch.testmta.scenario;

import java.time.Duration;

/**
 * Answer with a (templated) reply; {@code close} ends the connection after it. A 421 closes by
 * default because RFC 5321 4.2.2 defines 421 as "closing transmission channel".
 */
record ReplyAction(ReplyTemplate reply, boolean close) implements Action {

    static boolean closesByDefault(ReplyTemplate reply) {
        return reply.code() == 421;
    }

    @Override
    public Outcome decide(Evaluation ev, String ruleId, Duration delay, long now) {
        return new Outcome.Respond(ruleId, delay, reply.render(ev), close);
    }

    @Override
    public String describe() {
        return "reply " + reply.summary() + (close ? ", then close" : "");
    }
}
