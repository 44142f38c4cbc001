package io.djlint4.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlint4.generation.GenerationConfig;
import io.djlint4.generation.GenerationResult;
import io.djlint4.generation.SamplingConfig;
import io.djlint4.tokenizer.ChatMlTemplate;
import java.io.BufferedReader;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The OpenAI endpoints over HTTP on 127.0.0.1 with stories260K, driven by java.net.http: both
 * completion endpoints streamed and not, their parameters, every refusal, 16 concurrent clients,
 * disconnects, metrics. One server serves the class; tests that need other limits start their own.
 */
class OpenAiServerTest {

    private static final int CONTEXT = 256;
    private static final Gson GSON = new Gson();

    private static StoriesModel stories;
    private static Int4Server server;
    private static HttpDriver http;

    @BeforeAll
    static void start() throws Exception {
        stories = StoriesModel.load();
        server = Int4Server.start(stories.served(), new ServerSettings("127.0.0.1", 0, 16, 64, CONTEXT, Duration.ofMinutes(2)));
        http = new HttpDriver(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A JSON body from alternating names and values. */
    static String body(Object... fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            m.put((String) fields[i], fields[i + 1]);
        }
        return GSON.toJson(m);
    }

    private static List<Map<String, String>> user(String text) {
        return List.of(Map.of("role", "user", "content", text));
    }

    @Test
    void completionsGiveTheGreedyTextOfThePromptAloneWithTokenCounts() throws Exception {
        HttpResponse<String> r = http.post(OpenAiHandler.COMPLETIONS,
                body("model", StoriesModel.NAME, "prompt", "Once upon a time", "max_tokens", 40, "temperature", 0));
        assertEquals(200, r.statusCode(), r.body());
        JsonObject o = HttpDriver.json(r);
        GenerationResult expected = stories.alone(stories.encode("Once upon a time"), 40);
        JsonObject choice = o.getAsJsonArray("choices").get(0).getAsJsonObject();
        assertEquals("text_completion", o.get("object").getAsString());
        assertEquals(StoriesModel.NAME, o.get("model").getAsString());
        assertEquals(expected.text(), choice.get("text").getAsString());
        assertEquals(expected.stopReason() == io.djlint4.generation.StopReason.MAX_TOKENS ? "length" : "stop",
                choice.get("finish_reason").getAsString());
        JsonObject usage = o.getAsJsonObject("usage");
        assertEquals(expected.promptIds().length, usage.get("prompt_tokens").getAsInt());
        assertEquals(expected.tokens().length, usage.get("completion_tokens").getAsInt());
        assertEquals(expected.promptIds().length + expected.tokens().length, usage.get("total_tokens").getAsInt());
    }

    @Test
    void ignoreEosGeneratesEveryRequestedToken() throws Exception {
        // stories260K rarely ends a text by itself: serve it with its full stop as the end of text
        int fullStop = stories.encode("Once upon a time.")[stories.encode("Once upon a time").length];
        ServedModel endsAtFullStop = new ServedModel(StoriesModel.NAME, stories.decoder, stories.tokenizer,
                new ChatMlTemplate(), new int[] {fullStop});
        try (Int4Server small = Int4Server.start(endsAtFullStop,
                new ServerSettings("127.0.0.1", 0, 2, 2, CONTEXT, Duration.ofMinutes(1)))) {
            HttpDriver client = new HttpDriver(small.port());
            JsonObject ended = HttpDriver.json(client.post(OpenAiHandler.COMPLETIONS, body("model", StoriesModel.NAME,
                    "prompt", "Once upon a time", "max_tokens", 120, "temperature", 0)));
            JsonObject endedChoice = ended.getAsJsonArray("choices").get(0).getAsJsonObject();
            assertEquals("stop", endedChoice.get("finish_reason").getAsString(), ended::toString);
            assertTrue(ended.getAsJsonObject("usage").get("completion_tokens").getAsInt() < 120, ended::toString);

            HttpResponse<String> r = client.post(OpenAiHandler.COMPLETIONS, body("model", StoriesModel.NAME,
                    "prompt", "Once upon a time", "max_tokens", 120, "temperature", 0, "ignore_eos", true));
            assertEquals(200, r.statusCode(), r.body());
            JsonObject o = HttpDriver.json(r);
            JsonObject choice = o.getAsJsonArray("choices").get(0).getAsJsonObject();
            assertEquals("length", choice.get("finish_reason").getAsString());
            assertEquals(120, o.getAsJsonObject("usage").get("completion_tokens").getAsInt());
            assertTrue(choice.get("text").getAsString().startsWith(endedChoice.get("text").getAsString()), o::toString);
            HttpResponse<String> bad = client.post(OpenAiHandler.COMPLETIONS, body("model", StoriesModel.NAME,
                    "prompt", "Once upon a time", "ignore_eos", "yes"));
            assertEquals(400, bad.statusCode());
            assertEquals("ignore_eos", HttpDriver.json(bad).getAsJsonObject("error").get("param").getAsString());
        }
    }

    @Test
    void aStreamedCompletionSendsTheSameTextAsChunksThenUsageThenDone() throws Exception {
        String prompt = "The little dog";
        String whole = HttpDriver.json(http.post(OpenAiHandler.COMPLETIONS, body("model", StoriesModel.NAME,
                "prompt", prompt, "max_tokens", 30, "temperature", 0))).getAsJsonArray("choices").get(0)
                .getAsJsonObject().get("text").getAsString();
        HttpResponse<String> r = http.post(OpenAiHandler.COMPLETIONS, body("model", StoriesModel.NAME, "prompt", prompt,
                "max_tokens", 30, "temperature", 0, "stream", true, "stream_options", Map.of("include_usage", true)));
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String> events = HttpDriver.events(r.body());
        assertEquals("[DONE]", events.get(events.size() - 1));
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String e : events.subList(0, events.size() - 2)) {
            JsonObject chunk = JsonParser.parseString(e).getAsJsonObject();
            assertEquals("text_completion", chunk.get("object").getAsString());
            JsonObject choice = chunk.getAsJsonArray("choices").get(0).getAsJsonObject();
            text.append(choice.get("text").getAsString());
            if (!choice.get("finish_reason").isJsonNull()) {
                finish = choice.get("finish_reason").getAsString();
            }
        }
        assertEquals(whole, text.toString());
        assertEquals("length", finish);
        JsonObject usage = JsonParser.parseString(events.get(events.size() - 2)).getAsJsonObject().getAsJsonObject("usage");
        assertEquals(30, usage.get("completion_tokens").getAsInt());
    }

    @Test
    void chatCompletionsRenderTheTemplateStreamedAndNot() throws Exception {
        int[] promptIds = stories.served().chatTemplate()
                .prompt(List.of(io.djlint4.tokenizer.ChatMessage.user("Tell me a story")), true).encode(stories.tokenizer);
        GenerationResult expected = stories.alone(promptIds, 24);
        HttpResponse<String> r = http.post(OpenAiHandler.CHAT_COMPLETIONS, body("model", StoriesModel.NAME,
                "messages", user("Tell me a story"), "max_tokens", 24, "temperature", 0));
        assertEquals(200, r.statusCode(), r.body());
        JsonObject o = HttpDriver.json(r);
        assertEquals("chat.completion", o.get("object").getAsString());
        JsonObject message = o.getAsJsonArray("choices").get(0).getAsJsonObject().getAsJsonObject("message");
        assertEquals("assistant", message.get("role").getAsString());
        assertEquals(expected.text(), message.get("content").getAsString());
        assertEquals(promptIds.length, o.getAsJsonObject("usage").get("prompt_tokens").getAsInt());

        List<String> events = HttpDriver.events(http.post(OpenAiHandler.CHAT_COMPLETIONS, body("model", StoriesModel.NAME,
                "messages", user("Tell me a story"), "max_completion_tokens", 24, "temperature", 0, "stream", true)).body());
        JsonObject first = JsonParser.parseString(events.get(0)).getAsJsonObject();
        assertEquals("chat.completion.chunk", first.get("object").getAsString());
        assertEquals("assistant", first.getAsJsonArray("choices").get(0).getAsJsonObject()
                .getAsJsonObject("delta").get("role").getAsString());
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(1, events.size() - 1)) {
            JsonObject delta = JsonParser.parseString(e).getAsJsonObject().getAsJsonArray("choices").get(0)
                    .getAsJsonObject().getAsJsonObject("delta");
            if (delta.has("content")) {
                text.append(delta.get("content").getAsString());
            }
        }
        assertEquals(expected.text(), text.toString());
        JsonObject last = JsonParser.parseString(events.get(events.size() - 2)).getAsJsonObject();
        assertEquals("length", last.getAsJsonArray("choices").get(0).getAsJsonObject().get("finish_reason").getAsString());
    }

    @Test
    void aStopStringCutsTheTextBeforeIt() throws Exception {
        GenerationResult expected = stories.alone(stories.encode("Once upon a time"), 40);
        String text = expected.text();
        String stop = text.substring(text.length() / 2, text.length() / 2 + 3);
        String cut = text.substring(0, text.indexOf(stop));
        for (boolean stream : new boolean[] {false, true}) {
            HttpResponse<String> r = http.post(OpenAiHandler.COMPLETIONS, body("model", StoriesModel.NAME, "prompt",
                    "Once upon a time", "max_tokens", 40, "temperature", 0, "stop", List.of(stop), "stream", stream));
            String got;
            String finish;
            if (stream) {
                List<String> events = HttpDriver.events(r.body());
                StringBuilder b = new StringBuilder();
                finish = null;
                for (String e : events.subList(0, events.size() - 1)) {
                    JsonObject c = JsonParser.parseString(e).getAsJsonObject().getAsJsonArray("choices").get(0).getAsJsonObject();
                    b.append(c.get("text").getAsString());
                    finish = c.get("finish_reason").isJsonNull() ? finish : c.get("finish_reason").getAsString();
                }
                got = b.toString();
            } else {
                JsonObject c = HttpDriver.json(r).getAsJsonArray("choices").get(0).getAsJsonObject();
                got = c.get("text").getAsString();
                finish = c.get("finish_reason").getAsString();
            }
            assertEquals(cut, got, "stop " + stop + ", stream " + stream);
            assertEquals("stop", finish);
        }
    }

    @Test
    void theSameSeedSamplesTheSameTextAndTopPIsHonoured() throws Exception {
        String request = body("model", StoriesModel.NAME, "prompt", "Once upon a time", "max_tokens", 30,
                "temperature", 1.0, "top_p", 0.9, "seed", 1234);
        String a = HttpDriver.json(http.post(OpenAiHandler.COMPLETIONS, request)).toString();
        String b = HttpDriver.json(http.post(OpenAiHandler.COMPLETIONS, request)).toString();
        assertEquals(text(a), text(b));
        String greedy = text(HttpDriver.json(http.post(OpenAiHandler.COMPLETIONS, body("model", StoriesModel.NAME,
                "prompt", "Once upon a time", "max_tokens", 30, "temperature", 0))).toString());
        String narrow = text(HttpDriver.json(http.post(OpenAiHandler.COMPLETIONS, body("model", StoriesModel.NAME,
                "prompt", "Once upon a time", "max_tokens", 30, "temperature", 1.0, "top_p", 1e-9, "seed", 99))).toString());
        assertEquals(greedy, narrow, "a nucleus of one token is the arg max");
    }

    private static String text(String response) {
        return JsonParser.parseString(response).getAsJsonObject().getAsJsonArray("choices").get(0).getAsJsonObject()
                .get("text").getAsString();
    }

    @Test
    void modelsAndHealthAnswer() throws Exception {
        JsonObject models = HttpDriver.json(http.get("/v1/models"));
        assertEquals("list", models.get("object").getAsString());
        assertEquals(StoriesModel.NAME, models.getAsJsonArray("data").get(0).getAsJsonObject().get("id").getAsString());
        HttpResponse<String> health = http.get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("ok", HttpDriver.json(health).get("status").getAsString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad JSON | /v1/completions | {\"model\": | 400 | | invalid_json",
        "not an object | /v1/completions | [1,2] | 400 | | invalid_json",
        "unknown model | /v1/completions | {\"model\":\"gpt-4\",\"prompt\":\"a\"} | 400 | model | model_not_found",
        "no model | /v1/completions | {\"prompt\":\"a\"} | 400 | model | invalid_value",
        "no prompt | /v1/completions | {\"model\":\"stories260K\"} | 400 | prompt | invalid_value",
        "prompt of a number | /v1/completions | {\"model\":\"stories260K\",\"prompt\":5} | 400 | prompt | invalid_value",
        "token outside the vocabulary | /v1/completions | {\"model\":\"stories260K\",\"prompt\":[1,99999]} | 400 | prompt[1] | invalid_value",
        "max_tokens of text | /v1/completions | {\"model\":\"stories260K\",\"prompt\":\"a\",\"max_tokens\":\"ten\"} | 400 | max_tokens | invalid_value",
        "max_tokens zero | /v1/completions | {\"model\":\"stories260K\",\"prompt\":\"a\",\"max_tokens\":0} | 400 | max_tokens | invalid_value",
        "max_tokens fractional | /v1/completions | {\"model\":\"stories260K\",\"prompt\":\"a\",\"max_tokens\":1.5} | 400 | max_tokens | invalid_value",
        "past the context | /v1/completions | {\"model\":\"stories260K\",\"prompt\":\"a\",\"max_tokens\":300} | 400 | max_tokens | context_length_exceeded",
        "negative temperature | /v1/completions | {\"model\":\"stories260K\",\"prompt\":\"a\",\"temperature\":-1} | 400 | temperature | invalid_value",
        "temperature of text | /v1/completions | {\"model\":\"stories260K\",\"prompt\":\"a\",\"temperature\":\"hot\"} | 400 | temperature | invalid_value",
        "top_p zero | /v1/completions | {\"model\":\"stories260K\",\"prompt\":\"a\",\"top_p\":0} | 400 | top_p | invalid_value",
        "seed fractional | /v1/completions | {\"model\":\"stories260K\",\"prompt\":\"a\",\"seed\":0.5} | 400 | seed | invalid_value",
        "n of 2 | /v1/completions | {\"model\":\"stories260K\",\"prompt\":\"a\",\"n\":2} | 400 | n | invalid_value",
        "stop of a number | /v1/completions | {\"model\":\"stories260K\",\"prompt\":\"a\",\"stop\":3} | 400 | stop | invalid_value",
        "five stop strings | /v1/completions | {\"model\":\"stories260K\",\"prompt\":\"a\",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]} | 400 | stop | invalid_value",
        "stream of text | /v1/completions | {\"model\":\"stories260K\",\"prompt\":\"a\",\"stream\":\"yes\"} | 400 | stream | invalid_value",
        "stream_options without stream | /v1/completions | {\"model\":\"stories260K\",\"prompt\":\"a\",\"stream_options\":{}} | 400 | stream_options | invalid_value",
        "no messages | /v1/chat/completions | {\"model\":\"stories260K\"} | 400 | messages | invalid_value",
        "empty messages | /v1/chat/completions | {\"model\":\"stories260K\",\"messages\":[]} | 400 | messages | invalid_value",
        "unknown role | /v1/chat/completions | {\"model\":\"stories260K\",\"messages\":[{\"role\":\"robot\",\"content\":\"a\"}]} | 400 | messages[0].role | invalid_value",
        "content of a number | /v1/chat/completions | {\"model\":\"stories260K\",\"messages\":[{\"role\":\"user\",\"content\":1}]} | 400 | messages[0].content | invalid_value",
        "unknown path | /v1/embeddings | {} | 404 | | not_found",
    })
    void aBadRequestGetsAnOpenAiErrorNamingTheFieldAndTheServerGoesOn(
            String what, String path, String requestBody, int status, String param, String code) throws Exception {
        HttpResponse<String> r = http.post(path, requestBody);
        assertEquals(status, r.statusCode(), what + ": " + r.body());
        JsonObject error = HttpDriver.json(r).getAsJsonObject("error");
        assertEquals(code, error.get("code").getAsString(), what);
        assertFalse(error.get("message").getAsString().isBlank());
        if (param == null) {
            assertTrue(error.get("param").isJsonNull(), what);
        } else {
            assertEquals(param, error.get("param").getAsString(), what);
        }
        assertEquals(200, http.get("/health").statusCode());
    }

    @Test
    void aWrongMethodGets405() throws Exception {
        HttpResponse<String> r = http.get(OpenAiHandler.COMPLETIONS);
        assertEquals(405, r.statusCode());
        assertEquals("method_not_allowed", HttpDriver.json(r).getAsJsonObject("error").get("code").getAsString());
    }

    @Test
    void sixteenConcurrentClientsGetTheirSingleRequestOutputs() throws Exception {
        List<String> prompts = new ArrayList<>();
        String[] starts = {"Once upon a time", "The cat", "Lily", "Tom and Sue", "One day", "A big dog", "The sun",
            "Ben wanted", "Mom said", "The little girl", "There was a bird", "Sam", "The park", "In the house",
            "A boy named Max", "The tree"};
        for (String s : starts) {
            prompts.add(s);
        }
        List<String> alone = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            alone.add(text(http.post(OpenAiHandler.COMPLETIONS, request(prompts.get(i), i)).body()));
        }
        double steps = http.metric("int4_steps_total");
        double sequences = http.metric("int4_step_sequences_total");
        List<CompletableFuture<HttpResponse<String>>> together = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            together.add(http.postAsync(OpenAiHandler.COMPLETIONS, request(prompts.get(i), i)));
        }
        for (int i = 0; i < prompts.size(); i++) {
            HttpResponse<String> r = together.get(i).get(120, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(alone.get(i), text(r.body()), prompts.get(i));
        }
        double meanBatch = (http.metric("int4_step_sequences_total") - sequences) / (http.metric("int4_steps_total") - steps);
        assertTrue(meanBatch > 1.5, "the concurrent requests shared steps: mean batch " + meanBatch);
    }

    /** Greedy, except every fourth prompt samples with a seed (sampling is batch-invariant too). */
    private static String request(String prompt, int i) {
        return i % 4 == 3
                ? body("model", StoriesModel.NAME, "prompt", prompt, "max_tokens", 32, "temperature", 0.8, "seed", i)
                : body("model", StoriesModel.NAME, "prompt", prompt, "max_tokens", 32, "temperature", 0);
    }

    @Test
    void aClientThatDisconnectsMidStreamFreesItsSlot() throws Exception {
        BrakeListener brake = new BrakeListener(20);
        GenerationHandle braking = server.batcher().submit(stories.encode("Once upon a time"),
                GenerationConfig.of(220, SamplingConfig.GREEDY), brake);
        try {
            double cancelled = http.metric("int4_requests_total{endpoint=\"/v1/completions\",status=\"499\"}");
            HttpResponse<InputStream> r = http.open(OpenAiHandler.COMPLETIONS, body("model", StoriesModel.NAME,
                    "prompt", "The cat", "max_tokens", 200, "temperature", 0, "stream", true));
            assertEquals(200, r.statusCode());
            try (InputStream in = r.body()) {
                BufferedReader reader = HttpDriver.reader(in);
                assertEquals(2, HttpDriver.events(reader, 2).size());
                assertEquals(2, server.batcher().inFlight());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.batcher().inFlight() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, server.batcher().inFlight(), "the disconnected stream left the batch");
            assertEquals(cancelled + 1, http.metric("int4_requests_total{endpoint=\"/v1/completions\",status=\"499\"}"));
        } finally {
            braking.cancel();
        }
        assertEquals(GenerationFailure.Kind.CANCELLED, brake.failure().get(30, TimeUnit.SECONDS).kind());
    }

    @Test
    void metricsCountWhatWasSent() throws Exception {
        String ok = "int4_requests_total{endpoint=\"/v1/completions\",status=\"200\"}";
        String bad = "int4_requests_total{endpoint=\"/v1/completions\",status=\"400\"}";
        double oks = http.metric(ok);
        double bads = http.metric(bad);
        double generated = http.metric("int4_generated_tokens_total");
        double prompt = http.metric("int4_prompt_tokens_total");
        double firstTokens = http.metric("int4_time_to_first_token_seconds_count");
        int completionTokens = 0;
        int promptTokens = 0;
        for (int max : new int[] {5, 9, 13}) {
            JsonObject usage = HttpDriver.json(http.post(OpenAiHandler.COMPLETIONS, body("model", StoriesModel.NAME,
                    "prompt", "The dog ran", "max_tokens", max, "temperature", 0))).getAsJsonObject("usage");
            completionTokens += usage.get("completion_tokens").getAsInt();
            promptTokens += usage.get("prompt_tokens").getAsInt();
        }
        http.post(OpenAiHandler.COMPLETIONS, "{");
        assertEquals(oks + 3, http.metric(ok));
        assertEquals(bads + 1, http.metric(bad));
        assertEquals(generated + completionTokens, http.metric("int4_generated_tokens_total"));
        assertEquals(prompt + promptTokens, http.metric("int4_prompt_tokens_total"));
        assertEquals(firstTokens + 3, http.metric("int4_time_to_first_token_seconds_count"));
        String text = http.get("/metrics").body();
        for (String name : new String[] {"int4_queue_depth", "int4_batch_size", "int4_decode_tokens_per_second",
            "int4_time_to_first_token_seconds_sum"}) {
            assertTrue(text.contains("\n" + name + " "), name + " in\n" + text);
        }
    }

    @Test
    void aFullQueueAnswers429AtOnce() throws Exception {
        try (Int4Server small = Int4Server.start(stories.served(),
                new ServerSettings("127.0.0.1", 0, 1, 0, CONTEXT, Duration.ofMinutes(1)))) {
            HttpDriver client = new HttpDriver(small.port());
            BrakeListener brake = new BrakeListener(20);
            GenerationHandle busy = small.batcher().submit(stories.encode("Once upon a time"),
                    GenerationConfig.of(200, SamplingConfig.GREEDY), brake);
            brake.awaitText();
            HttpResponse<String> refused = client.post(OpenAiHandler.COMPLETIONS,
                    body("model", StoriesModel.NAME, "prompt", "a", "max_tokens", 3));
            assertEquals(429, refused.statusCode());
            assertEquals("queue_full", HttpDriver.json(refused).getAsJsonObject("error").get("code").getAsString());
            busy.cancel();
            brake.failure().get(30, TimeUnit.SECONDS);
            assertEquals(200, client.post(OpenAiHandler.COMPLETIONS,
                    body("model", StoriesModel.NAME, "prompt", "a", "max_tokens", 3)).statusCode());
        }
    }

    @Test
    void aRequestPastTheTimeoutIsCancelled() throws Exception {
        try (Int4Server strict = Int4Server.start(stories.served(),
                new ServerSettings("127.0.0.1", 0, 4, 4, CONTEXT, Duration.ofMillis(400)))) {
            HttpDriver client = new HttpDriver(strict.port());
            BrakeListener brake = new BrakeListener(20);
            strict.batcher().submit(stories.encode("Once upon a time"), GenerationConfig.of(200, SamplingConfig.GREEDY), brake);
            CompletableFuture<HttpResponse<String>> whole = client.postAsync(OpenAiHandler.COMPLETIONS,
                    body("model", StoriesModel.NAME, "prompt", "The cat", "max_tokens", 200, "temperature", 0));
            CompletableFuture<HttpResponse<String>> streamed = client.postAsync(OpenAiHandler.COMPLETIONS,
                    body("model", StoriesModel.NAME, "prompt", "The dog", "max_tokens", 200, "temperature", 0, "stream", true));
            HttpResponse<String> r = whole.get(60, TimeUnit.SECONDS);
            assertEquals(408, r.statusCode(), r.body());
            assertEquals("timeout", HttpDriver.json(r).getAsJsonObject("error").get("code").getAsString());
            List<String> events = HttpDriver.events(streamed.get(60, TimeUnit.SECONDS).body());
            String last = events.get(events.size() - 1);
            assertNotEquals("[DONE]", last);
            assertEquals("timeout", JsonParser.parseString(last).getAsJsonObject().getAsJsonObject("error").get("code").getAsString());
            assertEquals(GenerationFailure.Kind.TIMEOUT, brake.failure().get(30, TimeUnit.SECONDS).kind());
        }
    }

    @Test
    void closingDrainsTheRequestsInFlight() throws Exception {
        Int4Server draining = Int4Server.start(stories.served(),
                new ServerSettings("127.0.0.1", 0, 4, 4, CONTEXT, Duration.ofMinutes(1)));
        HttpDriver client = new HttpDriver(draining.port());
        CompletableFuture<GenerationResult> braked = new CompletableFuture<>();
        draining.batcher().submit(stories.encode("Once upon a time"), GenerationConfig.of(40, SamplingConfig.GREEDY),
                new GenerationListener() {
                    @Override
                    public void onText(String text) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }

                    @Override
                    public void onComplete(GenerationResult result) {
                        braked.complete(result);
                    }

                    @Override
                    public void onFailure(GenerationFailure failure) {
                        braked.completeExceptionally(failure);
                    }
                });
        HttpResponse<InputStream> r = client.open(OpenAiHandler.COMPLETIONS, body("model", StoriesModel.NAME,
                "prompt", "The cat", "max_tokens", 120, "temperature", 0, "stream", true));
        try (InputStream in = r.body()) {
            BufferedReader reader = HttpDriver.reader(in);
            List<String> events = new ArrayList<>(HttpDriver.events(reader, 1));
            CompletableFuture<Void> closed = CompletableFuture.runAsync(draining::close);
            events.addAll(HttpDriver.events(reader, Integer.MAX_VALUE));
            assertEquals("[DONE]", events.get(events.size() - 1));
            JsonObject finish = JsonParser.parseString(events.get(events.size() - 2)).getAsJsonObject();
            assertEquals("length", finish.getAsJsonArray("choices").get(0).getAsJsonObject().get("finish_reason").getAsString());
            closed.get(60, TimeUnit.SECONDS);
        }
        assertEquals(40, braked.get(1, TimeUnit.SECONDS).tokens().length);
        assertTrue(isRefused(client), "a closed server takes no new request");
    }

    private static boolean isRefused(HttpDriver client) throws InterruptedException {
        try {
            return client.post(OpenAiHandler.COMPLETIONS, body("model", StoriesModel.NAME, "prompt", "a")).statusCode() == 503;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    @Test
    void greedyTokensAreTheSameThroughTheJavaApiBesideHttpClients() throws Exception {
        int[] prompt = stories.encode("Once upon a time");
        CompletableFuture<HttpResponse<String>> http1 = http.postAsync(OpenAiHandler.COMPLETIONS,
                body("model", StoriesModel.NAME, "prompt", "The cat", "max_tokens", 30, "temperature", 0));
        GenerationResult viaJava = server.batcher().generate(prompt,
                GenerationConfig.of(30, SamplingConfig.GREEDY, stories.tokenizer.eosIds())).get(60, TimeUnit.SECONDS);
        assertArrayEquals(stories.alone(prompt, 30).tokens(), viaJava.tokens());
        assertEquals(200, http1.get(60, TimeUnit.SECONDS).statusCode());
    }
}
