package io.djlint4.engine;

import ai.djl.ndarray.NDArrayAdapter;

import java.lang.StackWalker.StackFrame;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Counts the operations Int4 arrays hand to the alternative (PyTorch) engine.
 *
 * <p>{@code NDArrayAdapter.getAlternativeArray()} is private, so the fallback cannot be hooked
 * directly; but every fallback copies the Int4 array through {@code toByteBuffer} from inside
 * that method, so {@link Int4NDArray#toByteBuffer(boolean)} asks this monitor to look at its
 * caller chain. The frame above the adapter's method names the operation.
 */
final class FallbackMonitor {

    private static final String ADAPTER = NDArrayAdapter.class.getName();
    private static final String ARRAY = Int4NDArray.class.getName();
    private static final String ARRAY_EX = Int4NDArrayEx.class.getName();
    private static final int MAX_DEPTH = 32;
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final LongAdder TOTAL = new LongAdder();
    private static final Map<String, LongAdder> BY_OPERATION = new ConcurrentHashMap<>();

    private FallbackMonitor() {}

    /** Records a fallback if the current thread is inside the adapter's fallback path. */
    static void recordIfFallback() {
        WALKER.walk(FallbackMonitor::fallbackOperation)
                .ifPresent(
                        operation -> {
                            TOTAL.increment();
                            BY_OPERATION
                                    .computeIfAbsent(operation, k -> new LongAdder())
                                    .increment();
                        });
    }

    /**
     * Returns the number of fallbacks recorded since the JVM started.
     *
     * @return the count
     */
    static long count() {
        return TOTAL.sum();
    }

    /**
     * Returns the fallbacks recorded so far per operation name.
     *
     * @return a sorted snapshot
     */
    static Map<String, Long> byOperation() {
        Map<String, Long> snapshot = new TreeMap<>();
        BY_OPERATION.forEach((operation, count) -> snapshot.put(operation, count.sum()));
        return snapshot;
    }

    /** Returns whether a frame is part of the route to the adapter rather than the operation. */
    private static boolean isPlumbing(StackFrame frame) {
        return "getNDArrayInternal".equals(frame.getMethodName())
                || ARRAY.equals(frame.getClassName())
                || (ARRAY_EX.equals(frame.getClassName())
                        && "fallback".equals(frame.getMethodName()));
    }

    private static Optional<String> fallbackOperation(Stream<StackFrame> frames) {
        Iterator<StackFrame> it = frames.limit(MAX_DEPTH).iterator();
        boolean inFallback = false;
        while (it.hasNext()) {
            StackFrame frame = it.next();
            if (!inFallback) {
                inFallback =
                        ADAPTER.equals(frame.getClassName())
                                && "getAlternativeArray".equals(frame.getMethodName());
            } else if (!isPlumbing(frame)) {
                return Optional.of(frame.getMethodName());
            }
        }
        return inFallback ? Optional.of("unknown") : Optional.empty();
    }
}
