package io.djlint4.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.eval.EvalReport;
import io.djlint4.eval.TextEvaluator;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LinearFactory;
import io.djlint4.model.LinearLayer;
import io.djlint4.model.ModelWeights;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole models on the packed kernels against the same models simulated, on the outlier model
 * (RRS with groups of 16 channels, so each projection has several sorted groups; plain RS smooths
 * each channel on its own). Weight group tokens put W·A recipes on the grouped integer GEMM.
 *
 * <p>Every projection of these recipes runs packed, and on the activations the simulated model
 * really produces, packed and simulated outputs agree to float summation order. Over whole windows
 * the packed model sits far closer to the simulated one than the simulated one to full precision.
 * RRS is looser there: its channel sort is discontinuous, and after rotation the
 * massive tokens set nearly equal maxima in every channel, so a last-bit difference upstream can
 * regroup channels downstream. Plain per-channel RS is a little looser than the other recipes
 * (measured 1.1 % of the simulated model's KL): each channel is divided by a maximum one token sets,
 * so a last-bit difference in that token moves the codes of every token in the channel.
 */
class PackedExecutionTest {

    private static final ModelWeights WEIGHTS = OutlierModel.weights(3);
    private static final DecoderModel FULL_PRECISION = DecoderModel.fromWeights(WEIGHTS);
    private static final List<long[]> WINDOWS = OutlierModel.windows(2, 48, 5);
    private static final ModelQuantizer QUANTIZER = new ModelQuantizer(new RecipeSettings(0, 0.9f, 16, false));

    @ParameterizedTest
    @ValueSource(strings = {
        "w4a16", "w3a16", "w4a8", "w4a4", "w4a4+rs", "w4a4+rot", "w4a4+rrs", "w3a3+rot", "w4a8+g32", "w4a8+g128",
        "w4a4+g64+rot", "w4a4+g32+rrs", "w3a3+g32+rot", "w4a16+g32", "w4a16+pc",
        "w4a8+asym", "w4a4+rot+asym", "w4a4+rs+asym", "w3a3+rot+asym", "w4a8+g32+wasym",
        "w4a4+g64+rot+wasym+asym", "w4a16+g32+dq", "w3a16+dq", "w4a8+g32+dq", "w4a4+g32+rot+dq",
        "w4a4+ag32", "w4a8+g32+asym+ag64", "w4a4+g32+rot+asym+ag32+dq", "w3a3+rot+ag32"
    })
    void everyProjectionMatchesItsSimulatedTwinOnTheModelsActivations(String recipe) {
        assertTrue(ModelQuantizer.runsPacked(QuantRecipe.parse(recipe)), recipe);
        QuantizedModelContents contents = QUANTIZER.apply(WEIGHTS, QuantRecipe.parse(recipe), null).contents();
        LinearFactory packed = ModelQuantizer.linears(contents, Execution.PACKED);
        LinearFactory simulated = ModelQuantizer.linears(contents, Execution.SIMULATED);
        AtomicInteger compared = new AtomicInteger();
        LinearFactory twins = (layer, kind, weight, bias, out, in) -> {
            LinearLayer p = packed.create(layer, kind, weight, bias, out, in);
            LinearLayer s = simulated.create(layer, kind, weight, bias, out, in);
            assertFalse(p instanceof SimulatedQuantLinear, recipe + " layer " + layer + " " + kind + " runs simulated");
            QuantRecipe r = contents.recipe();
            if (r.bits().quantizesActivations() && r.method() == ActivationMethod.NONE) {
                // Per-token inputs take the integer GEMM, grouped weights included.
                assertEquals("QuantizedInputLinear", p.getClass().getSimpleName(), recipe);
            }
            assertInstanceOf(SimulatedQuantLinear.class, s);
            // Both count the same codes and grids; packed codes of fewer than 4 bits take a nibble each.
            long nibblePadding = (4L - QuantRecipe.parse(recipe).bits().weightBits()) * out * in;
            assertEquals(s.weightBits() + nibblePadding, p.weightBits(), recipe + " layer " + layer + " " + kind);
            return new LinearLayer() {
                @Override
                public int inFeatures() {
                    return in;
                }

                @Override
                public int outFeatures() {
                    return out;
                }

                @Override
                public long weightBits() {
                    return p.weightBits();
                }

                @Override
                public void forward(float[] x, int rows, float[] y) {
                    s.forward(x, rows, y);
                    float[] fromPacked = new float[rows * out];
                    p.forward(x, rows, fromPacked);
                    float largest = 0f;
                    for (float v : y) {
                        largest = Math.max(largest, Math.abs(v));
                    }
                    for (int i = 0; i < rows * out; i++) {
                        assertEquals(y[i], fromPacked[i], 1e-5 * largest + 1e-6,
                                recipe + " layer " + layer + " " + kind + " row " + i / out);
                    }
                    compared.incrementAndGet();
                }
            };
        };
        DecoderModel model = DecoderModel.fromWeights(contents.weights(), twins);
        for (long[] window : WINDOWS) {
            model.forward(ForwardRequest.of(window, true));
        }
        assertEquals(WINDOWS.size() * 7 * WEIGHTS.config().numLayers(), compared.get());
    }

    /** A grid per 32 channels of a token loses less than one per token, with and without rotation. */
    @ParameterizedTest
    @ValueSource(strings = {"w4a4+g32+asym", "w4a4+g32+rot+asym", "w4a4+g32+rot"})
    void activationGroupsLowerTheKlOfPerTokenGrids(String recipe) {
        double perToken = klVsFullPrecision(recipe);
        double grouped = klVsFullPrecision(recipe + "+ag32");
        assertTrue(grouped < perToken, recipe + ": per token " + perToken + ", ag32 " + grouped);
    }

    private static double klVsFullPrecision(String recipe) {
        DecoderModel model = QUANTIZER.apply(WEIGHTS, QuantRecipe.parse(recipe), null).model();
        return new TextEvaluator(model, FULL_PRECISION).evaluate(WINDOWS, i -> {}).klVsReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "fp32+rot+kv4", "w4a4+rptq", "w3a3+rptq+kv4"})
    void floatAndSimulatedOnlyRecipesSayTheyDoNotRunPacked(String recipe) {
        assertFalse(ModelQuantizer.runsPacked(QuantRecipe.parse(recipe)), recipe);
    }

    @ParameterizedTest
    @CsvSource({
        "w4a16, 0.01", "w3a16, 0.01", "w4a8, 0.01", "w4a4, 0.01", "w4a4+rs, 0.03", "w4a4+rot, 0.01",
        "w4a4+rot+kv4, 0.01", "w3a3+rot, 0.01", "w4a4+rrs, 0.2", "w4a4+rrs+kv4, 0.2", "w4a8+g32, 0.01",
        "w4a4+g64+rot, 0.01", "w4a4+rot+asym, 0.01", "w4a8+g32+wasym, 0.01", "w4a16+g32+dq, 0.01", "w4a8+g32+dq, 0.01", "w4a4+g64+rot+dq, 0.01",
        "w4a4+rrs+asym, 0.2", "w4a4+g32+rot+asym+ag32, 0.01", "w4a4+g32+rot+asym+ag32+dq, 0.01"
    })
    void packedModelStaysCloseToTheSimulatedOne(String recipe, double share) {
        QuantizationResult result = QUANTIZER.apply(WEIGHTS, QuantRecipe.parse(recipe), null);
        DecoderModel simulated = ModelQuantizer.build(result.contents(), Execution.SIMULATED);
        EvalReport packedVsSimulated = new TextEvaluator(result.model(), simulated).evaluate(WINDOWS, i -> {});
        EvalReport simulatedVsFull = new TextEvaluator(simulated, FULL_PRECISION).evaluate(WINDOWS, i -> {});
        String figures = recipe + ": packed vs simulated KL " + packedVsSimulated.klVsReference()
                + ", top-1 " + packedVsSimulated.top1Agreement()
                + "; simulated vs full precision KL " + simulatedVsFull.klVsReference();
        assertTrue(Math.abs(packedVsSimulated.klVsReference()) < share * simulatedVsFull.klVsReference(), figures);
    }
}
