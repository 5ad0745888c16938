package dev.leap.connectors.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * A Telegram Bot API server on loopback, for the real telegrambots client to talk to: it answers
 * {@code deleteWebhook}, {@code getUpdates}, {@code sendMessage} and {@code sendChatAction} in the
 * Bot API's JSON shapes, matching method names without regard to case as Telegram does. Updates are
 * handed out as Telegram does: {@code getUpdates} confirms every update below its {@code offset},
 * which is then never returned again, and returns the rest at once, or waits up to {@code timeout}
 * seconds for one to arrive. Everything a bot sends is recorded.
 */
final class BotApiServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A request the bot made: the method, in lower case, and its JSON body. */
    record Call(String method, JsonNode body) {
    }

    private final String token;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final List<ObjectNode> unconfirmed = new ArrayList<>();
    private final List<ObjectNode> confirmed = new ArrayList<>();
    private final Map<Integer, Integer> handedOut = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<IntConsumer> confirmationListeners = new ArrayList<>();
    private int nextUpdateId = 1_000;
    private int nextMessageId = 1;
    private int highestConfirmed;
    private Integer holdPollsAfter;
    private boolean pollsHeld;
    private boolean closed;

    private final Map<String, byte[]> files = new java.util.concurrent.ConcurrentHashMap<>();

    BotApiServer(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL to configure as {@code leap.telegram.api-url}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // --- what Telegram delivers ---

    /** A text in the bot's private chat with {@code user}. */
    static ObjectNode privateText(long user, String text) {
        ObjectNode message = message(privateChat(user), user);
        message.put("text", text);
        return message;
    }

    /** A text {@code user} wrote in a group the bot is in. */
    static ObjectNode groupText(long user, long group, String text) {
        ObjectNode chat = JSON.createObjectNode().put("id", group).put("type", "group").put("title", "Family");
        ObjectNode message = message(chat, user);
        message.put("text", text);
        return message;
    }

    /** Something {@code originalAuthor} wrote, forwarded by {@code user} to the bot's private chat. */
    static ObjectNode forwardedText(long user, long originalAuthor, String text) {
        ObjectNode message = privateText(user, text);
        ObjectNode origin = message.putObject("forward_origin").put("type", "user").put("date", 1_700_000_000L);
        origin.set("sender_user", user(originalAuthor));
        return message;
    }

    /**
     * A document in the bot's private chat with {@code user}; its content is served by this server
     * through getFile and the file download path, as Telegram's are.
     */
    ObjectNode privateDocument(long user, String fileName, byte[] content, String caption) {
        String fileId = "BQADdoc" + files.size();
        files.put(fileId, content);
        ObjectNode message = message(privateChat(user), user);
        message.putObject("document").put("file_id", fileId).put("file_unique_id", fileId + "-u")
                .put("file_name", fileName).put("mime_type", "text/csv").put("file_size", content.length);
        if (caption != null) {
            message.put("caption", caption);
        }
        return message;
    }

    /** A photo with a caption in the bot's private chat with {@code user}. */
    static ObjectNode privatePhoto(long user, String caption) {
        ObjectNode message = message(privateChat(user), user);
        message.putArray("photo").addObject().put("file_id", "AgADphoto").put("file_unique_id", "photo-1")
                .put("width", 90).put("height", 90).put("file_size", 1_000);
        message.put("caption", caption);
        return message;
    }

    /** A post in a channel the bot administers: it has no user, only the channel. */
    static ObjectNode channelPost(long channel, String text) {
        ObjectNode chat = JSON.createObjectNode().put("id", channel).put("type", "channel").put("title", "News");
        ObjectNode message = JSON.createObjectNode().put("date", 1_700_000_000L);
        message.set("chat", chat);
        message.set("sender_chat", chat.deepCopy());
        message.put("text", text);
        return message;
    }

    /** Queues an update carrying {@code message} (a channel's as a channel post); returns the update's id. */
    int deliver(ObjectNode message) {
        return queue(message.path("chat").path("type").asText().equals("channel") ? "channel_post" : "message", message);
    }

    // --- what the bot did ---

    /** The update's message id, as Telegram gave it. */
    synchronized int messageIdOf(int updateId) {
        return Stream.concat(confirmed.stream(), unconfirmed.stream()).filter(u -> u.get("update_id").asInt() == updateId).findFirst()
                .map(u -> u.path("message").path("message_id").asInt()).orElseThrow();
    }

    synchronized List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method.toLowerCase(Locale.ROOT))).toList();
    }

    /** The texts of the messages the bot sent to a chat, in order. */
    synchronized List<String> messagesTo(long chat) {
        return calls("sendMessage").stream().filter(c -> c.body().path("chat_id").asLong() == chat)
                .map(c -> c.body().path("text").asText()).toList();
    }

    synchronized int timesHandedOut(int updateId) {
        return handedOut.getOrDefault(updateId, 0);
    }

    synchronized boolean confirmed(int updateId) {
        return updateId <= highestConfirmed;
    }

    /** Runs {@code listener} with each update id as a {@code getUpdates} confirms it, before answering that call. */
    synchronized void onConfirmation(IntConsumer listener) {
        confirmationListeners.add(listener);
    }

    /**
     * Once {@code updateId} has been handed out, no later {@code getUpdates} gets through: each is
     * held unanswered and its offset is never applied, as when the polls after a delivery are lost
     * on the way, so that Telegram still holds the update for whoever polls next.
     */
    synchronized void losePollsAfterHandingOut(int updateId) {
        holdPollsAfter = updateId;
    }

    /** Lets polls through again; the held ones are answered 502 Bad Gateway, as a proxy in the way would. */
    synchronized void letPollsThrough() {
        holdPollsAfter = null;
        pollsHeld = false;
        notifyAll();
    }

    // --- waiting, without sleeping ---

    void awaitConfirmed(int updateId) {
        await(() -> confirmed(updateId), "update " + updateId + " to be confirmed");
    }

    /** Waits until {@code count} messages were sent to {@code chat}, and returns their texts. */
    List<String> awaitMessagesTo(long chat, int count) {
        await(() -> messagesTo(chat).size() >= count, count + " messages to chat " + chat);
        return messagesTo(chat);
    }

    synchronized void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("waited " + WAIT.toSeconds() + "s for " + what + "; the bot called " + calls);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    // --- the wire ---

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI().getPath().split("/");
            if (path.length >= 4 && path[1].equals("file") && path[2].equals("bot" + token)) {
                byte[] content = files.get(path[path.length - 1]);
                exchange.sendResponseHeaders(content == null ? 404 : 200, content == null ? -1 : content.length);
                if (content != null) {
                    exchange.getResponseBody().write(content);
                }
                return;
            }
            if (path.length != 3 || !path[1].equals("bot" + token)) {
                respond(exchange, 401, error(401, "Unauthorized"));
                return;
            }
            String method = path[2].toLowerCase(Locale.ROOT);
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            if (method.equals("getupdates")) {
                ObjectNode updates = getUpdates(body);
                respond(exchange, updates == null ? 502 : 200, updates == null ? error(502, "Bad Gateway") : updates);
                return;
            }
            ObjectNode answer = switch (method) {
                case "deletewebhook", "sendchataction" -> record(method, body, ok().put("result", true));
                case "sendmessage" -> record(method, body, sent(body));
                case "getfile" -> record(method, body, fileOf(body.path("file_id").asText()));
                default -> error(404, "Not Found: method not found");
            };
            respond(exchange, answer.get("ok").asBoolean() ? 200 : 404, answer);
        }
    }

    private ObjectNode fileOf(String fileId) {
        byte[] content = files.get(fileId);
        if (content == null) {
            return error(400, "Bad Request: invalid file_id");
        }
        ObjectNode answer = ok();
        answer.putObject("result").put("file_id", fileId).put("file_unique_id", fileId + "-u")
                .put("file_size", content.length).put("file_path", "documents/" + fileId);
        return answer;
    }

    /** Null when the poll was lost on the way. */
    private synchronized ObjectNode getUpdates(JsonNode body) {
        record("getupdates", body, null);
        if (pollsHeld) {
            while (pollsHeld && !closed) {
                waitQuietly(WAIT.toMillis());
            }
            return null;
        }
        int offset = body.path("offset").asInt(0);
        if (offset > 0) {
            confirmBelow(offset);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(body.path("timeout").asInt(0)).toNanos();
        while (unconfirmed.isEmpty() && !closed && System.nanoTime() < deadline) {
            waitQuietly(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        ArrayNode result = JSON.createArrayNode();
        unconfirmed.stream().limit(body.path("limit").asInt(100)).forEach(update -> {
            result.add(update);
            int id = update.get("update_id").asInt();
            handedOut.merge(id, 1, Integer::sum);
            if (holdPollsAfter != null && holdPollsAfter == id) {
                pollsHeld = true;
            }
        });
        notifyAll();
        ObjectNode answer = ok();
        answer.set("result", result);
        return answer;
    }

    private void confirmBelow(int offset) {
        for (ObjectNode update : List.copyOf(unconfirmed)) {
            int id = update.get("update_id").asInt();
            if (id < offset) {
                confirmationListeners.forEach(listener -> listener.accept(id));
                unconfirmed.remove(update);
                highestConfirmed = Math.max(highestConfirmed, id);
                confirmed.add(update);
            }
        }
        notifyAll();
    }

    private synchronized int queue(String kind, ObjectNode message) {
        if (!message.has("message_id")) {
            message.put("message_id", nextMessageId++);
        }
        int id = nextUpdateId++;
        ObjectNode update = JSON.createObjectNode().put("update_id", id);
        update.set(kind, message);
        unconfirmed.add(update);
        notifyAll();
        return id;
    }

    private synchronized ObjectNode record(String method, JsonNode body, ObjectNode answer) {
        calls.add(new Call(method, body));
        notifyAll();
        return answer;
    }

    private synchronized ObjectNode sent(JsonNode body) {
        ObjectNode message = JSON.createObjectNode().put("message_id", nextMessageId++).put("date", 1_700_000_000L)
                .put("text", body.path("text").asText());
        message.putObject("chat").put("id", body.path("chat_id").asLong()).put("type", "private");
        ObjectNode answer = ok();
        answer.set("result", message);
        return answer;
    }

    private void waitQuietly(long millis) {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private static ObjectNode message(ObjectNode chat, long from) {
        ObjectNode message = JSON.createObjectNode().put("date", 1_700_000_000L);
        message.set("chat", chat);
        message.set("from", user(from));
        return message;
    }

    private static ObjectNode privateChat(long user) {
        return JSON.createObjectNode().put("id", user).put("type", "private").put("first_name", "User " + user);
    }

    private static ObjectNode user(long id) {
        return JSON.createObjectNode().put("id", id).put("is_bot", false).put("first_name", "User " + id);
    }

    private static ObjectNode ok() {
        return JSON.createObjectNode().put("ok", true);
    }

    private static ObjectNode error(int code, String description) {
        return JSON.createObjectNode().put("ok", false).put("error_code", code).put("description", description);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        server.stop(0);
        handlers.shutdownNow();
    }
}
