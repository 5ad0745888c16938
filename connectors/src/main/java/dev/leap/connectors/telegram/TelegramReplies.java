package dev.leap.connectors.telegram;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.ActionType;
import org.telegram.telegrambots.meta.api.methods.send.SendChatAction;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.generics.TelegramClient;
import org.telegram.telegrambots.meta.api.methods.GetFile;
import org.telegram.telegrambots.meta.api.objects.Document;
import org.telegram.telegrambots.meta.api.objects.File;
import dev.leap.agent.inbox.FileStore;
import java.io.IOException;

/** What Leap says in a Telegram chat: replies, in as many messages as they need, and short notices. */
final class TelegramReplies {

    private static final Logger LOG = Logger.getLogger(TelegramReplies.class);

    private final TelegramClient client;
    private final BotApi api;
    /**
     * Parts already sent of replies whose delivery failed midway: the outbox retries the whole
     * reply, and this keeps the retry from repeating what the owner already has.
     */
    private final Map<UUID, Integer> partsSent = new ConcurrentHashMap<>();

    TelegramReplies(BotApi api) {
        this.api = api;
        this.client = api.client();
    }

    /** Sends a reply, split into parts if it is too long for one message; returns the number of parts. */
    int send(String chatId, String text, UUID turnId) {
        List<String> parts = ReplyParts.of(text);
        for (int part = partsSent.getOrDefault(turnId, 0); part < parts.size(); part++) {
            execute(SendMessage.builder().chatId(chatId).text(parts.get(part)).build());
            partsSent.put(turnId, part + 1);
        }
        partsSent.remove(turnId);
        return parts.size();
    }

    /** Shows "typing…" in the chat; Telegram clears it after five seconds or at the next message. */
    void typing(String chatId) {
        try {
            client.executeAsync(SendChatAction.builder().chatId(chatId).action(ActionType.TYPING.toString()).build())
                    .exceptionally(failure -> {
                        LOG.debugf("the typing indicator for chat %s failed: %s", chatId, failure);
                        return false;
                    });
        } catch (TelegramApiException e) {
            LOG.debugf("the typing indicator for chat %s failed: %s", chatId, e);
        }
    }

    /** A message outside any turn (a pairing confirmation); losing it loses nothing recorded, so failures are only logged. */
    void notice(String chatId, String text) {
        try {
            client.execute(SendMessage.builder().chatId(chatId).text(text).build());
        } catch (TelegramApiException | RuntimeException e) {
            LOG.warnf("could not tell Telegram chat %s \"%s\": %s", chatId, text, e);
        }
    }

    /**
     * The content of a file the owner sent. Throws if Telegram cannot hand it over, so the update
     * stays unconfirmed and is delivered again.
     */
    byte[] download(Document document) {
        try {
            File file = client.execute(GetFile.builder().fileId(document.getFileId()).build());
            return api.download(file.getFilePath(), FileStore.MAX_BYTES);
        } catch (TelegramApiException | IOException e) {
            throw new IllegalStateException("Telegram did not hand over the file " + document.getFileName() + ": "
                    + e.getMessage(), e);
        }
    }

    private void execute(SendMessage message) {
        try {
            client.execute(message);
        } catch (TelegramApiException e) {
            throw new IllegalStateException("Telegram did not take the message for chat " + message.getChatId() + ": "
                    + e.getMessage(), e);
        }
    }
}
