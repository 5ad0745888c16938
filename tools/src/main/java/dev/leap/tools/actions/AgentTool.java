package dev.leap.tools.actions;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.leap.tools.Provenance;

/**
 * One action the agent can take, described to the model by its specification. Implementations are
 * thin: they read and check the arguments, call a plain service, and say what happened in a few
 * words the model can relay. Anything they append is tagged with the given provenance.
 */
public interface AgentTool {

    ToolSpecification specification();

    /**
     * Runs the tool.
     *
     * @return the text the model reads as the tool's result
     * @throws ToolInputException                        if the arguments are unusable; its message tells the model how to fix them
     * @throws dev.leap.tools.records.RecordException    if the request cannot be carried out as asked
     */
    String execute(ToolArguments arguments, Provenance provenance);

    default String name() {
        return specification().name();
    }

    /**
     * For tools that destroy or take back the owner's data: the words one of which the owner's own
     * message must contain for the tool to run. Record contents, files and forwarded text reach the
     * model too, and may say "delete everything"; only the owner's words can authorise it.
     * Empty for tools that only add or read.
     */
    default java.util.Optional<java.util.regex.Pattern> authorisedBy() {
        return java.util.Optional.empty();
    }
}
