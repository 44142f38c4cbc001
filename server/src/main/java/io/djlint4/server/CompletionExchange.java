package io.djlint4.server;

import com.google.gson.JsonObject;
import io.djlint4.generation.GenerationResult;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;

/**
 * Answers one completion request from what the scheduler produces: a whole JSON response at the
 * end, or server-sent events (OpenAI's chunks, then {@code data: [DONE]}) as text arrives. The
 * stream's headers go out with its first event, so a request that fails before producing anything
 * still gets a proper error status. Called on the scheduler thread; Netty queues the writes to the
 * channel's own thread.
 */
final class CompletionExchange implements GenerationListener {

    private final Channel channel;
    private final String endpoint;
    private final CompletionParams params;
    private final CompletionResponses responses;
    private final ServerMetrics metrics;
    private final boolean keepAlive;
    private final OpenResponses openResponses;
    private boolean streaming;
    private boolean ended;
    private ChannelFutureListener cancelOnClose;

    CompletionExchange(
            Channel channel,
            String endpoint,
            CompletionParams params,
            CompletionResponses responses,
            ServerMetrics metrics,
            boolean keepAlive,
            OpenResponses openResponses) {
        this.channel = channel;
        this.endpoint = endpoint;
        this.params = params;
        this.responses = responses;
        this.metrics = metrics;
        this.keepAlive = keepAlive;
        this.openResponses = openResponses;
        openResponses.opened();
    }

    /**
     * Cancels the generation when the client goes away, until the request ends (the listener is
     * then removed, so a kept-alive connection does not collect one per request).
     */
    synchronized void cancelOnClose(GenerationHandle handle) {
        if (!ended) {
            cancelOnClose = f -> handle.cancel();
            channel.closeFuture().addListener(cancelOnClose);
        }
    }

    private synchronized void end() {
        ended = true;
        if (cancelOnClose != null) {
            channel.closeFuture().removeListener(cancelOnClose);
        }
    }

    @Override
    public void onText(String text) {
        if (params.stream() && !text.isEmpty()) {
            startStream();
            event(responses.textChunk(text).toString());
        }
    }

    @Override
    public void onComplete(GenerationResult result) {
        end();
        if (!params.stream()) {
            metrics.recordRequest(endpoint, 200);
            written(HttpReplies.json(channel, 200, responses.complete(result), keepAlive));
            return;
        }
        startStream();
        event(responses.finishChunk(result.stopReason()).toString());
        if (params.includeUsage()) {
            event(responses.usageChunk(result).toString());
        }
        event("[DONE]");
        endStream(keepAlive);
    }

    @Override
    public void onFailure(GenerationFailure failure) {
        end();
        int status;
        String type;
        switch (failure.kind()) {
            case CANCELLED -> {
                // The client went away (or its owner cancelled): nobody reads an answer.
                metrics.recordRequest(endpoint, 499);
                written(channel.close());
                return;
            }
            case TIMEOUT -> {
                status = 408;
                type = "timeout";
            }
            default -> {
                status = 500;
                type = "server_error";
            }
        }
        JsonObject error = ApiException.errorBody(failure.getMessage(), type, null, type);
        if (streaming) {
            event(error.toString());
            endStream(false);
        } else {
            metrics.recordRequest(endpoint, status);
            written(HttpReplies.json(channel, status, error, keepAlive));
        }
    }

    private void startStream() {
        if (streaming) {
            return;
        }
        streaming = true;
        metrics.recordRequest(endpoint, 200);
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        HttpUtil.setTransferEncodingChunked(response, true);
        HttpUtil.setKeepAlive(response, keepAlive);
        channel.write(response);
        if (params.chat()) {
            event(responses.roleChunk().toString());
        }
    }

    private void event(String data) {
        channel.writeAndFlush(new DefaultHttpContent(
                Unpooled.copiedBuffer("data: " + data + "\n\n", StandardCharsets.UTF_8)));
    }

    private void endStream(boolean keepOpen) {
        ChannelFuture last = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepOpen) {
            last.addListener(ChannelFutureListener.CLOSE);
        }
        written(last);
    }

    /** The response is over once its last write has reached the socket (or failed). */
    private void written(ChannelFuture last) {
        last.addListener(f -> openResponses.closed());
    }

    /** Releases the response when the scheduler refused the request, so nothing will be written. */
    void refused() {
        openResponses.closed();
    }
}
