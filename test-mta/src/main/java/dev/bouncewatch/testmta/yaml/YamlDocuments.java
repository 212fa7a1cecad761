package dev.bouncewatch.testmta.yaml;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Turns user-written YAML text (a scenario, the agent's config) into a node tree safely: bounded in
 * size, no alias bombs or recursive keys, and every failure recorded as a problem with its line.
 */
public final class YamlDocuments {

    private YamlDocuments() {
    }

    /**
     * Composes YAML text to a node tree, recording syntax errors in {@code problems}; null for an
     * empty document or on error.
     *
     * @param maxChars the longest text the caller accepts (the code-point limit is twice that)
     * @param what     what the document is, for the nesting error ("a scenario", "a config")
     */
    public static Node compose(String text, Problems problems, int maxChars, String what) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(problems.source())
                .setCodePointLimit(maxChars * 2)
                .setMaxAliasesForCollections(50) // "billion laughs" guard
                .setAllowRecursiveKeys(false)
                .build();
        try {
            return new Compose(settings).composeString(text).orElse(null);
        } catch (MarkedYamlEngineException e) {
            // context and problem only: the snippet snakeyaml appends could quote a secret on that line
            problems.add(e.getProblemMark().orElse(e.getContextMark().orElse(null)), "",
                    "YAML syntax: " + (e.getContext() == null ? "" : e.getContext() + ", ") + e.getProblem());
        } catch (YamlEngineException e) {
            problems.add((Mark) null, "", "YAML: " + e.getMessage());
        } catch (StackOverflowError e) {
            // the YAML parser recurses per nesting level; a hostile upload must not kill the process
            problems.add((Mark) null, "", "YAML nesting is too deep for " + what);
        }
        return null;
    }

    /** The bytes as strict UTF-8: a wrongly saved file is an error, not text with replacement marks. */
    public static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }
}
