package dev.leap.agent.model.jlama.kernels;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.MLPBlock;
import com.github.tjake.jlama.model.RMSNorm;
import com.github.tjake.jlama.model.TransformerBlock;
import com.github.tjake.jlama.model.llama.LlamaModel;
import com.github.tjake.jlama.model.llama.LlamaTokenizer;
import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.WeightLoader;
import com.github.tjake.jlama.safetensors.tokenizer.Tokenizer;
import com.github.tjake.jlama.tensor.AbstractTensor;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jlama's Llama model with {@link LeapAttention} in every layer, and {@link LeapMLPBlock} where it
 * computes the feed-forward block as Jlama does (else Jlama's). Weights, norms and everything else
 * are Jlama's, loaded by the same names with the same calls as {@link LlamaModel} loads them.
 */
final class LeapLlamaModel extends LlamaModel {

    private static final Logger log = LoggerFactory.getLogger(LeapLlamaModel.class);

    /**
     * The kernels the layers are built with. Jlama's constructor loads the layers before a
     * subclass's own fields are set, so they are handed over here, by the one thread that loads.
     */
    private static final ThreadLocal<NativeKernels> LOADING_WITH = new ThreadLocal<>();

    private LeapLlamaModel(Config config, WeightLoader weights, Tokenizer tokenizer, DType workingType,
            DType workingQuantization) {
        super(InferenceType.FULL_GENERATION, config, weights, tokenizer, workingType, workingQuantization,
                Optional.empty());
    }

    /**
     * The Llama in {@code directory}, described by {@code config}, with Leap's attention; the caller
     * has checked with {@link LeapAttention#unsupported} that it computes the model as Jlama would.
     */
    static LeapLlamaModel create(Path directory, Config config, WeightLoader weights, DType workingType,
            DType workingQuantization, NativeKernels kernels) {
        Tokenizer tokenizer = new LlamaTokenizer(directory);
        LOADING_WITH.set(kernels);
        try {
            return new LeapLlamaModel(config, weights, tokenizer, workingType, workingQuantization);
        } finally {
            LOADING_WITH.remove();
        }
    }

    /**
     * {@code activations} as the next matrix product takes them: quantised to the working type,
     * as every layer of Jlama's Llama quantises them. The caller closes the result.
     */
    AbstractTensor activationsForProduct(AbstractTensor activations) {
        return maybeQuantize(activations);
    }

    @Override
    protected TransformerBlock[] loadTransformerBlockWeights() {
        NativeKernels kernels = LOADING_WITH.get();
        if (kernels == null) {
            throw new IllegalStateException("LeapLlamaModel is created by LeapLlamaModel.create");
        }
        DType type = modelQType.orElse(modelDType);
        Optional<String> jlamaFeedForward = LeapMLPBlock.unsupported(c, kernels);
        log.info("Feed-forward activation: {}",
                jlamaFeedForward.map(why -> "Jlama's (" + why + ")").orElse("Leap's kernel"));
        boolean leapFeedForward = jlamaFeedForward.isEmpty();
        int layers = c.dctx().numberOfLayers;
        TransformerBlock[] blocks = new TransformerBlock[layers];
        // In parallel, as Jlama loads them: quantising while loading takes a while per layer.
        IntStream.range(0, layers).parallel().forEach(layer -> {
            String name = "model.layers." + (c.dctx().layerStart + layer) + ".";
            LeapAttention attention = new LeapAttention(this, c, layer,
                    weights.load(name + "self_attn.q_proj.weight", c.dctx(), true, false).quantize(type),
                    weights.load(name + "self_attn.k_proj.weight", c.dctx(), true, false).quantize(type),
                    weights.load(name + "self_attn.v_proj.weight", c.dctx(), true, false).quantize(type),
                    weights.load(name + "self_attn.o_proj.weight", c.dctx(), false, true).quantize(type),
                    kernels);
            AbstractTensor gate = weights.load(name + "mlp.gate_proj.weight", c.dctx(), true, false).quantize(type);
            AbstractTensor down = weights.load(name + "mlp.down_proj.weight", c.dctx(), false, true).quantize(type);
            AbstractTensor up = weights.load(name + "mlp.up_proj.weight", c.dctx(), true, false).quantize(type);
            MLPBlock feedForward = leapFeedForward
                    ? new LeapMLPBlock(this, c, gate, down, up, kernels)
                    : new MLPBlock(this, c.activationFunction, gate, down, up);
            blocks[layer] = new TransformerBlock(this, layer,
                    new RMSNorm(this, weights.load(name + "input_layernorm.weight").quantize(type)),
                    attention,
                    new RMSNorm(this, weights.load(name + "post_attention_layernorm.weight").quantize(type)),
                    feedForward);
        });
        return blocks;
    }
}
