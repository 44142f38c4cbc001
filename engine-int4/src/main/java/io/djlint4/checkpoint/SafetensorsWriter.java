package io.djlint4.checkpoint;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files: named F32/F16/BF16 tensors from float arrays, raw byte tensors of any
 * dtype (e.g. {@code U8} packed 4-bit weights, {@code I32} indices), and a {@code __metadata__}
 * string map. The file is written to a temporary file in the target directory and moved into
 * place, so readers never see a partial file. The JSON header is padded with spaces so that the
 * data section starts 8-byte aligned; tensors are laid out by decreasing element size so every
 * tensor is aligned to its element size.
 *
 * <p>The arrays passed in are referenced, not copied, until {@link #write} returns.
 */
public final class SafetensorsWriter {

    private static final int CHUNK = 1 << 20;

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private record Entry(String name, SafetensorsDtype dtype, long[] shape, float[] floats, byte[] bytes) {
        long byteSize() {
            return floats != null ? (long) floats.length * dtype.size() : bytes.length;
        }
    }

    /**
     * Adds a {@code __metadata__} entry.
     *
     * @param key the key
     * @param value the value
     * @return this writer
     */
    public SafetensorsWriter putMetadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /**
     * Adds a float tensor stored as F32.
     *
     * @param name the tensor name
     * @param shape the shape, outermost first
     * @param data the row-major values
     * @return this writer
     */
    public SafetensorsWriter addFloats(String name, long[] shape, float[] data) {
        return addFloats(name, SafetensorsDtype.F32, shape, data);
    }

    /**
     * Adds a float tensor stored as F32, F16 or BF16 (narrowed with round-to-nearest-even).
     *
     * @param name the tensor name
     * @param dtype F32, F16 or BF16
     * @param shape the shape, outermost first
     * @param data the row-major values
     * @return this writer
     */
    public SafetensorsWriter addFloats(String name, SafetensorsDtype dtype, long[] shape, float[] data) {
        if (!dtype.isReadableAsFloat()) {
            throw new IllegalArgumentException(name + ": float tensors are stored as F32, F16 or BF16, not " + dtype);
        }
        checkShape(name, shape, data.length);
        return add(new Entry(name, dtype, shape.clone(), data, null));
    }

    /**
     * Adds a tensor from raw little-endian bytes.
     *
     * @param name the tensor name
     * @param dtype the dtype name, e.g. {@code "U8"}, {@code "I8"}, {@code "I32"}
     * @param shape the shape, outermost first
     * @param data the bytes; their count must be the element count times the dtype size
     * @return this writer
     */
    public SafetensorsWriter addBytes(String name, String dtype, long[] shape, byte[] data) {
        SafetensorsDtype d = SafetensorsDtype.of(dtype);
        if (d == null) {
            throw new IllegalArgumentException(name + ": unknown safetensors dtype '" + dtype + "'");
        }
        return addBytes(name, d, shape, data);
    }

    /**
     * Adds a tensor from raw little-endian bytes.
     *
     * @param name the tensor name
     * @param dtype the dtype
     * @param shape the shape, outermost first
     * @param data the bytes; their count must be the element count times the dtype size
     * @return this writer
     */
    public SafetensorsWriter addBytes(String name, SafetensorsDtype dtype, long[] shape, byte[] data) {
        if (data.length % dtype.size() != 0) {
            throw new IllegalArgumentException(
                    name + ": " + data.length + " bytes is not a whole number of " + dtype + " elements");
        }
        checkShape(name, shape, data.length / dtype.size());
        return add(new Entry(name, dtype, shape.clone(), null, data));
    }

    /**
     * Adds an I32 tensor.
     *
     * @param name the tensor name
     * @param shape the shape, outermost first
     * @param data the row-major values
     * @return this writer
     */
    public SafetensorsWriter addInts(String name, long[] shape, int[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(data);
        return addBytes(name, SafetensorsDtype.I32, shape, b.array());
    }

    private SafetensorsWriter add(Entry e) {
        if (e.name.equals("__metadata__") || e.name.isEmpty()) {
            throw new IllegalArgumentException("invalid tensor name '" + e.name + "'");
        }
        if (entries.putIfAbsent(e.name, e) != null) {
            throw new IllegalArgumentException("duplicate tensor name '" + e.name + "'");
        }
        return this;
    }

    private static void checkShape(String name, long[] shape, long count) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != count) {
            throw new IllegalArgumentException(
                    name + ": shape " + Arrays.toString(shape) + " has " + n + " elements but " + count + " were given");
        }
    }

    /**
     * Writes the file atomically (temporary file, then move), replacing any existing file.
     *
     * @param file the destination
     * @throws IOException if writing fails; the destination is then left as it was
     */
    public void write(Path file) throws IOException {
        List<Entry> order = new ArrayList<>(entries.values());
        order.sort(Comparator.comparingInt((Entry e) -> -e.dtype.size()));
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject m = new JsonObject();
            metadata.forEach(m::addProperty);
            header.add("__metadata__", m);
        }
        long offset = 0;
        for (Entry e : order) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", e.dtype.name());
            JsonArray shape = new JsonArray();
            for (long d : e.shape) {
                shape.add(d);
            }
            t.add("shape", shape);
            JsonArray offs = new JsonArray();
            offs.add(offset);
            offs.add(offset + e.byteSize());
            t.add("data_offsets", offs);
            header.add(e.name, t);
            offset += e.byteSize();
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(padded).put(json);
                while (head.hasRemaining()) {
                    head.put((byte) ' ');
                }
                head.flip();
                writeFully(ch, head);
                for (Entry e : order) {
                    if (e.bytes != null) {
                        writeFully(ch, ByteBuffer.wrap(e.bytes));
                    } else {
                        writeFloats(ch, buf, e);
                    }
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void writeFloats(FileChannel ch, ByteBuffer buf, Entry e) throws IOException {
        float[] f = e.floats;
        int size = e.dtype.size();
        int i = 0;
        while (i < f.length) {
            buf.clear();
            int n = Math.min(f.length - i, buf.capacity() / size);
            switch (e.dtype) {
                case F32:
                    for (int k = 0; k < n; k++) {
                        buf.putFloat(f[i + k]);
                    }
                    break;
                case F16:
                    for (int k = 0; k < n; k++) {
                        buf.putShort(Float16.fromFloat(f[i + k]));
                    }
                    break;
                default:
                    for (int k = 0; k < n; k++) {
                        buf.putShort(Float16.floatToBf16(f[i + k]));
                    }
                    break;
            }
            buf.flip();
            writeFully(ch, buf);
            i += n;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
