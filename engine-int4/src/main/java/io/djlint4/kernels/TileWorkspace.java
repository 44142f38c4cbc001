package io.djlint4.kernels;

/**
 * Per-thread scratch arrays of the tiled kernels, grown on demand and reused across calls so the
 * kernels allocate nothing once warmed up. The {@code call} arrays belong to the thread that
 * issued a product (per-call preparation read by all workers); the others to the worker running a
 * range of tiles. They are distinct so a caller that runs its tiles inline does not overwrite its
 * own preparation.
 */
final class TileWorkspace {

    private static final ThreadLocal<TileWorkspace> LOCAL = ThreadLocal.withInitial(TileWorkspace::new);

    private float[] tile = new float[0];
    private float[] part = new float[0];
    private float[] acc = new float[0];
    private int[] ints = new int[0];
    private float[] call = new float[0];
    private float[] call2 = new float[0];
    private int[] callInts = new int[0];

    private TileWorkspace() {}

    /**
     * Returns this thread's workspace.
     *
     * @return the workspace
     */
    static TileWorkspace current() {
        return LOCAL.get();
    }

    float[] tile(int n) {
        if (tile.length < n) {
            tile = new float[n];
        }
        return tile;
    }

    float[] part(int n) {
        if (part.length < n) {
            part = new float[n];
        }
        return part;
    }

    float[] acc(int n) {
        if (acc.length < n) {
            acc = new float[n];
        }
        return acc;
    }

    int[] ints(int n) {
        if (ints.length < n) {
            ints = new int[n];
        }
        return ints;
    }

    float[] call(int n) {
        if (call.length < n) {
            call = new float[n];
        }
        return call;
    }

    float[] call2(int n) {
        if (call2.length < n) {
            call2 = new float[n];
        }
        return call2;
    }

    int[] callInts(int n) {
        if (callInts.length < n) {
            callInts = new int[n];
        }
        return callInts;
    }
}
