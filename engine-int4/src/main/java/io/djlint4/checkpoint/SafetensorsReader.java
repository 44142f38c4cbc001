package io.djlint4.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads safetensors files: an 8-byte little-endian header length, a JSON header mapping tensor
 * names to {@code dtype}, {@code shape} and {@code data_offsets} (relative to the end of the
 * header) plus an optional {@code __metadata__} string map, then the raw little-endian data.
 *
 * <p>The header is validated before any tensor is touched: its length against the file size, its
 * JSON for duplicate names, every tensor's offsets against the data section and against its dtype
 * and shape, and the tensors against each other (they must tile the data section exactly). Tensor data is
 * memory-mapped one tensor at a time; the file is never loaded whole.
 */
public final class SafetensorsReader implements Closeable {

    /** The largest header accepted, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";

    /** Bytes read per step when a tensor is converted to floats: the staging buffer's size. */
    private static final long READ_CHUNK_BYTES = 1L << 24;

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, SafetensorsTensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsReader(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        long size = channel.size();
        if (size < 8) {
            throw new CheckpointFormatException(
                    file, "file has " + size + " bytes, too short for the 8-byte safetensors header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(lenBuf, 0);
        long headerLen = lenBuf.getLong(0);
        if (headerLen < 2 || headerLen > size - 8 || headerLen > MAX_HEADER_BYTES) {
            throw new CheckpointFormatException(
                    file,
                    "header",
                    "header length "
                            + Long.toUnsignedString(headerLen)
                            + " is invalid for a file of "
                            + size
                            + " bytes (must be between 2 and "
                            + Math.min(size - 8, MAX_HEADER_BYTES)
                            + "); the file is truncated or not safetensors");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(headerBuf, 8);
        String json = new String(headerBuf.array(), StandardCharsets.UTF_8);
        JsonObject header;
        try {
            header = StrictJson.parseObject(json, file);
        } catch (CheckpointFormatException e) {
            if (e.getCulprit() != null) {
                throw e;
            }
            throw new CheckpointFormatException(file, "header", "JSON header cannot be parsed: " + e.getMessage(), e);
        }
        dataStart = 8 + headerLen;
        long dataLen = size - dataStart;
        Map<String, SafetensorsTensorInfo> infos = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : header.entrySet()) {
            String name = entry.getKey();
            JsonElement value = entry.getValue();
            if (name.equals(METADATA_KEY)) {
                if (!value.isJsonObject()) {
                    throw new CheckpointFormatException(file, METADATA_KEY, "must be a string map");
                }
                for (Map.Entry<String, JsonElement> m : value.getAsJsonObject().entrySet()) {
                    if (!m.getValue().isJsonPrimitive() || !m.getValue().getAsJsonPrimitive().isString()) {
                        throw new CheckpointFormatException(
                                file, METADATA_KEY + "." + m.getKey(), "metadata values must be strings");
                    }
                    meta.put(m.getKey(), m.getValue().getAsString());
                }
                continue;
            }
            infos.put(name, parseInfo(name, value, dataLen));
        }
        requireContiguous(infos.values(), dataLen);
        tensors = Collections.unmodifiableMap(infos);
        metadata = Collections.unmodifiableMap(meta);
    }

    /**
     * Requires the tensors to tile the data section exactly, as the reference implementation
     * does: overlapping tensors would share bytes, and gaps or a tail would hold data no tensor
     * describes.
     */
    private void requireContiguous(Collection<SafetensorsTensorInfo> infos, long dataLen)
            throws CheckpointFormatException {
        List<SafetensorsTensorInfo> sorted = new ArrayList<>(infos);
        sorted.sort(Comparator.comparingLong(SafetensorsTensorInfo::begin).thenComparingLong(SafetensorsTensorInfo::byteSize));
        long end = dataStart;
        for (SafetensorsTensorInfo t : sorted) {
            if (t.begin() != end) {
                throw new CheckpointFormatException(file, t.name(), "data_offsets start at "
                        + (t.begin() - dataStart) + " but the data before ends at " + (end - dataStart) + ": tensors "
                        + (t.begin() < end ? "overlap" : "leave a gap of bytes no tensor describes"));
            }
            end += t.byteSize();
        }
        if (end != dataStart + dataLen) {
            throw new CheckpointFormatException(file, "data", "tensors end at byte " + (end - dataStart) + " of the "
                    + dataLen + "-byte data section: the file holds data no tensor describes");
        }
    }

    private SafetensorsTensorInfo parseInfo(String name, JsonElement value, long dataLen)
            throws CheckpointFormatException {
        if (!value.isJsonObject()) {
            throw new CheckpointFormatException(file, name, "tensor entry is not a JSON object");
        }
        JsonObject o = value.getAsJsonObject();
        JsonElement dtypeEl = o.get("dtype");
        if (dtypeEl == null || !dtypeEl.isJsonPrimitive()) {
            throw new CheckpointFormatException(file, name, "tensor has no dtype");
        }
        String dtypeName = dtypeEl.getAsString();
        SafetensorsDtype dtype = SafetensorsDtype.of(dtypeName);
        if (dtype == null) {
            throw new CheckpointFormatException(
                    file, name, "unknown dtype '" + dtypeName + "'");
        }
        long[] shape = longArray(name, o.get("shape"), "shape", -1);
        long[] offs = longArray(name, o.get("data_offsets"), "data_offsets", 2);
        long numel = 1;
        for (long d : shape) {
            if (d < 0 || (d != 0 && numel > Long.MAX_VALUE / dtype.size() / d)) {
                throw new CheckpointFormatException(
                        file, name, "shape " + java.util.Arrays.toString(shape) + " is invalid or too large");
            }
            numel *= d;
        }
        long begin = offs[0];
        long end = offs[1];
        if (begin < 0 || end < begin || end > dataLen) {
            throw new CheckpointFormatException(
                    file,
                    name,
                    "data_offsets ["
                            + begin
                            + ", "
                            + end
                            + "] lie outside the "
                            + dataLen
                            + "-byte data section; the file is truncated or corrupt");
        }
        if (end - begin != numel * dtype.size()) {
            throw new CheckpointFormatException(
                    file,
                    name,
                    "data_offsets ["
                            + begin
                            + ", "
                            + end
                            + "] span "
                            + (end - begin)
                            + " bytes but "
                            + dtype
                            + " "
                            + java.util.Arrays.toString(shape)
                            + " needs "
                            + numel * dtype.size());
        }
        return new SafetensorsTensorInfo(name, dtype, shape, dataStart + begin, end - begin);
    }

    private long[] longArray(String name, JsonElement e, String field, int expectedLength)
            throws CheckpointFormatException {
        if (e == null || !e.isJsonArray()) {
            throw new CheckpointFormatException(file, name, "tensor has no " + field + " array");
        }
        JsonArray a = e.getAsJsonArray();
        if (expectedLength >= 0 && a.size() != expectedLength) {
            throw new CheckpointFormatException(
                    file, name, field + " must have " + expectedLength + " entries, has " + a.size());
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                JsonElement x = a.get(i);
                out[i] = x.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
            } catch (RuntimeException ex) {
                throw new CheckpointFormatException(
                        file, name, field + "[" + i + "] is not an integer: " + a.get(i), ex);
            }
        }
        return out;
    }

    /**
     * Opens a safetensors file and validates its header.
     *
     * @param file the file
     * @return the reader, which must be closed
     * @throws IOException if the file cannot be read or is malformed
     */
    public static SafetensorsReader open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new SafetensorsReader(file, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
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
     * Returns the tensor names in header order.
     *
     * @return the names
     */
    public List<String> tensorNames() {
        return List.copyOf(tensors.keySet());
    }

    /**
     * Tells whether the file has a tensor.
     *
     * @param name the tensor name
     * @return true if present
     */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /**
     * Returns a tensor's dtype, shape and location.
     *
     * @param name the tensor name
     * @return the info, or {@code null} if absent
     */
    public SafetensorsTensorInfo info(String name) {
        return tensors.get(name);
    }

    /**
     * Returns the {@code __metadata__} map.
     *
     * @return an unmodifiable map, empty if the file has none
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Reads a F32, F16 or BF16 tensor as floats in row-major order.
     *
     * @param name the tensor name
     * @return the values
     * @throws IOException if the tensor is missing, of another dtype or too large for an array
     */
    public float[] readFloats(String name) throws IOException {
        SafetensorsTensorInfo t = require(name);
        SafetensorsDtype dtype = t.dtype();
        if (!dtype.isReadableAsFloat()) {
            throw new CheckpointFormatException(
                    file, name, "dtype " + dtype + " cannot be read as floats (supported: F32, F16, BF16)");
        }
        long n = t.numElements();
        if (n > Integer.MAX_VALUE - 8) {
            throw new CheckpointFormatException(file, name, n + " values do not fit in one Java array");
        }
        float[] out = new float[(int) n];
        int size = dtype.size();
        long perChunk = READ_CHUNK_BYTES / size;
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(perChunk, n) * size).order(ByteOrder.LITTLE_ENDIAN);
        long done = 0;
        while (done < n) {
            int k = (int) Math.min(perChunk, n - done);
            chunk.clear().limit(k * size);
            readFully(chunk, t.begin() + done * size, name);
            chunk.flip();
            int o = (int) done;
            switch (dtype) {
                case F32:
                    chunk.asFloatBuffer().get(out, o, k);
                    break;
                case F16:
                    for (int i = 0; i < k; i++) {
                        out[o + i] = Float16.toFloat(chunk.getShort(2 * i));
                    }
                    break;
                default:
                    for (int i = 0; i < k; i++) {
                        out[o + i] = Float16.bf16ToFloat(chunk.getShort(2 * i));
                    }
                    break;
            }
            done += k;
        }
        return out;
    }

    /**
     * Fills {@code dst} from the file at {@code position}. Reading into the heap rather than
     * mapping keeps the file's pages out of the process's resident memory once a tensor is read
     * (a mapped 167 MB model stayed resident beside the arrays made from it).
     */
    private void readFully(ByteBuffer dst, long position, String name) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int r = channel.read(dst, at);
            if (r < 0) {
                throw new CheckpointFormatException(file, name, "the file ends inside the tensor's data");
            }
            at += r;
        }
    }

    /**
     * Reads a tensor's raw bytes (any dtype), e.g. packed quantized data.
     *
     * @param name the tensor name
     * @return the bytes, little-endian as stored
     * @throws IOException if the tensor is missing or larger than an array
     */
    public byte[] readBytes(String name) throws IOException {
        SafetensorsTensorInfo t = require(name);
        if (t.byteSize() > Integer.MAX_VALUE - 8) {
            throw new CheckpointFormatException(file, name, "tensor is larger than 2 GiB");
        }
        byte[] out = new byte[(int) t.byteSize()];
        if (out.length > 0) {
            readFully(ByteBuffer.wrap(out), t.begin(), name);
        }
        return out;
    }

    private SafetensorsTensorInfo require(String name) throws CheckpointFormatException {
        SafetensorsTensorInfo t = tensors.get(name);
        if (t == null) {
            throw new CheckpointFormatException(file, name, "no such tensor in the file");
        }
        return t;
    }

    private void readFully(ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new CheckpointFormatException(file, "unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
