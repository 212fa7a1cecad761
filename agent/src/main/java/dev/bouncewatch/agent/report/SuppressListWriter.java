package dev.bouncewatch.agent.report;

import java.io.PrintWriter;
import java.io.Writer;

/** The suppress list alone, one address a line, ready for a suppression table or a mailing-list tool. */
public final class SuppressListWriter {

    private SuppressListWriter() {
    }

    public static void write(Report report, Writer writer) {
        PrintWriter out = writer instanceof PrintWriter pw ? pw : new PrintWriter(writer);
        for (Report.SuppressedAddress a : report.suppress()) {
            // addresses come from logs: never let one carry a line break into the list
            out.println(TextWrap.printable(a.address()).replace('\uFFFD', '?'));
        }
        out.flush();
    }
}
