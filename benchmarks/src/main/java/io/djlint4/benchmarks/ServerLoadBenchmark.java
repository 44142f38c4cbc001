package io.djlint4.benchmarks;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Load on an OpenAI-compatible server ({@code int4 serve}, llama.cpp's {@code llama-server}, ...):
 * for each level of concurrency, that many clients each stream {@code --rounds} greedy
 * {@code /v1/completions} requests of {@code --max-tokens} tokens ({@code ignore_eos}) back to back;
 * the level's aggregate tokens/s is every generated token over the level's wall time. Level 1 is
 * the sequential baseline; one unreported round at the widest level warms the server up first.
 * Prints one markdown table row per level. Not a test: run it by hand against a running server.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.djlint4.benchmarks.ServerLoadBenchmark \
 *     --url http://127.0.0.1:8080 --model NAME [--streams 1,4,8,16] [--max-tokens 64] [--rounds 2]
 * </pre>
 */
public final class ServerLoadBenchmark {

    /** Story openings: each request takes the next, so concurrent requests differ. */
    private static final String[] PROMPTS = {
        "Once upon a time, in a small village by the sea,", "The old lighthouse keeper looked at the storm and",
        "In the year 2150, the first city on Mars", "My grandmother's recipe for apple pie begins with",
        "The detective opened the door and saw", "Deep in the forest, a young fox", "The train left the station at midnight, and",
        "When the robot woke up for the first time,", "The history of the printing press", "On the first day of school, Maria",
        "The mountain climbers reached the summit just as", "A letter arrived with no return address;",
        "The scientist stared at the results of the experiment:", "Every summer, the children of the town",
        "The king called his three daughters and said", "Under the bridge lived a troll who",
    };

    private static final Gson GSON = new Gson();

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
    private final String url;
    private final String model;
    private final int maxTokens;

    private ServerLoadBenchmark(String url, String model, int maxTokens) {
        this.url = url;
        this.model = model;
        this.maxTokens = maxTokens;
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code --url URL --model NAME [--streams 1,4,8,16] [--max-tokens 64] [--rounds 2]}
     * @throws Exception when a request fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        if (!o.containsKey("url") || !o.containsKey("model")) {
            System.err.println("usage: ServerLoadBenchmark --url URL --model NAME [--streams 1,4,8,16] [--max-tokens 64] [--rounds 2]");
            System.exit(2);
        }
        ServerLoadBenchmark bench = new ServerLoadBenchmark(
                o.get("url"), o.get("model"), Integer.parseInt(o.getOrDefault("max-tokens", "64")));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "2"));
        String[] levels = o.getOrDefault("streams", "1,4,8,16").split(",");
        int most = 1;
        for (String level : levels) {
            most = Math.max(most, Integer.parseInt(level.trim()));
        }
        bench.level(most, 1); // warm-up at the widest batch: JIT of every batched path, caches
        System.out.println("| streams | requests | generated tokens | wall s | aggregate tokens/s | vs 1 stream | mean time to first token ms |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        double single = 0;
        for (String level : levels) {
            Level r = bench.level(Integer.parseInt(level.trim()), rounds);
            if (single == 0) {
                single = r.tokensPerSecond();
            }
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %.2f | %.1f | %.2fx | %.0f |%n", r.streams, r.requests, r.tokens,
                    r.seconds, r.tokensPerSecond(), r.tokensPerSecond() / single, r.meanFirstTokenMillis);
        }
    }

    /** One level's totals. */
    private record Level(int streams, int requests, long tokens, double seconds, double meanFirstTokenMillis) {
        double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /** What one streamed request produced. */
    private record Result(int tokens, double firstTokenMillis) {}

    private Level level(int streams, int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        try {
            long start = System.nanoTime();
            List<Future<List<Result>>> clients = new ArrayList<>();
            for (int c = 0; c < streams; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    List<Result> results = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        results.add(request(client * rounds + r));
                    }
                    return results;
                }));
            }
            long tokens = 0;
            double firstTokens = 0;
            int requests = 0;
            for (Future<List<Result>> f : clients) {
                for (Result r : f.get()) {
                    tokens += r.tokens;
                    firstTokens += r.firstTokenMillis;
                    requests++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Level(streams, requests, tokens, seconds, firstTokens / requests);
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Streams one greedy completion; counts tokens from the usage chunk, or one per text chunk
     * when the server sends none.
     */
    private Result request(int index) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("prompt", PROMPTS[index % PROMPTS.length]);
        body.put("max_tokens", maxTokens);
        body.put("temperature", 0);
        // every request generates max_tokens tokens on every server, so servers whose models end
        // their texts at different places still do the same work and keep their batches full
        body.put("ignore_eos", true);
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/completions"))
                .timeout(Duration.ofMinutes(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GSON.toJson(body)))
                .build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            // A server may close a kept-alive connection the client is about to reuse (llama-server
            // does under this load): nothing was answered, so the request is sent again once.
            start = System.nanoTime();
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        }
        if (response.statusCode() != 200) {
            throw new IOException("status " + response.statusCode() + ": "
                    + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        int chunks = 0;
        int usageTokens = -1;
        double firstTokenMillis = -1;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                JsonObject chunk = JsonParser.parseString(line.substring(6)).getAsJsonObject();
                JsonElement usage = chunk.get("usage");
                if (usage != null && usage.isJsonObject()) {
                    usageTokens = usage.getAsJsonObject().get("completion_tokens").getAsInt();
                }
                if (chunk.has("choices") && !chunk.getAsJsonArray("choices").isEmpty()) {
                    JsonElement text = chunk.getAsJsonArray("choices").get(0).getAsJsonObject().get("text");
                    if (text != null && text.isJsonPrimitive() && !text.getAsString().isEmpty()) {
                        chunks++;
                        if (firstTokenMillis < 0) {
                            firstTokenMillis = (System.nanoTime() - start) / 1e6;
                        }
                    }
                }
            }
        }
        return new Result(usageTokens >= 0 ? usageTokens : chunks, Math.max(firstTokenMillis, 0));
    }
}
