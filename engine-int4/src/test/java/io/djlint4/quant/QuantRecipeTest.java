package io.djlint4.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.quant.weight.DoubleQuantizedWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantRecipeTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "fp32", "w4a16", "w4a8", "w4a4", "w3a16", "w3a3", "fp4", "w4a4+rs", "w4a4+rot",
                "w4a4+rrs", "w4a4+rrs+gptq+kv4", "w4a4+dfrot+kv4", "w4a4+rptq", "w4a4+rptq+kv4",
                "w3a3+rptq", "w4a16+adadim", "w3a16+adadim", "w3a16+gptq+adadim", "fp4+kv4",
                "w4a4+rrs+gptq", "w4a4+dfrot+gptq", "fp32+rot", "w4a8+g32", "w4a8+g32+gptq", "w4a4+g64+rrs",
                "w4a4+g128+dfrot+gptq+kv4", "w4a4+pc+rot", "w3a3+g32+rs", "w4a16+g32", "w4a16+pc+gptq",
                "w3a16+g64+adadim", "w4a16+g32+gptq+adadim", "w4a8+asym", "w4a4+rot+asym",
                "w4a4+dfrot+gptq+asym", "w3a3+asym", "w4a4+rrs+asym+kv4", "w4a4+rs+asym", "w4a8+g32+asym",
                "w4a8+g128+gptq+wasym", "w4a4+g64+rot+gptq+wasym+asym", "w4a4+auto",
                "w4a4+g128+rot+gptq+asym+auto+kv4", "w3a3+rrs+auto", "w4a16+g32+dq", "w3a16+dq+kv4", "w4a16+pc+dq",
                "w4a8+g32+dq", "w4a4+g128+rot+dq+kv4",
                "w4a16+g32+gptq+dq", "w4a4+g32+rot+gptq+dq", "w4a4+g32+rot+gptq+wasym+asym+ag32",
                "w4a8+ag64", "w4a4+g32+dfrot+asym+ag128+auto+kv4", "w3a3+ag32", "w4a4+g32+rot+asym+ag32+dq",
                "w4a4+pc+rot+ag32+dq", "w4a16+g32+auto+dq", "w4a16+auto+dq+kv4"
            })
    void canonicalRecipesRoundTrip(String text) {
        QuantRecipe r = QuantRecipe.parse(text);
        assertEquals(text, r.toString());
        assertEquals(r, QuantRecipe.parse(r.toString()));
    }

    @Test
    void tokenOrderAndCaseDoNotMatter() {
        QuantRecipe r = QuantRecipe.parse("KV4+gptq+RRS+w4a4");
        assertEquals(BitWidths.W4A4, r.bits());
        assertEquals(ActivationMethod.RRS, r.method());
        assertTrue(r.gptq() && r.kv4() && !r.adaDim());
        assertEquals("w4a4+rrs+gptq+kv4", r.toString());
    }

    @Test
    void groupTokensFollowTheBitWidthAndSetTheGroupSize() {
        QuantRecipe r = QuantRecipe.parse("gptq+W4A8+G32");
        assertEquals(WeightGroups.G32, r.groups());
        assertEquals("w4a8+g32+gptq", r.toString());
        assertEquals(32, r.groups().size(r.bits(), RecipeSettings.DEFAULT));
        assertEquals(0, QuantRecipe.parse("w4a16+pc").groups().size(BitWidths.W4A16, RecipeSettings.DEFAULT));
    }

    @Test
    void withoutAGroupTokenWeightOnlyRecipesUseGroupsAndWeightActivationRecipesWholeRows() {
        QuantRecipe weightOnly = QuantRecipe.parse("w4a16");
        QuantRecipe weightAct = QuantRecipe.parse("w4a8");
        assertEquals(WeightGroups.DEFAULT, weightOnly.groups());
        assertEquals(128, weightOnly.groups().size(weightOnly.bits(), RecipeSettings.DEFAULT));
        assertEquals(0, weightAct.groups().size(weightAct.bits(), RecipeSettings.DEFAULT));
        WeightScheme w4a8 = WeightScheme.of(weightAct, RecipeSettings.DEFAULT);
        assertTrue(w4a8.grid().symmetric() && !w4a8.actOrder());
        WeightScheme grouped = WeightScheme.of(QuantRecipe.parse("w4a8+g64"), RecipeSettings.DEFAULT);
        assertEquals(64, grouped.groupSize());
        assertTrue(grouped.grid().symmetric() && !grouped.actOrder());
        WeightScheme perChannel = WeightScheme.of(QuantRecipe.parse("w3a16+pc"), RecipeSettings.DEFAULT);
        assertEquals(0, perChannel.groupSize());
        assertTrue(!perChannel.grid().symmetric() && perChannel.actOrder());
    }

    @Test
    void dqRoundsWeightsOntoCodedGridsWithAFloatMinimum() {
        QuantRecipe r = QuantRecipe.parse("DQ+g32+w4a16");
        assertTrue(r.doubleQuantized());
        assertEquals("w4a16+g32+dq", r.toString());
        WeightScheme scheme = WeightScheme.of(r, RecipeSettings.DEFAULT);
        float[] w = new float[4 * 64];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(i * 0.37);
        }
        DoubleQuantizedWeights q = assertInstanceOf(DoubleQuantizedWeights.class, scheme.roundToNearest(w, 4, 64));
        assertEquals(32, q.groupSize());
        assertFalse(QuantRecipe.parse("w4a16+g32").doubleQuantized());
    }

    @Test
    void activationGroupTokensSetChannelsPerActivationGrid() {
        QuantRecipe r = QuantRecipe.parse("AG32+asym+w4a4+rot");
        assertEquals(ActivationGroups.AG32, r.activationGroups());
        assertEquals(32, r.activationGroups().size());
        assertEquals("w4a4+rot+asym+ag32", r.toString());
        assertEquals(ActivationGroups.PER_TOKEN, QuantRecipe.parse("w4a4+rot").activationGroups());
        assertEquals(0, ActivationGroups.PER_TOKEN.size());
    }

    @Test
    void wasymGivesWeightActivationRecipesTheWeightOnlyGrid() {
        QuantRecipe r = QuantRecipe.parse("WASYM+gptq+w4a8+g128");
        assertTrue(r.asymmetricWeights() && !r.asymmetricActivations());
        assertEquals("w4a8+g128+gptq+wasym", r.toString());
        WeightScheme scheme = WeightScheme.of(r, RecipeSettings.DEFAULT);
        assertTrue(!scheme.grid().symmetric() && scheme.actOrder());
        assertEquals(128, scheme.groupSize());
        assertFalse(QuantRecipe.parse("w4a8+g128+gptq").asymmetricWeights());
    }

    @Test
    void asymSetsAsymmetricActivationsWhereverItIsWritten() {
        QuantRecipe r = QuantRecipe.parse("ASYM+gptq+w4a4+dfrot");
        assertTrue(r.asymmetricActivations());
        assertEquals("w4a4+dfrot+gptq+asym", r.toString());
        assertFalse(QuantRecipe.parse("w4a4+dfrot+gptq").asymmetricActivations());
    }

    @Test
    void fp32IsNotQuantizedAndKvAloneIs() {
        assertFalse(QuantRecipe.parse("fp32").isQuantized());
        assertTrue(QuantRecipe.parse("kv4").isQuantized());
        assertEquals(BitWidths.FP32, QuantRecipe.parse("kv4").bits());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "w4a4+foo|unknown token 'foo'",
                "w4a4+w4a8|two bit widths",
                "w4a4+rs+rot|two activation methods",
                "w4a4+kv4+kv4|appears twice",
                "w4a16+rs|needs quantized activations",
                "fp32+rptq|needs quantized activations",
                "fp4+rrs|'fp4' (LLM-FP4)",
                "fp4+gptq|'fp4' (LLM-FP4)",
                "fp32+gptq|add a weight bit width",
                "w4a4+adadim|weight-only",
                "w4a4+|unknown token ''",
                "w4a8+g32+g64|two weight group sizes",
                "fp4+g32|'fp4' (LLM-FP4)",
                "w4a4+g32+rptq|its own per-cluster grids",
                "fp32+g64|'g64' sets the weight group size",
                "g32|add a weight bit width",
                "w4a16+pc+adadim|'pc' has no groups",
                "native+g32|combines with nothing but",
                "w4a16+asym|needs quantized activations",
                "w4a16+wasym|weight-only widths have them already",
                "fp4+wasym|'fp4' and 'rptq' have their own",
                "w4a4+rptq+wasym|'fp4' and 'rptq' have their own",
                "asym|needs quantized activations",
                "w4a4+asym+asym|appears twice",
                "fp4+asym|'fp4' (LLM-FP4)",
                "w4a4+rptq+asym|own asymmetric per-cluster grids",
                "native+asym|combines with nothing but",
                "w4a16+auto|add 'dq', drop 'gptq' and 'adadim'",
                "w4a16+g32+gptq+dq+auto|add 'dq', drop 'gptq' and 'adadim'",
                "w3a16+dq+auto|needs narrower integer activations",
                "w4a8+auto|needs narrower integer activations",
                "fp4+auto|'fp4' and 'rptq' have their own",
                "w4a4+rptq+auto|'fp4' and 'rptq' have their own",
                "native+auto|needs narrower integer activations",
                "w4a8+dq|weight groups g32, g64 or g128",
                "w4a4+pc+rot+dq|weight groups g32, g64 or g128",
                "w4a4+g32+rot+asym+dq|symmetric, unsmoothed inputs",
                "w4a4+g32+rrs+dq|symmetric, unsmoothed inputs",
                "w4a8+g32+wasym+dq|drop 'wasym'",
                "w4a4+rptq+dq|'fp4' and 'rptq' have their own",
                "fp4+dq|'fp4' and 'rptq' have their own",
                "fp32+dq|integer weight widths",
                "w3a16+adadim+dq|drop one of them",
                "w4a16+ag32|needs integer activation widths",
                "fp4+ag32|needs integer activation widths",
                "w4a4+rrs+ag32|without 'rs', 'rrs' or 'rptq'",
                "w4a4+rs+ag64|without 'rs', 'rrs' or 'rptq'",
                "w4a4+rptq+ag128|without 'rs', 'rrs' or 'rptq'",
                "w4a4+ag32+ag64|two activation group sizes",
                "native+ag32|combines with nothing but",
            })
    void impossibleRecipesFailNamingTheProblem(String text, String expected) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> QuantRecipe.parse(text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void anErrorQuotesTheRecipeAsTyped() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> QuantRecipe.parse("rptq"));
        assertTrue(e.getMessage().startsWith("recipe 'rptq':"), e.getMessage());
    }

    @Test
    void unknownTokenListsTheValidOnes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> QuantRecipe.parse("int3"));
        for (String t : new String[] {"w4a4", "fp4", "g32", "g64", "g128", "pc", "rrs", "dfrot", "rptq", "gptq",
            "adadim", "kv4", "asym", "ag32", "ag64", "ag128"}) {
            assertTrue(e.getMessage().contains(t), e.getMessage());
        }
    }
}
