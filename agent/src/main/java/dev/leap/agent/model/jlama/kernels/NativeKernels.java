package dev.leap.agent.model.jlama.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import net.jafama.FastMath;

/**
 * The kernels of {@code agent/src/main/c/leap_kernels.c}, which the build compiles into the
 * classpath, called through the FFM API. Their parameters are those of Jlama 0.8.4's
 * {@code gemm_q8_q4} and {@code gemm_f32_q4} without the flags, so {@link LeapTensorOperations}
 * computes offsets and strides exactly as Jlama's own caller does.
 */
final class NativeKernels {

    static final String LIBRARY_NAME = "libleapkernels.so";
    static final String RESOURCE = "/dev/leap/agent/model/jlama/kernels/native/linux-x86_64/" + LIBRARY_NAME;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout ADDRESS = ValueLayout.ADDRESS;

    private final Path library;
    private final MethodHandle gemmI8Q4;
    private final MethodHandle gemmF32Q4;
    private final MethodHandle attentionScores;
    private final MethodHandle attentionValues;
    private final MethodHandle attentionScoresOne;
    private final MethodHandle attentionValuesOne;
    private final MethodHandle softmax;
    private final MethodHandle siluTimes;
    /** Why the kernels have no jafama exp (so the softmax and the SiLU stay Jlama's), or empty. */
    private final Optional<String> expUnavailable;
    private final MethodHandle quantizeI8;

    private NativeKernels(Path file, SymbolLookup library) {
        this.library = file;
        Linker linker = Linker.nativeLinker();
        this.gemmI8Q4 = linker.downcallHandle(
                library.findOrThrow("leap_gemm_i8_q4"),
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, INT, ADDRESS, ADDRESS, INT, ADDRESS, INT,
                        INT, INT, INT, INT, INT, INT, INT, INT, INT));
        this.gemmF32Q4 = linker.downcallHandle(
                library.findOrThrow("leap_gemm_f32_q4"),
                FunctionDescriptor.ofVoid(ADDRESS, INT, ADDRESS, ADDRESS, INT, ADDRESS, INT,
                        INT, INT, INT, INT, INT, INT, INT, INT));
        this.attentionScores = linker.downcallHandle(
                library.findOrThrow("leap_attention_scores"),
                FunctionDescriptor.ofVoid(ADDRESS, INT, INT, ADDRESS, INT, INT, INT, INT, INT,
                        ValueLayout.JAVA_FLOAT, ADDRESS, INT));
        this.attentionScoresOne = linker.downcallHandle(
                library.findOrThrow("leap_attention_scores_one"),
                FunctionDescriptor.ofVoid(ADDRESS, INT, INT, INT, ADDRESS, INT, INT, ValueLayout.JAVA_FLOAT, ADDRESS,
                        INT));
        this.softmax = linker.downcallHandle(library.findOrThrow("leap_softmax"),
                FunctionDescriptor.ofVoid(ADDRESS, INT, INT, INT, INT));
        this.expUnavailable = initExp(linker, library);
        this.siluTimes = linker.downcallHandle(library.findOrThrow("leap_silu_times"),
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, INT, INT, INT, INT));
        this.attentionValues = linker.downcallHandle(
                library.findOrThrow("leap_attention_values"),
                FunctionDescriptor.ofVoid(ADDRESS, INT, INT, ADDRESS, INT, INT, INT, INT, INT, ADDRESS, INT));
        this.attentionValuesOne = linker.downcallHandle(
                library.findOrThrow("leap_attention_values_one"),
                FunctionDescriptor.ofVoid(ADDRESS, INT, INT, INT, ADDRESS, INT, INT, INT, ADDRESS));
        this.quantizeI8 = linker.downcallHandle(
                library.findOrThrow("leap_quantize_i8"),
                FunctionDescriptor.ofVoid(ADDRESS, INT, ADDRESS, INT, ADDRESS, INT, INT, INT, INT));
    }

    /**
     * Extracts the library into {@code directory} and loads it, or says why not. The file is named
     * after its content's hash and written by an atomic rename, so processes sharing the directory
     * never see, or overwrite, a library another one has mapped.
     */
    static Loaded load(Path directory) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return Loaded.unavailable("the kernels are built for Linux x86-64, not " + os + " " + arch);
        }
        byte[] library;
        try (InputStream in = NativeKernels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Loaded.unavailable("the build did not include " + RESOURCE + " (compiled without gcc?)");
            }
            library = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + RESOURCE, e);
        }
        Path file = extract(library, directory);
        SymbolLookup lookup = SymbolLookup.libraryLookup(file, Arena.global());
        int level = level(lookup);
        if (level < 1) {
            return Loaded.unavailable("this CPU lacks AVX2 and FMA");
        }
        return new Loaded(Optional.of(new NativeKernels(file, lookup)), file.toString());
    }

    private static int level(SymbolLookup lookup) {
        MethodHandle level = Linker.nativeLinker()
                .downcallHandle(lookup.findOrThrow("leap_kernels_level"), FunctionDescriptor.of(INT));
        try {
            return (int) level.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("leap_kernels_level failed", t);
        }
    }

    private static Path extract(byte[] library, Path directory) {
        try {
            Files.createDirectories(directory);
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(library), 0, 8);
            Path file = directory.resolve("libleapkernels-" + hash + ".so");
            if (Files.isRegularFile(file) && Files.size(file) == library.length) {
                return file;
            }
            Path partial = Files.createTempFile(directory, "libleapkernels-", ".partial");
            try {
                Files.write(partial, library);
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not extract " + LIBRARY_NAME + " into " + directory, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    /** The library, or why there is none; {@code where} is the loaded file or the reason. */
    record Loaded(Optional<NativeKernels> kernels, String where) {
        static Loaded unavailable(String reason) {
            return new Loaded(Optional.empty(), reason);
        }
    }

    /**
     * Hands jafama's exp tables to the kernels, whose exp computes with them what jafama's {@code
     * FastMath.exp} computes (for the softmax and the SiLU). Says why not when jafama is set to use
     * the JDK's exp instead, or its internals are not those of the version this was written against
     * (2.3.2).
     */
    private static Optional<String> initExp(Linker linker, SymbolLookup library) {
        double[] hi;
        double[] lo;
        int indexing;
        int shift;
        int mid;
        double underflow;
        double overflow;
        try {
            if ((boolean) staticField(FastMath.class, "USE_JDK_MATH")) {
                return Optional.of("jafama is set to use the JDK's exp");
            }
            Class<?> common = Class.forName("net.jafama.CmnFastMath");
            Class<?> tables = Class.forName("net.jafama.CmnFastMath$MyTExp");
            hi = (double[]) staticField(tables, "expHiTab");
            lo = (double[]) staticField(tables, "expLoPosTab");
            indexing = (int) staticField(common, "EXP_LO_INDEXING");
            shift = (int) staticField(common, "EXP_LO_INDEXING_DIV_SHIFT");
            mid = (int) staticField(common, "EXP_LO_TAB_MID_INDEX");
            underflow = (double) staticField(common, "EXP_UNDERFLOW_LIMIT");
            overflow = (double) staticField(common, "EXP_OVERFLOW_LIMIT");
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.of("jafama's exp tables are not where version 2.3.2 keeps them: " + e);
        }
        if (indexing != 1 << shift || hi.length < (int) overflow - (int) underflow + 1 || mid - indexing + 1 < 0
                || mid + indexing > lo.length) {
            return Optional.of("jafama's exp tables do not have the shape of version 2.3.2's");
        }
        MethodHandle init = linker.downcallHandle(library.findOrThrow("leap_exp_init"), FunctionDescriptor.of(INT,
                ADDRESS, INT, ADDRESS, INT, INT, INT, INT, ValueLayout.JAVA_DOUBLE, ValueLayout.JAVA_DOUBLE));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hiTable = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, hi);
            MemorySegment loTable = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, lo);
            int done = (int) init.invokeExact(hiTable, hi.length, loTable, lo.length, indexing, shift, mid, underflow,
                    overflow);
            return done == 1 ? Optional.empty() : Optional.of("no memory for the exp tables");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static Object staticField(Class<?> type, String name) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(null);
    }

    /**
     * Why the kernels have no exp of jafama's, or empty when they have: then {@link #softmax} and
     * {@link #siluTimes} compute Jlama's numbers.
     */
    Optional<String> expUnavailable() {
        return expUnavailable;
    }

    /**
     * Jlama's softmax, as {@code LeapAttention.softMax} computes it, of rows {@code r = 0 .. rows - 1}
     * at {@code scores + r * stride}, each of {@code firstLength + r / group} scores. Only when
     * {@link #expUnavailable()} is empty.
     */
    void softmax(MemorySegment scores, int stride, int rows, int group, int firstLength) {
        try {
            softmax.invokeExact(scores, stride, rows, group, firstLength);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code gate = silu(gate) * up} over columns {@code offset .. offset + length - 1} of {@code rows}
     * rows {@code stride} floats apart: Jlama's SiLU ({@code ActivationFunction.eval(SILU, x)},
     * jafama's exp) rounded to float, then its {@code maccumulate}'s float product. Only when {@link
     * #expUnavailable()} is empty.
     */
    void siluTimes(MemorySegment gate, MemorySegment up, int stride, int rows, int offset, int length) {
        try {
            siluTimes.invokeExact(gate, up, stride, rows, offset, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The library file these kernels were loaded from. */
    Path library() {
        return library;
    }

    /** Same parameters, in the same order, as Jlama's {@code gemm_q8_q4} after its flags. */
    void gemmI8Q4(MemorySegment aScale, MemorySegment a, int aOffset,
            MemorySegment bScale, MemorySegment b, int bOffset,
            MemorySegment r, int rOffset, int m, int n0, int n, int k,
            int aStride, int aScaleStride, int bStride, int bScaleStride, int rStride) {
        try {
            gemmI8Q4.invokeExact(aScale, a, aOffset, bScale, b, bOffset, r, rOffset, m, n0, n, k,
                    aStride, aScaleStride, bStride, bScaleStride, rStride);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Same parameters, in the same order, as Jlama's {@code gemm_f32_q4} after its flags. */
    void gemmF32Q4(MemorySegment a, int aOffset,
            MemorySegment bScale, MemorySegment b, int bOffset,
            MemorySegment r, int rOffset, int m, int n0, int n, int k,
            int aStride, int bStride, int bScaleStride, int rStride) {
        try {
            gemmF32Q4.invokeExact(a, aOffset, bScale, b, bOffset, r, rOffset, m, n0, n, k,
                    aStride, bStride, bScaleStride, rStride);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The scores of the query heads that share one key-value head, for a batch of consecutive
     * positions: row {@code b * heads + h} of {@code scores} gets, for every position {@code i} up to
     * {@code start + b}, {@code scale} times the dot product of the query of head {@code h} at batch
     * position {@code b} (at {@code queries + b * queryStride + h * headSize}) with the key at
     * position {@code i}: key-value head {@code kvHead}'s row of {@code headSize} floats, in pages of
     * {@code pageRows} positions whose addresses are in {@code pages}, each page head by head (head
     * {@code g}'s rows from float {@code g * pageRows * headSize}).
     */
    void attentionScores(MemorySegment pages, int pageRows, int kvHead,
            MemorySegment queries, int queryStride, int heads, int batch, int start, int headSize,
            float scale, MemorySegment scores, int scoresStride) {
        try {
            attentionScores.invokeExact(pages, pageRows, kvHead, queries, queryStride, heads, batch,
                    start, headSize, scale, scores, scoresStride);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The scores of the query heads of one position whose key-value heads are {@code from .. to - 1},
     * against the keys of positions {@code 0 .. positions - 1}: row {@code h} of {@code scores} (at
     * {@code h * positions}) for the query at {@code queries + h * headSize}, whose key-value head
     * is {@code h / group}. Keys in pages as in {@link #attentionScores}.
     */
    void attentionScoresOne(MemorySegment pages, int pageRows, int from, int to, MemorySegment queries, int group,
            int headSize, float scale, MemorySegment scores, int positions) {
        try {
            attentionScoresOne.invokeExact(pages, pageRows, from, to, queries, group, headSize, scale, scores,
                    positions);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The weighted sums of the values for the rows of {@link #attentionScores}, with the weights in
     * its layout: the output of head {@code h} at batch position {@code b} is written at
     * {@code out + b * outStride + h * headSize}.
     */
    void attentionValues(MemorySegment pages, int pageRows, int kvHead,
            MemorySegment weights, int weightsStride, int heads, int batch, int start, int headSize,
            MemorySegment out, int outStride) {
        try {
            attentionValues.invokeExact(pages, pageRows, kvHead, weights, weightsStride, heads, batch,
                    start, headSize, out, outStride);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The values of a generated token for key-value heads {@code from .. to - 1}, each with the
     * {@code group} query heads that share it: query head {@code h} has its weights (a softmax over
     * {@code positions} scores) at {@code weights + h * positions} and its output at {@code out +
     * h * headSize}. Values in pages as the keys of {@link #attentionScoresOne}; the same sums as
     * {@link #attentionValues}.
     */
    void attentionValuesOne(MemorySegment pages, int pageRows, int from, int to, MemorySegment weights, int group,
            int positions, int headSize, MemorySegment out) {
        try {
            attentionValuesOne.invokeExact(pages, pageRows, from, to, weights, group, positions, headSize, out);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Jlama's quantisation of F32 activations to I8 with one scale per 32 columns, for columns
     * {@code offset .. offset + length} of {@code rows} rows: the rows are {@code xStride} floats,
     * {@code qStride} bytes and {@code scaleStride} scales apart.
     */
    void quantizeI8(MemorySegment x, int xStride, MemorySegment q, int qStride, MemorySegment scales,
            int scaleStride, int rows, int offset, int length) {
        try {
            quantizeI8.invokeExact(x, xStride, q, qStride, scales, scaleStride, rows, offset, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
