package dev.leap.connectors.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The web chat page is static (META-INF/resources/chat/) and served at {@code /chat/}. Leap's bare
 * address and {@code /chat} lead there, so the owner can type either, and the page's relative links
 * to its script, its style and the API resolve. The redirect is relative, so it also works behind a
 * proxy that serves Leap under a path of its own.
 */
@Singleton
public final class WebChatRoutes {

    /** A regex route, because a path route for {@code /chat} would match {@code /chat/} too. */
    void route(@Observes Router router) {
        router.getWithRegex("/|/chat").handler(request -> request.redirect("chat/"));
    }
}
