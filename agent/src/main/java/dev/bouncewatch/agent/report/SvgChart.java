package dev.bouncewatch.agent.report;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts drawn by hand, so the HTML page needs no script, font or stylesheet from
 * elsewhere. Every label goes through {@link Html#escape}; sizes are in viewBox units and the
 * charts scale to the page width.
 */
final class SvgChart {

    static final String FAILED = "#c0392b";
    static final String DEFERRED = "#e6a117";
    static final String NEUTRAL = "#3b6ea8";

    /** One bar of a horizontal bar chart. */
    record Bar(String label, double value, String valueText, String tooltip) {
    }

    /** One column of a stacked column chart: a failed part at the bottom, a deferred part on top. */
    record Column(String label, long failed, long deferred, String tooltip) {
    }

    private SvgChart() {
    }

    /** Stacked columns over time, with a y axis of round numbers and a few x labels. */
    static String columns(String title, List<Column> columns) {
        int width = 1100;
        int height = 260;
        int left = 56;
        int right = 12;
        int top = 14;
        int bottom = 40;
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        long max = columns.stream().mapToLong(c -> c.failed() + c.deferred()).max().orElse(0);
        Axis axis = axis(max);
        long axisMax = axis.max();
        StringBuilder svg = open(title, width, height);
        for (int i = 0; i <= axis.divisions(); i++) {
            long tick = axis.step() * i;
            double y = top + plotH - (double) plotH * tick / axisMax;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%s</text>",
                    left, y, width - right, y, left - 6, y + 4, ReportFormat.count(tick)));
        }
        int n = Math.max(columns.size(), 1);
        double slot = (double) plotW / n;
        double barW = Math.max(1, slot * 0.8);
        int labelEvery = Math.max(1, (int) Math.ceil(n / 12.0));
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            double x = left + i * slot + (slot - barW) / 2;
            double hFailed = (double) plotH * c.failed() / axisMax;
            double hDeferred = (double) plotH * c.deferred() / axisMax;
            double base = top + plotH;
            svg.append("<g><title>").append(Html.escape(c.tooltip())).append("</title>");
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                    x, base - hFailed, barW, hFailed, FAILED));
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                    x, base - hFailed - hDeferred, barW, hDeferred, DEFERRED));
            // an invisible full-height target so thin columns still show their tooltip
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"transparent\"/></g>",
                    left + i * slot, top, slot, plotH));
            if (i % labelEvery == 0) {
                svg.append(String.format(Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s</text>",
                        x + barW / 2, height - bottom + 16, Html.escape(c.label())));
            }
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"baseline\"/>",
                left, top + plotH, width - right, top + plotH));
        legend(svg, left, height - 8);
        return svg.append("</svg>").toString();
    }

    private static void legend(StringBuilder svg, int x, int y) {
        svg.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                + "<text x=\"%d\" y=\"%d\" class=\"axis\">bounced or expired</text>"
                + "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                + "<text x=\"%d\" y=\"%d\" class=\"axis\">deferred</text>",
                x, y - 9, FAILED, x + 14, y, x + 150, y - 9, DEFERRED, x + 164, y));
    }

    /** Horizontal bars, one per row, labelled on the left and valued on the right. */
    static String bars(String title, List<Bar> bars, double maxValue, String color) {
        int width = 540;
        int rowH = 24;
        int labelW = 160;
        int valueW = 70;
        int height = Math.max(1, bars.size()) * rowH + 8;
        int plotW = width - labelW - valueW;
        double max = maxValue > 0 ? maxValue : bars.stream().mapToDouble(Bar::value).max().orElse(1);
        StringBuilder svg = open(title, width, height);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = 4 + i * rowH;
            double w = max <= 0 ? 0 : plotW * b.value() / max;
            if (b.value() > 0) {
                w = Math.max(w, 2); // a non-zero value must not look like zero
            }
            svg.append("<g><title>").append(Html.escape(b.tooltip())).append("</title>");
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"end\">%s</text>",
                    labelW - 8, y + 16, Html.escape(shorten(b.label(), 26))));
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"2\" fill=\"%s\"/>",
                    labelW, y + 3, w, rowH - 8, color));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"value\">%s</text></g>",
                    labelW + w + 6, y + 16, Html.escape(b.valueText())));
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String title, int width, int height) {
        StringBuilder svg = new StringBuilder(4096);
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\""
                + " preserveAspectRatio=\"xMinYMin meet\" style=\"max-width:%dpx\">", width, height, width));
        svg.append("<title>").append(Html.escape(title)).append("</title>");
        return svg;
    }

    /** Chart labels have a fixed width; the tables beside them carry the full text. */
    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    /** A y axis from 0 to {@code max} in steps of {@code step}, both round numbers. */
    record Axis(long max, long step) {

        int divisions() {
            return (int) (max / step);
        }
    }

    /** About five grid lines on 1, 2 or 5 times a power of ten, the top one at or just above the data. */
    static Axis axis(long dataMax) {
        long max = Math.max(dataMax, 1);
        double raw = max / 5.0;
        long step = 1;
        outer:
        for (long power = 1; power <= Long.MAX_VALUE / 10; power *= 10) {
            for (long m : new long[] {1, 2, 5}) {
                if (m * power >= raw) {
                    step = m * power;
                    break outer;
                }
            }
        }
        return new Axis((max + step - 1) / step * step, step);
    }
}
