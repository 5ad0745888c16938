package dev.leap.agent.model.jlama;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Writes F32 tensors in the safetensors format: an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, then the raw little-endian data.
 *
 * <p>Values are produced in chunks straight into the file, so a model of several gigabytes is
 * written with a few megabytes of memory.
 */
final class SafeTensorsWriter {

    /** The value of every element of a tensor, by its flat (row-major) index. */
    @FunctionalInterface
    interface Values {
        float at(long index);
    }

    record Tensor(String name, List<Long> shape, Values values) {
        Tensor {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(values, "values");
            shape = List.copyOf(shape);
            if (name.isBlank() || shape.isEmpty() || shape.stream().anyMatch(d -> d <= 0)) {
                throw new IllegalArgumentException("A tensor needs a name and positive dimensions: " + name + " " + shape);
            }
        }

        long elements() {
            return shape.stream().reduce(1L, Math::multiplyExact);
        }

        long bytes() {
            return Math.multiplyExact(elements(), Float.BYTES);
        }
    }

    private static final int CHUNK_FLOATS = 1 << 20;
    private static final int SLICES_PER_CHUNK = 16;

    private SafeTensorsWriter() {}

    static void write(Path file, List<Tensor> tensors) throws IOException {
        byte[] header = header(tensors);
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer length = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            writeFully(channel, length);
            writeFully(channel, ByteBuffer.wrap(header));
            for (Tensor tensor : tensors) {
                writeValues(channel, tensor, chunk);
            }
        }
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes so the data stays aligned. */
    static byte[] header(List<Tensor> tensors) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("__metadata__", Map.of("format", "pt"));
        long offset = 0;
        for (Tensor tensor : tensors) {
            long end = offset + tensor.bytes();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            entry.put("shape", tensor.shape());
            entry.put("data_offsets", List.of(offset, end));
            if (json.put(tensor.name(), entry) != null) {
                throw new IllegalArgumentException("Duplicate tensor name: " + tensor.name());
            }
            offset = end;
        }
        byte[] compact = new ObjectMapper().writeValueAsBytes(json);
        int padded = (compact.length + 7) / 8 * 8;
        StringBuilder text = new StringBuilder(new String(compact, StandardCharsets.UTF_8));
        text.repeat(' ', padded - compact.length);
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writeValues(FileChannel channel, Tensor tensor, ByteBuffer chunk) throws IOException {
        long total = tensor.elements();
        for (long first = 0; first < total; first += CHUNK_FLOATS) {
            int count = (int) Math.min(CHUNK_FLOATS, total - first);
            fill(chunk.clear().asFloatBuffer(), tensor.values(), first, count);
            writeFully(channel, chunk.limit(count * Float.BYTES));
        }
    }

    /** Fills slices of the chunk in parallel; each element depends only on its index, so the bytes do not depend on threads. */
    private static void fill(FloatBuffer floats, Values values, long first, int count) {
        int slice = (count + SLICES_PER_CHUNK - 1) / SLICES_PER_CHUNK;
        IntStream.range(0, SLICES_PER_CHUNK).parallel().forEach(s -> {
            int from = s * slice;
            int to = Math.min(count, from + slice);
            for (int i = from; i < to; i++) {
                floats.put(i, values.at(first + i));
            }
        });
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
