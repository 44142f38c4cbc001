package io.djlint4.checkpoint;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads GGUF files (version 3, and version 2 which has the same layout): the header, the metadata
 * key/value pairs, the tensor infos and, on demand, tensor data expanded to floats.
 *
 * <p>Every count and length read from the file is checked against the bytes that remain before
 * anything is allocated, so a corrupt or hostile file fails with a {@link
 * CheckpointFormatException} naming the field instead of exhausting memory. Tensor data is
 * memory-mapped one tensor at a time.
 *
 * <p>Metadata values are exposed as Java objects: {@code uint8, int8, uint16, int16, int32} as
 * {@link Integer}; {@code uint32, int64, uint64} as {@link Long} ({@code uint64} as its two's
 * complement bits); {@code float32} as {@link Float}, {@code float64} as {@link Double}, {@code
 * bool} as {@link Boolean}, {@code string} as {@link String}. Arrays become {@code int[]}, {@code
 * long[]}, {@code float[]}, {@code double[]}, {@code boolean[]} or {@code String[]} by the same
 * rule, and arrays of arrays {@code Object[]}. {@link GgufMetadata} has typed accessors.
 *
 * <p>Arrays take several times their bytes in the file once expanded, so an array longer than
 * {@value #MAX_KEPT_ARRAY} elements, or beyond a budget of {@value #MAX_KEPT_ELEMENTS} elements of
 * all arrays together, is skipped: its key is left out of {@link #metadata()}. The longest arrays
 * models use, the vocabulary and merges, are a few hundred thousand entries.
 */
public final class GgufReader implements Closeable {

    /** The magic number "GGUF" read as a little-endian uint32. */
    public static final int MAGIC = 0x46554747;

    /** The default data alignment when {@code general.alignment} is absent. */
    public static final int DEFAULT_ALIGNMENT = 32;

    /** GGML's maximum number of tensor dimensions. */
    private static final int MAX_DIMS = 4;

    /** Arrays nested deeper than this are rejected. */
    private static final int MAX_ARRAY_DEPTH = 8;

    /** Longer metadata arrays are skipped. */
    static final int MAX_KEPT_ARRAY = 1 << 20;

    /** Elements of all metadata arrays kept; arrays past this budget are skipped. */
    static final long MAX_KEPT_ELEMENTS = 1L << 22;

    /** What reading a skipped array returns. */
    private static final Object SKIPPED = new Object();

    /** Largest region mapped at once when reading a tensor. */
    private static final long MAX_MAP_BYTES = 1L << 30;

    // GGUF metadata value types.
    static final int T_UINT8 = 0;
    static final int T_INT8 = 1;
    static final int T_UINT16 = 2;
    static final int T_INT16 = 3;
    static final int T_UINT32 = 4;
    static final int T_INT32 = 5;
    static final int T_FLOAT32 = 6;
    static final int T_BOOL = 7;
    static final int T_STRING = 8;
    static final int T_ARRAY = 9;
    static final int T_UINT64 = 10;
    static final int T_INT64 = 11;
    static final int T_FLOAT64 = 12;

    private final Path file;
    private final FileChannel channel;
    private final int version;
    private final int alignment;
    private final long dataStart;
    private final Map<String, Object> metadata;
    private final Map<String, GgufTensorInfo> tensors;
    private long arrayBudget = MAX_KEPT_ELEMENTS;

    private GgufReader(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        long size = channel.size();
        Input in = new Input(file, channel, size);
        if (size < 4) {
            throw new CheckpointFormatException(
                    file, "file has " + size + " bytes, too short for the GGUF magic");
        }
        int magic = in.i32("magic");
        if (magic != MAGIC) {
            throw new CheckpointFormatException(
                    file,
                    "magic",
                    String.format(
                            "not a GGUF file: magic is 0x%08x, expected 0x%08x (\"GGUF\")",
                            magic, MAGIC));
        }
        version = in.i32("version");
        if (version != 2 && version != 3) {
            throw new CheckpointFormatException(
                    file,
                    "version",
                    "unsupported GGUF version "
                            + Integer.toUnsignedString(version)
                            + " (supported: 2, 3; big-endian files are not supported)");
        }
        long tensorCount = in.u64("tensor_count");
        long kvCount = in.u64("metadata_kv_count");
        // A key/value pair takes at least 8 (key length) + 4 (type) + 1 bytes; a tensor info at
        // least 8 (name length) + 4 (n_dims) + 8 (one dim) + 4 (type) + 8 (offset) bytes.
        in.requireCount("metadata_kv_count", kvCount, 13);
        Map<String, Object> meta = new LinkedHashMap<>();
        Set<String> keys = new HashSet<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("metadata key #" + i);
            if (!keys.add(key)) {
                throw new CheckpointFormatException(file, key, "duplicate metadata key");
            }
            int type = in.i32(key);
            Object value = readValue(in, key, type, 0);
            if (value != SKIPPED) {
                meta.put(key, value);
            }
        }
        metadata = Collections.unmodifiableMap(meta);

        Object align = meta.get("general.alignment");
        if (align == null) {
            alignment = DEFAULT_ALIGNMENT;
        } else {
            long a = align instanceof Number n ? n.longValue() : -1;
            if (!(align instanceof Long || align instanceof Integer) || a <= 0 || a > (1 << 20) || Long.bitCount(a) != 1) {
                throw new CheckpointFormatException(
                        file, "general.alignment", "alignment must be a power of two, got " + align);
            }
            alignment = (int) a;
        }

        in.requireCount("tensor_count", tensorCount, 32);
        String[] names = new String[(int) tensorCount];
        long[][] dims = new long[(int) tensorCount][];
        GgufType[] types = new GgufType[(int) tensorCount];
        long[] offsets = new long[(int) tensorCount];
        for (int t = 0; t < tensorCount; t++) {
            String name = in.string("tensor name #" + t);
            names[t] = name;
            int nDims = in.i32(name);
            if (nDims < 1 || nDims > MAX_DIMS) {
                throw new CheckpointFormatException(
                        file,
                        name,
                        "tensor has " + Integer.toUnsignedString(nDims) + " dimensions; GGUF allows 1 to " + MAX_DIMS);
            }
            long[] ne = new long[nDims];
            long count = 1;
            for (int d = 0; d < nDims; d++) {
                ne[d] = in.u64(name);
                if (ne[d] < 0 || (ne[d] != 0 && count > Long.MAX_VALUE / ne[d])) {
                    throw new CheckpointFormatException(
                            file, name, "dimension " + d + " (" + Long.toUnsignedString(ne[d]) + ") is too large");
                }
                count *= ne[d];
            }
            dims[t] = ne;
            int typeId = in.i32(name);
            GgufType type = GgufType.fromId(Integer.toUnsignedLong(typeId));
            if (type == null) {
                throw new CheckpointFormatException(
                        file, name, "unknown GGML tensor type id " + Integer.toUnsignedString(typeId));
            }
            types[t] = type;
            offsets[t] = in.u64(name);
        }
        dataStart = alignUp(in.position(), alignment);
        Map<String, GgufTensorInfo> infos = new LinkedHashMap<>();
        for (int t = 0; t < tensorCount; t++) {
            String name = names[t];
            GgufType type = types[t];
            long[] ne = dims[t];
            if (ne[0] % type.blockSize() != 0) {
                throw new CheckpointFormatException(
                        file,
                        name,
                        "first dimension " + ne[0] + " is not a multiple of the " + type + " block size " + type.blockSize());
            }
            long count = 1;
            for (long d : ne) {
                count *= d;
            }
            long bytes = count / type.blockSize();
            if (bytes > Long.MAX_VALUE / type.typeSize()) {
                throw new CheckpointFormatException(file, name, "tensor is too large");
            }
            bytes *= type.typeSize();
            long off = offsets[t];
            if (off < 0 || off % alignment != 0) {
                throw new CheckpointFormatException(
                        file,
                        name,
                        "data offset " + Long.toUnsignedString(off) + " is not a multiple of the alignment " + alignment);
            }
            if (dataStart > size || off > size - dataStart || bytes > size - dataStart - off) {
                throw new CheckpointFormatException(
                        file,
                        name,
                        "tensor data ["
                                + Long.toUnsignedString(off)
                                + ", +"
                                + bytes
                                + ") relative to the data section at "
                                + dataStart
                                + " extends beyond the end of the file ("
                                + size
                                + " bytes); the file is truncated or corrupt");
            }
            if (infos.put(name, new GgufTensorInfo(name, ne, type, dataStart + off, bytes)) != null) {
                throw new CheckpointFormatException(file, name, "duplicate tensor name");
            }
        }
        tensors = Collections.unmodifiableMap(infos);
    }

    /**
     * Opens a GGUF file and reads its header, metadata and tensor infos.
     *
     * @param file the file
     * @return the reader, which must be closed
     * @throws IOException if the file cannot be read or is malformed
     */
    public static GgufReader open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new GgufReader(file, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Tells whether a file starts with the GGUF magic.
     *
     * @param file the file
     * @return true if its first four bytes are "GGUF"
     * @throws IOException if the file cannot be read
     */
    public static boolean hasMagic(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    return false;
                }
            }
            return b.getInt(0) == MAGIC;
        }
    }

    /**
     * Returns the file.
     *
     * @return the path this reader was opened on
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the GGUF version.
     *
     * @return 2 or 3
     */
    public int version() {
        return version;
    }

    /**
     * Returns the data alignment.
     *
     * @return {@code general.alignment} or 32
     */
    public int alignment() {
        return alignment;
    }

    /**
     * Returns the metadata in file order (see the class comment for the value types).
     *
     * @return an unmodifiable map
     */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /**
     * Returns the tensor infos in file order.
     *
     * @return an unmodifiable map from name to info
     */
    public Map<String, GgufTensorInfo> tensors() {
        return tensors;
    }

    /**
     * Returns the tensor names in file order.
     *
     * @return the names
     */
    public List<String> tensorNames() {
        return List.copyOf(tensors.keySet());
    }

    /**
     * Returns one tensor's info.
     *
     * @param name the tensor name
     * @return the info, or {@code null} if there is no such tensor
     */
    public GgufTensorInfo info(String name) {
        return tensors.get(name);
    }

    /**
     * Reads a tensor and expands it to floats in GGML order (row-major with {@code dims[0]} the
     * fastest-varying dimension, i.e. PyTorch's {@code [rows, cols]} layout for matrices).
     *
     * @param name the tensor name
     * @return the values
     * @throws IOException if the tensor is missing, of a type that cannot be expanded, or too
     *     large for one array
     */
    public float[] readFloats(String name) throws IOException {
        GgufTensorInfo t = tensors.get(name);
        if (t == null) {
            throw new CheckpointFormatException(file, name, "no such tensor in the file");
        }
        GgufType type = t.type();
        if (!type.canDequantize()) {
            throw new CheckpointFormatException(
                    file,
                    name,
                    "tensor type "
                            + type
                            + " cannot be read (supported: "
                            + Arrays.stream(GgufType.values())
                                    .filter(GgufType::canDequantize)
                                    .map(GgufType::name)
                                    .collect(Collectors.joining(", "))
                            + ")");
        }
        long count = t.numElements();
        if (count > Integer.MAX_VALUE - 8) {
            throw new CheckpointFormatException(
                    file, name, count + " values do not fit in one Java array");
        }
        float[] out = new float[(int) count];
        long blocks = count / type.blockSize();
        long blocksPerChunk = Math.max(1, MAX_MAP_BYTES / type.typeSize());
        long done = 0;
        while (done < blocks) {
            int n = (int) Math.min(blocksPerChunk, blocks - done);
            MappedByteBuffer map =
                    channel.map(
                            FileChannel.MapMode.READ_ONLY,
                            t.fileOffset() + done * type.typeSize(),
                            (long) n * type.typeSize());
            map.order(ByteOrder.LITTLE_ENDIAN);
            type.dequantizer().dequantize(map, 0, out, (int) (done * type.blockSize()), n);
            done += n;
        }
        return out;
    }

    /**
     * Counts the weights of a GGUF model file from its tensor infos, without reading a tensor:
     * every tensor but the rope frequency table, which is not trained.
     *
     * @param file the .gguf file
     * @return the number of parameters
     * @throws IOException if the file cannot be read or is malformed
     */
    public static long parameterCount(Path file) throws IOException {
        try (GgufReader r = open(file)) {
            long n = 0;
            for (GgufTensorInfo t : r.tensors.values()) {
                if (!t.name().equals("rope_freqs.weight")) {
                    n += t.numElements();
                }
            }
            return n;
        }
    }

    /**
     * Maps a tensor's raw bytes, for callers that use the encoded blocks directly.
     *
     * @param name the tensor name
     * @return a read-only little-endian buffer over the tensor's bytes
     * @throws IOException if the tensor is missing or larger than 2 GiB
     */
    public ByteBuffer rawData(String name) throws IOException {
        GgufTensorInfo t = tensors.get(name);
        if (t == null) {
            throw new CheckpointFormatException(file, name, "no such tensor in the file");
        }
        if (t.byteSize() > Integer.MAX_VALUE) {
            throw new CheckpointFormatException(file, name, "tensor is larger than 2 GiB");
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, t.fileOffset(), t.byteSize())
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private Object readValue(Input in, String key, int type, int depth) throws IOException {
        switch (type) {
            case T_UINT8:
                return in.u8(key);
            case T_INT8:
                return (int) in.i8(key);
            case T_UINT16:
                return in.u16(key);
            case T_INT16:
                return (int) in.i16(key);
            case T_UINT32:
                return Integer.toUnsignedLong(in.i32(key));
            case T_INT32:
                return in.i32(key);
            case T_FLOAT32:
                return in.f32(key);
            case T_BOOL:
                return in.bool(key);
            case T_STRING:
                return in.string(key);
            case T_ARRAY:
                return readArray(in, key, depth + 1);
            case T_UINT64:
            case T_INT64:
                return in.u64raw(key);
            case T_FLOAT64:
                return Double.longBitsToDouble(in.u64raw(key));
            default:
                throw new CheckpointFormatException(
                        file, key, "unknown metadata value type " + Integer.toUnsignedString(type));
        }
    }

    private Object readArray(Input in, String key, int depth) throws IOException {
        if (depth > MAX_ARRAY_DEPTH) {
            throw new CheckpointFormatException(
                    file, key, "arrays nested more than " + MAX_ARRAY_DEPTH + " deep");
        }
        int elemType = in.i32(key);
        long count = in.u64(key);
        int minSize = minValueSize(elemType);
        if (minSize < 0) {
            throw new CheckpointFormatException(
                    file, key, "unknown array element type " + Integer.toUnsignedString(elemType));
        }
        in.requireCount(key, count, minSize);
        if (count > MAX_KEPT_ARRAY || count > arrayBudget) {
            skipElements(in, key, elemType, count, depth);
            return SKIPPED;
        }
        arrayBudget -= count;
        int n = (int) count;
        switch (elemType) {
            case T_UINT8: {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.u8(key);
                }
                return a;
            }
            case T_INT8: {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.i8(key);
                }
                return a;
            }
            case T_UINT16: {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.u16(key);
                }
                return a;
            }
            case T_INT16: {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.i16(key);
                }
                return a;
            }
            case T_INT32: {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.i32(key);
                }
                return a;
            }
            case T_UINT32: {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = Integer.toUnsignedLong(in.i32(key));
                }
                return a;
            }
            case T_UINT64:
            case T_INT64: {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.u64raw(key);
                }
                return a;
            }
            case T_FLOAT32: {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.f32(key);
                }
                return a;
            }
            case T_FLOAT64: {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = Double.longBitsToDouble(in.u64raw(key));
                }
                return a;
            }
            case T_BOOL: {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.bool(key);
                }
                return a;
            }
            case T_STRING: {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.string(key);
                }
                return a;
            }
            default: {
                Object[] a = new Object[n];
                boolean skipped = false;
                for (int i = 0; i < n; i++) {
                    a[i] = readArray(in, key, depth + 1);
                    skipped |= a[i] == SKIPPED;
                }
                return skipped ? SKIPPED : a;
            }
        }
    }

    /** Moves past array elements without keeping them, checking lengths as reading would. */
    private void skipElements(Input in, String key, int elemType, long count, int depth) throws IOException {
        if (elemType == T_STRING) {
            for (long i = 0; i < count; i++) {
                in.skipString(key);
            }
        } else if (elemType == T_ARRAY) {
            for (long i = 0; i < count; i++) {
                if (depth + 1 > MAX_ARRAY_DEPTH) {
                    throw new CheckpointFormatException(file, key, "arrays nested more than " + MAX_ARRAY_DEPTH + " deep");
                }
                int innerType = in.i32(key);
                long innerCount = in.u64(key);
                int minSize = minValueSize(innerType);
                if (minSize < 0) {
                    throw new CheckpointFormatException(
                            file, key, "unknown array element type " + Integer.toUnsignedString(innerType));
                }
                in.requireCount(key, innerCount, minSize);
                skipElements(in, key, innerType, innerCount, depth + 1);
            }
        } else {
            in.skip(key, count * minValueSize(elemType));
        }
    }

    /** The fewest bytes a value of a type occupies, or -1 for an unknown type. */
    private static int minValueSize(int type) {
        switch (type) {
            case T_UINT8:
            case T_INT8:
            case T_BOOL:
                return 1;
            case T_UINT16:
            case T_INT16:
                return 2;
            case T_UINT32:
            case T_INT32:
            case T_FLOAT32:
                return 4;
            case T_UINT64:
            case T_INT64:
            case T_FLOAT64:
            case T_STRING:
                return 8;
            case T_ARRAY:
                return 12;
            default:
                return -1;
        }
    }

    static long alignUp(long pos, long alignment) {
        return (pos + alignment - 1) / alignment * alignment;
    }

    /** Buffered little-endian reading of the header with bounds checks against the file size. */
    private static final class Input {
        private final Path file;
        private final FileChannel ch;
        private final long size;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long bufStart;

        Input(Path file, FileChannel ch, long size) {
            this.file = file;
            this.ch = ch;
            this.size = size;
            buf.limit(0);
        }

        long position() {
            return bufStart + buf.position();
        }

        long remaining() {
            return size - position();
        }

        /** Fails unless {@code count} items of at least {@code minBytes} each can fit. */
        void requireCount(String what, long count, int minBytes) throws CheckpointFormatException {
            long left = remaining();
            if (count < 0 || count > Integer.MAX_VALUE - 8 || count > left / minBytes) {
                throw new CheckpointFormatException(
                        file,
                        what,
                        "count "
                                + Long.toUnsignedString(count)
                                + " needs at least "
                                + (count < 0 ? "more than 2^63" : Long.toUnsignedString(count * minBytes))
                                + " bytes but only "
                                + left
                                + " remain in the file");
            }
        }

        private void need(int n, String what) throws IOException {
            if (buf.remaining() >= n) {
                return;
            }
            if (remaining() < n) {
                throw new CheckpointFormatException(
                        file,
                        what,
                        "unexpected end of file at byte " + position() + " (needed " + n + " more bytes)");
            }
            long pos = position();
            buf.clear();
            bufStart = pos;
            buf.limit((int) Math.min(buf.capacity(), size - pos));
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r < 0) {
                    throw new CheckpointFormatException(file, what, "unexpected end of file at byte " + pos);
                }
            }
            buf.flip();
        }

        int u8(String what) throws IOException {
            need(1, what);
            return buf.get() & 0xFF;
        }

        byte i8(String what) throws IOException {
            need(1, what);
            return buf.get();
        }

        int u16(String what) throws IOException {
            need(2, what);
            return buf.getShort() & 0xFFFF;
        }

        short i16(String what) throws IOException {
            need(2, what);
            return buf.getShort();
        }

        int i32(String what) throws IOException {
            need(4, what);
            return buf.getInt();
        }

        float f32(String what) throws IOException {
            need(4, what);
            return buf.getFloat();
        }

        boolean bool(String what) throws IOException {
            int b = u8(what);
            if (b > 1) {
                throw new CheckpointFormatException(file, what, "boolean byte is " + b + ", expected 0 or 1");
            }
            return b == 1;
        }

        long u64raw(String what) throws IOException {
            need(8, what);
            return buf.getLong();
        }

        /** Reads a uint64 count or size; values of 2^63 and above are returned negative. */
        long u64(String what) throws IOException {
            return u64raw(what);
        }

        /** Moves {@code n} bytes ahead. */
        void skip(String what, long n) throws IOException {
            if (n < 0 || n > remaining()) {
                throw new CheckpointFormatException(file, what, "unexpected end of file at byte " + position()
                        + " (needed " + Long.toUnsignedString(n) + " more bytes)");
            }
            if (n <= buf.remaining()) {
                buf.position(buf.position() + (int) n);
                return;
            }
            bufStart = position() + n;
            buf.clear();
            buf.limit(0);
        }

        void skipString(String what) throws IOException {
            skip(what, stringLength(what));
        }

        private long stringLength(String what) throws IOException {
            long len = u64(what);
            long left = remaining();
            if (len < 0 || len > left || len > Integer.MAX_VALUE - 8) {
                throw new CheckpointFormatException(
                        file,
                        what,
                        "string length "
                                + Long.toUnsignedString(len)
                                + " exceeds the "
                                + left
                                + " bytes left in the file");
            }
            return len;
        }

        String string(String what) throws IOException {
            int n = (int) stringLength(what);
            byte[] bytes = new byte[n];
            int done = 0;
            while (done < n) {
                if (!buf.hasRemaining()) {
                    need(1, what);
                }
                int k = Math.min(buf.remaining(), n - done);
                buf.get(bytes, done, k);
                done += k;
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
