package dev.bouncewatch.agent.classify;

import java.util.List;

/**
 * A mailbox provider whose replies need their own rules. It is recognised by the remote host we
 * talked to (a suffix on label boundaries: {@code google.com} matches {@code aspmx.l.google.com})
 * or by a token its replies carry ({@code gsmtp}, {@code postmaster.yahooinc.com}).
 */
record Provider(String name, List<String> hostSuffixes, List<String> tokens) {

    boolean matchesHost(String host) {
        if (host == null) {
            return false;
        }
        for (String suffix : hostSuffixes) {
            if (host.equals(suffix) || host.endsWith("." + suffix)) {
                return true;
            }
        }
        return false;
    }

    boolean matchesText(String lowerText) {
        for (String token : tokens) {
            if (lowerText.contains(token)) {
                return true;
            }
        }
        return false;
    }
}
