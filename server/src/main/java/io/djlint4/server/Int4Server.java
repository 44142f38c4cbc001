package io.djlint4.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An OpenAI-compatible HTTP server for one model: {@code POST /v1/chat/completions} and {@code
 * POST /v1/completions} (streamed as server-sent events with {@code "stream": true}), {@code GET
 * /v1/models}, {@code GET /health} and {@code GET /metrics} (Prometheus text). Requests share
 * forward passes through a {@link ContinuousBatcher}. Netty parses HTTP; {@link #close()} stops
 * accepting requests, lets the running ones finish, then stops.
 *
 * <pre>{@code
 * try (Int4Server server = Int4Server.start(new ServedModel("stories", decoder, tokenizer, null, eos),
 *         ServerSettings.loopback(512))) {
 *     System.out.println("listening on port " + server.port());
 *     server.awaitClose();
 * }
 * }</pre>
 */
public final class Int4Server implements AutoCloseable {

    private static final int MAX_BODY_BYTES = 8 << 20;

    /** How long a drained server waits for its last answers to reach slow clients. */
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

    private final ContinuousBatcher batcher;
    private final ServerMetrics metrics;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final Duration drainTimeout;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final OpenResponses openResponses = new OpenResponses();
    private final AtomicBoolean draining = new AtomicBoolean();

    private Int4Server(ServedModel model, ServerSettings settings) throws InterruptedException {
        this.metrics = new ServerMetrics();
        this.drainTimeout = settings.requestTimeout();
        this.batcher = new ContinuousBatcher(model.decoder(), model.tokenizer(), settings.maxBatch(),
                settings.maxQueue(), settings.requestTimeout(), metrics);
        this.acceptors = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        long created = System.currentTimeMillis() / 1000;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY_BYTES),
                                new OpenAiHandler(model, settings.contextLength(), batcher, metrics,
                                        draining::get, openResponses, created));
                    }
                });
        Channel bound;
        try {
            bound = bootstrap.bind(settings.host(), settings.port()).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            shutdownLoops();
            batcher.drain(Duration.ofSeconds(1));
            throw e;
        }
        this.listener = bound;
    }

    /**
     * Starts a server.
     *
     * @param model the model to serve
     * @param settings where to listen and how to schedule
     * @return the running server
     * @throws InterruptedException when interrupted while binding
     */
    public static Int4Server start(ServedModel model, ServerSettings settings) throws InterruptedException {
        return new Int4Server(model, settings);
    }

    /**
     * Returns the port the server listens on (the chosen one when the settings asked for 0).
     *
     * @return the port
     */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * Returns the scheduler, to submit generations from Java beside the HTTP clients.
     *
     * @return the scheduler
     */
    public ContinuousBatcher batcher() {
        return batcher;
    }

    /**
     * Returns the metrics {@code GET /metrics} shows.
     *
     * @return the metrics
     */
    public ServerMetrics metrics() {
        return metrics;
    }

    /**
     * Blocks until {@link #close()} has finished.
     *
     * @throws InterruptedException when interrupted
     */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /**
     * Drains and stops: new completion requests get 503 and new connections are refused, requests
     * in flight run to their end (at most the request timeout), then the connections close. An
     * interrupt ends the wait for them early and stays set on the calling thread.
     */
    @Override
    public void close() {
        if (!draining.compareAndSet(false, true)) {
            awaitUninterruptedly();
            return;
        }
        try {
            listener.close().syncUninterruptibly();
            if (batcher.drain(drainTimeout)) {
                openResponses.awaitNone(FLUSH_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutdownLoops();
            closed.countDown();
        }
    }

    /** A second {@link #close()} waits for the first. */
    private void awaitUninterruptedly() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdownLoops() {
        // A short quiet period lets the last chunks written by the scheduler reach their sockets.
        workers.shutdownGracefully(100, 5000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        acceptors.shutdownGracefully(0, 1000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
