package io.djlint4.server;

import io.djlint4.generation.GenerationResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A listener that sleeps on every piece of text, so that the scheduler's steps (which wait for it)
 * last at least that long while its sequence runs: tests use it to keep other requests in flight
 * long enough to disconnect, cancel or time them out.
 */
final class BrakeListener implements GenerationListener {

    private final long millisPerPiece;
    private final CountDownLatch firstText = new CountDownLatch(1);
    private final CompletableFuture<GenerationFailure> failure = new CompletableFuture<>();

    BrakeListener(long millisPerPiece) {
        this.millisPerPiece = millisPerPiece;
    }

    @Override
    public void onText(String text) {
        firstText.countDown();
        try {
            Thread.sleep(millisPerPiece);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onComplete(GenerationResult result) {
        failure.completeExceptionally(new AssertionError("the braked sequence completed: " + result.text()));
    }

    @Override
    public void onFailure(GenerationFailure f) {
        failure.complete(f);
    }

    void awaitText() throws InterruptedException {
        if (!firstText.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no text within 30 s");
        }
    }

    CompletableFuture<GenerationFailure> failure() {
        return failure;
    }
}
