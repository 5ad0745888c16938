package dev.leap.agent.model;

import com.github.tjake.jlama.util.ProgressReporter;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.leap.agent.model.jlama.JlamaChatModel;
import dev.leap.agent.model.jlama.JlamaOptions;
import java.nio.file.Path;

/** Opens the chat model the settings name. The same code serves the service and the tests. */
public final class ChatModels {

    private ChatModels() {
    }

    /**
     * @param progress told about a model download, if one is needed
     * @return the model; close it when done if it is {@link AutoCloseable} (Jlama's holds the weights)
     * @throws ModelUnavailableException if a local model cannot be found or downloaded
     */
    public static ChatModel open(ModelSettings settings, ProgressReporter progress) {
        return switch (settings.provider()) {
            case JLAMA -> {
                Path directory = new LocalModels(settings.cacheDirectory()).ensure(settings.name(), progress);
                yield JlamaChatModel.load(directory, settings.workingDirectory(),
                        JlamaOptions.defaults().withTemperature((float) settings.temperature())
                                .withMaxNewTokens(settings.maxNewTokens()).withContextLength(settings.contextLength()));
            }
            case OPENAI -> OpenAiChatModel.builder()
                    .baseUrl(settings.baseUrl().toString())
                    .apiKey(settings.apiKey() == null || settings.apiKey().isBlank() ? "none" : settings.apiKey())
                    .modelName(settings.name())
                    .temperature(settings.temperature())
                    .maxTokens(settings.maxNewTokens())
                    .timeout(settings.timeout())
                    .maxRetries(1)
                    .build();
        };
    }
}
