package io.djlint4.engine;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrayAdapter;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * An NDArray of the Int4 engine, held in a typed Java heap array.
 *
 * <p>Every operation used by DJL's text generation (TextGenerator greedy/beam/contrastive,
 * SeqBatchScheduler) and by causal-LM translators runs natively here with PyTorch's semantics
 * (broadcasting, type promotion, indexing); everything else falls back to PyTorch through
 * {@link NDArrayAdapter} and returns PyTorch arrays. Results are attached to this array's
 * manager. Reshape-style results ({@code reshape}, {@code expandDims}, {@code squeeze},
 * {@code flatten}) share storage with their source, like PyTorch views.
 */
public class Int4NDArray extends NDArrayAdapter {

    private Storage storage;

    /**
     * Creates an array, attaches it to its manager and registers it with the current
     * {@link NDScope}.
     *
     * @param manager the owning manager
     * @param alternativeManager the fallback manager, or {@code null}
     * @param storage the elements
     * @param shape the shape, matching the storage size
     */
    Int4NDArray(NDManager manager, NDManager alternativeManager, Storage storage, Shape shape) {
        // keep a private copy of the dimensions; callers may reuse or mutate theirs
        super(
                manager,
                alternativeManager,
                new Shape(shape.getShape().clone()),
                storage.dataType(),
                NDManager.nextUid());
        if (ShapeMath.size(shape.getShape()) != storage.size()) {
            throw new IllegalArgumentException(
                    "Shape " + shape + " does not match " + storage.size() + " elements");
        }
        this.storage = storage;
        manager.attachInternal(uid, this);
        NDScope.register(this);
    }

    /**
     * Returns a fresh copy of the elements in native byte order, positioned at 0; never a view
     * of the storage, because PyTorch wraps direct buffers without copying.
     *
     * @param tryDirect whether to return a direct buffer
     * @return the buffer
     */
    @Override
    public ByteBuffer toByteBuffer(boolean tryDirect) {
        FallbackMonitor.recordIfFallback();
        return storage().toByteBuffer(tryDirect);
    }

    /** {@inheritDoc} */
    @Override
    public void set(Buffer buffer) {
        BaseNDManager.validateBuffer(buffer, getDataType(), storage().size());
        Storage source = Storage.copyOf(buffer, getDataType(), storage().size());
        Storage.copyRange(source, 0, storage, 0, source.size());
    }

    /** Takes over the storage, shape and type of the replaced array, then closes it. */
    @Override
    public void intern(NDArray replaced) {
        DenseTensor tensor = tensorOf(replaced);
        storage = tensor.storage();
        shape = tensor.shape();
        dataType = tensor.dataType();
        replaced.close();
    }

    /** {@inheritDoc} */
    @Override
    public void attach(NDManager manager) {
        detach();
        this.manager = manager;
        manager.attachInternal(getUid(), this);
        alternativeManager = alternativeFor(manager);
    }

    /**
     * Hands the array to the system manager; the fallback manager follows, so fallback keeps
     * working after the old manager closes.
     */
    @Override
    public void detach() {
        manager.detachInternal(getUid());
        Int4NDManager system = Int4NDManager.getSystemManager();
        manager = system;
        alternativeManager = system.fallbackManager();
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        if (!isClosed) {
            super.close();
            storage = null;
        }
    }

    /**
     * Returns a copy of the shape: DJL code mutates the arrays it gets from
     * {@code getShape().getShape()} (e.g. {@code SeqBatcher.merge}), which must not reach ours.
     *
     * @return the shape
     */
    @Override
    public Shape getShape() {
        return new Shape(dims().clone());
    }

    /** {@inheritDoc} */
    @Override
    public NDArrayEx getNDArrayInternal() {
        return new Int4NDArrayEx(this);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray toType(DataType dataType, boolean copy) {
        if (dataType == getDataType()) {
            return copy ? duplicate() : this;
        }
        return result(tensor().withType(dataType));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray duplicate() {
        NDArray copy = result(new DenseTensor(storage().copy(), dims()));
        copy.setName(getName());
        return copy;
    }

    /** {@inheritDoc} */
    @Override
    public float[] toFloatArray() {
        requireType(DataType.FLOAT32);
        return ((Storage.FloatStorage) storage()).values().clone();
    }

    /** {@inheritDoc} */
    @Override
    public double[] toDoubleArray() {
        requireType(DataType.FLOAT64);
        return ((double[]) storage().array()).clone();
    }

    /** {@inheritDoc} */
    @Override
    public int[] toIntArray() {
        requireType(DataType.INT32);
        return ((int[]) storage().array()).clone();
    }

    /** {@inheritDoc} */
    @Override
    public long[] toLongArray() {
        requireType(DataType.INT64);
        return ((Storage.LongStorage) storage()).values().clone();
    }

    /** Returns the raw elements in native byte order. */
    @Override
    public byte[] toByteArray() {
        return storage().toByteBuffer(false).array();
    }

    /** {@inheritDoc} */
    @Override
    public boolean[] toBooleanArray() {
        requireType(DataType.BOOLEAN);
        byte[] bytes = (byte[]) storage().array();
        boolean[] values = new boolean[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            values[i] = bytes[i] != 0;
        }
        return values;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray reshape(Shape shape) {
        return view(ShapeMath.reshape(shape.getShape(), storage().size()));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray expandDims(int axis) {
        long[] dims = dims();
        int at = ShapeMath.axis(axis < 0 ? axis + dims.length + 1 : axis, dims.length + 1);
        return view(insertOne(dims, at));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray squeeze(int[] axes) {
        long[] dims = dims();
        if (dims.length == 0) {
            if (axes.length == 0 || (axes.length == 1 && (axes[0] == 0 || axes[0] == -1))) {
                return duplicate();
            }
            throw new IllegalArgumentException(
                    "axis " + axes[0] + " is out of bounds for array of dimension 0");
        }
        boolean[] drop = new boolean[dims.length];
        for (int axis : axes) {
            int resolved = ShapeMath.axis(axis, dims.length);
            if (dims[resolved] != 1) {
                throw new IllegalArgumentException(
                        "cannot select an axis to squeeze out which has size not equal to one");
            }
            drop[resolved] = true;
        }
        List<Long> kept = new ArrayList<>();
        for (int d = 0; d < dims.length; d++) {
            if (!drop[d]) {
                kept.add(dims[d]);
            }
        }
        return view(kept.stream().mapToLong(Long::longValue).toArray());
    }

    /** {@inheritDoc} */
    @Override
    public NDArray flatten() {
        return view(new long[] {storage().size()});
    }

    /** {@inheritDoc} */
    @Override
    public NDArray flatten(int startDim, int endDim) {
        long[] dims = dims();
        if (dims.length == 0) {
            return view(new long[] {1});
        }
        int start = ShapeMath.axis(startDim, dims.length);
        int end = ShapeMath.axis(endDim, dims.length);
        if (start > end) {
            throw new IllegalArgumentException(
                    "flatten() has invalid args: start_dim cannot come after end_dim");
        }
        long[] out = new long[dims.length - (end - start)];
        System.arraycopy(dims, 0, out, 0, start);
        out[start] = ShapeMath.product(dims, start, end + 1);
        System.arraycopy(dims, end + 1, out, start + 1, dims.length - end - 1);
        return view(out);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray transpose() {
        int rank = dims().length;
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = rank - 1 - i;
        }
        return transpose(axes);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray transpose(int... axes) {
        if (dims().length == 0 && axes.length > 0) {
            throw new IllegalArgumentException("axes don't match NDArray");
        }
        return result(LayoutKernels.transpose(tensor(), axes));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray broadcast(Shape shape) {
        return result(LayoutKernels.broadcastTo(tensor(), shape.getShape()));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray repeat(long repeats) {
        if (isEmpty()) {
            return duplicate();
        }
        long[] all = new long[Math.max(dims().length, 1)];
        Arrays.fill(all, repeats);
        return repeat(all);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray repeat(int axis, long repeats) {
        return result(LayoutKernels.repeatInterleave(tensor(), axis, repeats));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray repeat(long[] repeats) {
        DenseTensor current = tensor();
        for (int axis = 0; axis < repeats.length; axis++) {
            current = LayoutKernels.repeatInterleave(current, axis, repeats[axis]);
        }
        return result(current);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray repeat(Shape desiredShape) {
        long[] dims = dims();
        long[] desired = desiredShape.getShape();
        if (desired.length > dims.length) {
            throw new IllegalArgumentException("The desired shape has too many dimensions");
        }
        long[] target = dims.clone();
        System.arraycopy(desired, 0, target, dims.length - desired.length, desired.length);
        long[] repeats = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 0 || target[i] % dims[i] != 0) {
                throw new IllegalArgumentException(
                        "The desired shape is not a multiple of the original shape");
            }
            repeats[i] = target[i] / dims[i];
        }
        return repeat(repeats);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray tile(long repeats) {
        if (isEmpty()) {
            return duplicate();
        }
        long[] all = new long[Math.max(dims().length, 1)];
        Arrays.fill(all, repeats);
        return tile(all);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray tile(long[] repeats) {
        return result(LayoutKernels.tile(tensor(), repeats));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray concat(NDArray array, int axis) {
        return concat(new NDList(array), axis);
    }

    /**
     * Concatenates this array followed by others along an axis, promoting types like
     * {@code torch.cat}.
     *
     * @param others the arrays after this one (any engine)
     * @param axis the axis
     * @return the concatenation
     */
    NDArray concat(NDList others, int axis) {
        List<DenseTensor> parts = new ArrayList<>();
        parts.add(tensor());
        for (NDArray other : others) {
            parts.add(tensorOf(other));
        }
        return concatPromoted(parts, axis);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray stack(NDArray array, int axis) {
        return stack(new NDList(array), axis);
    }

    /**
     * Stacks this array followed by others along a new axis.
     *
     * @param others the arrays after this one (any engine), each shaped like this one
     * @param axis the new axis, in {@code [-rank-1, rank]}
     * @return the stacked array
     */
    NDArray stack(NDList others, int axis) {
        long[] dims = dims();
        int at = ShapeMath.axis(axis < 0 ? axis + dims.length + 1 : axis, dims.length + 1);
        long[] expanded = insertOne(dims, at);
        List<DenseTensor> parts = new ArrayList<>();
        parts.add(new DenseTensor(storage(), expanded));
        for (NDArray other : others) {
            if (!Arrays.equals(other.getShape().getShape(), dims)) {
                throw new IllegalArgumentException(
                        "stack expects each tensor to be equal size, but got "
                                + getShape()
                                + " and "
                                + other.getShape());
            }
            parts.add(new DenseTensor(tensorOf(other).storage(), expanded));
        }
        return concatPromoted(parts, at);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray get(NDIndex index) {
        return get(manager, index);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray get(NDManager target, NDIndex index) {
        DenseTensor result = IndexingKernels.get(tensor(), index, Int4NDArray::tensorOf);
        return new Int4NDArray(target, alternativeFor(target), result.storage(), result.shape());
    }

    /** {@inheritDoc} */
    @Override
    public void set(NDIndex index, NDArray value) {
        IndexingKernels.set(tensor(), index, tensorOf(value), Int4NDArray::tensorOf);
    }

    /** {@inheritDoc} */
    @Override
    public void set(NDIndex index, Number value) {
        IndexingKernels.set(tensor(), index, scalar(value), Int4NDArray::tensorOf);
    }

    /** {@inheritDoc} */
    @Override
    public void set(NDIndex index, Function<NDArray, NDArray> function) {
        NDArray selected = get(index);
        NDArray replacement = function.apply(selected);
        set(index, replacement);
        if (replacement != selected) {
            replacement.close();
        }
        selected.close();
    }

    /** {@inheritDoc} */
    @Override
    public void set(NDArray index, Number value) {
        set(new NDIndex("{}", index), value);
    }

    /** {@inheritDoc} */
    @Override
    public void setScalar(NDIndex index, Number value) {
        IndexPlan plan = IndexPlan.resolve(index, dims(), Int4NDArray::tensorOf);
        if (ShapeMath.size(plan.resultDims()) != 1) {
            throw new IllegalArgumentException("The provided index does not set a scalar");
        }
        set(index, value);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray gather(NDArray index, int axis) {
        return result(IndexingKernels.gather(tensor(), tensorOf(index), axis));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray take(NDManager target, NDArray index) {
        DenseTensor result = IndexingKernels.take(tensor(), tensorOf(index));
        return new Int4NDArray(target, alternativeFor(target), result.storage(), result.shape());
    }

    /** {@inheritDoc} */
    @Override
    public NDArray booleanMask(NDArray index, int axis) {
        return result(IndexingKernels.booleanMask(tensor(), tensorOf(index), axis));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray add(Number n) {
        return arithmetic(scalar(n), ArithmeticOp.ADD);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray add(NDArray other) {
        return arithmetic(tensorOf(other), ArithmeticOp.ADD);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sub(Number n) {
        return arithmetic(scalar(n), ArithmeticOp.SUB);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sub(NDArray other) {
        return arithmetic(tensorOf(other), ArithmeticOp.SUB);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray mul(Number n) {
        return arithmetic(scalar(n), ArithmeticOp.MUL);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray mul(NDArray other) {
        return arithmetic(tensorOf(other), ArithmeticOp.MUL);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray div(Number n) {
        return arithmetic(scalar(n), ArithmeticOp.DIV);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray div(NDArray other) {
        return arithmetic(tensorOf(other), ArithmeticOp.DIV);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray maximum(Number n) {
        return arithmetic(scalar(n), ArithmeticOp.MAXIMUM);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray maximum(NDArray other) {
        return arithmetic(tensorOf(other), ArithmeticOp.MAXIMUM);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray minimum(Number n) {
        return arithmetic(scalar(n), ArithmeticOp.MINIMUM);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray minimum(NDArray other) {
        return arithmetic(tensorOf(other), ArithmeticOp.MINIMUM);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray addi(Number n) {
        return arithmeticInPlace(scalar(n), ArithmeticOp.ADD);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray addi(NDArray other) {
        return arithmeticInPlace(tensorOf(other), ArithmeticOp.ADD);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray subi(Number n) {
        return arithmeticInPlace(scalar(n), ArithmeticOp.SUB);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray subi(NDArray other) {
        return arithmeticInPlace(tensorOf(other), ArithmeticOp.SUB);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray muli(Number n) {
        return arithmeticInPlace(scalar(n), ArithmeticOp.MUL);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray muli(NDArray other) {
        return arithmeticInPlace(tensorOf(other), ArithmeticOp.MUL);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray divi(Number n) {
        return arithmeticInPlace(scalar(n), ArithmeticOp.DIV);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray divi(NDArray other) {
        return arithmeticInPlace(tensorOf(other), ArithmeticOp.DIV);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray neg() {
        if (getDataType() == DataType.BOOLEAN) {
            return super.neg();
        }
        return result(ElementwiseKernels.unary(tensor(), UnaryOp.NEG));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray negi() {
        if (getDataType() == DataType.BOOLEAN) {
            throw new IllegalArgumentException(
                    "Negation, the `-` operator, on a bool tensor is not supported.");
        }
        ElementwiseKernels.unaryInPlace(tensor(), UnaryOp.NEG);
        return this;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray abs() {
        if (getDataType() == DataType.BOOLEAN) {
            return super.abs();
        }
        return result(ElementwiseKernels.unary(tensor(), UnaryOp.ABS));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray square() {
        if (getDataType() == DataType.BOOLEAN) {
            return super.square();
        }
        return result(ElementwiseKernels.unary(tensor(), UnaryOp.SQUARE));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sqrt() {
        return result(ElementwiseKernels.unary(tensor(), UnaryOp.SQRT));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray exp() {
        return result(ElementwiseKernels.unary(tensor(), UnaryOp.EXP));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray log() {
        return result(ElementwiseKernels.unary(tensor(), UnaryOp.LOG));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray eq(Number n) {
        return compare(scalar(n), ComparisonOp.EQ);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray eq(NDArray other) {
        return compare(tensorOf(other), ComparisonOp.EQ);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray neq(Number n) {
        return compare(scalar(n), ComparisonOp.NEQ);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray neq(NDArray other) {
        return compare(tensorOf(other), ComparisonOp.NEQ);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray gt(Number n) {
        return compare(scalar(n), ComparisonOp.GT);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray gt(NDArray other) {
        return compare(tensorOf(other), ComparisonOp.GT);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray gte(Number n) {
        return compare(scalar(n), ComparisonOp.GTE);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray gte(NDArray other) {
        return compare(tensorOf(other), ComparisonOp.GTE);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray lt(Number n) {
        return compare(scalar(n), ComparisonOp.LT);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray lt(NDArray other) {
        return compare(tensorOf(other), ComparisonOp.LT);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray lte(Number n) {
        return compare(scalar(n), ComparisonOp.LTE);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray lte(NDArray other) {
        return compare(tensorOf(other), ComparisonOp.LTE);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sum() {
        return reduce(new int[0], false, ReductionKernels.Reduction.SUM);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sum(int[] axes, boolean keepDims) {
        return reduce(axes, keepDims, ReductionKernels.Reduction.SUM);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray max() {
        return reduce(new int[0], false, ReductionKernels.Reduction.MAX);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray max(int[] axes, boolean keepDims) {
        return reduce(axes, keepDims, ReductionKernels.Reduction.MAX);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray min() {
        return reduce(new int[0], false, ReductionKernels.Reduction.MIN);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray min(int[] axes, boolean keepDims) {
        return reduce(axes, keepDims, ReductionKernels.Reduction.MIN);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray mean() {
        return reduce(new int[0], false, ReductionKernels.Reduction.MEAN);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray mean(int[] axes, boolean keepDims) {
        return reduce(axes, keepDims, ReductionKernels.Reduction.MEAN);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray argMax() {
        return result(ReductionKernels.argExtremum(tensor(), null, true));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray argMax(int axis) {
        return result(ReductionKernels.argExtremum(tensor(), axis, true));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray argMin() {
        return result(ReductionKernels.argExtremum(tensor(), null, false));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray argMin(int axis) {
        return result(ReductionKernels.argExtremum(tensor(), axis, false));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray softmax(int axis) {
        if (!getDataType().isFloating()) {
            return super.softmax(axis);
        }
        return result(NormalizationKernels.softmax(tensor(), axis));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray logSoftmax(int axis) {
        if (!getDataType().isFloating()) {
            return super.logSoftmax(axis);
        }
        return result(NormalizationKernels.logSoftmax(tensor(), axis));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray normalize(double exponent, long dim, double eps) {
        if (!getDataType().isFloating()) {
            return super.normalize(exponent, dim, eps);
        }
        return result(NormalizationKernels.normalize(tensor(), exponent, (int) dim, eps));
    }

    /**
     * Returns the top k values and their INT64 indices along an axis, in the same order as
     * PyTorch's CPU kernel (which leaves short unsorted selections in nth-element order).
     *
     * @param k how many
     * @param axis the axis
     * @param largest the largest (true) or smallest (false)
     * @param sorted whether to order the result best first
     * @return {values, indices}
     */
    @Override
    public NDList topK(int k, int axis, boolean largest, boolean sorted) {
        DenseTensor[] result = SelectionKernels.topK(tensor(), k, axis, largest, sorted);
        return new NDList(result(result[0]), result(result[1]));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sort() {
        return sort(-1);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sort(int axis) {
        return result(SelectionKernels.sort(tensor(), axis));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray argSort(int axis, boolean ascending) {
        return result(SelectionKernels.argSort(tensor(), axis, ascending));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray matMul(NDArray other) {
        return result(MatMulKernels.matMul(tensor(), tensorOf(other)));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray batchMatMul(NDArray other) {
        return result(MatMulKernels.batchMatMul(tensor(), tensorOf(other)));
    }

    /**
     * Returns the alternative engine's internal operations on a copy of this array (a counted
     * fallback).
     *
     * @return the PyTorch {@link NDArrayEx}
     */
    NDArrayEx alternativeInternal() {
        return super.getNDArrayInternal();
    }

    /**
     * Returns the live elements and shape of this array.
     *
     * @return the tensor view
     */
    DenseTensor tensor() {
        return new DenseTensor(storage(), dims());
    }

    /**
     * Returns the live float storage of an Int4 FLOAT32 array that covers exactly its elements,
     * so the causal-LM block can read a cache without copying it; {@code null} for any other array.
     *
     * @param array the array
     * @return the live values, or {@code null}
     */
    static float[] liveFloats(NDArray array) {
        if (array instanceof Int4NDArray) {
            DenseTensor t = ((Int4NDArray) array).tensor();
            if (t.storage() instanceof Storage.FloatStorage) {
                float[] v = ((Storage.FloatStorage) t.storage()).values();
                if (v.length == ShapeMath.size(t.dims())) {
                    return v;
                }
            }
        }
        return null;
    }

    /**
     * Returns the elements of any engine's array: the live storage of an Int4 array, a copy
     * otherwise.
     *
     * @param array the array
     * @return the tensor
     */
    static DenseTensor tensorOf(NDArray array) {
        if (array instanceof Int4NDArray) {
            return ((Int4NDArray) array).tensor();
        }
        long[] dims = array.getShape().getShape();
        Storage storage =
                Storage.copyOf(array.toByteBuffer(), array.getDataType(), ShapeMath.size(dims));
        return new DenseTensor(storage, dims);
    }

    /**
     * Wraps a computed tensor as a new array on this array's manager.
     *
     * @param tensor the result
     * @return the array
     */
    Int4NDArray result(DenseTensor tensor) {
        return new Int4NDArray(manager, alternativeManager, tensor.storage(), tensor.shape());
    }

    private NDArray concatPromoted(List<DenseTensor> parts, int axis) {
        DataType type = parts.get(0).dataType();
        for (DenseTensor part : parts) {
            type = TypePromotion.promote(type, part.dataType());
        }
        List<DenseTensor> typed = new ArrayList<>();
        for (DenseTensor part : parts) {
            typed.add(part.withType(type));
        }
        return result(LayoutKernels.concat(typed, axis));
    }

    private static long[] insertOne(long[] dims, int at) {
        long[] out = new long[dims.length + 1];
        System.arraycopy(dims, 0, out, 0, at);
        out[at] = 1;
        System.arraycopy(dims, at, out, at + 1, dims.length - at);
        return out;
    }

    private Int4NDArray view(long[] dims) {
        return new Int4NDArray(manager, alternativeManager, storage(), new Shape(dims));
    }

    /** Returns the live dimensions; never handed out. */
    private long[] dims() {
        return super.getShape().getShape();
    }

    private Storage storage() {
        if (isClosed) {
            throw new IllegalStateException("Native resource has been release already.");
        }
        return storage;
    }

    private void requireType(DataType required) {
        if (getDataType() != required) {
            throw new IllegalStateException(
                    "DataType mismatch, Required " + required + " Actual " + getDataType());
        }
    }

    private NDArray arithmetic(DenseTensor other, ArithmeticOp op) {
        DataType type = computeType(other, op);
        return result(ElementwiseKernels.arithmetic(tensor(), other, op, type));
    }

    private NDArray arithmeticInPlace(DenseTensor other, ArithmeticOp op) {
        DataType type = computeType(other, op);
        if (!TypePromotion.canCastInPlace(type, getDataType())) {
            throw new IllegalArgumentException(
                    "result type " + type + " can't be cast to the desired output type "
                            + getDataType());
        }
        ElementwiseKernels.arithmeticInPlace(tensor(), other, op, type);
        return this;
    }

    private DataType computeType(DenseTensor other, ArithmeticOp op) {
        DataType type =
                TypePromotion.resultType(
                        getDataType(), dims().length == 0, other.dataType(), other.rank() == 0);
        return op == ArithmeticOp.DIV ? TypePromotion.trueDivision(type) : type;
    }

    private NDArray compare(DenseTensor other, ComparisonOp op) {
        DataType type =
                TypePromotion.resultType(
                        getDataType(), dims().length == 0, other.dataType(), other.rank() == 0);
        return result(ElementwiseKernels.compare(tensor(), other, op, type));
    }

    private NDArray reduce(int[] axes, boolean keepDims, ReductionKernels.Reduction reduction) {
        return result(ReductionKernels.reduce(tensor(), axes, keepDims, reduction));
    }

    /** Builds the zero-dimensional tensor DJL's PyTorch engine would make from a number. */
    private static DenseTensor scalar(Number value) {
        DataType type = TypePromotion.scalarType(value);
        Storage storage = Storage.allocate(type, 1);
        if (type.isFloating()) {
            storage.setDouble(0, value.doubleValue());
        } else {
            storage.setLong(0, value.longValue());
        }
        return new DenseTensor(storage, new long[0]);
    }

    /**
     * Returns the fallback manager for arrays attached to a manager: an Int4 manager's PyTorch
     * manager (possibly none), or the manager itself for other engines, as the adapter does.
     */
    private static NDManager alternativeFor(NDManager manager) {
        if (manager instanceof Int4NDManager) {
            return ((Int4NDManager) manager).fallbackManager();
        }
        return manager;
    }
}
