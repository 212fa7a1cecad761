package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.session.TransactionContext;

/**
 * Seeded randomness that does not depend on thread scheduling: a draw is a pure function of the
 * scenario seed, the rule, what the draw is for, and the session inputs (session id, stage,
 * transaction index, recipient). Replaying the same sessions against the same seed therefore gives
 * the same outcomes even though Netty runs sessions on several threads in any order.
 */
final class Dice {

    private Dice() {
    }

    /** A uniform value in [0, 1). */
    static double roll(long seed, String ruleId, String purpose, TransactionContext context) {
        long h = mix(seed);
        h = mix(h ^ hash(ruleId));
        h = mix(h ^ hash(purpose));
        h = mix(h ^ hash(context.sessionId()));
        h = mix(h ^ context.stage().ordinal());
        h = mix(h ^ context.transactionIndex());
        h = mix(h ^ hash(context.rcpt()));
        return (h >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser: every input bit flips about half of the output bits. */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64-bit FNV-1a over the UTF-16 units; null and "" differ. */
    static long hash(String s) {
        if (s == null) {
            return 0x5bd1e995L;
        }
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
