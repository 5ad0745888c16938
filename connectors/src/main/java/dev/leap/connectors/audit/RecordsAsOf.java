package dev.leap.connectors.audit;

import dev.leap.connectors.audit.RecordDiff.Difference;
import dev.leap.connectors.audit.RecordDiff.FieldChange;
import dev.leap.connectors.audit.RecordsPage.Point;
import dev.leap.store.ReadAll;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.records.Checkpoints;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.records.RecordState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The records as they stood at any point, and what changed between two points: the record
 * projection folded from its nearest checkpoint before the point. The state at an event that is in
 * the log never changes, so the last few folds are kept and paging through one costs one fold.
 */
public final class RecordsAsOf {

    public static final int MAX_LIMIT = 1_000;
    private static final int KEPT = 4;

    private final ReadAll log;
    private final Checkpoints checkpoints;
    private final Map<Long, Folded> folded = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Folded> eldest) {
            return size() > KEPT;
        }
    };

    /** The records at one position, by id and in the order pages list them (by collection, then id). */
    private record Folded(Map<String, RecordState> byId, List<RecordState> ordered) {

        static final Folded NOTHING = new Folded(Map.of(), List.of());

        static Folded of(Map<String, RecordState> records) {
            return new Folded(records, records.values().stream()
                    .sorted(Comparator.comparing(RecordState::collection).thenComparing(RecordState::id))
                    .toList());
        }
    }

    /** @param checkpoints the projection's saved states, or null to fold from the beginning */
    public RecordsAsOf(ReadAll log, Checkpoints checkpoints) {
        this.log = log;
        this.checkpoints = checkpoints;
    }

    /** @param collection only records of this collection, or null for all */
    public RecordsPage at(PointInLog point, String collection, int offset, int limit) {
        checkPage(offset, limit);
        long position = point.resolve(log);
        List<RecordState> records = records(position).ordered().stream()
                .filter(r -> collection == null || r.collection().equals(collection))
                .toList();
        List<RecordsPage.Record> page = records.subList(Math.min(offset, records.size()),
                Math.min(records.size(), offset + limit)).stream().map(RecordsAsOf::view).toList();
        return new RecordsPage(point(position), records.size(), page, next(offset, limit, records.size()));
    }

    public RecordDiff diff(PointInLog from, PointInLog to, int offset, int limit) {
        checkPage(offset, limit);
        long start = from.resolve(log);
        long end = to.resolve(log);
        Map<String, RecordState> before = records(start).byId();
        Map<String, RecordState> after = records(end).byId();
        Set<String> ids = new TreeSet<>(before.keySet());
        ids.addAll(after.keySet());
        List<Difference> differences = new ArrayList<>();
        for (String id : ids) {
            RecordState was = before.get(id);
            RecordState is = after.get(id);
            if (was == null) {
                differences.add(new Difference(id, is.collection(), "added", is.label(), is.fields(), List.of()));
            } else if (is == null) {
                differences.add(new Difference(id, was.collection(), "removed", was.label(), was.fields(), List.of()));
            } else if (!was.fields().equals(is.fields()) || !was.collection().equals(is.collection())) {
                differences.add(new Difference(id, is.collection(), "changed", is.label(), is.fields(), changes(was, is)));
            }
        }
        return new RecordDiff(point(start), point(end), differences.size(),
                differences.subList(Math.min(offset, differences.size()), Math.min(differences.size(), offset + limit)),
                next(offset, limit, differences.size()));
    }

    private static List<FieldChange> changes(RecordState was, RecordState is) {
        Set<String> fields = new LinkedHashSet<>(was.fields().keySet());
        fields.addAll(is.fields().keySet());
        List<FieldChange> changes = new ArrayList<>();
        for (String field : fields) {
            String before = was.fields().get(field);
            String after = is.fields().get(field);
            if (!Objects.equals(before, after)) {
                changes.add(new FieldChange(field, before, after));
            }
        }
        return changes;
    }

    private Folded records(long position) {
        if (position == PointInLog.BEFORE_THE_FIRST) {
            return Folded.NOTHING;
        }
        synchronized (folded) {
            Folded known = folded.get(position);
            if (known != null) {
                return known;
            }
        }
        Folded state = Folded.of(RecordProjection.asOf(log, checkpoints, position));
        synchronized (folded) {
            folded.put(position, state);
        }
        return state;
    }

    private Point point(long position) {
        if (position == PointInLog.BEFORE_THE_FIRST) {
            return new Point(PointInLog.BEFORE_THE_FIRST, null);
        }
        List<RecordedEvent> at = log.readAll(position, 1);
        return new Point(position, at.isEmpty() ? null : Times.iso(at.getFirst().recordedAt()));
    }

    private static RecordsPage.Record view(RecordState record) {
        return new RecordsPage.Record(record.id(), record.collection(), record.fields(), record.revision(),
                Times.iso(record.createdAt()), Times.iso(record.updatedAt()));
    }

    private static Integer next(int offset, int limit, int total) {
        return offset + limit < total ? offset + limit : null;
    }

    private static void checkPage(int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("'offset' is 0 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("'limit' is between 1 and " + MAX_LIMIT);
        }
    }
}
