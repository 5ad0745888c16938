package dev.leap.agent.turn;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.leap.agent.inbox.ChatStreams;
import dev.leap.agent.inbox.MessageReceived;
import dev.leap.agent.turn.TurnEvent.TurnCompleted;
import dev.leap.store.Direction;
import dev.leap.store.ReadStream;
import dev.leap.store.RecordedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A conversation's recent exchanges, read from the log: each message of the chat and the reply
 * its turn gave. It is what a conversation remembers after a restart.
 */
public final class ConversationHistory {

    private final ReadStream log;

    public ConversationHistory(ReadStream log) {
        this.log = log;
    }

    /**
     * The last exchanges of a conversation ({@code <channel>:<chatId>}), oldest first, as user and
     * assistant messages: at most {@code maxMessages} messages and about {@code maxCharacters}
     * characters. Messages whose turn has not completed are left out.
     */
    public List<ChatMessage> recent(String conversation, int maxMessages, int maxCharacters) {
        int colon = conversation.indexOf(':');
        if (colon < 0) {
            return List.of();
        }
        String stream = ChatStreams.of(conversation.substring(0, colon), conversation.substring(colon + 1));
        List<ChatMessage> newestFirst = new ArrayList<>();
        int characters = 0;
        long from = Long.MAX_VALUE;
        while (newestFirst.size() + 2 <= maxMessages) {
            List<RecordedEvent> page = log.readStream(stream, from, 50, Direction.BACKWARDS);
            for (RecordedEvent event : page) {
                if (!MessageReceived.TYPE.equals(event.type())) {
                    continue;
                }
                MessageReceived message = MessageReceived.fromEvent(event);
                Optional<TurnCompleted> reply = completed(TurnRunner.turnIdOf(message));
                if (reply.isEmpty()) {
                    continue;
                }
                characters += message.message().text().length() + reply.get().reply().length();
                if (characters > maxCharacters || newestFirst.size() + 2 > maxMessages) {
                    return newestFirst.reversed();
                }
                newestFirst.add(AiMessage.from(reply.get().reply()));
                newestFirst.add(UserMessage.from(message.message().text()));
            }
            if (page.size() < 50) {
                break;
            }
            from = page.getLast().revision() - 1;
        }
        return newestFirst.reversed();
    }

    private Optional<TurnCompleted> completed(java.util.UUID turnId) {
        return log.readStream(TurnEvent.stream(turnId)).stream()
                .flatMap(event -> TurnEventCodec.decode(event).stream())
                .filter(TurnCompleted.class::isInstance).map(TurnCompleted.class::cast)
                .findFirst();
    }
}
