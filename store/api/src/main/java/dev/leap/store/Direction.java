package dev.leap.store;

/** Which way a read walks: towards newer events or towards older ones. */
public enum Direction {
    FORWARDS,
    BACKWARDS
}
