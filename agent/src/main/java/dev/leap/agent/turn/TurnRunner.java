package dev.leap.agent.turn;

import dev.langchain4j.service.Result;
import dev.leap.agent.inbox.MessageReceived;
import dev.leap.agent.turn.TurnEvent.TurnCompleted;
import dev.leap.agent.turn.TurnEvent.TurnStarted;
import dev.leap.store.EventIds;
import dev.leap.store.EventLog;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Actor;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.RecordProjection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one turn: from a recorded message to a recorded reply. The reply's account of what changed
 * is read back from the events the turn actually appended, never taken from the model's words.
 *
 * <p>Turns run one at a time: there is one model, and a turn's changes are found as the events
 * after its start that name it.
 */
public final class TurnRunner {

    private static final Logger LOG = LoggerFactory.getLogger(TurnRunner.class);
    static final String NOTHING_CHANGED = "Nothing was changed.";
    static final String NOT_DONE = "I did not manage to do that.";
    static final String STEP_LIMIT = "it took more steps than a turn may take.";

    private final EventLog log;
    private final Assistant assistant;
    private final ConversationMemory memory;
    private final TurnChanges turnChanges;
    private final String modelName;
    private final ReentrantLock oneTurnAtATime = new ReentrantLock();

    public TurnRunner(EventLog log, Assistant assistant, ConversationMemory memory, RecordProjection records,
            String modelName) {
        this.log = Objects.requireNonNull(log, "log");
        this.assistant = Objects.requireNonNull(assistant, "assistant");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.turnChanges = new TurnChanges(log, Objects.requireNonNull(records, "records"));
        this.modelName = Objects.requireNonNull(modelName, "modelName");
    }

    /** The id of the turn that answers a message; one message has exactly one turn. */
    public static UUID turnIdOf(MessageReceived message) {
        return EventIds.fromName("turn:" + message.eventId());
    }

    /**
     * Answers a recorded message. Running the same message again returns the recorded reply and
     * acts on nothing; a turn that was interrupted before it completed is closed, not acted on again.
     */
    public Reply run(MessageReceived message) {
        oneTurnAtATime.lock();
        try {
            return runAlone(message);
        } finally {
            oneTurnAtATime.unlock();
        }
    }

    private Reply runAlone(MessageReceived message) {
        UUID turnId = turnIdOf(message);
        String stream = TurnEvent.stream(turnId);
        List<RecordedEvent> earlier = log.readStream(stream);
        Optional<TurnCompleted> done = earlier.stream()
                .flatMap(e -> TurnEventCodec.decode(e).stream())
                .filter(TurnCompleted.class::isInstance).map(TurnCompleted.class::cast)
                .findFirst();
        if (done.isPresent()) {
            return new Reply(turnId, done.get().reply(), done.get().facts());
        }
        String channel = message.message().channel();
        String chatId = message.message().chatId();
        Provenance provenance = new Provenance(turnId.toString(), message.eventId().toString(), null, Actor.AGENT,
                channel, modelName);

        String answer = "";
        String problem = null;
        List<ToolCall> calls = List.of();
        List<ModelCall> modelCalls = List.of();
        long startedAt;
        if (earlier.isEmpty()) {
            startedAt = log.append(stream, ExpectedRevision.noStream(),
                    TurnEventCodec.encode(new TurnStarted(turnId, message.eventId(), channel, chatId), provenance))
                    .firstPosition();
            TurnContext context = new TurnContext(provenance, message.message().text());
            String conversation = channel + ":" + chatId;
            try {
                Result<String> result = assistant.reply(conversation, message.message().text(), context.asParameters());
                answer = result.content() == null ? "" : result.content().strip();
            } catch (RuntimeException e) {
                LOG.warn("turn {} did not finish: {}", turnId, e.toString());
                problem = context.stoppedWithCallsPending() ? STEP_LIMIT : problemOf(e);
                // The memory may end in a tool request without its result; start the chat afresh.
                memory.forget(conversation);
            }
            calls = context.calls();
            modelCalls = context.modelCalls();
        } else {
            startedAt = earlier.getFirst().position();
            problem = "Leap stopped while working on this message, so it was not finished.";
        }

        List<TurnChanges.Change> changes = turnChanges.of(turnId, startedAt);
        List<String> sentences = changes.stream().map(TurnChanges.Change::sentence).toList();
        String text = compose(answer, changes, problem);
        TurnCompleted completed = new TurnCompleted(turnId, text, answer, modelCalls, calls,
                changes.stream().map(change -> change.event().id()).toList(), sentences, problem);
        log.append(stream, ExpectedRevision.exactly(0), TurnEventCodec.encode(completed, provenance));
        return new Reply(turnId, text, sentences);
    }

    /**
     * The reply: the model's short answer, then one line per change actually committed. When the
     * turn failed the owner is told so, and told exactly what was changed before it did.
     */
    static String compose(String answer, List<TurnChanges.Change> changes, String problem) {
        Set<Claims.Kind> committed = EnumSet.noneOf(Claims.Kind.class);
        changes.forEach(change -> committed.add(change.kind()));
        StringBuilder text = new StringBuilder();
        if (problem != null) {
            text.append("Sorry, I could not finish that: ").append(problem);
        } else if (!answer.isBlank() && Claims.supported(answer, committed)) {
            text.append(answer.strip());
        } else if (!answer.isBlank() && changes.isEmpty()) {
            // The model claims to have done something it did not do: never pass that on.
            text.append(NOT_DONE);
        }
        if (!text.isEmpty()) {
            text.append("\n\n");
        }
        if (changes.isEmpty()) {
            text.append(NOTHING_CHANGED);
        } else {
            text.append(String.join("\n", changes.stream().map(TurnChanges.Change::sentence).toList()));
        }
        return text.toString();
    }

    private static String problemOf(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String oneLine = message.replaceAll("\\s+", " ").strip();
        return "the model failed (" + (oneLine.length() > 200 ? oneLine.substring(0, 199) + "…" : oneLine) + ").";
    }
}
