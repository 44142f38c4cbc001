package io.djlint4.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes the OpenAI endpoints ({@code POST /v1/completions}, {@code POST /v1/chat/completions},
 * {@code GET /v1/models}) and {@code GET /health} and {@code GET /metrics}. A bad request of any
 * kind gets an error object and never reaches, or stops, the scheduler.
 */
final class OpenAiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = Logger.getLogger(OpenAiHandler.class.getName());

    static final String COMPLETIONS = "/v1/completions";
    static final String CHAT_COMPLETIONS = "/v1/chat/completions";

    private final ServedModel model;
    private final CompletionRequestParser parser;
    private final ContinuousBatcher batcher;
    private final ServerMetrics metrics;
    private final BooleanSupplier draining;
    private final OpenResponses openResponses;
    private final long createdSeconds;

    OpenAiHandler(
            ServedModel model,
            int contextLength,
            ContinuousBatcher batcher,
            ServerMetrics metrics,
            BooleanSupplier draining,
            OpenResponses openResponses,
            long createdSeconds) {
        this.model = model;
        this.parser = new CompletionRequestParser(model, contextLength);
        this.batcher = batcher;
        this.metrics = metrics;
        this.draining = draining;
        this.openResponses = openResponses;
        this.createdSeconds = createdSeconds;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        Channel channel = ctx.channel();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String path = new QueryStringDecoder(request.uri()).path();
        try {
            if (!request.decoderResult().isSuccess()) {
                throw new ApiException(400, "invalid_request_error", "malformed HTTP request", null, "bad_request");
            }
            switch (path) {
                case "/health" -> {
                    requireMethod(request, HttpMethod.GET);
                    int status = draining.getAsBoolean() ? 503 : 200;
                    JsonObject body = new JsonObject();
                    body.addProperty("status", status == 200 ? "ok" : "draining");
                    reply(channel, path, status, body, keepAlive);
                }
                case "/v1/models" -> {
                    requireMethod(request, HttpMethod.GET);
                    reply(channel, path, 200, models(), keepAlive);
                }
                case "/metrics" -> {
                    requireMethod(request, HttpMethod.GET);
                    metrics.recordRequest(path, 200);
                    HttpReplies.send(channel, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render(),
                            keepAlive);
                }
                case COMPLETIONS, CHAT_COMPLETIONS -> {
                    requireMethod(request, HttpMethod.POST);
                    complete(channel, path, request.content().toString(StandardCharsets.UTF_8), keepAlive);
                }
                default -> throw new ApiException(404, "invalid_request_error", "no endpoint " + path, null,
                        "not_found");
            }
        } catch (ApiException e) {
            reply(channel, path, e.status(), e.body(), keepAlive);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "request to " + path + " failed", e);
            reply(channel, path, 500, ApiException.errorBody("internal error: " + e, "server_error", null,
                    "server_error"), false);
        }
    }

    private void complete(Channel channel, String path, String body, boolean keepAlive) throws ApiException {
        if (draining.getAsBoolean()) {
            throw new ApiException(503, "server_error", "the server is shutting down", null, "shutting_down");
        }
        CompletionParams params = parser.parse(body, path.equals(CHAT_COMPLETIONS));
        String id = (params.chat() ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
        CompletionResponses responses =
                new CompletionResponses(params.chat(), id, System.currentTimeMillis() / 1000, model.name());
        CompletionExchange exchange =
                new CompletionExchange(channel, path, params, responses, metrics, keepAlive, openResponses);
        try {
            // A client that goes away frees its slot before the next step.
            exchange.cancelOnClose(batcher.submit(params.promptIds(), params.generation(), exchange));
        } catch (QueueFullException e) {
            exchange.refused();
            throw new ApiException(429, "rate_limit_error", e.getMessage(), null, "queue_full");
        } catch (IllegalStateException e) {
            exchange.refused();
            throw new ApiException(503, "server_error", e.getMessage(), null, "shutting_down");
        }
    }

    private JsonObject models() {
        JsonObject entry = new JsonObject();
        entry.addProperty("id", model.name());
        entry.addProperty("object", "model");
        entry.addProperty("created", createdSeconds);
        entry.addProperty("owned_by", "djl-int4");
        JsonArray data = new JsonArray();
        data.add(entry);
        JsonObject body = new JsonObject();
        body.addProperty("object", "list");
        body.add("data", data);
        return body;
    }

    private static void requireMethod(FullHttpRequest request, HttpMethod method) throws ApiException {
        if (!request.method().equals(method)) {
            throw new ApiException(405, "invalid_request_error",
                    request.method() + " is not allowed here; use " + method, null, "method_not_allowed");
        }
    }

    private void reply(Channel channel, String path, int status, JsonObject body, boolean keepAlive) {
        metrics.recordRequest(status == 404 ? "other" : path, status);
        HttpReplies.json(channel, status, body, keepAlive);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "connection error", cause);
        ctx.close();
    }
}
