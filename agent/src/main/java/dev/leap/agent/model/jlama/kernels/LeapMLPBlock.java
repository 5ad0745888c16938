package dev.leap.agent.model.jlama.kernels;

import com.github.tjake.jlama.math.ActivationFunction;
import com.github.tjake.jlama.math.VectorMath;
import com.github.tjake.jlama.model.MLPBlock;
import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A Llama layer's feed-forward block, {@code down(silu(gate(x)) * up(x))}, as Jlama 0.8.4's {@link
 * MLPBlock} computes it, with the SiLU and the product with the up projection by {@link
 * NativeKernels#siluTimes}: the same calls for the products, the same numbers for the rest. Jlama
 * applies the activation in Java, element by element down the columns of the batch (each a stride of
 * the hidden size apart), which took 4-5% of a prompt's time; the kernel goes along the rows, on
 * the columns each thread has just computed.
 */
final class LeapMLPBlock extends MLPBlock {

    private final LeapLlamaModel model;
    private final Config c;
    private final AbstractTensor downWeights;
    private final AbstractTensor[] gateAndUp;
    private final NativeKernels kernels;

    LeapMLPBlock(LeapLlamaModel model, Config config, AbstractTensor gateWeights, AbstractTensor downWeights,
            AbstractTensor upWeights, NativeKernels kernels) {
        super(model, config.activationFunction, gateWeights, downWeights, upWeights);
        this.model = model;
        this.c = config;
        this.downWeights = downWeights;
        this.gateAndUp = new AbstractTensor[] {gateWeights, upWeights};
        this.kernels = kernels;
    }

    /**
     * Why this block cannot compute a model with {@code config} as Jlama's does, or empty when it
     * can: SiLU, the whole model in one process, and the kernels' exp (jafama's tables).
     */
    static Optional<String> unsupported(Config config, NativeKernels kernels) {
        if (config.activationFunction != ActivationFunction.Type.SILU) {
            return Optional.of("the activation is " + config.activationFunction + ", not SiLU");
        }
        if (config.dctx().hiddenSegmentStart != 0 || config.dctx().hiddenSegmentLength != config.hiddenLength) {
            return Optional.of("the model is split across processes");
        }
        return kernels.expUnavailable();
    }

    @Override
    public AbstractTensor forward(AbstractTensor input, Optional<Consumer<List<AbstractTensor>>> tensorReducer) {
        int hidden = c.hiddenLength;
        int batch = input.shape().first();
        try (AbstractTensor gate = model.makeTensor(batch, hidden);
                AbstractTensor up = model.makeTensor(batch, hidden)) {
            AbstractTensor[] results = {gate, up};
            // Each thread activates the columns it has just computed: no wait between the two.
            VectorMath.pchunk(0, hidden, (chunkStart, chunkSize) -> {
                TensorOperationsProvider.get().dotProductBatchChunk(results, input, gateAndUp, 0, c.embeddingLength,
                        chunkStart, chunkSize);
                kernels.siluTimes(gate.getMemorySegment(), up.getMemorySegment(), hidden, batch, chunkStart, chunkSize);
            });
            try (AbstractTensor activations = model.activationsForProduct(gate)) {
                AbstractTensor result = model.makeTensor(batch, c.embeddingLength);
                VectorMath.pchunk(0, c.embeddingLength, (chunkStart, chunkSize) -> TensorOperationsProvider.get()
                        .dotProductChunk(result, activations, downWeights, 0, hidden, chunkStart, chunkSize));
                tensorReducer.ifPresent(reduce -> reduce.accept(List.of(result)));
                return result;
            }
        }
    }
}
