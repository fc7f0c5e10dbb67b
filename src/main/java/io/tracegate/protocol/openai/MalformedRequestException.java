package io.tracegate.protocol.openai;

/**
 * A request body that is not a single well-formed JSON object. The message is meant for the client
 * (it names the line and column); map it to HTTP 400 in the protocol's error shape.
 */
public final class MalformedRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    /**
     * @param message human-readable description, already including the position when known
     * @param line    1-based line, or -1 when unknown
     * @param column  1-based column, or -1 when unknown
     */
    public MalformedRequestException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    /** 1-based line of the problem, or -1 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column of the problem, or -1 when unknown. */
    public int column() {
        return column;
    }
}
