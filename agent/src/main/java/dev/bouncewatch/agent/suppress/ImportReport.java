package dev.bouncewatch.agent.suppress;

import java.util.List;

/**
 * What an import of a plain address list did.
 *
 * @param added     addresses put on the list
 * @param present   addresses that were on it already (left as they were)
 * @param invalid   lines that were not an address
 * @param problems  the first few invalid lines, as "line N: why"
 */
public record ImportReport(int added, int present, int invalid, List<String> problems) {

    public ImportReport {
        problems = List.copyOf(problems);
    }
}
