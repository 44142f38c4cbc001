package io.djlint4.cli;

import io.djlint4.model.LinearSlot;
import io.djlint4.quant.ActivationPlan;
import io.djlint4.quant.ActivationPlan.PlannedInput;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Shows an {@code auto} recipe's activation plan: per layer, each linear input's width and the
 * relative output errors it was chosen by ({@code narrow → wide}), as a table for people and as a
 * list for {@code --json}.
 */
final class ActivationPlanTable {

    private ActivationPlanTable() {}

    /**
     * Returns the plan as JSON-ready values.
     *
     * @param plan the plan
     * @return one map per input: layer, slot, bits, narrow_error, wide_error
     */
    static List<Map<String, Object>> json(ActivationPlan plan) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PlannedInput p : plan.inputs()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", p.layer());
            row.put("slot", p.slot().name().toLowerCase(Locale.ROOT));
            row.put("bits", p.bits());
            row.put("narrow_error", p.narrowError());
            row.put("wide_error", p.wideError());
            rows.add(row);
        }
        return rows;
    }

    /**
     * Prints the plan, one line per layer, and how many projections read 8-bit inputs.
     *
     * @param plan the plan
     * @param out where to print
     */
    static void print(ActivationPlan plan, PrintStream out) {
        int projections = 0;
        for (LinearSlot slot : LinearSlot.values()) {
            projections += ActivationPlan.linearsReading(slot) * plan.layers();
        }
        out.printf(Locale.ROOT, "activation plan: %d of %d projections read %d-bit inputs"
                + " (relative output error at the recipe's width -> at 8 bits; * marks the widened inputs)%n",
                plan.linearsAt(ActivationPlan.WIDE_BITS), projections, ActivationPlan.WIDE_BITS);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%5s", "layer"));
        for (LinearSlot slot : LinearSlot.values()) {
            header.append(String.format(Locale.ROOT, "  %-24s", slot.name().toLowerCase(Locale.ROOT)));
        }
        out.println(header.toString().stripTrailing());
        for (int l = 0; l < plan.layers(); l++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5d", l));
            for (LinearSlot slot : LinearSlot.values()) {
                PlannedInput p = plan.inputs().get(l * LinearSlot.values().length + slot.ordinal());
                String cell = String.format(Locale.ROOT, "%s%d: %.2e -> %.2e", p.bits() == ActivationPlan.WIDE_BITS
                        ? "*" : " ", p.bits(), p.narrowError(), p.wideError());
                line.append(String.format(Locale.ROOT, "  %-24s", cell));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
