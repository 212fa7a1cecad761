package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.smtp.Reply;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A reply whose text lines may hold {@code {variables}}. Code and enhanced code are fixed and
 * checked when the template is built, so rendering at runtime cannot fail.
 *
 * @param name catalogue name when it came from one (for descriptions), else null
 */
record ReplyTemplate(int code, String enhancedCode, List<Template> lines, String name) {

    ReplyTemplate {
        lines = List.copyOf(lines);
        // validates code range and code/enhanced-code class agreement
        new Reply(code, enhancedCode, lines.stream().map(Template::source).toList());
    }

    /** Parses {@code "550 5.1.1 text"}; newlines in the text make separate lines. */
    static ReplyTemplate parse(String text) {
        return of(Reply.parse(text), null);
    }

    static ReplyTemplate of(Reply reply, String name) {
        List<Template> lines = new ArrayList<>();
        reply.lines().forEach(l -> lines.add(Template.parse(l)));
        return new ReplyTemplate(reply.code(), reply.enhancedCode(), lines, name);
    }

    ReplyTemplate named(String newName) {
        return new ReplyTemplate(code, enhancedCode, lines, newName);
    }

    ReplyTemplate withCode(int newCode, String newEnhancedCode) {
        return new ReplyTemplate(newCode, newEnhancedCode, lines, name);
    }

    Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        lines.forEach(t -> names.addAll(t.variables()));
        return names;
    }

    Reply render(Evaluation ev) {
        List<String> out = new ArrayList<>(lines.size());
        for (Template t : lines) {
            out.add(ev == null ? t.source() : t.render(ev::variable));
        }
        return new Reply(code, enhancedCode, out);
    }

    /** The reply as a one-line text, e.g. {@code 550 5.1.1 The email account ...}. */
    String summary() {
        StringBuilder sb = new StringBuilder().append(code);
        if (enhancedCode != null) {
            sb.append(' ').append(enhancedCode);
        }
        String text = String.join(" ", lines.stream().map(Template::source).toList());
        if (!text.isEmpty()) {
            sb.append(' ').append(text);
        }
        return name == null ? sb.toString() : "@" + name + " (" + sb + ")";
    }
}
