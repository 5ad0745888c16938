package dev.leap.store.embedded.bench;

import dev.leap.store.EventData;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Events shaped like Leap's own: a record change of about 200 bytes of JSON, with the metadata of
 * the turn that caused it (about 190 bytes). Ids come from a seeded generator rather than
 * {@link UUID#randomUUID()}, so that the cost of a secure random source is not measured as the log's.
 */
final class BenchEvents {

    private static final String[] NAMES = {"Ann Lee", "Bo Chen", "Zoë Ångström", "Ravi Iyer", "Maria Souza"};
    private static final String[] CITIES = {"Oslo", "Lisbon", "東京", "Pune", "São Paulo"};

    private final SplittableRandom random;

    BenchEvents(long seed) {
        this.random = new SplittableRandom(seed);
    }

    List<EventData> batch(int size) {
        List<EventData> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            events.add(next());
        }
        return events;
    }

    EventData next() {
        int n = random.nextInt(1_000_000);
        String data = """
                {"collection":"contacts","record":"r%06d","fields":{"name":"%s","phone":"555-%04d",\
                "city":"%s","note":"met at the spring fair; prefers text messages after six"}}"""
                .formatted(n, NAMES[n % NAMES.length], n % 10_000, CITIES[n % CITIES.length]);
        String metadata = """
                {"turnId":"%s","messageId":"%s","toolCallId":"call_%d","actor":"agent",\
                "channel":"telegram","model":"Llama-3.2-1B"}""".formatted(uuid(), uuid(), n % 7);
        return new EventData(uuid(), "RecordUpdated", data, metadata);
    }

    private UUID uuid() {
        return new UUID(random.nextLong(), random.nextLong());
    }
}
