package dev.leap.agent.model.jlama;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import com.github.tjake.jlama.safetensors.WeightLoader;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import com.github.tjake.jlama.safetensors.prompt.PromptSupport;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import com.github.tjake.jlama.util.MachineSpec;
import com.github.tjake.jlama.util.PhysicalCoreExecutor;
import dev.leap.agent.model.jlama.kernels.LeapKernels;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leap's chat model over an in-process Jlama model.
 *
 * <p>Jlama's own {@code generate} keeps every conversation's KV cache in page files in a working
 * directory (the temp directory by default) and never deletes them. This class runs the model
 * itself: it renders the conversation with the model's chat template, encodes it, runs the prompt
 * through the model in one batch into an in-memory KV cache that is dropped after the reply, and
 * samples the reply token by token. Nothing is written to disk.
 *
 * <p>One model serves the whole process. Replies are generated one at a time (callers on other
 * threads wait), because a forward pass already uses every thread Jlama has.
 */
public final class JlamaChatModel implements ChatModel, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JlamaChatModel.class);
    private static final AtomicLong CALL_IDS = new AtomicLong();

    private final String name;
    private final AbstractModel model;
    private final WeightLoader weights;
    private final KvBufferCache kvBuffers;
    private final PromptCache prompts;
    private Stats stats = Stats.NONE;
    private final PromptSupport promptSupport;
    private final TokenCodec codec;
    private final boolean startsWithBeginOfText;
    private final int usableContext;
    private final JlamaOptions options;
    private final ReentrantLock generation = new ReentrantLock();
    private final SplittableRandom random = new SplittableRandom();
    private boolean closed;

    private JlamaChatModel(String name, AbstractModel model, WeightLoader weights, JlamaOptions options) {
        this.name = name;
        this.model = model;
        this.weights = weights;
        this.options = options;
        this.kvBuffers = new KvBufferCache(model);
        this.prompts = new PromptCache(model, kvBuffers, options.cachedPositions());
        this.promptSupport = model.promptSupport().orElseThrow(() -> new IllegalArgumentException(
                "Model " + name + " has no chat template (chat_template in tokenizer_config.json)"));
        this.codec = new TokenCodec(model.getTokenizer());
        // Jlama knows per architecture whether prompts start with begin-of-text; an empty prompt shows it.
        this.startsWithBeginOfText = model.encodePrompt(PromptContext.of("")).length > 0;
        this.usableContext = usableContext(model.getConfig());
    }

    /**
     * Loads the model in {@code modelDirectory} (a Hugging Face style directory with
     * {@code config.json}, tokenizer files and safetensors weights).
     *
     * @param workingDirectory where Jlama may keep working files; created if missing. This class
     *     writes nothing there, but Jlama would otherwise create a directory under /tmp.
     */
    public static JlamaChatModel load(Path modelDirectory, Path workingDirectory, JlamaOptions options) {
        Objects.requireNonNull(modelDirectory, "modelDirectory");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(options, "options");
        if (!Files.isRegularFile(modelDirectory.resolve("config.json"))) {
            throw new IllegalArgumentException("Not a model directory (no config.json): " + modelDirectory);
        }
        try {
            Files.createDirectories(workingDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the working directory " + workingDirectory, e);
        }

        long start = System.nanoTime();
        useThreads(options.threads());
        // Leap's kernels for Q4 weights, where this CPU runs them; Jlama's own otherwise.
        LeapKernels.install(workingDirectory);
        WeightLoader weights = SafeTensorSupport.loadWeights(modelDirectory.toFile());
        DType weightType = weights.getModelDType();
        DType workingQuantization = workingQuantizationFor(weightType);
        String name = modelDirectory.toAbsolutePath().normalize().getFileName().toString();
        JlamaChatModel chatModel;
        try {
            // Leap's attention for a Llama where its kernels run; Jlama's otherwise. The weights are
            // the ones already opened, not a second set of memory maps.
            AbstractModel model = LeapKernels.loadModel(modelDirectory, workingDirectory, DType.F32,
                    workingQuantization, weights, options.contextLength());
            chatModel = new JlamaChatModel(name, model, weights, options);
        } catch (RuntimeException e) {
            closeQuietly(weights);
            throw e;
        }

        // Jlama may fall back from the activation type asked for (its own log line says so).
        log.info("Loaded Jlama model {} in {} ms: {} weights, {} activations asked for, tensor operations {} "
                        + "(vector type {}, {} threads), {} context positions",
                name,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                weightType,
                workingQuantization,
                TensorOperationsProvider.get().name(),
                MachineSpec.VECTOR_TYPE,
                PhysicalCoreExecutor.instance.get().getCoreCount(),
                chatModel.usableContext);
        return chatModel;
    }

    private static void closeQuietly(WeightLoader weights) {
        try {
            weights.close();
        } catch (Exception e) {
            log.debug("Closing the weights of a model that failed to load failed too", e);
        }
    }

    /**
     * The type activations are quantised to before they meet the weights. Jlama's kernels pair Q4
     * weights with I8 activations and F32 or BF16 weights with activations of their own type; for F32
     * and BF16 weights Jlama would override any other request, so asking for the pairing keeps the
     * log truthful. Measured with synthetic models: F32 → F32, BF16 → BF16 and Q4 → I8 all load and
     * generate. Jlama falls back to F32 by itself when a Q4 model is too narrow for its I8 kernels
     * (hidden size not a multiple of 256 on AVX2).
     */
    static DType workingQuantizationFor(DType weightType) {
        return switch (weightType) {
            case Q4, Q5, I8 -> DType.I8;
            case BF16 -> DType.BF16;
            default -> DType.F32;
        };
    }

    /** Jlama has one matrix thread pool per process, sized once; a later different request can only be reported. */
    private static void useThreads(Integer threads) {
        if (threads == null) {
            return;
        }
        try {
            PhysicalCoreExecutor.overrideThreadCount(threads);
        } catch (IllegalStateException alreadyStarted) {
            int running = PhysicalCoreExecutor.instance.get().getCoreCount();
            if (running != threads) {
                log.warn("Jlama's thread pool already runs {} threads in this process; the {} requested are ignored",
                        running, threads);
            }
        }
    }

    /**
     * Positions a conversation may use. Jlama 0.8.4 reads its rotary table at {@code position ×
     * headSize/2 + kvHead × headSize + i}: harmless for attention, since queries and keys are shifted
     * alike, but past the end of the table for the last {@code 2 × kvHeads - 2} positions of the
     * context (an ArrayIndexOutOfBoundsException in the middle of a reply).
     */
    private static int usableContext(Config config) {
        return Math.min(config.contextLength, config.contextLength - 2 * config.numberOfKeyValueHeads + 2);
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return DefaultChatRequestParameters.builder()
                .modelName(name)
                .temperature((double) options.temperature())
                .maxOutputTokens(options.maxNewTokens())
                .build();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        ChatRequestParameters parameters = request.parameters();
        float temperature = temperature(parameters);
        int maxNewTokens = maxNewTokens(parameters);
        List<ToolSpecification> specifications =
                parameters.toolSpecifications() == null ? List.of() : parameters.toolSpecifications();

        int[] promptTokens = promptTokens(request.messages(), specifications);
        if (promptTokens.length >= usableContext) {
            throw new IllegalArgumentException("The prompt is " + promptTokens.length
                    + " tokens long, but model " + name + " holds at most " + usableContext
                    + " tokens of context (prompt and reply together)");
        }

        Reply reply;
        generation.lock();
        try {
            if (closed) {
                throw new IllegalStateException("Jlama model " + name + " is closed");
            }
            reply = onMatrixThreads(() -> generate(promptTokens, temperature, maxNewTokens));
        } finally {
            generation.unlock();
        }
        return response(name, reply, specifications.stream().map(ToolSpecification::name).collect(Collectors.toSet()));
    }

    /**
     * Runs {@code work} on one of the threads of Jlama's matrix pool and returns its result, or throws
     * what it threw, as it was thrown. Every layer hands its products to that pool and waits for
     * them. From a thread outside the pool each hand-over wakes a worker and parks the caller: about
     * 19 µs on the two cores this was measured on, against 5.5 µs from a worker of the pool, which
     * computes a share itself and wakes only the other. A generated token makes a hand-over for
     * every product of every layer; run from the pool, a token of the 1B benchmark model took 36.3
     * ms instead of 37.7.
     */
    static <T> T onMatrixThreads(Supplier<T> work) {
        if (ForkJoinTask.inForkJoinPool()) {
            return work.get(); // already on a pool's thread: handing over again would only add a wait
        }
        record Outcome<T>(T value, Throwable failure) {}
        Outcome<T> outcome = PhysicalCoreExecutor.instance.get().submit(() -> {
            try {
                return new Outcome<>(work.get(), null);
            } catch (RuntimeException | Error e) {
                return new Outcome<>(null, e);
            }
        });
        if (outcome.failure() instanceof RuntimeException e) {
            throw e;
        }
        if (outcome.failure() instanceof Error e) {
            throw e;
        }
        return outcome.value();
    }

    /** How many tokens this model's tokenizer makes of a text. */
    public int tokenCount(String text) {
        return codec.encode(text).length;
    }

    /** The tokens of the prompt a request renders to, begin-of-text included. */
    int[] promptTokens(List<ChatMessage> messages, List<ToolSpecification> tools) {
        PromptContext prompt = ConversationPrompt.render(promptSupport, messages, ToolDefinitions.toJlama(tools));
        return encode(prompt.getPrompt());
    }

    private float temperature(ChatRequestParameters parameters) {
        Double temperature = parameters.temperature();
        if (temperature == null) {
            return options.temperature();
        }
        if (!Double.isFinite(temperature) || temperature < 0) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, was " + temperature);
        }
        return temperature.floatValue();
    }

    private int maxNewTokens(ChatRequestParameters parameters) {
        Integer maxOutputTokens = parameters.maxOutputTokens();
        if (maxOutputTokens == null) {
            return options.maxNewTokens();
        }
        if (maxOutputTokens <= 0) {
            throw new IllegalArgumentException("maxOutputTokens must be positive, was " + maxOutputTokens);
        }
        return maxOutputTokens;
    }

    private int[] encode(String promptText) {
        int[] encoded = codec.encode(promptText);
        int beginOfText = model.getConfig().bosToken;
        if (!startsWithBeginOfText || (encoded.length > 0 && encoded[0] == beginOfText)) {
            return encoded;
        }
        int[] tokens = new int[encoded.length + 1];
        tokens[0] = beginOfText;
        System.arraycopy(encoded, 0, tokens, 1, encoded.length);
        return tokens;
    }

    /**
     * What the model produced.
     *
     * @param generatedTokens tokens sampled, a final end-of-turn included
     * @param finishReason {@link FinishReason#STOP} at an end-of-turn token, else {@link FinishReason#LENGTH}
     * @param text the reply decoded without special tokens
     */
    record Reply(int promptTokens, int generatedTokens, FinishReason finishReason, String text) {
        Reply {
            Objects.requireNonNull(finishReason, "finishReason");
            Objects.requireNonNull(text, "text");
            if (promptTokens <= 0 || generatedTokens <= 0) {
                throw new IllegalArgumentException(
                        "A reply follows a prompt and has tokens: " + promptTokens + " prompt, " + generatedTokens + " generated");
            }
        }
    }

    /** The largest batch of prompt tokens run through the model at once. */
    static final int MAX_BATCH = 128;

    /**
     * Runs {@code tokens} from position {@code start} through the model and returns the output of the
     * last batch, whose last row is the last token's. The batches are powers of two, largest first,
     * at most {@value #MAX_BATCH}: Jlama's tensor cache keeps the working tensors of every batch size
     * it has met, so prompts of every length would each leave their own (75 MB of them after the
     * benchmark's turns, in seven sizes); powers of two keep eight sizes at most. Attention is causal
     * and each product row is computed alone, so the batches give the numbers one batch would; the
     * tests compare them.
     */
    static AbstractTensor<?, ?> forwardInBatches(AbstractModel model, int[] tokens, int start, KvBufferCache.KvBuffer kv) {
        if (start >= tokens.length) {
            throw new IllegalArgumentException("no tokens to run: " + tokens.length + " tokens, from " + start);
        }
        AbstractTensor<?, ?> output = null;
        for (int done = start; done < tokens.length; ) {
            int size = Math.min(MAX_BATCH, Integer.highestOneBit(tokens.length - done));
            if (output != null) {
                output.close();
            }
            output = model.batchForward(Arrays.copyOfRange(tokens, done, done + size), done, kv);
            done += size;
        }
        return output;
    }

    private Reply generate(int[] promptTokens, float temperature, int maxNewTokens) {
        Config config = model.getConfig();
        List<Integer> sampled = new ArrayList<>();
        FinishReason finishReason;
        long started = System.nanoTime();
        PromptCache.Lease lease = prompts.acquire(promptTokens);
        KvBufferCache.KvBuffer kvCache = lease.kv();
        int position;
        long promptDone;
        try (AbstractTensor<?, ?> logits = model.makeDenseTensor(1, config.vocabularySize)) {
            AbstractTensor<?, ?> promptOutput = forwardInBatches(model, promptTokens, lease.reused(), kvCache);
            int next;
            try {
                next = sample(promptOutput.slice(promptOutput.shape().first() - 1), temperature, logits);
            } finally {
                promptOutput.close();
            }
            promptDone = System.nanoTime();
            position = promptTokens.length;
            while (true) {
                sampled.add(next);
                if (config.eosTokens.contains(next)) {
                    finishReason = FinishReason.STOP;
                    break;
                }
                if (sampled.size() >= maxNewTokens || position >= usableContext) {
                    finishReason = FinishReason.LENGTH;
                    break;
                }
                try (AbstractTensor<?, ?> output = model.forward(next, position, kvCache, Optional.empty())) {
                    next = sample(output, temperature, logits);
                }
                position++;
            }
        } catch (RuntimeException e) {
            prompts.discard(lease);
            throw e;
        }
        // The state now holds the prompt and every sampled token but the last, which was never run.
        int[] held = Arrays.copyOf(promptTokens, position);
        for (int i = promptTokens.length; i < position; i++) {
            held[i] = sampled.get(i - promptTokens.length);
        }
        prompts.release(lease, held);
        stats = stats.plus(promptTokens.length, promptTokens.length - lease.reused(), sampled.size(),
                promptDone - started, System.nanoTime() - promptDone);
        List<Integer> replyTokens = sampled.stream().filter(id -> !config.eosTokens.contains(id)).toList();
        return new Reply(promptTokens.length, sampled.size(), finishReason, codec.decode(replyTokens).strip());
    }

    /** How much work the model has done since it was loaded, for tests and benchmarks. */
    public Stats stats() {
        generation.lock();
        try {
            return stats;
        } finally {
            generation.unlock();
        }
    }

    /**
     * Work done so far.
     *
     * @param promptTokens         prompt tokens of every request
     * @param promptTokensComputed of those, the ones run through the model (the rest came from the prompt cache)
     * @param generatedTokens      tokens sampled
     * @param promptNanos          time spent finding and computing prompts, up to the first token
     * @param generationNanos      time spent generating the tokens after the first
     */
    public record Stats(long promptTokens, long promptTokensComputed, long generatedTokens, long promptNanos,
            long generationNanos) {

        static final Stats NONE = new Stats(0, 0, 0, 0, 0);

        Stats plus(long prompt, long computed, long generated, long promptTime, long generationTime) {
            return new Stats(promptTokens + prompt, promptTokensComputed + computed, generatedTokens + generated,
                    promptNanos + promptTime, generationNanos + generationTime);
        }

        /** The work done between {@code earlier} and this. */
        public Stats since(Stats earlier) {
            return new Stats(promptTokens - earlier.promptTokens, promptTokensComputed - earlier.promptTokensComputed,
                    generatedTokens - earlier.generatedTokens, promptNanos - earlier.promptNanos,
                    generationNanos - earlier.generationNanos);
        }
    }

    private int sample(AbstractTensor<?, ?> output, float temperature, AbstractTensor<?, ?> logits) {
        return model.sample(output, temperature, random.nextFloat(), logits);
    }

    /** The reply as LangChain4j sees it: tool calls when it holds calls to offered tools, text otherwise. */
    static ChatResponse response(String modelName, Reply reply, Set<String> offeredTools) {
        // Ids unique in the process: a turn's audit trail names each call by its id.
        List<ToolExecutionRequest> calls = ToolCallParser.parse(reply.text(), offeredTools).stream()
                .map(call -> call.toBuilder().id("call_" + CALL_IDS.incrementAndGet()).build())
                .toList();
        AiMessage message = calls.isEmpty() ? AiMessage.from(reply.text()) : AiMessage.from(calls);
        FinishReason finishReason = calls.isEmpty() ? reply.finishReason() : FinishReason.TOOL_EXECUTION;
        return ChatResponse.builder()
                .aiMessage(message)
                .modelName(modelName)
                .tokenUsage(new TokenUsage(reply.promptTokens(), reply.generatedTokens()))
                .finishReason(finishReason)
                .build();
    }

    /**
     * Positions a conversation can fill: a prompt must be shorter than this, and a reply that
     * reaches it ends with {@link FinishReason#LENGTH}.
     */
    public int contextLength() {
        return usableContext;
    }

    /**
     * Releases the model: its caches and weight files (the memory maps themselves go when the
     * garbage collector reclaims them). Replies requested afterwards fail.
     */
    @Override
    public void close() {
        generation.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            prompts.close();
            kvBuffers.close();
            model.close();
            weights.close();
        } catch (Exception e) {
            log.warn("Closing Jlama model {} failed", name, e);
        } finally {
            generation.unlock();
        }
    }
}
