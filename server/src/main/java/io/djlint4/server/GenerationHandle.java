package io.djlint4.server;

/** A submitted generation, which its owner can cancel. */
public interface GenerationHandle {

    /**
     * Asks the scheduler to drop the sequence: it leaves the batch before the next step, freeing
     * its slot, and the listener gets a {@link GenerationFailure.Kind#CANCELLED} failure. Does
     * nothing once the sequence has ended.
     */
    void cancel();
}
