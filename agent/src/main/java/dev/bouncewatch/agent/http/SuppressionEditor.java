package dev.bouncewatch.agent.http;

import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.Suppression;
import java.util.ArrayList;
import java.util.List;

/**
 * Manual changes to the suppression list, as {@code POST} and {@code DELETE /api/suppressions} make
 * them. The agent wires this to the store's suppression list; addresses arrive trimmed, lower case
 * and syntax-checked.
 */
public interface SuppressionEditor {

    /** Puts the address on the list (or refreshes its entry) as a manual entry; returns the entry. */
    Suppression add(String address, String reason) throws StoreException;

    /** Takes the address off the list; false when it was not on it. */
    boolean remove(String address) throws StoreException;

    /** Adds many at once; an implementation may do it in one transaction. */
    default List<Suppression> addAll(List<String> addresses, String reason) throws StoreException {
        List<Suppression> added = new ArrayList<>(addresses.size());
        for (String address : addresses) {
            added.add(add(address, reason));
        }
        return added;
    }
}
