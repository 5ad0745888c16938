package dev.leap.agent.model.jlama;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import com.github.tjake.jlama.safetensors.WeightLoader;
import com.github.tjake.jlama.tensor.KvBufferCache;
import dev.leap.agent.model.jlama.kernels.LeapKernels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tests' tiny generated model, loaded as Leap loads models, with its key-value buffers. */
record TinyModel(WeightLoader weights, AbstractModel model, KvBufferCache buffers) implements AutoCloseable {

    static TinyModel load(Path directory, long seed) {
        Path model = SyntheticModel.write(directory.resolve("model"), SyntheticModel.Shape.tiny(), seed);
        WeightLoader weights = SafeTensorSupport.loadWeights(model.toFile());
        try {
            AbstractModel loaded = LeapKernels.loadModel(model, Files.createDirectories(directory.resolve("work")),
                    DType.F32, DType.F32, weights, 0);
            return new TinyModel(weights, loaded, new KvBufferCache(loaded));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        buffers.close();
        weights.close();
    }
}
