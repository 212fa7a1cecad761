package dev.bouncewatch.agent.suppress;

import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.Suppression;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The suppression list as people use it: add or remove an address by hand, export the list for a
 * campaign tool (CSV or one address per line), import an existing list.
 */
public final class SuppressionList {

    /** Entries read per query while exporting; keeps memory flat for any list size. */
    static final int EXPORT_PAGE = 1000;
    /** Addresses written per transaction while importing: short write locks beside live ingestion. */
    static final int IMPORT_CHUNK = 1000;
    /** A line longer than this is not an address (RFC 5321 caps a path at 256 octets). */
    static final int MAX_IMPORT_LINE = 1000;
    static final int MAX_PROBLEMS = 20;
    static final String DEFAULT_REASON = "added manually";

    private final Store store;

    public SuppressionList(Store store) {
        this.store = store;
    }

    /**
     * Puts the address on the list. An address already on it keeps its entry (and the history of why
     * it is there), which is returned.
     *
     * @throws IllegalArgumentException the address is not valid; the message says why
     */
    public Suppression add(String address, String reason) throws StoreException {
        String normalised = EmailAddress.normalise(address);
        Instant now = store.clock().instant();
        Suppression entry = new Suppression(normalised, Suppression.ORIGIN_MANUAL, manualReason(reason), null, now, now,
                null, null, null, null, 0);
        return store.write(tx -> {
            Optional<Suppression> existing = tx.suppression(normalised);
            if (existing.isPresent()) {
                return existing.get();
            }
            tx.suppress(entry);
            return entry;
        });
    }

    /**
     * Puts many addresses on the list in one transaction; returns the entry of each (existing entries
     * unchanged), in the given order.
     *
     * @throws IllegalArgumentException one address is not valid (nothing is added then)
     */
    public List<Suppression> addAll(List<String> addresses, String reason) throws StoreException {
        List<String> normalised = addresses.stream().map(EmailAddress::normalise).toList();
        Instant now = store.clock().instant();
        String why = manualReason(reason);
        return store.write(tx -> {
            List<Suppression> entries = new ArrayList<>(normalised.size());
            for (String a : normalised) {
                Optional<Suppression> existing = tx.suppression(a);
                if (existing.isPresent()) {
                    entries.add(existing.get());
                } else {
                    Suppression entry = new Suppression(a, Suppression.ORIGIN_MANUAL, why, null, now, now, null, null,
                            null, null, 0);
                    tx.suppress(entry);
                    entries.add(entry);
                }
            }
            return entries;
        });
    }

    /** Takes the address off the list; true when it was on it. */
    public boolean remove(String address) throws StoreException {
        String a = address == null ? "" : address.strip().toLowerCase(java.util.Locale.ROOT);
        if (a.isEmpty()) {
            return false;
        }
        return store.write(tx -> tx.unsuppress(a));
    }

    public Optional<Suppression> find(String address) throws StoreException {
        return store.reader().suppression(address.strip());
    }

    /** The whole list as CSV with the header {@value SuppressionCsv#HEADER}, in address order. */
    public long exportCsv(Writer out) throws IOException {
        SuppressionCsv csv = new SuppressionCsv(out);
        csv.header();
        long n = 0;
        String after = null;
        List<Suppression> page;
        do {
            page = store.reader().suppressionsByAddress(after, EXPORT_PAGE);
            for (Suppression s : page) {
                csv.row(s);
                after = s.address();
                n++;
            }
        } while (page.size() == EXPORT_PAGE);
        out.flush();
        return n;
    }

    /** The whole list, one address per line (LF), in address order. */
    public long exportPlain(Writer out) throws IOException {
        long n = 0;
        String after = null;
        List<Suppression> page;
        do {
            page = store.reader().suppressionsByAddress(after, EXPORT_PAGE);
            for (Suppression s : page) {
                out.write(s.address());
                out.write('\n');
                after = s.address();
                n++;
            }
        } while (page.size() == EXPORT_PAGE);
        out.flush();
        return n;
    }

    /**
     * Adds every address of a plain list (one per line; blank lines and {@code #} comments skipped)
     * as a manual entry. Invalid lines are counted and reported, never fatal.
     */
    public ImportReport importPlain(Reader in, String reason) throws IOException {
        String why = manualReason(reason);
        int added = 0;
        int present = 0;
        int invalid = 0;
        List<String> problems = new ArrayList<>();
        List<String> chunk = new ArrayList<>();
        LineReader lines = new LineReader(in, MAX_IMPORT_LINE);
        String line;
        while ((line = lines.next()) != null) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            Optional<String> problem = lines.truncated()
                    ? Optional.of("longer than " + MAX_IMPORT_LINE + " characters")
                    : EmailAddress.check(text);
            if (problem.isPresent()) {
                invalid++;
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add("line " + lines.number() + ": " + problem.get());
                }
                continue;
            }
            chunk.add(EmailAddress.normalise(text));
            if (chunk.size() == IMPORT_CHUNK) {
                int n = addNew(chunk, why);
                added += n;
                present += chunk.size() - n;
                chunk.clear();
            }
        }
        int n = addNew(chunk, why);
        added += n;
        present += chunk.size() - n;
        return new ImportReport(added, present, invalid, problems);
    }

    private int addNew(List<String> addresses, String reason) throws StoreException {
        if (addresses.isEmpty()) {
            return 0;
        }
        Instant now = store.clock().instant();
        return store.write(tx -> {
            int n = 0;
            for (String a : addresses) {
                if (tx.suppression(a).isEmpty()) {
                    tx.suppress(new Suppression(a, Suppression.ORIGIN_MANUAL, reason, null, now, now, null, null, null,
                            null, 0));
                    n++;
                }
            }
            return n;
        });
    }

    private static String manualReason(String reason) {
        String r = SuppressionPolicy.printable(reason);
        return r == null || r.isBlank() ? DEFAULT_REASON : SuppressionPolicy.bound(r, SuppressionPolicy.MAX_REASON);
    }

    /** Lines of at most {@code max} characters; the rest of a longer line is skipped, not buffered. */
    private static final class LineReader {
        private final Reader in;
        private final int max;
        private int number;
        private boolean truncated;
        private boolean eof;

        LineReader(Reader in, int max) {
            this.in = in;
            this.max = max;
        }

        String next() throws IOException {
            if (eof) {
                return null;
            }
            StringBuilder s = new StringBuilder();
            truncated = false;
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    break;
                }
                if (s.length() < max) {
                    s.append((char) c);
                } else {
                    truncated = true;
                }
            }
            if (c == -1) {
                eof = true;
                if (s.isEmpty() && !truncated) {
                    return null;
                }
            }
            number++;
            return s.toString();
        }

        int number() {
            return number;
        }

        boolean truncated() {
            return truncated;
        }
    }
}
