package dev.leap.agent.bench;

import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import com.github.tjake.jlama.util.PhysicalCoreExecutor;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.leap.agent.Toolbox;
import dev.leap.agent.model.ModelInstaller;
import dev.leap.agent.model.jlama.JlamaChatModel;
import dev.leap.agent.model.jlama.JlamaOptions;
import dev.leap.agent.model.jlama.SyntheticModel;
import dev.leap.agent.turn.Assistant;
import dev.leap.store.EventLog;
import dev.leap.tools.actions.AgentTool;
import dev.leap.tools.files.ExportService;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.records.RecordService;
import dev.leap.tools.undo.TurnIndex;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code ./leap bench inference}: how fast Leap's local model path is on this machine, on a model
 * of a real shape with random weights (generated here, quantized to 4 bits once, then kept). It
 * measures the machine's memory read bandwidth in the same run, because token generation is
 * bounded by it, and times one scripted tool-using turn with and without prompt reuse.
 */
public final class InferenceBench {

    static final int PROMPT_TOKENS = 256;
    static final int GENERATED_TOKENS = 64;
    static final int MESSAGE_TOKENS = 40;
    static final int TOOL_RESULT_TOKENS = 60;
    static final int ANSWER_TOKENS = 40;

    private final Path work;
    private final PrintStream out;

    InferenceBench(Path work, PrintStream out) {
        this.work = work;
        this.out = out;
    }

    /**
     * @param args {@code [--shape 1b|tiny] [--work DIR] [--report FILE]}
     */
    public static int run(String[] args, PrintStream out) {
        String shape = "1b";
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "leap-bench");
        Path report = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--shape" -> shape = args[i + 1];
                case "--work" -> work = Path.of(args[i + 1]);
                case "--report" -> report = Path.of(args[i + 1]);
                default -> {
                    out.println("Usage: ./leap bench inference [--shape 1b|tiny] [--work DIR] [--report FILE]");
                    return 2;
                }
            }
        }
        SyntheticModel.Shape modelShape = switch (shape) {
            case "1b" -> SyntheticModel.Shape.llama32_1b();
            // The agent's whole prompt (system prompt and every tool) is longer, in the tiny
            // tokenizer's tokens, than the 2,048 positions the tests' tiny model has.
            case "tiny" -> SyntheticModel.Shape.tiny().withContextLength(8_192);
            default -> throw new IllegalArgumentException("the shape is 1b or tiny, not " + shape);
        };
        Results results = new InferenceBench(work, out).measure(shape, modelShape);
        out.println();
        out.println(results.markdown());
        if (report != null) {
            PerformanceReport.update(report, "inference-" + shape, results.markdown());
            out.println("Written to " + report);
        }
        return 0;
    }

    Results measure(String shapeName, SyntheticModel.Shape shape) {
        ModelInstaller.Installed model = prepare(shapeName, shape);
        String loadBefore = loadAverage();

        Path scratch = work.resolve("jlama");
        JlamaOptions options = JlamaOptions.defaults().withTemperature(0);
        List<ToolSpecification> tools = tools();
        double promptRate;
        double generationRate;
        Turn turnWithReuse;
        Resident resident;
        try (JlamaChatModel jlama = JlamaChatModel.load(model.directory(), scratch, options)) {
            out.println("Warming up...");
            // The first products run before the JIT has compiled Jlama's loops; they would count
            // against the prompt. A prompt of its own, so that nothing of it is reused below.
            ask(jlama, List.of(UserMessage.from(textOf(jlama, PROMPT_TOKENS / 2, "Warm up with: "))), List.of(), 8);
            out.println("Prompt and generation throughput...");
            List<ChatMessage> long1 = List.of(UserMessage.from(textOf(jlama, PROMPT_TOKENS, "The owner wrote: ")));
            JlamaChatModel.Stats before = jlama.stats();
            ask(jlama, long1, List.of(), 1);
            JlamaChatModel.Stats prompt = jlama.stats().since(before);
            promptRate = prompt.promptTokensComputed() / (prompt.promptNanos() / 1e9);

            before = jlama.stats();
            ask(jlama, long1, List.of(), GENERATED_TOKENS + 1);
            JlamaChatModel.Stats generation = jlama.stats().since(before);
            generationRate = (generation.generatedTokens() - 1) / (generation.generationNanos() / 1e9);

            out.println("A one-tool turn with prompt reuse...");
            scriptedTurn(jlama, tools, "Please note that the boat needs painting before the spring, thanks");
            turnWithReuse = scriptedTurn(jlama, tools, "Add Ann Lee to my contacts; her number is 555-0100 and she lives in Oslo");
            resident = Resident.now();
        }
        Turn turnWithoutReuse;
        try (JlamaChatModel jlama = JlamaChatModel.load(model.directory(), scratch, options.withCachedPositions(0))) {
            out.println("The same turn without prompt reuse...");
            turnWithoutReuse = scriptedTurn(jlama, tools, "Add Ann Lee to my contacts; her number is 555-0100 and she lives in Oslo");
        }
        // Measured last, so that its large buffer does not count in the resident memory above.
        int threads = PhysicalCoreExecutor.instance.get().getCoreCount();
        out.printf(Locale.ROOT, "Measuring memory read bandwidth with %d threads...%n", threads);
        double bandwidth = MemoryBandwidth.measure(threads, 2L << 30, 5);
        return new Results(shapeName, shape, model, threads, TensorOperationsProvider.get().name(), bandwidth, promptRate,
                generationRate, tools.size(), turnWithReuse, turnWithoutReuse, resident, loadBefore + " → " + loadAverage());
    }

    /**
     * One turn as Leap runs it: the owner's message (40 tokens) after the system prompt and the
     * tools, a tool call, its result (60 tokens), a 40-token answer.
     */
    private Turn scriptedTurn(JlamaChatModel jlama, List<ToolSpecification> tools, String request) {
        String system = Assistant.SYSTEM_PROMPT.replace("{{current_date}}", LocalDate.now().toString());
        List<ChatMessage> messages = new ArrayList<>(List.of(SystemMessage.from(system),
                UserMessage.from(textOf(jlama, MESSAGE_TOKENS, request + ". "))));
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("call_0").name("create_record")
                .arguments("{\"collection\":\"contacts\",\"fields\":{\"name\":\"Ann Lee\",\"phone\":\"555-0100\"}}").build();
        JlamaChatModel.Stats before = jlama.stats();
        long start = System.nanoTime();
        ask(jlama, messages, tools, jlama.tokenCount(call.arguments()) + 8);
        messages.add(AiMessage.from(call));
        messages.add(ToolExecutionResultMessage.from(call, textOf(jlama, TOOL_RESULT_TOKENS,
                "Created record k3m9x2 in contacts: {\"name\":\"Ann Lee\",\"phone\":\"555-0100\",\"city\":\"Oslo\"} ")));
        ask(jlama, messages, tools, ANSWER_TOKENS);
        return new Turn((System.nanoTime() - start) / 1e9, jlama.stats().since(before));
    }

    /** A scripted turn: its seconds from the message to the answer, and the model's work in them. */
    record Turn(double seconds, JlamaChatModel.Stats work) {

        /** Where the time went, in one table cell. */
        String breakdown() {
            return String.format(Locale.ROOT, "%,d prompt tokens computed in %.1f s (%,d reused), %d generated in %.1f s",
                    work.promptTokensComputed(), work.promptNanos() / 1e9, work.promptTokens() - work.promptTokensComputed(),
                    work.generatedTokens(), work.generationNanos() / 1e9);
        }
    }

    private static void ask(JlamaChatModel jlama, List<ChatMessage> messages, List<ToolSpecification> tools, int tokens) {
        jlama.chat(ChatRequest.builder().messages(messages).toolSpecifications(tools).maxOutputTokens(tokens).build());
    }

    /** A text of exactly {@code tokens} tokens for this model's tokenizer (or as close as words allow). */
    private static String textOf(JlamaChatModel jlama, int tokens, String seed) {
        StringBuilder text = new StringBuilder(seed);
        String[] filler = "and then the owner asked about the list of things to do this week".split(" ");
        for (int i = 0; jlama.tokenCount(text.toString()) < tokens; i++) {
            text.append(filler[i % filler.length]).append(' ');
        }
        String candidate = text.toString().strip();
        while (jlama.tokenCount(candidate) > tokens && candidate.contains(" ")) {
            candidate = candidate.substring(0, candidate.lastIndexOf(' '));
        }
        return candidate;
    }

    /** The tools the agent offers, as the model sees them, over an empty log that refuses any change. */
    private static List<ToolSpecification> tools() {
        EventLog unused = (EventLog) Proxy.newProxyInstance(EventLog.class.getClassLoader(), new Class<?>[] {EventLog.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("read") && method.getReturnType() == List.class) {
                        return List.of();
                    }
                    throw new IllegalStateException("the benchmark changes nothing: " + method.getName());
                });
        RecordProjection projection = new RecordProjection(unused);
        RecordService records = new RecordService(unused, projection);
        return Toolbox.of(unused, records, projection, null, new TurnIndex(unused),
                new ExportService(records, unused, Path.of("unused"), Clock.systemUTC()), Clock.systemUTC())
                .stream().map(AgentTool::specification).toList();
    }

    /** The generated, quantized model of this shape, made on the first run and kept in the work folder. */
    private ModelInstaller.Installed prepare(String shapeName, SyntheticModel.Shape shape) {
        ModelInstaller installer = new ModelInstaller(work.resolve("models"), work.resolve("jlama"));
        String name = "local/synthetic-" + shapeName + ModelInstaller.QUANTIZED_SUFFIX;
        return installer.find(name).orElseGet(() -> {
            Path source = work.resolve("source/synthetic-" + shapeName);
            out.printf(Locale.ROOT, "Generating a %s model with random weights (%,d parameters) in %s...%n", shapeName,
                    shape.parameterCount(), source);
            SyntheticModel.write(source, shape, 1);
            deleteQuietly(source.resolve(SyntheticModel.FINISHED_MARKER));
            out.println("Quantizing it to 4 bits and checking that it generates...");
            ModelInstaller.Installed installed = installer.pull(source.toString(), null);
            deleteRecursively(source);
            return installed;
        });
    }

    /** The one-minute load average, so that a reader knows how busy the machine was. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The process's resident memory and what it holds: mapped files (the weights, the JVM's own
     * files), direct memory (attention state and working tensors), the Java heap as committed, and
     * the rest (the JVM's classes, compiled code, threads). Empty where /proc is not there.
     */
    record Resident(long total, long files, long direct, long heap) {

        static Resident now() {
            long total = -1;
            long files = -1;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        total = kilobytes(line);
                    } else if (line.startsWith("RssFile:")) {
                        files = kilobytes(line);
                    }
                }
            } catch (IOException e) {
                // Not Linux: resident memory is not reported.
            }
            long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
            return new Resident(total, files, direct, heap);
        }

        private static long kilobytes(String statusLine) {
            return Long.parseLong(statusLine.replaceAll("\\D+", "")) * 1024;
        }

        String describe() {
            if (total < 0 || files < 0) {
                return "not measured";
            }
            return String.format(Locale.ROOT, "%.2f GB: %.2f mapped files (the weights, the JVM's), %.2f direct "
                    + "(attention state, working tensors), %.2f Java heap (committed), %.2f the rest", total / 1e9, files / 1e9,
                    direct / 1e9, heap / 1e9, Math.max(0, total - files - direct - heap) / 1e9);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Results(String shapeName, SyntheticModel.Shape shape, ModelInstaller.Installed model, int threads,
            String operations, double bandwidth, double promptRate, double generationRate, int toolCount, Turn turnWithReuse,
            Turn turnWithoutReuse, Resident resident, String load) {

        /** Generation reads every weight once per token. */
        double generationBandwidthShare() {
            return generationRate * model.sizeBytes() / bandwidth;
        }

        String markdown() {
            return String.format(Locale.ROOT, """
                    ### Local inference, %s shape (`./leap bench inference --shape %s`)

                    Measured %s on this machine (%d threads, %s; load average %s) with a model of the %s shape
                    and random weights: %,d parameters, %s weights, %.2f GB read per generated token.

                    | measure | result | target |
                    |---|---|---|
                    | memory read bandwidth (same run) | %.1f GB/s | |
                    | prompt | %.1f tokens/s (%d-token prompt) | ≥ 110 tokens/s |
                    | generation | %.1f tokens/s = %.1f GB/s of weights, **%.2f** of the bandwidth | ≥ 0.90 |
                    | one-tool turn without prompt reuse | %.2f s: %s | |
                    | one-tool turn with prompt reuse | %.2f s (**%.1fx** faster): %s | ≤ 3 s |
                    | resident memory with the model loaded | %s | ≤ 1.2 GB |

                    The turn: the system prompt and the agent's %d tools, a %d-token message, one tool call, a %d-token tool
                    result and a %d-token answer; with reuse, the system prompt and tools were computed by an earlier turn.
                    """,
                    shapeName, shapeName, LocalDate.now(), threads, operations, load, shapeName, shape.parameterCount(),
                    model.weights(), model.sizeBytes() / 1e9, bandwidth / 1e9, promptRate, PROMPT_TOKENS, generationRate,
                    generationRate * model.sizeBytes() / 1e9, generationBandwidthShare(), turnWithoutReuse.seconds(),
                    turnWithoutReuse.breakdown(), turnWithReuse.seconds(), turnWithoutReuse.seconds() / turnWithReuse.seconds(),
                    turnWithReuse.breakdown(),
                    resident.describe(),
                    toolCount, MESSAGE_TOKENS, TOOL_RESULT_TOKENS, ANSWER_TOKENS);
        }
    }
}
