package io.djlint4.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * The Int4 {@link NDManager}: creates {@link Int4NDArray}s held on the Java heap.
 *
 * <p>Every Int4 manager owns a PyTorch manager (the alternative manager) that receives the
 * copies and results of operations Int4 does not implement; it is created, and PyTorch loaded, by
 * the first such operation, and closed with this manager.
 */
public class Int4NDManager extends BaseNDManager {

    private static final Int4NDManager SYSTEM_MANAGER = new SystemManager();

    private Int4NDManager(NDManager parent, Device device) {
        super(parent, device);
        alternativeManager = LazyFallbackManager.create((Int4Engine) getEngine());
    }

    /**
     * Returns the process-wide root manager; it is never closed.
     *
     * @return the system manager
     */
    public static Int4NDManager getSystemManager() {
        return SYSTEM_MANAGER;
    }

    /**
     * Returns how many operations on Int4 arrays have run on the alternative engine since the
     * JVM started (all managers and threads).
     *
     * @return the fallback count
     */
    public static long fallbackCount() {
        return FallbackMonitor.count();
    }

    /**
     * Returns the fallbacks counted so far per operation name, to find what to implement next.
     *
     * @return a sorted snapshot, operation name to count
     */
    public static Map<String, Long> fallbackOperations() {
        return FallbackMonitor.byOperation();
    }

    /**
     * Returns the PyTorch manager that receives fallback copies and results, loading PyTorch if
     * no operation has needed it yet.
     *
     * @return the alternative manager, or {@code null} when the fallback is disabled or PyTorch is
     *     not on the class path
     */
    public NDManager alternativeManager() {
        return LazyFallbackManager.resolve(alternativeManager);
    }

    /**
     * Returns whether an operation of this manager's arrays (or {@link #alternativeManager()}) has
     * created its PyTorch manager.
     *
     * @return {@code true} once PyTorch was needed here
     */
    public boolean hasUsedFallback() {
        return LazyFallbackManager.isResolved(alternativeManager);
    }

    /** The fallback manager handed to arrays: a stand-in that loads PyTorch on first use. */
    NDManager fallbackManager() {
        return alternativeManager;
    }

    /**
     * Wraps a float array without copying; the array must not be modified afterwards except
     * through the returned NDArray.
     *
     * @param data the elements, row-major
     * @param shape the shape
     * @return a FLOAT32 array attached to this manager
     */
    public Int4NDArray wrap(float[] data, Shape shape) {
        return newArray(new Storage.FloatStorage(data), shape);
    }

    /**
     * Wraps a long array without copying; the array must not be modified afterwards except
     * through the returned NDArray.
     *
     * @param data the elements, row-major
     * @param shape the shape
     * @return an INT64 array attached to this manager
     */
    public Int4NDArray wrap(long[] data, Shape shape) {
        return newArray(new Storage.LongStorage(data), shape);
    }

    /** {@inheritDoc} */
    @Override
    public ByteBuffer allocateDirect(int capacity) {
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    /** {@inheritDoc} */
    @Override
    public NDArray from(NDArray array) {
        if (array == null || array instanceof Int4NDArray) {
            return array;
        }
        NDArray result = create(array.toByteBuffer(), array.getShape(), array.getDataType());
        result.setName(array.getName());
        return result;
    }

    /** {@inheritDoc} */
    @Override
    public Int4NDManager newSubManager(Device device) {
        Int4NDManager manager = new Int4NDManager(this, device);
        attachUncappedInternal(manager.uid, manager);
        return manager;
    }

    /** {@inheritDoc} */
    @Override
    public Engine getEngine() {
        // called from the BaseNDManager constructor, before any field of ours is set
        return Engine.getEngine(Int4Engine.ENGINE_NAME);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray create(Buffer data, Shape shape, DataType dataType) {
        int size = ShapeMath.size(shape.getShape());
        BaseNDManager.validateBuffer(data, dataType, size);
        return newArray(Storage.copyOf(data, dataType, size), shape);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray create(Shape shape, DataType dataType) {
        return zeros(shape, dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray zeros(Shape shape, DataType dataType) {
        return newArray(Storage.allocate(dataType, ShapeMath.size(shape.getShape())), shape);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray ones(Shape shape, DataType dataType) {
        return full(shape, 1, dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray full(Shape shape, float value, DataType dataType) {
        Storage storage = Storage.allocate(dataType, ShapeMath.size(shape.getShape()));
        storage.fill(value);
        return newArray(storage, shape);
    }

    /**
     * Returns evenly spaced values in {@code [start, stop)}, like {@code torch.arange}: the
     * count is {@code ceil((stop - start) / step)}; integer types step from the truncated start.
     *
     * @param start the first value
     * @param stop the exclusive end
     * @param step the spacing (non-zero)
     * @param dataType the element type
     * @return a 1-D array
     */
    @Override
    public NDArray arange(float start, float stop, float step, DataType dataType) {
        if (step == 0) {
            throw new IllegalArgumentException("step must be nonzero");
        }
        if (Math.signum(stop - start) != Math.signum(step)) {
            return zeros(new Shape(0), dataType);
        }
        int count = (int) Math.ceil(((double) stop - start) / step);
        Storage storage = Storage.allocate(dataType, count);
        for (int i = 0; i < count; i++) {
            if (dataType.isFloating()) {
                storage.setDouble(i, start + (double) i * step);
            } else {
                storage.setLong(i, (long) start + i * (long) step);
            }
        }
        return newArray(storage, new Shape(count));
    }

    /**
     * Draws from the uniform distribution on {@code [low, high)}, with the generator seeded by
     * {@code Engine.setRandomSeed}.
     *
     * @param low the inclusive lower bound
     * @param high the exclusive upper bound
     * @param shape the shape
     * @param dataType a floating-point element type
     * @return the array
     */
    @Override
    public NDArray randomUniform(float low, float high, Shape shape, DataType dataType) {
        Random random = ((Int4Engine) getEngine()).random();
        return random(shape, dataType, () -> low + (high - (double) low) * random.nextDouble());
    }

    /**
     * Draws from the normal distribution, with the generator seeded by {@code
     * Engine.setRandomSeed}.
     *
     * @param loc the mean
     * @param scale the standard deviation
     * @param shape the shape
     * @param dataType a floating-point element type
     * @return the array
     */
    @Override
    public NDArray randomNormal(float loc, float scale, Shape shape, DataType dataType) {
        Random random = ((Int4Engine) getEngine()).random();
        return random(shape, dataType, () -> loc + scale * random.nextGaussian());
    }

    /**
     * Draws integers uniformly from {@code [low, high)}, with the generator seeded by {@code
     * Engine.setRandomSeed}.
     *
     * @param low the inclusive lower bound
     * @param high the exclusive upper bound
     * @param shape the shape
     * @param dataType the element type
     * @return the array
     */
    @Override
    public NDArray randomInteger(long low, long high, Shape shape, DataType dataType) {
        if (high <= low) {
            throw new IllegalArgumentException("randomInteger needs low < high, got [" + low + ", " + high + ")");
        }
        Random random = ((Int4Engine) getEngine()).random();
        Storage storage = Storage.allocate(dataType, ShapeMath.size(shape.getShape()));
        for (int i = 0; i < storage.size(); i++) {
            storage.setLong(i, random.nextLong(low, high));
        }
        return newArray(storage, shape);
    }

    private NDArray random(Shape shape, DataType dataType, DoubleSupplier draw) {
        if (!dataType.isFloating()) {
            throw new IllegalArgumentException("random floats need a floating-point type, got " + dataType);
        }
        Storage storage = Storage.allocate(dataType, ShapeMath.size(shape.getShape()));
        for (int i = 0; i < storage.size(); i++) {
            storage.setDouble(i, draw.getAsDouble());
        }
        return newArray(storage, shape);
    }

    /** Closes this manager, its arrays and sub-managers, then its PyTorch manager. */
    @Override
    public void close() {
        super.close();
        if (alternativeManager != null) {
            alternativeManager.close();
        }
    }

    /**
     * Creates an array attached to this manager.
     *
     * @param storage the elements
     * @param shape the shape
     * @return the array
     */
    Int4NDArray newArray(Storage storage, Shape shape) {
        return new Int4NDArray(this, alternativeManager, storage, shape);
    }

    /** The root of the manager tree; lives as long as the process. */
    private static final class SystemManager extends Int4NDManager implements SystemNDManager {

        SystemManager() {
            super(null, null);
        }

        /** {@inheritDoc} */
        @Override
        public void close() {}
    }
}
