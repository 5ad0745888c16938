package dev.leap.connectors.audit;

import java.util.List;

/**
 * One page of events.
 *
 * @param next the position to ask for next ({@code from}), or null when there is nothing further
 */
public record LogPage(List<EventBody> events, Long next) {
}
