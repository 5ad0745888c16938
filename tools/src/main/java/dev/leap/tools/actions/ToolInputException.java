package dev.leap.tools.actions;

/** The model called a tool with arguments it cannot use. The message says exactly what to change. */
public final class ToolInputException extends RuntimeException {

    public ToolInputException(String message) {
        super(message);
    }
}
