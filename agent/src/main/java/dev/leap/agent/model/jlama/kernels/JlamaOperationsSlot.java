package dev.leap.agent.model.jlama.kernels;

import com.github.tjake.jlama.tensor.operations.TensorOperations;
import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import java.lang.reflect.Field;

/**
 * The one place that reaches into Jlama: {@link TensorOperationsProvider} picks its operations once
 * and offers no way to supply others, and every model layer asks it for them on every call. This
 * class replaces the operations it holds, the private final field {@code provider} of its private
 * singleton, by reflection (allowed for the classpath's unnamed module on Java 25).
 *
 * <p>Written against Jlama 0.8.4. If a later version renames or reshapes these fields, {@link
 * #replace} throws and the caller keeps Jlama's own operations.
 */
final class JlamaOperationsSlot {

    private JlamaOperationsSlot() {}

    /** The operations Jlama uses now, chosen by Jlama on first use. */
    static TensorOperations current() {
        return TensorOperationsProvider.get();
    }

    /** Makes Jlama use {@code operations} from now on. */
    static void replace(TensorOperations operations) throws ReflectiveOperationException {
        TensorOperationsProvider.get(); // makes sure the singleton exists
        Field instance = TensorOperationsProvider.class.getDeclaredField("instance");
        instance.setAccessible(true);
        Field provider = TensorOperationsProvider.class.getDeclaredField("provider");
        provider.setAccessible(true);
        Object singleton = instance.get(null);
        provider.set(singleton, operations);
        if (TensorOperationsProvider.get() != operations) {
            throw new IllegalStateException("Jlama still hands out " + TensorOperationsProvider.get().name());
        }
    }
}
