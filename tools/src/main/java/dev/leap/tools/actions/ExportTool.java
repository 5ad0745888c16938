package dev.leap.tools.actions;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.leap.tools.Provenance;
import dev.leap.tools.files.ExportService;

/** The export_collection tool. */
public record ExportTool(ExportService exports) implements AgentTool {

    @Override
    public ToolSpecification specification() {
        return ToolSpecification.builder()
                .name("export_collection")
                .description("Write every record of a collection to a CSV or JSON file the owner can download or open.")
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("collection", "The collection, e.g. contacts")
                        .addEnumProperty("format", java.util.List.of("csv", "json"), "The file format; csv if not given")
                        .required("collection")
                        .build())
                .build();
    }

    @Override
    public String execute(ToolArguments arguments, Provenance provenance) {
        ExportService.Export export = exports.export(arguments.requiredText("collection"), arguments.optionalText("format"),
                provenance);
        return "Exported " + export.count() + " record(s) of " + export.collection() + " to " + export.file();
    }
}
