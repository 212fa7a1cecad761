package dev.bouncewatch.agent.report;

/** A mutable count of attempts and how many of them were hard bounces. */
final class Tally {

    long count;
    long hardBounces;

    void add(boolean hardBounce) {
        count++;
        if (hardBounce) {
            hardBounces++;
        }
    }

    long weight() {
        return count;
    }

    void mergeInto(Tally target) {
        target.count += count;
        target.hardBounces += hardBounces;
    }
}
