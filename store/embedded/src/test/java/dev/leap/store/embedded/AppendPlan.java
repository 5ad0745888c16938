package dev.leap.store.embedded;

import dev.leap.store.EventData;
import dev.leap.store.EventIds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The appends a writer makes from one seed, in order. The same seed gives the same appends, so
 * the crash test knows exactly what a writer it killed had been writing, down to the last byte.
 * Most appends are small; some are big batches, some carry payloads of megabytes, and payloads
 * mix one-, two-, three- and four-byte UTF-8 characters.
 */
record AppendPlan(long seed) {

    private static final String[] CHARACTERS = {"a", "b", "z", "0", " ", "é", "Ω", "東", "€", "🙂", "🚀"};

    /** One append: the stream it goes to and its events. */
    record Append(String stream, List<EventData> events) {
    }

    Append append(int index) {
        SplittableRandom random = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L));
        String stream = "record-" + random.nextInt(5);
        int kind = random.nextInt(100);
        int count;
        int minChars;
        int maxChars;
        if (kind < 70) {
            count = random.nextInt(1, 6);
            minChars = 10;
            maxChars = 500;
        } else if (kind < 90) {
            count = random.nextInt(20, 301);
            minChars = 10;
            maxChars = 300;
        } else if (kind < 97) {
            count = random.nextInt(1, 11);
            minChars = 1_000;
            maxChars = 64_000;
        } else {
            count = random.nextInt(1, 4);
            minChars = 100_000;
            maxChars = 600_000;
        }
        List<EventData> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String data = "{\"append\":" + index + ",\"event\":" + i + ",\"text\":\""
                    + text(random, random.nextInt(minChars, maxChars + 1)) + "\"}";
            events.add(new EventData(EventIds.fromName("crash-plan:" + seed + ":" + index + ":" + i), "Written", data,
                    "{\"actor\":\"crash-test\",\"append\":" + index + "}"));
        }
        return new Append(stream, events);
    }

    private static String text(SplittableRandom random, int characters) {
        StringBuilder text = new StringBuilder(characters * 2);
        for (int i = 0; i < characters; i++) {
            text.append(CHARACTERS[random.nextInt(CHARACTERS.length)]);
        }
        return text.toString();
    }
}
