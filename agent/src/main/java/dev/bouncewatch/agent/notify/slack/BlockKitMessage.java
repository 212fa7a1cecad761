package dev.bouncewatch.agent.notify.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bouncewatch.agent.notify.DisplayFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one Block Kit message inside a size budget that stays below Slack's hard limits (50
 * blocks, 3,000 chars per section text, 150 per header, 10 fields of 2,000, 40,000 chars of text)
 * and below the ~13k chars of total block text where {@code msg_blocks_too_long} has been seen. A
 * list that does not fit ends in "+N more"; blocks that do not fit are counted in a last context
 * line. Every mrkdwn object is {@code verbatim}, so Slack does not turn bare URLs, {@code @here} or
 * {@code #channel} into links or mentions.
 */
final class BlockKitMessage {

    static final int MAX_BLOCKS = 40;
    static final int MAX_SECTION_CHARS = 2800;
    static final int MAX_HEADER_CHARS = 140;
    static final int MAX_FIELDS = 10;
    static final int MAX_FIELD_CHARS = 1900;
    static final int MAX_CONTEXT_ELEMENTS = 10;
    static final int MAX_CONTEXT_CHARS = 1900;
    static final int MAX_FALLBACK_CHARS = 3000;
    static final int MAX_TOTAL_BLOCK_CHARS = 10_000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private String fallback = "";
    private final List<ObjectNode> blocks = new ArrayList<>();
    private int blockChars;
    private int droppedBlocks;

    /** The notification and screen-reader text; mrkdwn, so callers pass escaped text. */
    BlockKitMessage fallback(String mrkdwn) {
        this.fallback = SlackText.cut(mrkdwn, MAX_FALLBACK_CHARS);
        return this;
    }

    BlockKitMessage header(String plain) {
        ObjectNode block = NODES.objectNode().put("type", "header");
        String text = SlackText.plainText(plain, MAX_HEADER_CHARS);
        block.set("text", NODES.objectNode().put("type", "plain_text").put("text", text).put("emoji", true));
        return add(block, text.length());
    }

    /** A section of short "*label*\nvalue" fields, at most ten; the caller passes mrkdwn. */
    BlockKitMessage fields(List<String> mrkdwnFields) {
        return mrkdwnBlock("section", "fields", mrkdwnFields, MAX_FIELDS, MAX_FIELD_CHARS);
    }

    /** One mrkdwn section, cut to the section budget (callers keep structure by using {@link #list}). */
    BlockKitMessage section(String mrkdwn) {
        String text = SlackText.cut(mrkdwn, MAX_SECTION_CHARS);
        ObjectNode block = NODES.objectNode().put("type", "section");
        block.set("text", mrkdwn(text));
        return add(block, text.length());
    }

    /**
     * A titled list: "*title*" then one line per item, as many as fit in {@code maxItems} and the
     * section budget, then "+N more" for the rest ({@code notShown} more were left out before).
     */
    BlockKitMessage list(String titleMrkdwn, List<String> itemLines, int maxItems, long notShown) {
        if (itemLines.isEmpty() && notShown == 0) {
            return this;
        }
        StringBuilder text = new StringBuilder(titleMrkdwn);
        int reserve = 40; // room for the "+N more" line
        int shown = 0;
        for (String line : itemLines) {
            if (shown >= maxItems || text.length() + 1 + line.length() > MAX_SECTION_CHARS - reserve) {
                break;
            }
            text.append('\n').append(line);
            shown++;
        }
        long more = itemLines.size() - shown + notShown;
        if (more > 0) {
            text.append("\n_+").append(DisplayFormat.count(more)).append(" more_");
        }
        return section(text.toString());
    }

    BlockKitMessage context(List<String> mrkdwnElements) {
        return mrkdwnBlock("context", "elements", mrkdwnElements, MAX_CONTEXT_ELEMENTS, MAX_CONTEXT_CHARS);
    }

    BlockKitMessage divider() {
        return add(NODES.objectNode().put("type", "divider"), 0);
    }

    ObjectNode build() {
        ObjectNode message = NODES.objectNode();
        message.put("text", fallback);
        ArrayNode out = message.putArray("blocks");
        blocks.forEach(out::add);
        if (droppedBlocks > 0) {
            ObjectNode note = NODES.objectNode().put("type", "context");
            note.putArray("elements").add(mrkdwn("_+" + droppedBlocks + " more sections not shown (message size limit)_"));
            out.add(note);
        }
        message.put("unfurl_links", false);
        message.put("unfurl_media", false);
        return message;
    }

    /** A block of {@code type} whose {@code arrayName} holds the first {@code maxItems} texts, each cut to {@code maxChars}. */
    private BlockKitMessage mrkdwnBlock(String type, String arrayName, List<String> texts, int maxItems, int maxChars) {
        if (texts.isEmpty()) {
            return this;
        }
        ObjectNode block = NODES.objectNode().put("type", type);
        ArrayNode array = block.putArray(arrayName);
        int chars = 0;
        for (String t : texts.subList(0, Math.min(maxItems, texts.size()))) {
            String text = SlackText.cut(t, maxChars);
            array.add(mrkdwn(text));
            chars += text.length();
        }
        return add(block, chars);
    }

    private BlockKitMessage add(ObjectNode block, int chars) {
        // keep one block and some characters back for the "+N more sections" note
        if (droppedBlocks > 0 || blocks.size() >= MAX_BLOCKS - 1 || blockChars + chars > MAX_TOTAL_BLOCK_CHARS - 100) {
            droppedBlocks++;
            return this;
        }
        blocks.add(block);
        blockChars += chars;
        return this;
    }

    private static ObjectNode mrkdwn(String text) {
        return NODES.objectNode().put("type", "mrkdwn").put("text", text).put("verbatim", true);
    }
}
