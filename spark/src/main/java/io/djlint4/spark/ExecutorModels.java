package io.djlint4.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models loaded in this JVM, one per model key: every task of an executor (and, in a local
 * run, the whole application) shares one instance, since a {@link io.djlint4.model.DecoderModel}
 * holds no per-request state. A load that fails is not kept, so a retried task tries again.
 */
final class ExecutorModels {

    /** Loads a model; may throw, which fails the task. */
    @FunctionalInterface
    interface Loader<T> {
        /**
         * Loads the model.
         *
         * @return the model
         * @throws Exception when it cannot be loaded
         */
        T load() throws Exception;
    }

    private static final Map<String, Slot> SLOTS = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    /**
     * Returns the model of a key, loading it once for all tasks of this JVM.
     *
     * @param <T> the model's type
     * @param key the model key ({@link JobArguments#modelKey}) with what kind of model it is
     * @param type the model's class
     * @param loader loads the model when no task has yet
     * @return the model
     * @throws Exception when loading fails
     */
    static <T> T get(String key, Class<T> type, Loader<T> loader) throws Exception {
        Slot slot = SLOTS.computeIfAbsent(key + " as " + type.getName(), k -> new Slot());
        synchronized (slot) {
            if (slot.model == null) {
                slot.model = loader.load();
            }
            return type.cast(slot.model);
        }
    }

    /** One key's model; tasks wanting it wait on the slot while it loads. */
    private static final class Slot {
        private Object model;
    }
}
