package dev.leap.agent.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.agent.inbox.Inbox;
import dev.leap.agent.inbox.Inbox.Received;
import dev.leap.agent.inbox.IncomingMessage;
import dev.leap.agent.turn.TurnEvent.TurnCompleted;
import dev.leap.agent.turn.TurnEvent.TurnStarted;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.Actor;
import dev.leap.tools.Provenance;
import dev.leap.agent.Toolbox;
import dev.leap.tools.files.ExportService;
import dev.leap.tools.undo.TurnIndex;
import dev.leap.tools.records.RecordEventCodec;
import dev.leap.tools.records.RecordEvent;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.records.RecordService;
import dev.leap.tools.records.RecordState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent end to end with a scripted model: which tools ran, which events exist, what the owner is told. */
class TurnRunnerTest {

    @TempDir
    Path dataDirectory;

    SqliteEventLog log;
    RecordProjection projection;
    RecordService records;
    ScriptedChatModel model;
    TurnRunner turns;
    Inbox inbox;
    int messages;

    @BeforeEach
    void open() {
        log = SqliteEventLog.openIn(dataDirectory);
        projection = new RecordProjection(log);
        records = new RecordService(log, projection);
        model = new ScriptedChatModel();
        inbox = new Inbox(log);
        turns = turnsWithSteps(5);
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void asking_to_add_a_contact_runs_create_record_once_and_the_reply_names_what_was_added() {
        model.thenCall("call-1", "create_record", "{\"collection\":\"contacts\",\"fields\":{\"name\":\"Ann Lee\",\"phone\":\"555-0100\"}}")
                .thenSay("Saved Ann.");

        Received received = receive("Add Ann Lee, 555-0100, to my contacts");
        Reply reply = turns.run(received.message());

        assertThat(reply.text()).isEqualTo("Saved Ann.\n\nAdded “Ann Lee” to contacts (name: Ann Lee, phone: 555-0100).");
        assertThat(types()).containsExactly("MessageReceived", "TurnStarted", "RecordCreated", "TurnCompleted");
        RecordedEvent created = eventsOfType("RecordCreated").getFirst();
        assertThat(Provenance.fromJson(created.metadata())).isEqualTo(new Provenance(reply.turnId().toString(),
                received.message().eventId().toString(), "call-1", Actor.AGENT, "cli", "scripted"));
        TurnCompleted completed = completed();
        assertThat(completed.toolCalls()).extracting(ToolCall::name).containsExactly("create_record");
        assertThat(completed.modelCalls()).hasSize(2);
        assertThat(completed.modelCalls().get(0).requested()).extracting(ModelCall.Requested::name).containsExactly("create_record");
        assertThat(completed.modelCalls().get(1).text()).isEqualTo("Saved Ann.");
        assertThat(completed.changes()).containsExactly(created.id());
        assertThat(completed.answer()).isEqualTo("Saved Ann.");
        assertThat(records.find("ann", "contacts", 5)).singleElement()
                .satisfies(ann -> assertThat(ann.fields()).containsEntry("phone", "555-0100"));
    }

    @Test
    void the_model_sees_the_tools_and_the_system_prompt() {
        model.thenSay("Hello!");

        turns.run(receive("hi").message());

        var request = model.requests().getFirst();
        // A closed set: nothing here reaches the network or a shell.
        assertThat(request.toolSpecifications()).extracting(s -> s.name()).containsExactly("create_record",
                "update_record", "delete_record", "update_records", "delete_records", "find_records", "list_collections",
                "schedule_reminder", "undo", "history", "export_collection");
        assertThat(request.messages().getFirst().toString()).contains("You are Leap");
    }

    @Test
    void a_model_that_claims_a_change_it_did_not_make_does_not_fool_the_owner() {
        model.thenSay("Done, I deleted Bob from your contacts.");

        Reply reply = turns.run(receive("delete Bob").message());

        assertThat(reply.text()).isEqualTo("I did not manage to do that.\n\nNothing was changed.");
        assertThat(reply.changes()).isEmpty();
        assertThat(types()).containsExactly("MessageReceived", "TurnStarted", "TurnCompleted");
    }

    @Test
    void a_claim_that_goes_beyond_what_was_done_is_dropped_and_the_facts_stay() {
        model.thenCall("c1", "create_record", "{\"collection\":\"contacts\",\"fields\":{\"name\":\"Ann\"}}")
                .thenSay("Added Ann and deleted Bob.");

        Reply reply = turns.run(receive("add Ann, delete Bob").message());

        assertThat(reply.text()).isEqualTo("Added “Ann” to contacts (name: Ann).");
    }

    @Test
    void malformed_arguments_of_the_usual_kinds_are_understood() {
        model.thenCall("c1", "create_record", "Sure! {'collection': 'contacts', fields: {'name': 'Ann', 'age': 41,},} hope that helps")
                .thenSay("Saved Ann.");

        Reply reply = turns.run(receive("add Ann, 41").message());

        assertThat(reply.changes()).containsExactly("Added “Ann” to contacts (name: Ann, age: 41).");
        assertThat(completed().toolCalls()).singleElement().satisfies(call -> assertThat(call.error()).isFalse());
    }

    @Test
    void an_identical_call_repeated_in_a_turn_is_not_carried_out_twice() {
        String ann = "{\"collection\":\"contacts\",\"fields\":{\"name\":\"Ann\"}}";
        model.thenCall("c1", "create_record", ann)
                .thenCall("c2", "create_record", "{\"fields\":{\"name\":\"Ann\"},\"collection\":\"contacts\"}")
                .thenSay("Saved Ann.");

        Reply reply = turns.run(receive("add Ann").message());

        assertThat(eventsOfType("RecordCreated")).hasSize(1);
        assertThat(reply.changes()).hasSize(1);
        assertThat(model.toolResultsSeen().get(1)).startsWith("Already done earlier in this turn, not repeated.");
    }

    @Test
    void when_every_call_fails_the_owner_is_told_honestly_that_nothing_changed() {
        model.thenCall("c1", "delete_record", "{\"id\":\"nope42\"}")
                .thenCall("c2", "delete_record", "{\"id\":\"nope43\"}")
                .thenSay("Deleted Bob.");

        Reply reply = turns.run(receive("delete Bob").message());

        assertThat(reply.text()).isEqualTo("I did not manage to do that.\n\nNothing was changed.");
        assertThat(completed().toolCalls()).allSatisfy(call -> assertThat(call.error()).isTrue());
    }

    @Test
    void an_update_finds_the_record_first_and_the_reply_states_the_change() {
        RecordState bob = records.create("contacts", Map.of("name", "Bob", "phone", "1"), Provenance.system());
        model.thenCall("c1", "find_records", "{\"words\":\"bob\"}")
                .thenCall("c2", "update_record", "{\"id\":\"" + bob.id() + "\",\"fields\":{\"phone\":\"2\"}}")
                .thenSay("Bob's number is now 2.");

        Reply reply = turns.run(receive("Bob's new number is 2").message());

        assertThat(reply.changes()).containsExactly("Updated “Bob” in contacts: phone → 2.");
        assertThat(model.toolResultsSeen().getFirst()).contains("\"id\":\"" + bob.id() + "\"");
        assertThat(completed().toolCalls()).extracting(ToolCall::name).containsExactly("find_records", "update_record");
        assertThat(eventsOfType("RecordUpdated")).hasSize(1);
    }

    @Test
    void a_bad_tool_call_is_answered_with_a_precise_error_and_changes_nothing() {
        model.thenCall("c1", "create_record", "{\"collection\":\"contacts\"}")
                .thenSay("I need more details.");

        Reply reply = turns.run(receive("add someone").message());

        assertThat(model.toolResultsSeen()).containsExactly("Error: create_record needs the argument 'fields', an object of "
                + "field names to values, e.g. {\"name\": \"Ann\", \"phone\": \"555-0100\"}");
        assertThat(completed().toolCalls()).singleElement().satisfies(call -> assertThat(call.error()).isTrue());
        assertThat(reply.text()).endsWith("Nothing was changed.");
        assertThat(eventsOfType("RecordCreated")).isEmpty();
    }

    @Test
    void a_tool_the_model_made_up_is_refused_and_the_real_ones_are_named() {
        model.thenCall("c1", "send_email", "{}").thenSay("I can't send email.");

        turns.run(receive("email Ann").message());

        assertThat(model.toolResultsSeen()).singleElement().asString()
                .contains("no tool named 'send_email'").contains("create_record");
    }

    @Test
    void when_the_model_fails_half_way_the_owner_learns_exactly_what_was_done() {
        model.thenCall("c1", "create_record", "{\"collection\":\"tasks\",\"fields\":{\"title\":\"file taxes\"}}")
                .thenFail(new RuntimeException("connection refused"));

        Reply reply = turns.run(receive("remind me to file taxes and call mum").message());

        assertThat(reply.text()).isEqualTo("Sorry, I could not finish that: the model failed (connection refused).\n\n"
                + "Added “file taxes” to tasks (title: file taxes).");
        assertThat(completed().problem()).contains("connection refused");
    }

    @Test
    void a_model_stuck_in_a_loop_is_stopped_by_the_step_limit() {
        turns = turnsWithSteps(3);
        model.keepCalling("list_collections", "{}");

        Reply reply = turns.run(receive("what do I have?").message());

        assertThat(reply.text()).startsWith("Sorry, I could not finish that: it took more steps than a turn may take.");
        assertThat(completed().toolCalls()).hasSize(3);
        assertThat(model.requests()).hasSize(4);
    }

    @Test
    void running_a_message_again_returns_the_recorded_reply_and_acts_on_nothing() {
        model.thenCall("c1", "create_record", "{\"collection\":\"notes\",\"fields\":{\"text\":\"buy milk\"}}")
                .thenSay("Noted.");
        Received received = receive("note: buy milk");
        Reply first = turns.run(received.message());
        int events = types().size();

        Reply again = turns.run(inbox.receive(received.message().message()).message());

        assertThat(again).isEqualTo(first);
        assertThat(types()).hasSize(events);
        assertThat(model.requests()).hasSize(2);
    }

    @Test
    void a_turn_interrupted_by_a_crash_is_closed_with_what_it_did_and_not_acted_on_again() {
        Received received = receive("add Carol");
        UUID turnId = TurnRunner.turnIdOf(received.message());
        Provenance provenance = new Provenance(turnId.toString(), received.message().eventId().toString(), "c1",
                Actor.AGENT, "cli", "scripted");
        log.append(TurnEvent.stream(turnId), ExpectedRevision.noStream(), TurnEventCodec.encode(
                new TurnStarted(turnId, received.message().eventId(), "cli", "owner"), provenance));
        records.create("contacts", Map.of("name", "Carol"), provenance);

        Reply reply = turns.run(received.message());

        assertThat(model.requests()).isEmpty();
        assertThat(reply.text()).startsWith("Sorry, I could not finish that: Leap stopped while working on this message")
                .endsWith("Added “Carol” to contacts (name: Carol).");
    }

    @Test
    void changes_made_outside_the_turn_are_not_claimed_by_it() {
        model.thenCall("c1", "list_collections", "{}").thenSay("You have contacts.");
        Received received = receive("what do I have?");
        records.create("contacts", Map.of("name", "Dan"), Provenance.system());

        Reply reply = turns.run(received.message());

        assertThat(reply.changes()).isEmpty();
    }

    private TurnRunner turnsWithSteps(int steps) {
        ConversationMemory memory = new ConversationMemory(20, null);
        var exports = new ExportService(records, log, dataDirectory.resolve("exports"), java.time.Clock.systemUTC());
        Assistant assistant = Assistants.create(model,
                Toolbox.of(log, records, projection, null, new TurnIndex(log), exports, java.time.Clock.systemUTC()), memory, steps);
        return new TurnRunner(log, assistant, memory, projection, "scripted");
    }

    private Received receive(String text) {
        return inbox.receive(new IncomingMessage("cli", "owner", "owner", "m" + (++messages), text));
    }

    private List<String> types() {
        return log.readAll(0, 1_000).stream().map(RecordedEvent::type).toList();
    }

    private List<RecordedEvent> eventsOfType(String type) {
        return log.readAll(0, 1_000).stream().filter(e -> e.type().equals(type)).toList();
    }

    private TurnCompleted completed() {
        return eventsOfType("TurnCompleted").stream()
                .map(e -> (TurnCompleted) TurnEventCodec.decode(e).orElseThrow())
                .reduce((first, second) -> second).orElseThrow();
    }

    @SuppressWarnings("unused")
    private static RecordEvent decode(RecordedEvent event) {
        return RecordEventCodec.decode(event).orElseThrow();
    }
}
