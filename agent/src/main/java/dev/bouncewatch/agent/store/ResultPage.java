package dev.bouncewatch.agent.store;

import java.util.List;

/** One page of results, newest first; {@code nextBeforeId} is null on the last page. */
public record ResultPage(List<StoredResult> items, Long nextBeforeId) {

    public ResultPage {
        items = List.copyOf(items);
    }
}
