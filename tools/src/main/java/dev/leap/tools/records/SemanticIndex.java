package dev.leap.tools.records;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.CosineSimilarity;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds records by meaning: "my doctor" finds the contact whose role is physician. Each current
 * record is embedded once per revision with an in-process model (nothing leaves the machine), and
 * a query ranks records by cosine similarity above a floor below which matches are noise.
 */
public final class SemanticIndex {

    /**
     * Below this similarity a match is noise. Measured with all-MiniLM-L6-v2 on records like Leap's:
     * related query and record 0.35 to 0.55 ("my doctor" and "Dr. Alice Smith, physician" 0.37),
     * unrelated ones at most 0.24.
     */
    public static final double MIN_SIMILARITY = 0.3;

    private final RecordProjection records;
    private final EmbeddingModel model;
    private final Map<String, Indexed> embeddings = new HashMap<>();

    public SemanticIndex(RecordProjection records, EmbeddingModel model) {
        this.records = records;
        this.model = model;
    }

    /** Records whose meaning is closest to {@code query}, most similar first. */
    public synchronized List<RecordState> nearest(String query, String collection, int limit) {
        refresh();
        Embedding wanted = model.embed(query).content();
        return embeddings.values().stream()
                .filter(indexed -> collection == null || indexed.record().collection().equals(collection))
                .map(indexed -> Map.entry(indexed.record(), CosineSimilarity.between(wanted, indexed.embedding())))
                .filter(scored -> scored.getValue() >= MIN_SIMILARITY)
                .sorted(Map.Entry.<RecordState, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(limit)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Embeds new and changed records and forgets deleted ones. */
    private void refresh() {
        Map<String, RecordState> current = records.snapshot();
        embeddings.keySet().retainAll(current.keySet());
        current.forEach((id, record) -> {
            Indexed indexed = embeddings.get(id);
            if (indexed == null || indexed.record().revision() != record.revision()) {
                embeddings.put(id, new Indexed(record, model.embed(textOf(record)).content()));
            }
        });
    }

    /**
     * What a record says: its values, comma-separated. Field names and the collection are left out
     * because they lower the similarity of every record alike and blur the ranking (measured).
     */
    static String textOf(RecordState record) {
        return String.join(", ", record.fields().values());
    }

    private record Indexed(RecordState record, Embedding embedding) {
    }
}
