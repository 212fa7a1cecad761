package dev.bouncewatch.testmta.scenario;

import java.util.List;
import java.util.Locale;

/** One matcher of a rule's {@code when}; all of a rule's conditions must hold (AND). */
sealed interface Condition {

    boolean test(Evaluation ev);

    /** How the condition reads in a description, e.g. {@code rcpt ~ nobody@*}. */
    String describe();

    /** {@code mail_from}, {@code helo} or {@code auth_user} against a glob/regex list. */
    record Field(String key, TextMatcher matcher) implements Condition {
        @Override
        public boolean test(Evaluation ev) {
            String value = switch (key) {
                case "mail_from" -> ev.context().mailFrom();
                case "helo" -> ev.context().helo();
                case "auth_user" -> ev.context().authUser();
                default -> throw new IllegalStateException("no field " + key);
            };
            return matcher.matches(value, ev.captures());
        }

        @Override
        public String describe() {
            return key + " ~ " + matcher;
        }
    }

    /**
     * {@code rcpt} or {@code rcpt_domain}: at RCPT the recipient being decided; at DATA and
     * DATA_END any accepted recipient (the first that matches is the one templates see).
     */
    record Recipient(boolean domainOnly, TextMatcher matcher) implements Condition {
        @Override
        public boolean test(Evaluation ev) {
            String current = ev.context().rcpt();
            if (current != null) {
                return matchOne(current, ev);
            }
            List<String> all = ev.context().recipients();
            if (all != null) {
                for (String r : all) {
                    if (matchOne(r, ev)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private boolean matchOne(String recipient, Evaluation ev) {
            String value = domainOnly ? Evaluation.domainOf(recipient) : recipient;
            if (matcher.matches(value, ev.captures())) {
                ev.matchedRecipient(recipient);
                return true;
            }
            return false;
        }

        @Override
        public String describe() {
            return (domainOnly ? "rcpt_domain" : "rcpt") + " ~ " + matcher;
        }
    }

    /** A header field (name in lower case) of which any value matches; DATA_END only. */
    record Header(String name, TextMatcher matcher) implements Condition {
        @Override
        public boolean test(Evaluation ev) {
            List<String> values = ev.context().headers() == null ? null : ev.context().headers().get(name);
            if (values != null) {
                for (String v : values) {
                    if (matcher.matches(v, ev.captures())) {
                        return true;
                    }
                }
            }
            return false;
        }

        @Override
        public String describe() {
            return "header " + name + " ~ " + matcher;
        }
    }

    record Tls(boolean required) implements Condition {
        @Override
        public boolean test(Evaluation ev) {
            return ev.context().tls() == required;
        }

        @Override
        public String describe() {
            return "tls = " + required;
        }
    }

    record ClientIp(List<CidrBlock> blocks) implements Condition {
        @Override
        public boolean test(Evaluation ev) {
            for (CidrBlock b : blocks) {
                if (b.contains(ev.context().clientAddress())) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String describe() {
            return "client_ip in " + blocks;
        }
    }

    /** Holds with probability {@code p}, drawn from the scenario's seeded {@link Dice}. */
    record Chance(double p, long seed, String ruleId) implements Condition {
        @Override
        public boolean test(Evaluation ev) {
            return Dice.roll(seed, ruleId, "p", ev.context()) < p;
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "p = %s", p);
        }
    }
}
