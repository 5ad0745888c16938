package dev.leap.connectors.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.TelegramUrl;

class BotApiTest {

    @Test
    void telegram_s_own_server_is_reached_over_https_on_port_443() {
        assertThat(BotApi.telegramUrl(URI.create("https://api.telegram.org")))
                .isEqualTo(new TelegramUrl("https", "api.telegram.org", 443, false));
    }

    @Test
    void a_self_hosted_server_keeps_its_scheme_and_port() {
        assertThat(BotApi.telegramUrl(URI.create("http://localhost:8081/")))
                .isEqualTo(new TelegramUrl("http", "localhost", 8081, false));
    }

    @Test
    void a_url_with_a_path_is_refused_because_the_client_would_drop_it() {
        assertThatThrownBy(() -> BotApi.telegramUrl(URI.create("https://proxy.example/telegram")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot have a path");
        assertThatThrownBy(() -> BotApi.telegramUrl(URI.create("ftp://api.telegram.org")))
                .hasMessageContaining("must be http(s)://host[:port]");
    }
}
