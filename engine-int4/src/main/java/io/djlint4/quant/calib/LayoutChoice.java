package io.djlint4.quant.calib;

import io.djlint4.model.LinearKind;
import io.djlint4.quant.weight.GroupLayout;
import java.util.Locale;

/**
 * AdaDim's decision for one projection: the group layout it kept and the block-output errors of
 * the two RTN trials the decision compared (§6.3 of ALGORITHMS.md).
 *
 * @param layer the decoder layer index
 * @param kind the projection
 * @param layout the layout kept
 * @param perOcError mean squared block-output error of the per-OC trial
 * @param perIcError the same for the per-IC trial, or NaN when per-IC groups do not tile the
 *     projection's output channels (the projection then stays per-OC)
 */
public record LayoutChoice(
        int layer, LinearKind kind, GroupLayout layout, double perOcError, double perIcError) {

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "layer %d %s: %s (per-OC %.4g, per-IC %s)",
                layer,
                kind.moduleName(),
                layout.label(),
                perOcError,
                Double.isNaN(perIcError) ? "n/a" : String.format(Locale.ROOT, "%.4g", perIcError));
    }
}
