package dev.leap.connectors.audit;

import dev.leap.agent.inbox.IncomingMessage;
import dev.leap.agent.inbox.MessageReceived;
import dev.leap.agent.turn.ModelCall;
import dev.leap.agent.turn.ToolCall;
import dev.leap.agent.turn.TurnEvent;
import dev.leap.agent.turn.TurnEvent.ReplySent;
import dev.leap.agent.turn.TurnEvent.TurnCompleted;
import dev.leap.agent.turn.TurnEvent.TurnStarted;
import dev.leap.agent.turn.TurnEventCodec;
import dev.leap.agent.turn.TurnRunner;
import dev.leap.store.EventLog;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Actor;
import dev.leap.tools.Provenance;
import dev.leap.tools.files.ImportService;
import dev.leap.tools.records.RecordChanges;
import dev.leap.tools.records.RecordEventCodec;
import dev.leap.tools.records.RecordException;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.records.RecordService;
import dev.leap.tools.records.RecordState;
import dev.leap.tools.undo.TurnIndex;
import dev.leap.tools.undo.UndoService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Writes a log of the shape Leap's own use gives it, through the real services: each turn is a
 * message in its chat's stream, a turn started, the record events its tool calls append (created,
 * updated, deleted; now and then many at once, an import, or the owner's "undo that"), the turn
 * completed with its model and tool calls, and the reply sent. Seeded, so that two runs write the
 * same turns (ids and times differ).
 */
final class SyntheticLog {

    static final String MODEL = "tjake/Llama-3.2-1B-Instruct-JQ4";
    private static final String[] CHANNELS = {"telegram", "telegram", "telegram", "web", "cli", "bluebubbles"};
    private static final String[] NAMES = {"Ann Lee", "Bob Stone", "Chidi Okafor", "Dana Ruiz", "Eirik Dahl",
        "Fatima Zahra", "Grace Ho", "Hugo Martin", "Ines Costa", "Jonas Berg", "Kemal Yildiz", "Lea Novak"};
    private static final String[] TASKS = {"paint the boat", "call the dentist", "renew the passport",
        "book the ferry", "fix the bike", "buy birthday present", "clean the gutters", "pay the electricity bill"};
    private static final String[] NOTES = {"Wifi password is on the fridge", "Parking is behind the station",
        "Ann prefers tea, not coffee", "The spare key is with Bob", "Boat insurance renews in May"};

    private final EventLog log;
    private final Random random;
    private final RecordProjection projection;
    private final RecordService records;
    private final UndoService undo;
    private final ImportService imports;
    private final List<String> live = new ArrayList<>();
    private long messages;

    SyntheticLog(EventLog log, long seed) {
        this.log = log;
        this.random = new Random(seed);
        this.projection = new RecordProjection(log);
        this.records = new RecordService(log, projection);
        this.undo = new UndoService(log, projection, new TurnIndex(log));
        this.imports = new ImportService(records);
    }

    /**
     * Writes turns until they have appended at least {@code events} events, reporting the count as it
     * goes. Counted by reading them back: positions need not be contiguous (KurrentDB's are not).
     */
    void write(long events, LongConsumer progress) {
        long written = 0;
        long next = log.lastPosition().orElse(-1) + 1;
        while (written < events) {
            turn();
            List<RecordedEvent> appended = log.readAll(next, Integer.MAX_VALUE);
            next = appended.getLast().position() + 1;
            if ((written + appended.size()) / 50_000 != written / 50_000) {
                progress.accept(written + appended.size());
            }
            written += appended.size();
        }
    }

    private void turn() {
        String channel = CHANNELS[random.nextInt(CHANNELS.length)];
        String chat = channel + "-chat-" + random.nextInt(3);
        int roll = random.nextInt(100);
        String who = name();
        String[] tasks = {pick(TASKS), pick(TASKS)};
        String text = roll < 35 ? "add " + who + " to my contacts"
                : roll < 55 ? "change that phone number"
                : roll < 62 ? "delete that one"
                : roll < 82 ? "who is " + who + "?"
                : roll < 92 ? "remind me to " + tasks[0] + " and to " + tasks[1]
                : roll < 97 ? "undo that"
                : "import contacts.csv";
        MessageReceived message = MessageReceived.of(new IncomingMessage(channel, chat, "owner", "m-" + (++messages), text));
        log.append(message.stream(), ExpectedRevision.any(), message.toEvent());
        UUID turnId = TurnRunner.turnIdOf(message);
        Provenance why = new Provenance(turnId.toString(), message.eventId().toString(), null, Actor.AGENT, channel, MODEL);
        long startedAt = log.append(TurnEvent.stream(turnId), ExpectedRevision.noStream(),
                TurnEventCodec.encode(new TurnStarted(turnId, message.eventId(), channel, chat), why)).firstPosition();

        Turn turn = new Turn(why);
        if (roll < 35) {
            turn.call("create_record", "{\"collection\":\"contacts\",\"fields\":{\"name\":\"" + who + "\"}}",
                    call -> created(records.create("contacts", contact(who), call)));
        } else if (roll < 55 && stillLive()) {
            String id = live.getLast();
            String phone = phone();
            turn.call("update_record", "{\"id\":\"" + id + "\",\"fields\":{\"phone\":\"" + phone + "\"}}",
                    call -> "Updated record " + records.update(id, Map.of("phone", phone), List.of(), call).id());
        } else if (roll < 62 && stillLive()) {
            String id = live.removeLast();
            turn.call("delete_record", "{\"id\":\"" + id + "\"}", call -> "Deleted record " + records.delete(id, call).id());
        } else if (roll < 82) {
            turn.call("find_records", "{\"words\":\"" + who + "\"}", call -> "Found 1 record.");
        } else if (roll < 92) {
            for (String title : tasks) {
                Map<String, String> task = Map.of("title", title, "due", "2025-0" + (1 + random.nextInt(9)) + "-15");
                turn.call("create_record", "{\"collection\":\"tasks\",\"fields\":{\"title\":\"" + title + "\"}}",
                        call -> created(records.create("tasks", task, call)));
            }
        } else if (roll < 97) {
            turn.call("undo", "{}", call -> {
                try {
                    return "Undid " + undo.undoLast(call).compensations().size() + " change(s).";
                } catch (RecordException e) {
                    return e.getMessage();
                }
            });
        } else {
            StringBuilder csv = new StringBuilder("name,phone,city\n");
            int rows = 20 + random.nextInt(80);
            for (int i = 0; i < rows; i++) {
                csv.append(name()).append(',').append(phone()).append(",Oslo\n");
            }
            ImportService.Report report = imports.importFile("contacts.csv", csv.toString().getBytes(StandardCharsets.UTF_8),
                    null, why);
            live.addAll(report.imported());
            turn.answer = report.summary();
        }
        projection.catchUp();
        List<RecordedEvent> changes = changesOf(turnId, startedAt);
        List<String> facts = changes.stream().map(this::fact).toList();
        String reply = (turn.answer.isEmpty() ? "" : turn.answer + "\n\n")
                + (facts.isEmpty() ? "Nothing was changed." : String.join("\n", facts));
        log.append(TurnEvent.stream(turnId), ExpectedRevision.exactly(0), TurnEventCodec.encode(new TurnCompleted(turnId,
                reply, turn.answer, turn.modelCalls, turn.toolCalls, changes.stream().map(RecordedEvent::id).toList(), facts,
                null), why));
        log.append(TurnEvent.stream(turnId), ExpectedRevision.any(),
                TurnEventCodec.encode(new ReplySent(turnId, channel, chat, 1), Provenance.system()));
    }

    /** The model's side of one turn: each answer asks for one tool call, and the last one speaks. */
    private final class Turn {
        private final Provenance why;
        private final List<ModelCall> modelCalls = new ArrayList<>();
        private final List<ToolCall> toolCalls = new ArrayList<>();
        private String answer = "";

        Turn(Provenance why) {
            this.why = why;
        }

        void call(String tool, String arguments, Function<Provenance, String> run) {
            String id = "call_" + (toolCalls.size() + 1);
            modelCalls.add(new ModelCall("", List.of(new ModelCall.Requested(id, tool, arguments)), 900, 30));
            toolCalls.add(new ToolCall(id, tool, arguments, run.apply(why.forToolCall(id)), false));
            answer = "Done.";
            modelCalls.add(new ModelCall(answer, List.of(), 1_000, 4));
        }
    }

    /**
     * Whether there is a record to change: a random one of those created is moved to the end of the
     * list, and dropped if an undo has deleted it since.
     */
    private boolean stillLive() {
        while (!live.isEmpty()) {
            int index = random.nextInt(live.size());
            String id = live.get(index);
            live.set(index, live.getLast());
            live.set(live.size() - 1, id);
            if (projection.get(id).isPresent()) {
                return true;
            }
            live.removeLast();
        }
        return false;
    }

    /** The events after the turn's start that name it: as TurnRunner finds them. */
    private List<RecordedEvent> changesOf(UUID turnId, long startedAt) {
        String id = turnId.toString();
        return log.readAll(startedAt + 1, 10_000).stream()
                .filter(event -> id.equals(EventBody.provenance(event).turnId()))
                .toList();
    }

    private String fact(RecordedEvent event) {
        return RecordEventCodec.decode(event)
                .map(change -> RecordChanges.describe(change, change.recordId()))
                .orElse("Undid an earlier change.");
    }

    private String created(RecordState record) {
        live.add(record.id());
        return "Created record " + record.id() + " in " + record.collection();
    }

    private Map<String, String> contact(String name) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("phone", phone());
        if (random.nextBoolean()) {
            fields.put("note", pick(NOTES));
        }
        return fields;
    }

    private String name() {
        return pick(NAMES);
    }

    private String phone() {
        return "555-" + (1000 + random.nextInt(9000));
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
