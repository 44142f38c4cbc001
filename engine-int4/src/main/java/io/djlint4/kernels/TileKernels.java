package io.djlint4.kernels;

/**
 * The vector building blocks every packed-weight product is assembled from. A tile is {@code
 * width} output rows of a {@link NibbleTiles} matrix; decoded tiles are float arrays laid out
 * k-major, {@code tile[k·width + lane]}, so a product broadcasts one activation and multiplies a
 * whole row of the tile. Integer-valued operands stay exact in float as long as sums stay below
 * 2^24, which callers guarantee by the segment lengths they pass.
 */
interface TileKernels {

    /**
     * Returns the tile width these kernels are built for (twice the float lanes).
     *
     * @return rows per tile
     */
    int tileWidth();

    /**
     * Returns how many activation rows {@link #multiply} keeps in registers at once.
     *
     * @return the token block
     */
    int tokenBlock();

    /**
     * Decodes {@code kLen} columns of INT4 codes starting at a chunk boundary: {@code tile[tileOff +
     * k·width + lane] = (q − z[lane])·s[lane]}.
     *
     * @param words the packed words
     * @param base index of lane 0 of the first chunk
     * @param kLen columns to decode
     * @param signed two's-complement codes when {@code true}, else unsigned
     * @param zeros per-lane zero points at {@code pOff}, or {@code null} for none
     * @param scales per-lane scales at {@code pOff}, or {@code null} to keep raw codes
     * @param pOff offset of lane 0 in {@code zeros}/{@code scales}
     * @param tile receives the decoded values
     * @param tileOff offset of column 0 in {@code tile}
     */
    void decodeInt4(
            int[] words,
            int base,
            int kLen,
            boolean signed,
            float[] zeros,
            float[] scales,
            int pOff,
            float[] tile,
            int tileOff);

    /**
     * Decodes {@code kLen} columns of INT4 codes with one zero point and scale per column shared by
     * all lanes (the per-IC layout): {@code tile[k·width + lane] = (q − z[pOff + k])·s[pOff + k]}.
     *
     * @param words the packed words
     * @param base index of lane 0 of the first chunk
     * @param kLen columns to decode
     * @param signed two's-complement codes when {@code true}
     * @param zeros per-column zero points, or {@code null}
     * @param scales per-column scales
     * @param pOff offset of column 0 in {@code zeros}/{@code scales}
     * @param tile receives the decoded values from index 0
     */
    void decodeInt4Columns(
            int[] words, int base, int kLen, boolean signed, float[] zeros, float[] scales, int pOff,
            float[] tile);

    /**
     * Decodes {@code kLen} columns of FP4 codes to their signed integer values times a per-column
     * factor: {@code tile[k·width + lane] = k(code)·factors[fOff + k]}.
     *
     * @param words the packed words
     * @param base index of lane 0 of the first chunk
     * @param kLen columns to decode
     * @param format the FP4 format
     * @param factors per-column factors ({@code 2^(−k_j)})
     * @param fOff offset of column 0 in {@code factors}
     * @param tile receives the decoded values from index 0
     */
    void decodeFp4(
            int[] words, int base, int kLen, Fp4Format format, float[] factors, int fOff, float[] tile);

    /**
     * One token times the INT4 nibbles of one tile, without writing a decoded tile: {@code
     * part[lane] = Σ_k v[lane][k]·16^(k%8)·xs[xOff + k]} over {@code kLen} columns from a chunk
     * boundary, where {@code v} is the stored nibble (see {@link NibbleTiles}). With {@code xs[k] =
     * x[k]·16^−(k%8)} this is {@code Σ v·x}; the caller adds {@code Σ bias·x} to get codes.
     *
     * @param words the packed words
     * @param base index of lane 0 of the first chunk
     * @param kLen columns
     * @param xs the pre-scaled activations
     * @param xOff offset of column 0
     * @param part receives {@code width} sums
     */
    void dotInt4(int[] words, int base, int kLen, float[] xs, int xOff, float[] part);

    /**
     * Tokens' integer codes times one tile of INT4 codes with scale groups along the input:
     * {@code acc[t·width + lane] = Σ_G s[G][lane]·(Σ_{k∈G} (code[lane][k] − z[G][lane])·q[t][k])}
     * for {@code t < rows}, the inner sums exact integers and the groups added in order with one
     * fused multiply-add each, as the int32 reference does. The codes {@code q} come as the 16-bit
     * pairs {@link Int4GemvInputs#codePairs} writes, with the per-group sums of {@link
     * Int4GemvInputs#codeGroupSums} that turn stored nibbles into codes and apply zero points; any
     * 8-bit codes are allowed. Asymmetric codes (zero point {@code z_x[t]}) also subtract {@code
     * z_x[t]·W[G][lane]} from each group's sum, {@code W} the weight code sums ({@link
     * WeightCodeSums}). Fractional weight zero points (grids with a float minimum) stay out of the
     * integer sums: each group then subtracts {@code (s·z)[G][lane]·Σ_{k∈G} q[t][k]} in float.
     *
     * @param words the packed words
     * @param base index of lane 0 of the tile's first chunk
     * @param chunks chunks of eight columns per row
     * @param chunksPerGroup chunks per scale group
     * @param pairs the code pairs, then the group sums
     * @param stride ints of pairs per token
     * @param sumsOff index of the group sums in {@code pairs}
     * @param rows tokens
     * @param scales the tiled scales
     * @param zeros the tiled integer zero points, or {@code null} for symmetric codes and
     *     fractional zero points
     * @param scaledZeros the tiled {@code s·z} of fractional zero points, else {@code null}
     * @param sOff index of lane 0 of the tile's first group in {@code scales}, {@code zeros},
     *     {@code scaledZeros} and {@code weightSums}
     * @param weightSums the tiled weight code sums, or {@code null} for symmetric activation codes
     * @param tokenZeros the tokens' zero points from index 0, or {@code null} for symmetric
     *     activation codes
     * @param sums scratch of {@code width} ints
     * @param acc receives {@code rows·width} results (overwritten)
     */
    void int4CodeTile(
            int[] words,
            int base,
            int chunks,
            int chunksPerGroup,
            int[] pairs,
            int stride,
            int sumsOff,
            int rows,
            float[] scales,
            int[] zeros,
            float[] scaledZeros,
            int sOff,
            int[] weightSums,
            int[] tokenZeros,
            int[] sums,
            float[] acc);

    /**
     * One token times the FP4 integer values of one tile: {@code part[lane] = Σ_k k(code)·x[xOff +
     * k]}.
     *
     * @param words the packed words
     * @param base index of lane 0 of the first chunk
     * @param kLen columns
     * @param format the FP4 format
     * @param x the activations
     * @param xOff offset of column 0
     * @param part receives {@code width} sums
     */
    void dotFp4(int[] words, int base, int kLen, Fp4Format format, float[] x, int xOff, float[] part);

    /**
     * Activation rows times a decoded tile: {@code part[t·width + lane] = Σ_{k<kLen} a[aOff +
     * t·aStride + k]·tile[tileOff + k·width + lane]} for {@code t < rows}.
     *
     * @param a the activations
     * @param aOff offset of row 0, column 0
     * @param aStride distance between rows of {@code a}
     * @param rows activation rows
     * @param tile the decoded tile
     * @param tileOff offset of column 0 in {@code tile}
     * @param kLen columns
     * @param part receives {@code rows·width} sums
     */
    void multiply(
            float[] a, int aOff, int aStride, int rows, float[] tile, int tileOff, int kLen, float[] part);

    /**
     * Returns whether {@link #multiplyPacked} reads activations packed by {@link TokenPanels#pack}
     * (else row-major ones).
     *
     * @return {@code true} for packed token panels
     */
    boolean tokenPanels();

    /**
     * {@link #multiply} for tokens {@code t0 .. t0 + m − 1}, {@code m = min(tokenBlock(), rows −
     * t0)}, reading activations laid out as {@link TokenPanels#forKernel} returns them; results
     * equal {@link #multiply} on the row-major activations bit for bit.
     *
     * @param packed the activations from {@link TokenPanels#forKernel}
     * @param rows all tokens of {@code packed}
     * @param in columns of {@code packed}
     * @param t0 the first token, a multiple of {@link #tokenBlock()}
     * @param k0 the first column
     * @param kLen columns
     * @param tile the decoded tile
     * @param tileOff offset of column {@code k0} in {@code tile}
     * @param part receives {@code m·width} sums
     */
    void multiplyPacked(
            float[] packed, int rows, int in, int t0, int k0, int kLen, float[] tile, int tileOff, float[] part);

    /**
     * Like {@link #multiply} but reads tile row {@code order[orderOff + k]} for activation column
     * {@code k} (the runtime-smoothing channel order).
     *
     * @param a the activations, already in {@code order}
     * @param aOff offset of row 0, column 0
     * @param aStride distance between rows
     * @param rows activation rows
     * @param tile the decoded tile in natural column order
     * @param order the column order
     * @param orderOff offset into {@code order}
     * @param kLen columns
     * @param part receives {@code rows·width} sums
     */
    void multiplyGathered(
            float[] a,
            int aOff,
            int aStride,
            int rows,
            float[] tile,
            int[] order,
            int orderOff,
            int kLen,
            float[] part);

    /**
     * {@code acc[accOff + i] += part[i]} for {@code i < len}.
     *
     * @param part the partial sums
     * @param acc the accumulators
     * @param accOff offset into {@code acc}
     * @param len the number of values, a multiple of the width
     */
    void addInto(float[] part, float[] acc, int accOff, int len);

    /**
     * The zero-point correction of asymmetric activation codes: {@code part[t·width + lane] −=
     * tokenZeros[zOff + t]·codeSums[sOff + lane]} for {@code t < rows}, exact while operands and
     * results are integers below 2^24 in magnitude.
     *
     * @param part integer-valued partial sums
     * @param rows rows of {@code part}
     * @param tokenZeros the tokens' zero points
     * @param zOff index of row 0's zero point
     * @param codeSums the tiled weight code sums
     * @param sOff index of lane 0
     */
    void subtractZeroSums(float[] part, int rows, int[] tokenZeros, int zOff, int[] codeSums, int sOff);

    /**
     * {@code acc[accOff + t·width + lane] = fma(part[t·width + lane], scales[sOff + lane], acc[…])}.
     *
     * @param part the partial sums
     * @param rows rows of {@code part}
     * @param scales per-lane scales
     * @param sOff offset of lane 0
     * @param acc the accumulators
     * @param accOff offset into {@code acc}
     */
    void fmaInto(float[] part, int rows, float[] scales, int sOff, float[] acc, int accOff);

    /**
     * Ends one group of a float-input product: {@code acc[accOff + lane] += s[lane]·(part[lane] +
     * (biasSum − z[lane]·sum))} with the operations in that order, for {@code width} lanes.
     *
     * @param part the group's sums of stored nibbles times inputs
     * @param biasSum {@code Σ bias(k)·x[k]} over the group, turning stored nibbles into codes
     * @param sum {@code Σ x[k]} over the group
     * @param scales the tiled scales
     * @param zeros the tiled zero points, or {@code null} for symmetric codes
     * @param sOff index of lane 0 in {@code scales} and {@code zeros}
     * @param acc the accumulators
     * @param accOff index of lane 0 in {@code acc}
     */
    void endGroup(float[] part, float biasSum, float sum, float[] scales, float[] zeros, int sOff, float[] acc,
            int accOff);

    /**
     * {@code acc[accOff + i] = fma(part[i], factor, acc[accOff + i])} for {@code i < len}.
     *
     * @param part the partial sums
     * @param factor the common factor
     * @param acc the accumulators
     * @param accOff offset into {@code acc}
     * @param len the number of values, a multiple of the width
     */
    void fmaScalarInto(float[] part, float factor, float[] acc, int accOff, int len);
}
