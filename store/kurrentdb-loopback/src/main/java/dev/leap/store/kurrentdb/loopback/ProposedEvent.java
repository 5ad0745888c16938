package dev.leap.store.kurrentdb.loopback;

import java.util.Objects;
import java.util.UUID;

/** An event a client asked to append, as either protocol delivers it. */
record ProposedEvent(UUID id, String type, boolean json, byte[] data, byte[] metadata, boolean propertyMetadata) {

    ProposedEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metadata, "metadata");
    }
}
