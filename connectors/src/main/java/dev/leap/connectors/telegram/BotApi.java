package dev.leap.connectors.telegram;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.longpolling.BotSession;
import org.telegram.telegrambots.longpolling.interfaces.LongPollingUpdateConsumer;
import org.telegram.telegrambots.longpolling.util.DefaultGetUpdatesGenerator;
import org.telegram.telegrambots.longpolling.util.ExponentialBackOff;
import org.telegram.telegrambots.longpolling.util.TelegramOkHttpClientFactory;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * One bot on one Bot API server (Telegram's, a self-hosted {@code telegram-bot-api}, or a test
 * server): the client that sends and the long-polling session that receives share one HTTP client.
 */
final class BotApi {

    /** Telegram keeps every other kind of update (edits, reactions, membership changes) to itself. */
    static final List<String> UPDATES_WANTED = List.of("message", "channel_post");

    private final String token;
    private final TelegramUrl server;
    private final OkHttpClient http = new TelegramOkHttpClientFactory.DefaultOkHttpClientCreator().get();

    BotApi(String token, URI server) {
        if (token.isBlank()) {
            throw new IllegalArgumentException("the Telegram bot token is blank");
        }
        this.token = token;
        this.server = telegramUrl(server);
    }

    TelegramClient client() {
        return new OkHttpTelegramClient(http, token, server);
    }

    /**
     * The content of a file Telegram keeps, by the {@code file_path} getFile gave. The library's own
     * download always goes to api.telegram.org, whatever server is configured; this one asks the
     * configured server, as the Bot API describes ({@code /file/bot<token>/<file_path>}).
     */
    byte[] download(String filePath, int maxBytes) throws IOException {
        String url = server.getSchema() + "://" + server.getHost() + ":" + server.getPort() + "/file/bot" + token + "/" + filePath;
        try (Response response = http.newCall(new Request.Builder().url(url).get().build()).execute()) {
            if (!response.isSuccessful() || response.body() == null) {
                throw new IOException("the Bot API answered " + response.code() + " for a file download");
            }
            try (InputStream content = response.body().byteStream()) {
                return content.readNBytes(maxBytes + 1);
            }
        }
    }

    /** A session that, once started, polls on {@code poller} and hands each batch to {@code updates}. */
    BotSession session(ScheduledExecutorService poller, LongPollingUpdateConsumer updates) {
        return new BotSession(new ObjectMapper(), http, poller, token, () -> server,
                new DefaultGetUpdatesGenerator(UPDATES_WANTED), ExponentialBackOff::new, updates);
    }

    /** The library addresses a server by scheme, host and port only, so a path cannot be honoured. */
    static TelegramUrl telegramUrl(URI server) {
        String scheme = server.getScheme();
        if ((!"https".equals(scheme) && !"http".equals(scheme)) || server.getHost() == null) {
            throw new IllegalArgumentException("the Telegram Bot API URL must be http(s)://host[:port], not " + server);
        }
        if (server.getRawPath() != null && !server.getRawPath().isEmpty() && !server.getRawPath().equals("/")) {
            throw new IllegalArgumentException("the Telegram Bot API URL cannot have a path (" + server
                    + "): give the server's root, e.g. http://localhost:8081");
        }
        int port = server.getPort() != -1 ? server.getPort() : scheme.equals("https") ? 443 : 80;
        return new TelegramUrl(scheme, server.getHost(), port, false);
    }
}
