package io.djlint4.quant.saved;

import io.djlint4.checkpoint.CheckpointFormatException;
import io.djlint4.checkpoint.SafetensorsDtype;
import io.djlint4.kernels.Fp4Format;
import io.djlint4.kernels.PackedFp4Matrix;
import io.djlint4.model.LinearKind;
import io.djlint4.model.ModelConfig;
import io.djlint4.quant.fp4.ActivationBias;
import io.djlint4.quant.fp4.Fp4Layers;
import io.djlint4.quant.fp4.Fp4Linear;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of an LLM-FP4 model's layers: per layer (every projection and the classifier) the
 * FP4 codes two per byte, the real bias β_o of each weight row (F64, so the units recomputed from
 * it are the quantizer's bit for bit), the input's integer shift {@code k_j} per channel (U8) and
 * its tensor bias ρ (F64); the two formats are in the header.
 */
final class Fp4LayerTensors {

    private Fp4LayerTensors() {}

    /**
     * Writes every layer's tensors.
     *
     * @param layers the calibrated layers
     * @param c the configuration
     * @param sink the file and header list
     * @return the header entries, decoder projections in model order, classifier last
     */
    static List<QuantizedModelHeader.Fp4LinearEntry> write(
            Fp4Layers layers, ModelConfig c, QuantizedModelWriter.TensorSink sink) {
        List<QuantizedModelHeader.Fp4LinearEntry> entries = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            for (LinearKind kind : LinearKind.values()) {
                entries.add(write(TensorNames.linear(l, kind), layers.get(l, kind), sink));
            }
        }
        entries.add(write(TensorNames.LM_HEAD_MODULE, layers.lmHead(), sink));
        return entries;
    }

    private static QuantizedModelHeader.Fp4LinearEntry write(
            String module, Fp4Linear layer, QuantizedModelWriter.TensorSink sink) {
        PackedFp4Matrix m = layer.weights();
        byte[] codes = m.codes();
        sink.bytes(module + TensorNames.CODES, SafetensorsDtype.U8, PackedNibbles.pack(codes, 0),
                PackedNibbles.packedLength(codes.length));
        sink.doubles(module + TensorNames.ROW_BIASES, layer.rowBiases(), m.rows());
        int[] k = layer.activations().shifts();
        byte[] shifts = new byte[k.length];
        for (int j = 0; j < k.length; j++) {
            shifts[j] = (byte) k[j];
        }
        sink.bytes(module + TensorNames.INPUT_SHIFTS, SafetensorsDtype.U8, shifts, m.cols());
        sink.doubles(module + TensorNames.INPUT_BIAS, new double[] {layer.activations().rho()}, 1);
        return new QuantizedModelHeader.Fp4LinearEntry(
                module, m.format().name(), layer.activations().format().name());
    }

    /**
     * Reads every layer back.
     *
     * @param t the tensors, checked against the header
     * @param entries the header's entries, one per projection and one for the classifier
     * @param c the configuration
     * @return the layers
     * @throws CheckpointFormatException naming the file and the entry or tensor at fault
     */
    static Fp4Layers read(QuantizedModelReader.Tensors t, List<QuantizedModelHeader.Fp4LinearEntry> entries,
            ModelConfig c) throws CheckpointFormatException {
        Map<String, QuantizedModelHeader.Fp4LinearEntry> byModule = new LinkedHashMap<>();
        for (QuantizedModelHeader.Fp4LinearEntry e : entries) {
            if (byModule.put(e.module(), e) != null) {
                throw t.headerError("fp4Linears", "module " + e.module() + " is listed twice");
            }
        }
        Fp4Linear[][] linears = new Fp4Linear[c.numLayers()][LinearKind.values().length];
        for (int l = 0; l < c.numLayers(); l++) {
            for (LinearKind kind : LinearKind.values()) {
                linears[l][kind.ordinal()] =
                        read(t, entry(t, byModule, TensorNames.linear(l, kind)), kind.outFeatures(c), kind.inFeatures(c));
            }
        }
        Fp4Linear lmHead = read(t, entry(t, byModule, TensorNames.LM_HEAD_MODULE), c.vocabSize(), c.hiddenSize());
        if (!byModule.isEmpty()) {
            throw t.headerError("fp4Linears", "no such layer in the model: " + byModule.keySet());
        }
        return new Fp4Layers(linears, lmHead);
    }

    /** Takes a module's entry out of the map, so that what remains at the end names no layer. */
    private static QuantizedModelHeader.Fp4LinearEntry entry(QuantizedModelReader.Tensors t,
            Map<String, QuantizedModelHeader.Fp4LinearEntry> byModule, String module) throws CheckpointFormatException {
        QuantizedModelHeader.Fp4LinearEntry e = byModule.remove(module);
        if (e == null) {
            throw t.headerError("fp4Linears", "has no entry for " + module);
        }
        return e;
    }

    private static Fp4Linear read(QuantizedModelReader.Tensors t, QuantizedModelHeader.Fp4LinearEntry e, int out, int in)
            throws CheckpointFormatException {
        String module = e.module();
        // The header parser has checked the names.
        Fp4Format weightFormat = Fp4Format.valueOf(e.weightFormat());
        Fp4Format inputFormat = Fp4Format.valueOf(e.inputFormat());
        if ((long) out * in > Integer.MAX_VALUE - 8) {
            throw t.tensorError(module + TensorNames.CODES, out + " x " + in + " codes do not fit one array");
        }
        byte[] packed = t.bytes(module + TensorNames.CODES, "U8", PackedNibbles.packedLength((long) out * in));
        byte[] codes = PackedNibbles.unpack(packed, out * in, 0);
        double[] rowBiases = t.doubles(module + TensorNames.ROW_BIASES, out);
        for (int o = 0; o < out; o++) {
            requireUsableBias(t, module + TensorNames.ROW_BIASES, o, rowBiases[o], weightFormat);
        }
        byte[] stored = t.bytes(module + TensorNames.INPUT_SHIFTS, "U8", in);
        int maxShift = (1 << inputFormat.exponentBits()) - 1;
        int[] shifts = new int[in];
        for (int j = 0; j < in; j++) {
            shifts[j] = stored[j] & 0xFF;
            if (shifts[j] > maxShift) {
                throw t.tensorError(module + TensorNames.INPUT_SHIFTS, "shift " + shifts[j] + " of channel " + j
                        + " is outside [0, " + maxShift + "] for " + inputFormat);
            }
        }
        double rho = t.doubles(module + TensorNames.INPUT_BIAS, 1)[0];
        requireUsableBias(t, module + TensorNames.INPUT_BIAS, 0, rho, inputFormat);
        return Fp4Linear.fromCodes(codes, out, in, weightFormat, rowBiases, new ActivationBias(inputFormat, rho, shifts));
    }

    /** A bias whose unit {@code 2^(1 − M − β)} is not a positive finite float would make every value 0, ∞ or NaN. */
    private static void requireUsableBias(QuantizedModelReader.Tensors t, String name, int index, double bias,
            Fp4Format format) throws CheckpointFormatException {
        float unit = (float) format.unit(bias);
        if (!Double.isFinite(bias) || !(unit > 0) || !Float.isFinite(unit)) {
            throw t.tensorError(name, "bias " + bias + " at " + index + " gives no finite positive " + format + " unit");
        }
    }
}
