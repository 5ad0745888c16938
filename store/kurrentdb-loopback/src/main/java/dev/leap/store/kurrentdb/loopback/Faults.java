package dev.leap.store.kurrentdb.loopback;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicBoolean;

/** Failures a test can ask the loopback for, to see what a client does when the network fails it. */
final class Faults {

    private final AtomicBoolean loseNextAppendReply = new AtomicBoolean();

    void loseNextAppendReply() {
        loseNextAppendReply.set(true);
    }

    /** The error to answer a write that landed with, if its reply is to be lost; else null. */
    StatusRuntimeException lostReply() {
        return loseNextAppendReply.getAndSet(false)
                ? Status.UNAVAILABLE.withDescription("the loopback dropped the reply to a write that landed")
                        .asRuntimeException()
                : null;
    }
}
