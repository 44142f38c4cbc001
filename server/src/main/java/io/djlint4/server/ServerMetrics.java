package io.djlint4.server;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters and gauges, rendered in the Prometheus text exposition format by {@link
 * #render()}: requests by endpoint and status, prompt and generated tokens, queue depth, batch
 * size, time to first token and decode tokens/s. Safe for concurrent use.
 */
public final class ServerMetrics {

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder generatedTokens = new LongAdder();
    private final LongAdder steps = new LongAdder();
    private final LongAdder stepSequences = new LongAdder();
    private final DoubleAdder stepSeconds = new DoubleAdder();
    private final LongAdder firstTokens = new LongAdder();
    private final DoubleAdder firstTokenSeconds = new DoubleAdder();
    private final AtomicLong queueDepth = new AtomicLong();
    private final AtomicLong batchSize = new AtomicLong();
    private volatile double tokensPerSecond;

    /**
     * Counts one answered HTTP request.
     *
     * @param endpoint the path, e.g. {@code /v1/completions}
     * @param status the HTTP status sent
     */
    public void recordRequest(String endpoint, int status) {
        requests.computeIfAbsent(endpoint + "\u0000" + status, k -> new LongAdder()).increment();
    }

    void setQueueDepth(int depth) {
        queueDepth.set(depth);
    }

    void recordStep(int sequences, long nanos) {
        steps.increment();
        stepSequences.add(sequences);
        stepSeconds.add(nanos / 1e9);
        batchSize.set(sequences);
        tokensPerSecond = nanos <= 0 ? 0 : sequences * 1e9 / nanos;
    }

    /** Counts a generated token; the first token of a sequence also counts its prompt and time to first token. */
    void recordToken(long timeToFirstTokenNanos, int promptLength) {
        generatedTokens.increment();
        if (timeToFirstTokenNanos >= 0) {
            promptTokens.add(promptLength);
            firstTokens.increment();
            firstTokenSeconds.add(timeToFirstTokenNanos / 1e9);
        }
    }

    /**
     * Renders every metric in the Prometheus text format (version 0.0.4).
     *
     * @return the exposition text
     */
    public String render() {
        StringBuilder b = new StringBuilder();
        header(b, "int4_requests_total", "counter", "HTTP requests answered, by endpoint and status");
        Map<String, Long> sorted = new TreeMap<>();
        requests.forEach((k, v) -> sorted.put(k, v.sum()));
        sorted.forEach((k, v) -> {
            String[] parts = k.split("\u0000", 2);
            b.append("int4_requests_total{endpoint=\"").append(escape(parts[0])).append("\",status=\"")
                    .append(parts[1]).append("\"} ").append(v).append('\n');
        });
        counter(b, "int4_prompt_tokens_total", "prompt tokens read", promptTokens.sum());
        counter(b, "int4_generated_tokens_total", "tokens generated", generatedTokens.sum());
        counter(b, "int4_steps_total", "forward passes (scheduler steps)", steps.sum());
        counter(b, "int4_step_sequences_total", "sequences summed over steps (divided by steps: the mean batch size)",
                stepSequences.sum());
        counter(b, "int4_step_seconds_total", "time spent in forward passes and sampling", stepSeconds.sum());
        gauge(b, "int4_queue_depth", "requests waiting for a slot", queueDepth.get());
        gauge(b, "int4_batch_size", "sequences in the last step", batchSize.get());
        gauge(b, "int4_decode_tokens_per_second", "tokens per second of the last step", tokensPerSecond);
        header(b, "int4_time_to_first_token_seconds", "summary", "time from submission to the first token");
        b.append("int4_time_to_first_token_seconds_sum ").append(number(firstTokenSeconds.sum())).append('\n');
        b.append("int4_time_to_first_token_seconds_count ").append(firstTokens.sum()).append('\n');
        return b.toString();
    }

    private static void counter(StringBuilder b, String name, String help, double value) {
        header(b, name, "counter", help);
        b.append(name).append(' ').append(number(value)).append('\n');
    }

    private static void gauge(StringBuilder b, String name, String help, double value) {
        header(b, name, "gauge", help);
        b.append(name).append(' ').append(number(value)).append('\n');
    }

    private static void header(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
