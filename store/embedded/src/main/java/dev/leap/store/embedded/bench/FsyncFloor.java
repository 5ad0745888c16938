package dev.leap.store.embedded.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How long this disk takes to make one small write durable: a 4 KiB page rewritten and then
 * {@code fdatasync}ed, as SQLite does with its write-ahead log on every commit. No durable append
 * can be faster than this, whatever the engine does.
 */
final class FsyncFloor {

    private FsyncFloor() {
    }

    static long[] measure(Path directory, int count) {
        Path file = directory.resolve("fsync-probe");
        ByteBuffer page = ByteBuffer.allocate(4_096);
        long[] nanos = new long[count];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < count; i++) {
                page.clear();
                channel.write(page, (i % 16) * 4_096L);
                long start = System.nanoTime();
                channel.force(false);
                nanos[i] = System.nanoTime() - start;
            }
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure fsync in " + directory, e);
        }
        return nanos;
    }
}
