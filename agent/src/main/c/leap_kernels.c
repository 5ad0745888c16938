/*
 * Matrix kernels for Jlama's Q4 weights, called from Java through the FFM API
 * (dev.leap.agent.model.jlama.kernels.NativeKernels).
 *
 * Each kernel computes, for activation rows i in [0, m) and weight rows j in [n0, n0 + n),
 *     r[r_stride * i + j - r_offset] = dot(activation row i, weight row j) over k columns
 * with the memory layouts and offsets of Jlama 0.8.4's own native kernels, so that the Java side
 * passes exactly what Jlama passes to its library.
 *
 * Results are bit-identical to Jlama's AVX2 kernels. That fixes the order of the float arithmetic:
 * each dot product is kept in eight float lanes; lane l of a 32-column block covers columns
 * 4l..4l+3 (I8 x Q4) or columns l, l+8, l+16, l+24 (F32 x Q4); blocks are added to their lane with
 * one fused multiply-add each, in column order; and the eight lanes are summed left to right at the
 * end. The integer products inside a block are exact in any order. What is faster than Jlama is
 * everything else: several rows share each load and each decoded weight block, independent rows
 * hide the latency of the FMA chains, and the Q4 nibbles are decoded once per block instead of
 * once per activation row.
 *
 * The library is compiled for baseline x86-64; only functions marked KERNEL use AVX2 and FMA, and
 * Java calls them only after leap_kernels_level() said the CPU has them. The whole file is built
 * with -ffp-contract=off: a multiply and an add that the compiler fused would round differently.
 */
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 32          /* columns per Q4 and I8 scale */
#define SCALE_GROUP 8     /* blocks whose scale products are computed in one vector multiply */

#define KERNEL __attribute__((target("avx2,fma")))
#define INLINE_KERNEL static inline __attribute__((always_inline, target("avx2,fma")))

/** 1 when the CPU runs the AVX2 kernels, 0 when Java must keep Jlama's. */
int leap_kernels_level(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 1 : 0;
}

/* ---------------------------------------------------------------- I8 activations x Q4 weights */

struct i8_q4 {
    const int8_t *a;        /* activations, one signed byte per column */
    const float *a_scale;   /* one scale per activation block */
    int a_offset, a_stride, a_scale_stride;
    const uint8_t *b;       /* weights, 16 bytes per block: low nibbles columns 0-15, high 16-31 */
    const float *b_scale;
    int b_offset, b_stride, b_scale_stride;  /* in bytes, as Jlama passes them */
    float *r;
    int r_offset, r_stride;
    int k;
};

/* Sum of the eight lanes, left to right from zero, as Jlama's kernels add them. */
INLINE_KERNEL float sum_lanes(__m256 v) {
    float lanes[8] __attribute__((aligned(32)));
    _mm256_store_ps(lanes, v);
    float sum = 0.0f;
    for (int l = 0; l < 8; l++) {
        sum += lanes[l];
    }
    return sum;
}

/* out[l] = lane l of each of in[0..7] (lane m of out[l] is lane l of in[m]): an 8 x 8 transpose. */
INLINE_KERNEL void transpose8(const __m256 *in, __m256 *out) {
    /* Pairs, then quadruples, then the two 128-bit halves. */
    const __m256 t0 = _mm256_unpacklo_ps(in[0], in[1]), t1 = _mm256_unpackhi_ps(in[0], in[1]);
    const __m256 t2 = _mm256_unpacklo_ps(in[2], in[3]), t3 = _mm256_unpackhi_ps(in[2], in[3]);
    const __m256 t4 = _mm256_unpacklo_ps(in[4], in[5]), t5 = _mm256_unpackhi_ps(in[4], in[5]);
    const __m256 t6 = _mm256_unpacklo_ps(in[6], in[7]), t7 = _mm256_unpackhi_ps(in[6], in[7]);
    const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xee);
    const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xee);
    const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xee);
    const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xee);
    out[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
    out[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
    out[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
    out[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
    out[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
    out[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
    out[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
    out[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

/*
 * Sums the eight lanes of each of a[0..7] left to right from zero, as sum_lanes does, eight at a
 * time: lane m of the result is a[m]'s sum. The registers are transposed (lane l of every a[m] in
 * one vector) and the vectors added in lane order.
 */
INLINE_KERNEL __m256 sum_lanes_of_eight(const __m256 *a) {
    __m256 lanes[8];
    transpose8(a, lanes);
    __m256 sum = _mm256_setzero_ps();
    for (int l = 0; l < 8; l++) {
        sum = _mm256_add_ps(sum, lanes[l]);
    }
    return sum;
}

/*
 * The integer part. Jlama's lanes are the weights q - 8 times the signed activations; vpmaddubsw
 * multiplies unsigned bytes by signed ones, so the nibbles q are taken as they are, 0..15, times the
 * activations, and 8 times the activations' own sums are taken off after vpmaddwd has added the
 * pairs: lane l of a block is then the integer dot product of columns 4l..4l+3, the same integer as
 * Jlama's, so the same float. The activations' sums are computed once per activation row.
 */

/* The 32 weights of a block as unsigned bytes 0..15 in column order: the low nibbles of the 16
 * bytes are columns 0-15, the high nibbles 16-31, so the high half of the register is shifted by 4. */
INLINE_KERNEL __m256i q4_nibbles(const uint8_t *block) {
    __m256i both = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *) block));
    __m256i shifted = _mm256_srlv_epi64(both, _mm256_setr_epi64x(0, 0, 4, 4));
    return _mm256_and_si256(shifted, _mm256_set1_epi8(0x0f));
}

/* sums[8 * block + l] = 8 * (the activations of columns 4l..4l+3 of the block) */
static KERNEL void activation_sums(const int8_t *a, int k, int32_t *sums) {
    const __m256i ones8 = _mm256_set1_epi8(1);
    const __m256i ones16 = _mm256_set1_epi16(1);
    for (int block = 0; block < k / BLOCK; block++) {
        __m256i av = _mm256_loadu_si256((const __m256i *) (a + block * BLOCK));
        __m256i sum = _mm256_madd_epi16(_mm256_maddubs_epi16(ones8, av), ones16);
        _mm256_store_si256((__m256i *) (sums + block * 8), _mm256_slli_epi32(sum, 3));
    }
}

/* A block's eight integer lanes as floats: nibbles w times activations av, less their sums. */
INLINE_KERNEL __m256 i8_q4_lanes(__m256i w, __m256i av, __m256i sums) {
    __m256i pairs = _mm256_madd_epi16(_mm256_maddubs_epi16(w, av), _mm256_set1_epi16(1));
    return _mm256_cvtepi32_ps(_mm256_sub_epi32(pairs, sums));
}

/* Widest product the kernels take (Java leaves wider ones to Jlama): a row's sums, k bytes, are
 * kept on the stack. */
#define MAX_COLUMNS 65536

/*
 * A batch: tiles of up to TILE_ROWS activation rows by TILE_COLUMNS weight rows, eight dot
 * products at once. The activation rows' sums are taken once for all the tiles they are in.
 */
#define TILE_ROWS 4
#define TILE_COLUMNS 2
#define TILE_SEGMENT 8192   /* columns whose scale products a tile takes in one go */
_Static_assert(TILE_ROWS * TILE_COLUMNS == 8, "a whole tile's lanes are summed by sum_lanes_of_eight");

struct i8_rows {
    const int8_t *a[TILE_ROWS];
    const float *scale[TILE_ROWS];
    const int32_t *sums[TILE_ROWS];
    int i0;                 /* the first row's index in the batch */
};

/*
 * The rm x rn tile of `rows` and weight rows j0... A block's scale is the float product of the two
 * scales, as in Jlama; a segment's products are all taken first, eight blocks to a multiply, and
 * each is then broadcast from memory into its fused multiply-add. At the end the eight products'
 * lanes are summed together (sum_lanes_of_eight; a smaller tile's missing ones are zeros).
 */
INLINE_KERNEL void i8_q4_tile(const struct i8_q4 *p, const struct i8_rows *rows, int j0, const int rm, const int rn) {
    const uint8_t *b[TILE_COLUMNS];
    const float *bs[TILE_COLUMNS];
#pragma GCC unroll 4
    for (int j = 0; j < rn; j++) {
        b[j] = p->b + (long) p->b_stride * (j0 + j) + p->b_offset;
        bs[j] = p->b_scale + (long) p->b_scale_stride * (j0 + j) + (p->b_offset * 2) / BLOCK;
    }
    __m256 acc[8];
#pragma GCC unroll 8
    for (int t = 0; t < 8; t++) {
        acc[t] = _mm256_setzero_ps();
    }
    /* scale[(g * rm * rn + i * rn + j) * SCALE_GROUP + s]: (i, j)'s block g * SCALE_GROUP + s of the segment */
    float scale[TILE_SEGMENT / BLOCK * TILE_ROWS * TILE_COLUMNS] __attribute__((aligned(32)));
    const int blocks = p->k / BLOCK;
    for (int first = 0; first < blocks; first += TILE_SEGMENT / BLOCK) {
        const int last = blocks - first < TILE_SEGMENT / BLOCK ? blocks : first + TILE_SEGMENT / BLOCK;
        for (int g = first; g < last; g += SCALE_GROUP) {
            float *out = scale + (long) (g - first) * rm * rn;
            if (last - g >= SCALE_GROUP) {
#pragma GCC unroll 4
                for (int i = 0; i < rm; i++) {
                    __m256 sa = _mm256_loadu_ps(rows->scale[i] + g);
#pragma GCC unroll 4
                    for (int j = 0; j < rn; j++) {
                        _mm256_store_ps(out + (i * rn + j) * SCALE_GROUP, _mm256_mul_ps(sa, _mm256_loadu_ps(bs[j] + g)));
                    }
                }
            } else {
                for (int i = 0; i < rm; i++) {
                    for (int j = 0; j < rn; j++) {
                        for (int s = 0; g + s < last; s++) {
                            out[(i * rn + j) * SCALE_GROUP + s] = rows->scale[i][g + s] * bs[j][g + s];
                        }
                    }
                }
            }
        }
        for (int block = first; block < last; block++) {
            const int in_segment = block - first;
            const float *block_scale = scale + (long) (in_segment / SCALE_GROUP) * rm * rn * SCALE_GROUP
                                       + in_segment % SCALE_GROUP;
            __m256i w[TILE_COLUMNS];
#pragma GCC unroll 4
            for (int j = 0; j < rn; j++) {
                w[j] = q4_nibbles(b[j] + (long) block * (BLOCK / 2));
            }
#pragma GCC unroll 4
            for (int i = 0; i < rm; i++) {
                __m256i av = _mm256_loadu_si256((const __m256i *) (rows->a[i] + (long) block * BLOCK));
                __m256i sums = _mm256_load_si256((const __m256i *) (rows->sums[i] + (long) block * 8));
#pragma GCC unroll 4
                for (int j = 0; j < rn; j++) {
                    acc[i * rn + j] = _mm256_fmadd_ps(_mm256_broadcast_ss(block_scale + (i * rn + j) * SCALE_GROUP),
                                                      i8_q4_lanes(w[j], av, sums), acc[i * rn + j]);
                }
            }
        }
    }
    float sum[8] __attribute__((aligned(32)));
    _mm256_store_ps(sum, sum_lanes_of_eight(acc));
#pragma GCC unroll 4
    for (int i = 0; i < rm; i++) {
#pragma GCC unroll 4
        for (int j = 0; j < rn; j++) {
            p->r[(long) p->r_stride * (rows->i0 + i) + (j0 + j) - p->r_offset] = sum[i * rn + j];
        }
    }
}

#define I8_Q4_TILE(RM, RN) \
    static KERNEL __attribute__((noinline)) void i8_q4_tile_##RM##x##RN(const struct i8_q4 *p, const struct i8_rows *rows, int j0) { \
        i8_q4_tile(p, rows, j0, RM, RN); \
    }
I8_Q4_TILE(4, 2) I8_Q4_TILE(3, 2) I8_Q4_TILE(2, 2) I8_Q4_TILE(1, 2)
I8_Q4_TILE(4, 1) I8_Q4_TILE(3, 1) I8_Q4_TILE(2, 1) I8_Q4_TILE(1, 1)

typedef void (*i8_q4_tile_fn)(const struct i8_q4 *, const struct i8_rows *, int);

/* Tiles by rows left: [activation rows - 1][weight rows - 1]. */
static const i8_q4_tile_fn I8_Q4_TILES[TILE_ROWS][TILE_COLUMNS] = {
    {i8_q4_tile_1x1, i8_q4_tile_1x2},
    {i8_q4_tile_2x1, i8_q4_tile_2x2},
    {i8_q4_tile_3x1, i8_q4_tile_3x2},
    {i8_q4_tile_4x1, i8_q4_tile_4x2},
};

/*
 * Generation: one activation row against every weight row, a matrix-vector product bound by memory.
 * Here each weight row is read as one sequential stream, ahead of which the kernel asks for the
 * bytes PREFETCH_AHEAD further on (1,024 and 4,096 bytes read less in a harness on two threads).
 * A row's blocks are one chain of fused multiply-adds, which from cache holds it to about four
 * cycles a block; two rows at a time, sharing the activations, take 3.3 cycles a block from cache
 * but read memory no faster (24-26 against 25-27 GB/s in the same harness), and earlier tiles of
 * several rows read it at barely half the rate. The activation row's sums are taken once per call.
 */
#define PREFETCH_AHEAD 2048

/* Weight row j against the one activation row; sums from activation_sums. */
static KERNEL __attribute__((noinline)) void i8_q4_row(const struct i8_q4 *p, const int32_t *sums, int j) {
    const int8_t *a = p->a + p->a_offset;
    const float *as = p->a_scale + p->a_offset / BLOCK;
    const uint8_t *b = p->b + (long) p->b_stride * j + p->b_offset;
    const float *bs = p->b_scale + (long) p->b_scale_stride * j + (p->b_offset * 2) / BLOCK;
    const int blocks = p->k / BLOCK;
    __m256 acc = _mm256_setzero_ps();
    float scale[SCALE_GROUP] __attribute__((aligned(32)));
    for (int g = 0; g < blocks; g += SCALE_GROUP) {
        const int in_group = blocks - g < SCALE_GROUP ? blocks - g : SCALE_GROUP;
        if (in_group == SCALE_GROUP) {
            _mm256_store_ps(scale, _mm256_mul_ps(_mm256_loadu_ps(as + g), _mm256_loadu_ps(bs + g)));
        } else {
            for (int s = 0; s < in_group; s++) {
                scale[s] = as[g + s] * bs[g + s];
            }
        }
        /* A group is 128 bytes of weights: two cache lines. */
        _mm_prefetch((const char *) (b + g * (BLOCK / 2) + PREFETCH_AHEAD), _MM_HINT_T0);
        _mm_prefetch((const char *) (b + g * (BLOCK / 2) + PREFETCH_AHEAD + 64), _MM_HINT_T0);
        for (int s = 0; s < in_group; s++) {
            const long block = g + s;
            __m256i av = _mm256_loadu_si256((const __m256i *) (a + block * BLOCK));
            __m256 lanes = i8_q4_lanes(q4_nibbles(b + block * (BLOCK / 2)), av,
                                       _mm256_load_si256((const __m256i *) (sums + block * 8)));
            acc = _mm256_fmadd_ps(_mm256_broadcast_ss(&scale[s]), lanes, acc);
        }
    }
    p->r[j - p->r_offset] = sum_lanes(acc);
}

/** Jlama's gemm_q8_q4 (flags aside): m activation rows against weight rows n0..n0+n-1; k <= MAX_COLUMNS. */
KERNEL void leap_gemm_i8_q4(const float *a_scale, const int8_t *a, int a_offset,
                            const float *b_scale, const uint8_t *b, int b_offset,
                            float *r, int r_offset, int m, int n0, int n, int k,
                            int a_stride, int a_scale_stride, int b_stride, int b_scale_stride, int r_stride) {
    struct i8_q4 p = {a, a_scale, a_offset, a_stride, a_scale_stride,
                      b, b_scale, b_offset, b_stride, b_scale_stride, r, r_offset, r_stride, k};
    int32_t sums[MAX_COLUMNS / BLOCK * 8] __attribute__((aligned(32)));
    const int n_end = n0 + n;
    if (m == 1) {
        activation_sums(a + a_offset, k, sums);
        for (int j = n0; j < n_end; j++) {
            i8_q4_row(&p, sums, j);
        }
        return;
    }
    /* A group of activation rows stays in the L1 or L2 cache while the weight rows of the chunk pass
     * by; the other way round, the whole batch of activations would come from L3 once for every pair
     * of weight rows. As many rows to a group as their sums leave room for, up to TILE_ROWS. */
    const int group = k <= MAX_COLUMNS / TILE_ROWS ? TILE_ROWS : MAX_COLUMNS / k;
    for (int i = 0; i < m; i += group) {
        struct i8_rows rows = {.i0 = i};
        const int rm = m - i < group ? m - i : group;
        for (int row = 0; row < rm; row++) {
            rows.a[row] = a + (long) a_stride * (i + row) + a_offset;
            rows.scale[row] = a_scale + (long) a_scale_stride * (i + row) + a_offset / BLOCK;
            int32_t *row_sums = sums + (long) row * (k / 4);
            activation_sums(rows.a[row], k, row_sums);
            rows.sums[row] = row_sums;
        }
        for (int j = n0; j < n_end; j += TILE_COLUMNS) {
            const int rn = n_end - j < TILE_COLUMNS ? n_end - j : TILE_COLUMNS;
            I8_Q4_TILES[rm - 1][rn - 1](&p, &rows, j);
        }
    }
}

/* ------------------------------------------------------------- F32 activations to I8 activations */

/*
 * Jlama 0.8.4's quantizeQ8_256 (and _512, the same arithmetic): per block of 32 columns, with m the
 * largest magnitude, the scale is m / 127 and each value becomes (byte) (x * (127 / m) + 0.5), the
 * product and the sum each rounded to float and the cast truncating toward zero, as Java's is; a
 * block of zeros gets scale 0 and zeros. Jlama's Java version does not compile to vector
 * instructions here and leaves hundreds of megabytes of garbage per turn; this one leaves none.
 * (A NaN in a block would make Jlama's maximum NaN; the model has failed long before that.)
 */
KERNEL void leap_quantize_i8(const float *x, int x_stride, int8_t *q, int q_stride, float *scales,
                             int scale_stride, int rows, int offset, int length) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    const __m256 half = _mm256_set1_ps(0.5f);
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for (int row = 0; row < rows; row++) {
        const float *xr = x + (long) x_stride * row;
        int8_t *qr = q + (long) q_stride * row;
        float *sr = scales + (long) scale_stride * row;
        for (int i = offset; i < offset + length; i += BLOCK) {
            __m256 v[4];
            __m256 m = _mm256_setzero_ps();
            for (int j = 0; j < 4; j++) {
                v[j] = _mm256_loadu_ps(xr + i + 8 * j);
                m = _mm256_max_ps(m, _mm256_andnot_ps(sign, v[j]));
            }
            float lanes[8] __attribute__((aligned(32)));
            _mm256_store_ps(lanes, m);
            float max = 0.0f;
            for (int l = 0; l < 8; l++) {
                max = lanes[l] > max ? lanes[l] : max;
            }
            const float inverse = max != 0.0f ? 127.0f / max : 0.0f;
            const __m256 id = _mm256_set1_ps(inverse);
            __m256i w[4];
            for (int j = 0; j < 4; j++) {
                w[j] = _mm256_cvttps_epi32(_mm256_add_ps(_mm256_mul_ps(v[j], id), half));
            }
            /* -126..127 pack without saturating; the packs interleave the 128-bit lanes, the
             * permutation puts the 32 bytes back in column order. */
            __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(w[0], w[1]), _mm256_packs_epi32(w[2], w[3]));
            _mm256_storeu_si256((__m256i *) (qr + i), _mm256_permutevar8x32_epi32(bytes, order));
            sr[i / BLOCK] = max / 127.0f;
        }
    }
}

/* --------------------------------------------------------------- F32 activations x Q4 weights */

struct f32_q4 {
    const float *a;
    int a_offset, a_stride;
    const uint8_t *b;
    const float *b_scale;
    int b_offset, b_stride, b_scale_stride;
    float *r;
    int r_offset, r_stride;
    int k;
};

/*
 * Activation rows i0.. against weight rows j0... Jlama turns a nibble q into the float d * (q - 8),
 * one rounding; fma(q, d, -8d) is that same rounding because -8d is exact. Lane l takes columns
 * l, l+8, l+16, l+24 of each block: the low nibbles of bytes 0-7 and 8-15, then their high nibbles.
 * Each (row, row) pair is a chain of four dependent FMAs per block; a tile holds up to six chains.
 */
INLINE_KERNEL void f32_q4_tile(const struct f32_q4 *p, int i0, int j0, const int rm, const int rn,
                               const long ahead) {
    const __m256i low4 = _mm256_set1_epi32(0x0f);
    const float *a[6];
    const uint8_t *b[6];
    const float *bs[6];
    __m256 acc[6][6];
#pragma GCC unroll 6
    for (int i = 0; i < rm; i++) {
        a[i] = p->a + (long) p->a_stride * (i0 + i) + p->a_offset;
#pragma GCC unroll 6
        for (int j = 0; j < rn; j++) {
            acc[i][j] = _mm256_setzero_ps();
        }
    }
#pragma GCC unroll 6
    for (int j = 0; j < rn; j++) {
        b[j] = p->b + (long) p->b_stride * (j0 + j) + p->b_offset;
        bs[j] = p->b_scale + (long) p->b_scale_stride * (j0 + j) + (p->b_offset * 2) / BLOCK;
    }
    const int blocks = p->k / BLOCK;
    for (long block = 0; block < blocks; block++) {
        if (ahead != 0 && block % 4 == 0) {
            /* Four blocks of a row are a cache line. */
#pragma GCC unroll 6
            for (int j = 0; j < rn; j++) {
                _mm_prefetch((const char *) (b[j] + block * (BLOCK / 2) + ahead), _MM_HINT_T0);
            }
        }
#pragma GCC unroll 6
        for (int j = 0; j < rn; j++) {
            const uint8_t *bb = b[j] + block * (BLOCK / 2);
            __m256 d = _mm256_broadcast_ss(bs[j] + block);
            __m256 minus8d = _mm256_mul_ps(d, _mm256_set1_ps(-8.0f));
            __m256i bytes0 = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) bb));
            __m256i bytes1 = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) (bb + 8)));
            __m256 w0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_and_si256(bytes0, low4)), d, minus8d);
            __m256 w1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_and_si256(bytes1, low4)), d, minus8d);
            __m256 w2 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(bytes0, 4)), d, minus8d);
            __m256 w3 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(bytes1, 4)), d, minus8d);
#pragma GCC unroll 6
            for (int i = 0; i < rm; i++) {
                const float *ab = a[i] + block * BLOCK;
                acc[i][j] = _mm256_fmadd_ps(_mm256_loadu_ps(ab), w0, acc[i][j]);
                acc[i][j] = _mm256_fmadd_ps(_mm256_loadu_ps(ab + 8), w1, acc[i][j]);
                acc[i][j] = _mm256_fmadd_ps(_mm256_loadu_ps(ab + 16), w2, acc[i][j]);
                acc[i][j] = _mm256_fmadd_ps(_mm256_loadu_ps(ab + 24), w3, acc[i][j]);
            }
        }
    }
#pragma GCC unroll 6
    for (int i = 0; i < rm; i++) {
#pragma GCC unroll 6
        for (int j = 0; j < rn; j++) {
            p->r[(long) p->r_stride * (i0 + i) + (j0 + j) - p->r_offset] = sum_lanes(acc[i][j]);
        }
    }
}

#define F32_Q4_TILE(RM, RN) \
    static KERNEL __attribute__((noinline)) void f32_q4_tile_##RM##x##RN(const struct f32_q4 *p, int i0, int j0) { \
        f32_q4_tile(p, i0, j0, RM, RN, 0); \
    }
F32_Q4_TILE(1, 1)
F32_Q4_TILE(6, 1) F32_Q4_TILE(5, 1) F32_Q4_TILE(4, 1) F32_Q4_TILE(3, 1) F32_Q4_TILE(2, 1)

/* One activation row against four weight rows, prefetching two tiles ahead. */
static KERNEL __attribute__((noinline)) void f32_q4_logits_tile(const struct f32_q4 *p, int i0, int j0) {
    f32_q4_tile(p, i0, j0, 1, 4, 2L * 4 * p->b_stride);
}

typedef void (*f32_q4_tile_fn)(const struct f32_q4 *, int, int);

/* Tiles of one weight row by activation rows left, for batches. */
static const f32_q4_tile_fn F32_Q4_COLUMN_TILES[6] = {
    f32_q4_tile_1x1, f32_q4_tile_2x1, f32_q4_tile_3x1, f32_q4_tile_4x1, f32_q4_tile_5x1, f32_q4_tile_6x1,
};

/** Jlama's gemm_f32_q4 (flags aside). Used for the logits, where Jlama keeps F32 activations. */
KERNEL void leap_gemm_f32_q4(const float *a, int a_offset,
                             const float *b_scale, const uint8_t *b, int b_offset,
                             float *r, int r_offset, int m, int n0, int n, int k,
                             int a_stride, int b_stride, int b_scale_stride, int r_stride) {
    struct f32_q4 p = {a, a_offset, a_stride, b, b_scale, b_offset, b_stride, b_scale_stride,
                       r, r_offset, r_stride, k};
    const int n_end = n0 + n;
    if (m == 1) {
        /* The logits: four weight rows at a time, each decoded once, asking for the rows of the
         * tile after next while these are computed. Four rows are four streams, which the
         * processor alone reads at about 70% of the rate it reaches with the prefetches. */
        int j = n0;
        for (; j + 4 <= n_end; j += 4) {
            f32_q4_logits_tile(&p, 0, j);
        }
        for (; j < n_end; j++) {
            f32_q4_tile_1x1(&p, 0, j);
        }
        return;
    }
    /* A batch: each weight row, decoded once per block, meets six activation rows at a time; the
     * six rows stay in cache while the weight rows of the chunk pass by. */
    for (int i = 0; i < m; i += 6) {
        const f32_q4_tile_fn tile = F32_Q4_COLUMN_TILES[(m - i < 6 ? m - i : 6) - 1];
        for (int j = n0; j < n_end; j++) {
            tile(&p, i, j);
        }
    }
}

/* ------------------------------------------------------------------------------------ attention */

/*
 * Attention over the key-value cache, for the heads that share one key-value head and a batch of
 * consecutive positions, in two halves: the scores before the softmax and the weighted sum of the
 * values after it (the softmax stays in Java, where Jlama's exp is). The rows of a call are the
 * query heads of each position: row b * heads + h is head h of batch position b, which is at
 * position start + b and attends to positions 0 .. start + b.
 *
 * Each number is computed as Jlama 0.8.4's attention computes it, so the results are Jlama's to the
 * bit: a score is a dot product kept in eight float lanes (lane l takes columns l, l + 8, ...; one
 * fused multiply-add per eight columns, in column order), the lanes summed left to right, then
 * multiplied by the scale; an output is a chain of fused multiply-adds over the positions in order,
 * from zero. What is faster is the order of the loops: a block of keys or values is read from
 * memory once for every row of the call instead of once per row, and the rows of one position
 * share each load of a key.
 *
 * The cache is Jlama's: pages of page_rows positions (16 in the pages Leap uses). Within a page,
 * Leap's attention (which alone writes and reads the cache of Leap's models) keeps each key-value
 * head's rows together, head after head, instead of Jlama's whole rows of all heads: a head's
 * 16 positions of 64 columns are then one 4 KB run of memory, which the processor's prefetchers
 * follow (they stop at 4 KB pages), where a head's 256 bytes out of every 2 KB row starved them.
 */

#define KEY_BLOCK 64        /* positions whose keys or values (16 KB for heads of 64) stay in L1 */
#define ACROSS_FLOATS (KEY_BLOCK * 128)  /* a block of keys laid across, heads up to 128 wide */

/* One key-value head's rows in the cache: within page p, head h's row of position p * page_rows + r
 * is at float (h * page_rows + r) * head_size. */
struct kv_pages {
    const float *const *pages;  /* page p holds positions p * page_rows .. (p + 1) * page_rows - 1 */
    int page_rows;
    int head_size;
    int head;
};

/* The row of `position`. The heads of a page follow each other: head h + 1's rows after head h's. */
static inline const float *kv_row(const struct kv_pages *kv, int position) {
    return kv->pages[position / kv->page_rows]
           + ((long) kv->head * kv->page_rows + position % kv->page_rows) * kv->head_size;
}

/* rows[i] = the row of position from + i, for i < n: one division per call, not one per row. */
static inline void kv_rows(const struct kv_pages *kv, int from, int n, const float **rows) {
    int page = from / kv->page_rows;
    int row = from % kv->page_rows;
    const long first = (long) kv->head * kv->page_rows;
    for (int i = 0; i < n; i++) {
        rows[i] = kv->pages[page] + (first + row) * kv->head_size;
        if (++row == kv->page_rows) {
            row = 0;
            page++;
        }
    }
}

/* Scores of rm query rows against the rn keys at k, into index `position` of each row of scores. */
INLINE_KERNEL void score_tile(const float *const *q, const float *const *k, int position, int head_size,
                              float scale, float *const *scores, const int rm, const int rn) {
    __m256 acc[4][3];
#pragma GCC unroll 4
    for (int i = 0; i < rm; i++) {
#pragma GCC unroll 3
        for (int j = 0; j < rn; j++) {
            acc[i][j] = _mm256_setzero_ps();
        }
    }
    for (int c = 0; c < head_size; c += 8) {
        __m256 kc[3];
#pragma GCC unroll 3
        for (int j = 0; j < rn; j++) {
            kc[j] = _mm256_loadu_ps(k[j] + c);
        }
#pragma GCC unroll 4
        for (int i = 0; i < rm; i++) {
            __m256 qc = _mm256_loadu_ps(q[i] + c);
#pragma GCC unroll 3
            for (int j = 0; j < rn; j++) {
                acc[i][j] = _mm256_fmadd_ps(qc, kc[j], acc[i][j]);
            }
        }
    }
#pragma GCC unroll 4
    for (int i = 0; i < rm; i++) {
#pragma GCC unroll 3
        for (int j = 0; j < rn; j++) {
            scores[i][position + j] = sum_lanes(acc[i][j]) * scale;
        }
    }
}

#define SCORE_TILE(RM, RN) \
    static KERNEL __attribute__((noinline)) void score_tile_##RM##x##RN(const float *const *q, \
            const float *const *k, int position, int head_size, float scale, float *const *scores) { \
        score_tile(q, k, position, head_size, scale, scores, RM, RN); \
    }
SCORE_TILE(4, 3) SCORE_TILE(4, 2) SCORE_TILE(4, 1) SCORE_TILE(3, 3) SCORE_TILE(3, 2) SCORE_TILE(3, 1)
SCORE_TILE(2, 3) SCORE_TILE(2, 2) SCORE_TILE(2, 1) SCORE_TILE(1, 3) SCORE_TILE(1, 2) SCORE_TILE(1, 1)

typedef void (*score_tile_fn)(const float *const *, const float *const *, int, int, float, float *const *);

/* Tiles by rows and positions left: [query rows - 1][positions - 1]. */
static const score_tile_fn SCORE_TILES[4][3] = {
    {score_tile_1x1, score_tile_1x2, score_tile_1x3},
    {score_tile_2x1, score_tile_2x2, score_tile_2x3},
    {score_tile_3x1, score_tile_3x2, score_tile_3x3},
    {score_tile_4x1, score_tile_4x2, score_tile_4x3},
};

/* Query rows h .. h + rm - 1 (rm up to four, as many as are left) and their rows of scores; rm. */
static inline int query_rows(const float *q, float *out, int h, int heads, int head_size, int scores_stride,
                             const float **rows, float **outs) {
    const int rm = heads - h < 4 ? heads - h : 4;
    for (int i = 0; i < rm; i++) {
        rows[i] = q + (long) (h + i) * head_size;
        outs[i] = out + (long) (h + i) * scores_stride;
    }
    return rm;
}

/*
 * Scores of `heads` consecutive query rows (from q, head_size apart) against the keys keys[0 .. n - 1]
 * of positions from .. from + n - 1, into rows of scores (from out, scores_stride apart): tiles of
 * up to four rows by three positions.
 */
static KERNEL void score_rows(const float *q, float *out, int heads, const float *const *keys, int from, int n,
                              int head_size, float scale, int scores_stride) {
    for (int h = 0; h < heads; h += 4) {
        const float *rows[4];
        float *outs[4];
        const int rm = query_rows(q, out, h, heads, head_size, scores_stride, rows, outs);
        for (int j = 0; j < n; j += 3) {
            const int rn = n - j < 3 ? n - j : 3;
            SCORE_TILES[rm - 1][rn - 1](rows, keys + j, from + j, head_size, scale, outs);
        }
    }
}

/*
 * A batch reads each block of keys once for every query row of every batch position, and there a
 * block is first laid out across: eight keys side by side, column by column, so that a vector holds
 * one column of eight keys. Jlama's lane l of a score (the chain of columns l, l + 8, ...) is then
 * one vector of eight scores' lanes l, and Jlama's sum of the lanes, left to right from zero, is
 * eight vector additions for eight scores instead of a horizontal sum for each.
 * across[(g * head_size + c) * 8 + j] = column c of key 8g + j, zero past the n keys up to a whole pair
 * of groups.
 */
static KERNEL void keys_across(const float *const *keys, int n, int head_size, float *across) {
    /* Groups go in pairs: a lone last group gets a group of zeros beside it. */
    for (int g = 0; g * 8 < n || g % 2 == 1; g++) {
        const float *rows[8];
        for (int j = 0; j < 8; j++) {
            rows[j] = 8 * g + j < n ? keys[8 * g + j] : NULL;
        }
        float *out = across + (long) g * head_size * 8;
        for (int c = 0; c < head_size; c += 8) {
            __m256 r[8];
            for (int j = 0; j < 8; j++) {
                r[j] = rows[j] != NULL ? _mm256_loadu_ps(rows[j] + c) : _mm256_setzero_ps();
            }
            __m256 columns[8];
            transpose8(r, columns);
            for (int l = 0; l < 8; l++) {
                _mm256_store_ps(out + (long) (c + l) * 8, columns[l]);
            }
        }
    }
}

/*
 * Scores of rm query rows against the sixteen keys laid across at `across` (two groups of eight),
 * into index `position` of each row of scores; only the first n are stored. Jlama's lanes are taken
 * one at a time, a chain of fused multiply-adds for each row and group, each broadcast column of a
 * query meeting both groups.
 */
INLINE_KERNEL void score_tile_across(const float *const *q, const float *across, int position, int n,
                                     int head_size, float scale, float *const *scores, const int rm) {
    __m256 sum[4][2];
#pragma GCC unroll 4
    for (int i = 0; i < rm; i++) {
        sum[i][0] = _mm256_setzero_ps();
        sum[i][1] = _mm256_setzero_ps();
    }
    const float *second = across + (long) head_size * 8;
    for (int l = 0; l < 8; l++) {
        __m256 lane[4][2];
#pragma GCC unroll 4
        for (int i = 0; i < rm; i++) {
            lane[i][0] = _mm256_setzero_ps();
            lane[i][1] = _mm256_setzero_ps();
        }
        for (int c = l; c < head_size; c += 8) {
            const __m256 k0 = _mm256_load_ps(across + (long) c * 8);
            const __m256 k1 = _mm256_load_ps(second + (long) c * 8);
#pragma GCC unroll 4
            for (int i = 0; i < rm; i++) {
                const __m256 qc = _mm256_broadcast_ss(q[i] + c);
                lane[i][0] = _mm256_fmadd_ps(qc, k0, lane[i][0]);
                lane[i][1] = _mm256_fmadd_ps(qc, k1, lane[i][1]);
            }
        }
#pragma GCC unroll 4
        for (int i = 0; i < rm; i++) {
            sum[i][0] = _mm256_add_ps(sum[i][0], lane[i][0]);
            sum[i][1] = _mm256_add_ps(sum[i][1], lane[i][1]);
        }
    }
    const __m256 scaled = _mm256_set1_ps(scale);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i stored0 = _mm256_cmpgt_epi32(_mm256_set1_epi32(n), lanes);
    const __m256i stored1 = _mm256_cmpgt_epi32(_mm256_set1_epi32(n - 8), lanes);
#pragma GCC unroll 4
    for (int i = 0; i < rm; i++) {
        _mm256_maskstore_ps(scores[i] + position, stored0, _mm256_mul_ps(sum[i][0], scaled));
        _mm256_maskstore_ps(scores[i] + position + 8, stored1, _mm256_mul_ps(sum[i][1], scaled));
    }
}

#define SCORE_TILE_ACROSS(RM) \
    static KERNEL __attribute__((noinline)) void score_tile_across_##RM(const float *const *q, const float *across, \
            int position, int n, int head_size, float scale, float *const *scores) { \
        score_tile_across(q, across, position, n, head_size, scale, scores, RM); \
    }
SCORE_TILE_ACROSS(1) SCORE_TILE_ACROSS(2) SCORE_TILE_ACROSS(3) SCORE_TILE_ACROSS(4)

typedef void (*score_tile_across_fn)(const float *const *, const float *, int, int, int, float, float *const *);

static const score_tile_across_fn SCORE_TILES_ACROSS[4] = {
    score_tile_across_1, score_tile_across_2, score_tile_across_3, score_tile_across_4,
};

/**
 * scores[(b * heads + h) * scores_stride + i] = scale * dot(query of head h at batch position b,
 * key at position i) for i in 0 .. start + b. The query of that row starts at
 * q + b * q_stride + h * head_size; head_size is a multiple of 8.
 */
KERNEL void leap_attention_scores(const float *const *pages, int page_rows, int kv_head,
                                  const float *q, int q_stride, int heads, int batch, int start, int head_size,
                                  float scale, float *scores, int scores_stride) {
    const struct kv_pages kv = {pages, page_rows, head_size, kv_head};
    const int positions = start + batch;
    float across[ACROSS_FLOATS] __attribute__((aligned(64)));
    const float *keys[KEY_BLOCK];
    const int laid_across = head_size <= ACROSS_FLOATS / KEY_BLOCK;
    for (int k0 = 0; k0 < positions; k0 += KEY_BLOCK) {
        const int n = positions - k0 < KEY_BLOCK ? positions - k0 : KEY_BLOCK;
        kv_rows(&kv, k0, n, keys);
        if (laid_across) {
            keys_across(keys, n, head_size, across);
        }
        for (int b = 0; b < batch; b++) {
            const int end = k0 + KEY_BLOCK < start + b + 1 ? k0 + KEY_BLOCK : start + b + 1;
            const float *query = q + (long) b * q_stride;
            float *out = scores + (long) b * heads * scores_stride;
            if (!laid_across) {
                score_rows(query, out, heads, keys, k0, end - k0, head_size, scale, scores_stride);
                continue;
            }
            for (int h = 0; h < heads; h += 4) {
                const float *rows[4];
                float *outs[4];
                const int rm = query_rows(query, out, h, heads, head_size, scores_stride, rows, outs);
                for (int g = 0; k0 + 8 * g < end; g += 2) {
                    const int valid = end - k0 - 8 * g < 16 ? end - k0 - 8 * g : 16;
                    SCORE_TILES_ACROSS[rm - 1](rows, across + (long) g * head_size * 8, k0 + 8 * g, valid,
                                               head_size, scale, outs);
                }
            }
        }
    }
}

/*
 * Scores of two query rows (q and q + head_size) against four keys, into out[0 .. 3] and
 * out[stride .. stride + 3]: eight dot products whose lanes are summed together.
 */
static KERNEL __attribute__((noinline)) void score_tile_2x4(const float *q, const float *const *k, int head_size,
                                                            float scale, float *out, int stride) {
    __m256 acc[8];
#pragma GCC unroll 8
    for (int m = 0; m < 8; m++) {
        acc[m] = _mm256_setzero_ps();
    }
    for (int c = 0; c < head_size; c += 8) {
        const __m256 q0 = _mm256_loadu_ps(q + c);
        const __m256 q1 = _mm256_loadu_ps(q + head_size + c);
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++) {
            const __m256 kc = _mm256_loadu_ps(k[j] + c);
            acc[j] = _mm256_fmadd_ps(q0, kc, acc[j]);
            acc[4 + j] = _mm256_fmadd_ps(q1, kc, acc[4 + j]);
        }
    }
    const __m256 scores = _mm256_mul_ps(sum_lanes_of_eight(acc), _mm256_set1_ps(scale));
    _mm_storeu_ps(out, _mm256_castps256_ps128(scores));
    _mm_storeu_ps(out + stride, _mm256_extractf128_ps(scores, 1));
}

/**
 * The scores of one position's query heads that share key-value heads from .. to - 1, against the
 * keys of positions 0 .. positions - 1: index i of row h of scores (at scores + h * positions)
 * gets scale * dot(query h, key of position i), with query h at q + h * head_size and heads g *
 * group .. g * group + group - 1 sharing key-value head g, whose rows lie head by head in the pages.
 * The numbers are those of leap_attention_scores; pairs of query heads take four positions at a
 * time, their lanes summed eight scores together.
 */
KERNEL void leap_attention_scores_one(const float *const *pages, int page_rows, int from, int to, const float *q,
                                      int group, int head_size, float scale, float *scores, int positions) {
    const int pairs = group / 2 * 2;
    /* Page by page, and in each page head after head, the order the keys lie in. */
    for (int p0 = 0; p0 < positions;) {
        const int in_page = page_rows - p0 % page_rows < KEY_BLOCK ? page_rows - p0 % page_rows : KEY_BLOCK;
        const int n = positions - p0 < in_page ? positions - p0 : in_page;
        for (int g = from; g < to; g++) {
            const struct kv_pages kv = {pages, page_rows, head_size, g};
            const float *rows[KEY_BLOCK];
            kv_rows(&kv, p0, n, rows);
            const float *query = q + (long) g * group * head_size;
            float *out = scores + (long) g * group * positions;
            for (int j = 0; j < n; j += 4) {
                const int m = n - j < 4 ? n - j : 4;
                int h = 0;
                if (m == 4) {
                    for (; h < pairs; h += 2) {
                        score_tile_2x4(query + (long) h * head_size, rows + j, head_size, scale,
                                       out + (long) h * positions + p0 + j, positions);
                    }
                }
                if (h < group) {
                    score_rows(query + (long) h * head_size, out + (long) h * positions, group - h, rows + j,
                               p0 + j, m, head_size, scale, positions);
                }
            }
        }
        p0 += n;
    }
}

/*
 * Adds the weighted values of n positions into rm rows of output that share them (query heads of
 * one key-value head): values[i] + column is position i's slice, weights[r][i] its weight in row r,
 * out[r] the row's slice, started from zero when `fresh`. A tile covers 8 * vectors columns; each
 * position's slice is loaded once for all rm rows, and rm * vectors is eight, the independent
 * chains of fused multiply-adds that keep both of the processor's FMA units busy.
 */
INLINE_KERNEL void value_tile(float *const *out, const float *const *weights, const float *const *values, int column,
                              int n, int fresh, const int rm, const int vectors) {
    __m256 acc[4][8];
#pragma GCC unroll 4
    for (int r = 0; r < rm; r++) {
#pragma GCC unroll 8
        for (int v = 0; v < vectors; v++) {
            acc[r][v] = fresh ? _mm256_setzero_ps() : _mm256_loadu_ps(out[r] + 8 * v);
        }
    }
    for (int i = 0; i < n; i++) {
        const float *value = values[i] + column;
        __m256 slice[8];
#pragma GCC unroll 8
        for (int v = 0; v < vectors; v++) {
            slice[v] = _mm256_loadu_ps(value + 8 * v);
        }
#pragma GCC unroll 4
        for (int r = 0; r < rm; r++) {
            const __m256 weight = _mm256_broadcast_ss(weights[r] + i);
#pragma GCC unroll 8
            for (int v = 0; v < vectors; v++) {
                acc[r][v] = _mm256_fmadd_ps(slice[v], weight, acc[r][v]);
            }
        }
    }
#pragma GCC unroll 4
    for (int r = 0; r < rm; r++) {
#pragma GCC unroll 8
        for (int v = 0; v < vectors; v++) {
            _mm256_storeu_ps(out[r] + 8 * v, acc[r][v]);
        }
    }
}

#define VALUE_TILE(RM, VECTORS) \
    static KERNEL __attribute__((noinline)) void value_tile_##RM##x##VECTORS(float *const *out, \
            const float *const *weights, const float *const *values, int column, int n, int fresh) { \
        value_tile(out, weights, values, column, n, fresh, RM, VECTORS); \
    }
VALUE_TILE(4, 2) VALUE_TILE(2, 4) VALUE_TILE(1, 8) VALUE_TILE(4, 1) VALUE_TILE(2, 1) VALUE_TILE(1, 1)

typedef void (*value_tile_fn)(float *const *, const float *const *, const float *const *, int, int, int);

/* [1, 2 or 4 rows as 0, 1, 2][as wide as eight chains allow, or one vector] */
static const value_tile_fn VALUE_TILES[3][2] = {
    {value_tile_1x8, value_tile_1x1},
    {value_tile_2x4, value_tile_2x1},
    {value_tile_4x2, value_tile_4x1},
};

/*
 * rows query heads sharing a key-value head, row r's output at out + r * head_size and its weights
 * at weights + r * weights_stride, over the n positions whose values are values[0 .. n - 1]: tiles
 * of four, two or one heads, each as wide as eight chains allow; columns left over (head sizes not a
 * multiple of 64) by single vectors.
 */
static KERNEL void value_rows(float *out, const float *weights, int weights_stride, int rows,
                              const float *const *values, int n, int head_size, int fresh) {
    for (int r = 0; r < rows;) {
        const int shape = rows - r >= 4 ? 2 : rows - r >= 2 ? 1 : 0;
        const int rm = 1 << shape;
        const int width = 64 / rm;
        const float *w[4];
        for (int j = 0; j < rm; j++) {
            w[j] = weights + (long) (r + j) * weights_stride;
        }
        for (int column = 0; column < head_size;) {
            const int wide = column + width <= head_size;
            float *o[4];
            for (int j = 0; j < rm; j++) {
                o[j] = out + (long) (r + j) * head_size + column;
            }
            VALUE_TILES[shape][wide ? 0 : 1](o, w, values, column, n, fresh);
            column += wide ? width : 8;
        }
        r += rm;
    }
}

/**
 * out[b * out_stride + h * head_size + d] = sum over positions i in 0 .. start + b, in order, of
 * weights[(b * heads + h) * weights_stride + i] * value[i][d], each term added by one fused
 * multiply-add, from zero. head_size is a multiple of 8.
 */
KERNEL void leap_attention_values(const float *const *pages, int page_rows, int kv_head,
                                  const float *weights, int weights_stride, int heads, int batch, int start,
                                  int head_size, float *out, int out_stride) {
    const struct kv_pages kv = {pages, page_rows, head_size, kv_head};
    const int positions = start + batch;
    const float *values[KEY_BLOCK];
    for (int k0 = 0; k0 < positions; k0 += KEY_BLOCK) {
        kv_rows(&kv, k0, positions - k0 < KEY_BLOCK ? positions - k0 : KEY_BLOCK, values);
        for (int b = 0; b < batch; b++) {
            const int end = k0 + KEY_BLOCK < start + b + 1 ? k0 + KEY_BLOCK : start + b + 1;
            if (end <= k0) {
                continue;
            }
            value_rows(out + (long) b * out_stride, weights + (long) b * heads * weights_stride + k0, weights_stride,
                       heads, values, end - k0, head_size, k0 == 0);
        }
    }
}

#define ONE_BUFFER_FLOATS 16384  /* 64 KB on the caller's stack */

/**
 * The values of a generated token for key-value heads from .. to - 1 and, for each, the `group`
 * query heads that share it: query head h = g * group + j has its weights at weights + h *
 * positions and its output at out + h * head_size; positions 0 .. positions - 1. The sums are
 * those of leap_attention_values. The heads of the call are next to each other in every page of the
 * cache, so it reads each page's run of them straight through, into a buffer head by head, a block
 * of positions at a time.
 */
KERNEL void leap_attention_values_one(const float *const *pages, int page_rows, int from, int to,
                                      const float *weights, int group, int positions,
                                      int head_size, float *out) {
    /* As many heads at a time as a block of at least a page of positions of each fits the buffer. */
    const int per_pass = ONE_BUFFER_FLOATS / (page_rows * head_size);
    if (per_pass < 1 || page_rows > KEY_BLOCK) {
        /* Heads wider than 1,024 columns, or pages longer than a block: head by head from the cache. */
        for (int g = from; g < to; g++) {
            leap_attention_values(pages, page_rows, g,
                                  weights + (long) g * group * positions, positions, group, 1, positions - 1,
                                  head_size, out + (long) g * group * head_size, 0);
        }
        return;
    }
    float buffer[ONE_BUFFER_FLOATS] __attribute__((aligned(64)));
    const float *values[KEY_BLOCK];
    for (int g0 = from; g0 < to; g0 += per_pass) {
        const int heads = to - g0 < per_pass ? to - g0 : per_pass;
        int block = ONE_BUFFER_FLOATS / (heads * head_size);
        block = (block < KEY_BLOCK ? block : KEY_BLOCK) / page_rows * page_rows;
        for (int k0 = 0; k0 < positions; k0 += block) {
            const int n = positions - k0 < block ? positions - k0 : block;
            /* Page by page, the heads of the pass in the order they lie. */
            const struct kv_pages first = {pages, page_rows, head_size, g0};
            for (int p0 = 0; p0 < n; p0 += page_rows) {
                const int rows = n - p0 < page_rows ? n - p0 : page_rows;
                const float *page = kv_row(&first, k0 + p0);
                for (int g = 0; g < heads; g++) {
                    memcpy(buffer + ((long) g * block + p0) * head_size, page + (long) g * page_rows * head_size,
                           (size_t) rows * head_size * sizeof(float));
                }
            }
            for (int g = 0; g < heads; g++) {
                for (int i = 0; i < n; i++) {
                    values[i] = buffer + ((long) g * block + i) * head_size;
                }
                const long first = (long) (g0 + g) * group;
                value_rows(out + first * head_size, weights + first * positions + k0, positions, group,
                           values, n, head_size, k0 == 0);
            }
        }
    }
}

/* --------------------------------------------------------------------------------- jafama's exp */

/*
 * Jlama's softmax and its SiLU take jafama's FastMath.exp: a table lookup and a polynomial in double
 * precision. This is the same computation, step for step, on the same tables (copied from jafama by
 * leap_exp_init), four values at a time; the tests compare the softmax and the SiLU with Jlama's bit
 * for bit.
 */
static struct {
    double *hi;              /* exp of the integer part, indexed from the underflow limit */
    double *lo;              /* exp of the fraction's steps, indexed from the middle */
    int indexing;            /* steps per unit */
    int shift;               /* log2 of indexing */
    int mid;
    int underflow_int;
    double underflow;
    double overflow;
    double inverse_indexing; /* 1.0 / indexing, as jafama computes it */
} exp_tables;

/** Copies jafama's exp tables and constants, once per process (they never change); 1 when done. */
int leap_exp_init(const double *hi, int hi_length, const double *lo, int lo_length, int indexing,
                      int shift, int mid, double underflow, double overflow) {
    if (exp_tables.hi != NULL) {
        return 1;
    }
    double *hi_copy = malloc(sizeof(double) * hi_length);
    double *lo_copy = malloc(sizeof(double) * lo_length);
    if (hi_copy == NULL || lo_copy == NULL) {
        free(hi_copy);
        free(lo_copy);
        return 0;
    }
    memcpy(hi_copy, hi, sizeof(double) * hi_length);
    memcpy(lo_copy, lo, sizeof(double) * lo_length);
    exp_tables.hi = hi_copy;
    exp_tables.lo = lo_copy;
    exp_tables.indexing = indexing;
    exp_tables.shift = shift;
    exp_tables.mid = mid;
    exp_tables.underflow = underflow;
    exp_tables.underflow_int = (int) underflow;
    exp_tables.overflow = overflow;
    exp_tables.inverse_indexing = 1.0 / (double) indexing;
    return 1;
}

/* jafama 2.3.2's FastMath.exp, every branch, for the values the vector path leaves. */
static double fast_exp(double value) {
    if (value > exp_tables.overflow) {
        return INFINITY;
    }
    if (!(value >= exp_tables.underflow)) {
        return value == value ? 0.0 : NAN;
    }
    const int i = (int) (value * (double) exp_tables.indexing);
    const int whole = i >= 0 ? i >> exp_tables.shift : -((-i) >> exp_tables.shift);
    const double hi = exp_tables.hi[whole - exp_tables.underflow_int];
    const int step = i - (int) ((unsigned) whole << exp_tables.shift);
    const double fraction = value - (double) whole;
    const double d = fraction - (double) step * exp_tables.inverse_indexing;
    const double lo = exp_tables.lo[step + exp_tables.mid];
    const double poly = 1.0 + d * (1.0 + d * (0.5 + d * (0.16666666666666666 + d * 0.041666666666666664)));
    return hi * (lo * poly);
}

/* fast_exp of four values in range, with the same operations in the same order. */
INLINE_KERNEL __m256d fast_exp4(__m256d value) {
    const __m128i i = _mm256_cvttpd_epi32(_mm256_mul_pd(value, _mm256_set1_pd((double) exp_tables.indexing)));
    const __m128i whole = _mm_sign_epi32(_mm_srli_epi32(_mm_abs_epi32(i), exp_tables.shift), i);
    const __m256d hi = _mm256_i32gather_pd(exp_tables.hi, _mm_sub_epi32(whole, _mm_set1_epi32(exp_tables.underflow_int)), 8);
    const __m128i step = _mm_sub_epi32(i, _mm_slli_epi32(whole, exp_tables.shift));
    const __m256d fraction = _mm256_sub_pd(value, _mm256_cvtepi32_pd(whole));
    const __m256d d = _mm256_sub_pd(fraction, _mm256_mul_pd(_mm256_cvtepi32_pd(step),
                                                            _mm256_set1_pd(exp_tables.inverse_indexing)));
    const __m256d lo = _mm256_i32gather_pd(exp_tables.lo, _mm_add_epi32(step, _mm_set1_epi32(exp_tables.mid)), 8);
    const __m256d one = _mm256_set1_pd(1.0);
    __m256d poly = _mm256_add_pd(_mm256_set1_pd(0.16666666666666666), _mm256_mul_pd(d, _mm256_set1_pd(0.041666666666666664)));
    poly = _mm256_add_pd(_mm256_set1_pd(0.5), _mm256_mul_pd(d, poly));
    poly = _mm256_add_pd(one, _mm256_mul_pd(d, poly));
    poly = _mm256_add_pd(one, _mm256_mul_pd(d, poly));
    return _mm256_mul_pd(hi, _mm256_mul_pd(lo, poly));
}

/* fast_exp of four values, any: the vector steps where the tables reach, fast_exp's own branches elsewhere. */
INLINE_KERNEL __m256d exp4(__m256d value) {
    const __m256d in_range = _mm256_and_pd(_mm256_cmp_pd(value, _mm256_set1_pd(exp_tables.underflow), _CMP_GE_OQ),
                                           _mm256_cmp_pd(value, _mm256_set1_pd(exp_tables.overflow), _CMP_LE_OQ));
    /* A value out of range would index outside the tables: it computes 0 here, then its own. */
    const __m256d e = fast_exp4(_mm256_and_pd(value, in_range));
    if (_mm256_movemask_pd(in_range) == 0xf) {
        return e;
    }
    double values[4];
    double exps[4];
    _mm256_storeu_pd(values, value);
    _mm256_storeu_pd(exps, e);
    for (int l = 0; l < 4; l++) {
        if (!(values[l] >= exp_tables.underflow && values[l] <= exp_tables.overflow)) {
            exps[l] = fast_exp(values[l]);
        }
    }
    return _mm256_loadu_pd(exps);
}

/* ------------------------------------------------------------------------------------- softmax */

/*
 * Jlama's softmax, which Leap's attention runs between the two halves above: the largest score,
 * then each score becomes (float) FastMath.exp(score - max), summed in order, then each is divided
 * by the sum.
 */

/* The largest of n scores, as Java's loop finds it: a later score replaces the maximum only when greater. */
INLINE_KERNEL float max_of(const float *scores, int n) {
    float max = scores[0];
    int i = 1;
    if (n >= 9) {
        /* Each lane keeps the loop's rule over its own scores (maxps returns its first operand only
         * when that is greater); the lanes are then met in order, by the same rule. The maximum of
         * the scores is the same number either way: only zeros of either sign could tie, and the
         * softmax subtracts them alike. */
        __m256 lanes = _mm256_set1_ps(max);
        for (; i + 8 <= n; i += 8) {
            lanes = _mm256_max_ps(_mm256_loadu_ps(scores + i), lanes);
        }
        float each[8];
        _mm256_storeu_ps(each, lanes);
        for (int l = 0; l < 8; l++) {
            if (each[l] > max) {
                max = each[l];
            }
        }
    }
    for (; i < n; i++) {
        if (scores[i] > max) {
            max = scores[i];
        }
    }
    return max;
}

/* Replaces n scores by their exps after the maximum is taken off (jafama's exp, as Java's float casts). */
INLINE_KERNEL void exps(float *scores, int n, float max) {
    const __m128 maxes = _mm_set1_ps(max);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        const __m256d value = _mm256_cvtps_pd(_mm_sub_ps(_mm_loadu_ps(scores + i), maxes));
        _mm_storeu_ps(scores + i, _mm256_cvtpd_ps(exp4(value)));
    }
    for (; i < n; i++) {
        scores[i] = (float) fast_exp((double) (scores[i] - max));
    }
}

#define SUM_ROWS 4  /* rows whose sums are taken side by side */

/*
 * Each row's sum of its n exps, from zero in order as Java adds them: a chain of float additions,
 * one addition's latency per score, so the chains of SUM_ROWS rows go side by side.
 */
INLINE_KERNEL void sums(float *const *row, int n, float *sum, const int rm) {
    float s[SUM_ROWS];
#pragma GCC unroll 4
    for (int j = 0; j < rm; j++) {
        s[j] = 0.0f;
    }
    for (int i = 0; i < n; i++) {
#pragma GCC unroll 4
        for (int j = 0; j < rm; j++) {
            s[j] += row[j][i];
        }
    }
#pragma GCC unroll 4
    for (int j = 0; j < rm; j++) {
        sum[j] = s[j];
    }
}

/* Divides n scores by their sum. */
INLINE_KERNEL void divide(float *scores, int n, float sum) {
    const __m256 sums = _mm256_set1_ps(sum);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm256_storeu_ps(scores + i, _mm256_div_ps(_mm256_loadu_ps(scores + i), sums));
    }
    for (; i < n; i++) {
        scores[i] = scores[i] / sum;
    }
}

/**
 * The softmax of rows r = 0 .. rows - 1, at scores + r * stride, of first_length + r / group scores:
 * Java's LeapAttention.softMax, the same numbers: the maximum, the exps, their sum, the division.
 * Rows of the same length (a group's) have their sums taken side by side.
 */
KERNEL void leap_softmax(float *scores, int stride, int rows, int group, int first_length) {
    for (int r0 = 0; r0 < rows;) {
        const int left_in_group = group - r0 % group;
        const int m = rows - r0 < SUM_ROWS ? rows - r0 : SUM_ROWS;
        const int together = m < left_in_group ? m : left_in_group;
        const int n = first_length + r0 / group;
        float *row[SUM_ROWS];
        float sum[SUM_ROWS];
        for (int j = 0; j < together; j++) {
            row[j] = scores + (long) (r0 + j) * stride;
            exps(row[j], n, max_of(row[j], n));
        }
        if (together == SUM_ROWS) {
            sums(row, n, sum, SUM_ROWS);
        } else {
            for (int j = 0; j < together; j++) {
                sums(row + j, n, sum + j, 1);
            }
        }
        for (int j = 0; j < together; j++) {
            divide(row[j], n, sum[j]);
        }
        r0 += together;
    }
}

/* ------------------------------------------------------------------------------------------ SiLU */

/*
 * Jlama's SiLU, (float) (x * (1.0f / (1.0f + FastMath.exp(-x)))): in Java the exp is a double, so
 * the sum, the quotient and the product are too, and only the result is rounded to float. The same
 * operations in the same order, four values at a time.
 */
INLINE_KERNEL __m128 silu4(__m128 x) {
    const __m256d value = _mm256_cvtps_pd(x);
    const __m256d argument = _mm256_xor_pd(value, _mm256_set1_pd(-0.0));
    const __m256d e = exp4(argument);
    const __m256d one = _mm256_set1_pd(1.0);
    return _mm256_cvtpd_ps(_mm256_mul_pd(value, _mm256_div_pd(one, _mm256_add_pd(one, e))));
}

/**
 * The gate of a feed-forward block made ready for its down projection, over columns offset .. offset
 * + length - 1 of rows rows, stride floats apart: gate = silu(gate) * up, the SiLU rounded to float
 * and then multiplied in float, as Jlama's activation and its maccumulate do one after the other.
 */
KERNEL void leap_silu_times(float *gate, const float *up, int stride, int rows, int offset, int length) {
    for (int r = 0; r < rows; r++) {
        float *g = gate + (long) r * stride + offset;
        const float *u = up + (long) r * stride + offset;
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            _mm_storeu_ps(g + i, _mm_mul_ps(silu4(_mm_loadu_ps(g + i)), _mm_loadu_ps(u + i)));
        }
        for (; i < length; i++) {
            const double value = (double) g[i];
            g[i] = (float) (value * (1.0 / (1.0 + fast_exp(-value)))) * u[i];
        }
    }
}
