package dev.bouncewatch.agent.classify;

/** A rule file is wrong; the message names the file, the line and the field, and what was expected. */
public final class RuleFileException extends RuntimeException {
    private final String file;
    private final int line;
    private final String field;

    public RuleFileException(String file, int line, String field, String problem) {
        super(file + ":" + line + (field == null ? "" : ": field '" + field + "'") + ": " + problem);
        this.file = file;
        this.line = line;
        this.field = field;
    }

    public String file() {
        return file;
    }

    /** 1-based line number, 0 when the whole file is concerned. */
    public int line() {
        return line;
    }

    public String field() {
        return field;
    }
}
