package io.djlint4.tokenizer;

import java.lang.reflect.Array;
import java.util.List;
import java.util.Map;

/**
 * Typed, validated access to the {@code tokenizer.ggml.*} entries of GGUF metadata. Arrays may
 * arrive as Java arrays or as Lists, numbers as any boxed {@link Number}, so any GGUF reader's
 * representation fits. Every error names the key and the source.
 */
final class GgufTokenizerMetadata {

    private final Map<String, ?> metadata;
    private final String source;

    GgufTokenizerMetadata(Map<String, ?> metadata, String source) {
        this.metadata = metadata;
        this.source = source;
    }

    String source() {
        return source;
    }

    boolean has(String key) {
        return metadata.get(key) != null;
    }

    String requireString(String key) throws TokenizerFormatException {
        Object value = require(key);
        if (!(value instanceof String)) {
            throw wrongType(key, value, "a string");
        }
        return (String) value;
    }

    String optionalString(String key) throws TokenizerFormatException {
        return has(key) ? requireString(key) : null;
    }

    String[] requireStrings(String key) throws TokenizerFormatException {
        Object value = require(key);
        Object[] items = value instanceof List ? ((List<?>) value).toArray() : null;
        if (value instanceof Object[]) {
            items = (Object[]) value;
        }
        if (items == null) {
            throw wrongType(key, value, "an array or List of strings");
        }
        String[] strings = new String[items.length];
        for (int i = 0; i < items.length; i++) {
            if (!(items[i] instanceof String)) {
                throw wrongType(key + "[" + i + "]", items[i], "a string");
            }
            strings[i] = (String) items[i];
        }
        return strings;
    }

    float[] requireFloats(String key, int expectedLength) throws TokenizerFormatException {
        Object value = require(key);
        float[] floats;
        if (value instanceof float[]) {
            floats = ((float[]) value).clone();
        } else if (value instanceof double[]) {
            double[] doubles = (double[]) value;
            floats = new float[doubles.length];
            for (int i = 0; i < doubles.length; i++) {
                floats[i] = (float) doubles[i];
            }
        } else {
            Object[] items = boxedItems(key, value, "an array or List of numbers");
            floats = new float[items.length];
            for (int i = 0; i < items.length; i++) {
                floats[i] = number(key + "[" + i + "]", items[i]).floatValue();
            }
        }
        checkLength(key, floats.length, expectedLength);
        return floats;
    }

    int[] optionalInts(String key, int expectedLength) throws TokenizerFormatException {
        if (!has(key)) {
            return null;
        }
        Object value = metadata.get(key);
        int[] ints;
        if (value instanceof int[]) {
            ints = ((int[]) value).clone();
        } else if (value instanceof long[] || value instanceof short[] || value instanceof byte[]) {
            ints = new int[Array.getLength(value)];
            for (int i = 0; i < ints.length; i++) {
                ints[i] = toInt(key + "[" + i + "]", (Number) Array.get(value, i));
            }
        } else {
            Object[] items = boxedItems(key, value, "an array or List of integers");
            ints = new int[items.length];
            for (int i = 0; i < items.length; i++) {
                ints[i] = toInt(key + "[" + i + "]", number(key + "[" + i + "]", items[i]));
            }
        }
        checkLength(key, ints.length, expectedLength);
        return ints;
    }

    /** Reads an optional token id and checks it against the vocabulary size; -1 when absent. */
    int optionalTokenId(String key, int vocabSize) throws TokenizerFormatException {
        if (!has(key)) {
            return -1;
        }
        int id = toInt(key, number(key, metadata.get(key)));
        if (id < 0 || id >= vocabSize) {
            throw new TokenizerFormatException(
                    source, "'" + key + "' = " + id + " is outside the vocabulary of " + vocabSize + " tokens");
        }
        return id;
    }

    boolean optionalBoolean(String key, boolean fallback) throws TokenizerFormatException {
        if (!has(key)) {
            return fallback;
        }
        Object value = metadata.get(key);
        if (!(value instanceof Boolean)) {
            throw wrongType(key, value, "a boolean");
        }
        return (Boolean) value;
    }

    private Object require(String key) throws TokenizerFormatException {
        Object value = metadata.get(key);
        if (value == null) {
            throw new TokenizerFormatException(source, "missing metadata key '" + key + "'");
        }
        return value;
    }

    private Object[] boxedItems(String key, Object value, String expected) throws TokenizerFormatException {
        if (value instanceof List) {
            return ((List<?>) value).toArray();
        }
        if (value instanceof Number[]) {
            return (Object[]) value;
        }
        throw wrongType(key, value, expected);
    }

    private Number number(String key, Object value) throws TokenizerFormatException {
        if (!(value instanceof Number)) {
            throw wrongType(key, value, "a number");
        }
        return (Number) value;
    }

    private int toInt(String key, Number number) throws TokenizerFormatException {
        long value = number.longValue();
        if (value != number.doubleValue() || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new TokenizerFormatException(source, "'" + key + "' = " + number + " is not a 32-bit integer");
        }
        return (int) value;
    }

    private void checkLength(String key, int length, int expected) throws TokenizerFormatException {
        if (length != expected) {
            throw new TokenizerFormatException(
                    source, "'" + key + "' has " + length + " entries but tokenizer.ggml.tokens has " + expected);
        }
    }

    private TokenizerFormatException wrongType(String key, Object value, String expected) {
        String actual = value == null ? "null" : value.getClass().getSimpleName();
        return new TokenizerFormatException(source, "'" + key + "' is " + actual + ", expected " + expected);
    }
}
