package io.bulwark.config;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Turns YAML text into a node tree with marks, never into Java objects: binding by hand from nodes is what
 * lets every problem carry its line and column.
 */
final class YamlComposer {
    /** The path shown for problems in the YAML syntax itself. */
    static final String SYNTAX = "<yaml>";

    private YamlComposer() {}

    /** The document's root node, or empty after recording a syntax problem or an empty document. */
    static Optional<Node> compose(String fileName, String text, Problems problems) {
        LoadSettings settings = LoadSettings.builder().setLabel(fileName).setUseMarks(true).build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            String context = e.getContext() == null ? "" : " (" + e.getContext().strip() + ")";
            problems.add(e.getProblemMark().or(e::getContextMark), SYNTAX, e.getProblem().strip() + context);
            return Optional.empty();
        } catch (ReaderException e) {
            int[] lineColumn = lineColumn(text, e.getPosition());
            problems.add(lineColumn[0], lineColumn[1], SYNTAX, "unreadable character U+"
                    + String.format("%04X", e.getCodePoint())
                    + " (expected: printable UTF-8 text)");
            return Optional.empty();
        } catch (YamlEngineException e) {
            problems.add(1, 1, SYNTAX, e.getMessage());
            return Optional.empty();
        }
        if (root.isEmpty()) {
            problems.add(1, 1, Problems.ROOT, "empty file (expected: a mapping with listeners, routes and upstreams)");
        }
        return root;
    }

    /** 1-based line and column of a code point offset. */
    private static int[] lineColumn(String text, int codePointOffset) {
        int line = 1;
        int column = 1;
        int seen = 0;
        for (int i = 0; i < text.length() && seen < codePointOffset; i = text.offsetByCodePoints(i, 1), seen++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }
}
