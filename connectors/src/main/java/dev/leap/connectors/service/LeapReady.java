package dev.leap.connectors.service;

/**
 * Fired once the model is loaded and unfinished work resumed: connectors that pull messages
 * (Telegram's long polling) start on it, so that nothing arrives before Leap can answer.
 */
public record LeapReady() {
}
