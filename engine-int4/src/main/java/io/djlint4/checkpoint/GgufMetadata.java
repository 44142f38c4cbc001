package io.djlint4.checkpoint;

import java.nio.file.Path;
import java.util.Map;

/**
 * Typed access to GGUF metadata as returned by {@link GgufReader#metadata()}: integers of any GGUF
 * width, floats of either width and arrays of any integer type are accepted where the caller asks
 * for a long, a double or an {@code int[]}. Wrong types and out-of-range values fail with a {@link
 * CheckpointFormatException} naming the key.
 */
public final class GgufMetadata {

    private GgufMetadata() {}

    /**
     * Returns an integer value.
     *
     * @param file the file, named in errors
     * @param meta the metadata
     * @param key the key
     * @return the value, or {@code null} if absent
     * @throws CheckpointFormatException if the value is not an integer
     */
    public static Long optLong(Path file, Map<String, Object> meta, String key) throws CheckpointFormatException {
        Object v = meta.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        throw wrongType(file, key, v, "an integer");
    }

    /**
     * Returns a required integer value that fits in an int.
     *
     * @param file the file, named in errors
     * @param meta the metadata
     * @param key the key
     * @return the value
     * @throws CheckpointFormatException if absent, not an integer or out of int range
     */
    public static int requireInt(Path file, Map<String, Object> meta, String key) throws CheckpointFormatException {
        Integer v = optInt(file, meta, key);
        if (v == null) {
            throw new CheckpointFormatException(file, key, "required metadata key is missing");
        }
        return v;
    }

    /**
     * Returns an integer value that fits in an int.
     *
     * @param file the file, named in errors
     * @param meta the metadata
     * @param key the key
     * @return the value, or {@code null} if absent
     * @throws CheckpointFormatException if not an integer or out of int range
     */
    public static Integer optInt(Path file, Map<String, Object> meta, String key) throws CheckpointFormatException {
        Long v = optLong(file, meta, key);
        if (v == null) {
            return null;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CheckpointFormatException(file, key, "value " + v + " is out of range");
        }
        return v.intValue();
    }

    /**
     * Returns a floating-point value (an integer is accepted too). A float32 value is returned as
     * the double of its shortest decimal representation.
     *
     * @param file the file, named in errors
     * @param meta the metadata
     * @param key the key
     * @return the value, or {@code null} if absent
     * @throws CheckpointFormatException if not a number
     */
    public static Double optDouble(Path file, Map<String, Object> meta, String key) throws CheckpointFormatException {
        Object v = meta.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Float f) {
            // A float32 field holds the nearest float to what the writer meant (1e-5, not
            // 9.99999974e-6): take its shortest decimal form.
            return Double.parseDouble(Float.toString(f));
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw wrongType(file, key, v, "a number");
    }

    /**
     * Returns a string value.
     *
     * @param file the file, named in errors
     * @param meta the metadata
     * @param key the key
     * @return the value, or {@code null} if absent
     * @throws CheckpointFormatException if not a string
     */
    public static String optString(Path file, Map<String, Object> meta, String key) throws CheckpointFormatException {
        Object v = meta.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw wrongType(file, key, v, "a string");
    }

    /**
     * Returns a boolean value.
     *
     * @param file the file, named in errors
     * @param meta the metadata
     * @param key the key
     * @return the value, or {@code null} if absent
     * @throws CheckpointFormatException if not a boolean
     */
    public static Boolean optBoolean(Path file, Map<String, Object> meta, String key) throws CheckpointFormatException {
        Object v = meta.get(key);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        throw wrongType(file, key, v, "a boolean");
    }

    /**
     * Returns a string array.
     *
     * @param file the file, named in errors
     * @param meta the metadata
     * @param key the key
     * @return the array (not copied), or {@code null} if absent
     * @throws CheckpointFormatException if not a string array
     */
    public static String[] optStringArray(Path file, Map<String, Object> meta, String key) throws CheckpointFormatException {
        Object v = meta.get(key);
        if (v == null || v instanceof String[]) {
            return (String[]) v;
        }
        throw wrongType(file, key, v, "a string array");
    }

    /**
     * Returns a float array (a float64 array is narrowed).
     *
     * @param file the file, named in errors
     * @param meta the metadata
     * @param key the key
     * @return a new array, or {@code null} if absent
     * @throws CheckpointFormatException if not a floating-point array
     */
    public static float[] optFloatArray(Path file, Map<String, Object> meta, String key) throws CheckpointFormatException {
        Object v = meta.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof float[] f) {
            return f.clone();
        }
        if (v instanceof double[] d) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        throw wrongType(file, key, v, "a float array");
    }

    /**
     * Returns an integer array of any GGUF integer element type as ints; an integer scalar becomes
     * a one-element array.
     *
     * @param file the file, named in errors
     * @param meta the metadata
     * @param key the key
     * @return a new array, or {@code null} if absent
     * @throws CheckpointFormatException if not integers or out of int range
     */
    public static int[] optIntArray(Path file, Map<String, Object> meta, String key) throws CheckpointFormatException {
        Object v = meta.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof int[] a) {
            return a.clone();
        }
        if (v instanceof Integer || v instanceof Long) {
            return new int[] {optInt(file, meta, key)};
        }
        if (v instanceof long[] a) {
            int[] out = new int[a.length];
            for (int i = 0; i < a.length; i++) {
                if (a[i] < Integer.MIN_VALUE || a[i] > Integer.MAX_VALUE) {
                    throw new CheckpointFormatException(
                            file, key, "element " + i + " (" + a[i] + ") is out of range");
                }
                out[i] = (int) a[i];
            }
            return out;
        }
        throw wrongType(file, key, v, "an integer array");
    }

    private static CheckpointFormatException wrongType(Path file, String key, Object v, String expected) {
        return new CheckpointFormatException(
                file, key, "expected " + expected + ", found " + v.getClass().getSimpleName());
    }
}
