package io.djlint4.cli;

import io.djlint4.model.LinearKind;
import io.djlint4.model.ModelConfig;
import io.djlint4.quant.WeightPlan;
import io.djlint4.quant.WeightPlan.PlannedWeight;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a weight-only {@code auto} recipe's weight plan: per layer, each projection's group size,
 * bits per weight and the relative output error it was chosen by (at the recipe's own group size
 * → at the chosen one), as a table for people and as a list for {@code --json}.
 */
final class WeightPlanTable {

    private WeightPlanTable() {}

    /**
     * Returns the plan as JSON-ready values.
     *
     * @param plan the plan
     * @return one map per projection: layer, module, group_size, bits, error, start_error
     */
    static List<Map<String, Object>> json(WeightPlan plan) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PlannedWeight p : plan.weights()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", p.layer());
            row.put("module", p.kind().moduleName());
            row.put("group_size", p.groupSize());
            row.put("bits", p.bits());
            row.put("error", p.error());
            row.put("start_error", p.startError());
            rows.add(row);
        }
        return rows;
    }

    /**
     * Prints the plan, one line per layer, after the average bits per weight it spends.
     *
     * @param plan the plan
     * @param config the model's shapes, for bits per weight
     * @param out where to print
     */
    static void print(WeightPlan plan, ModelConfig config, PrintStream out) {
        long weights = 0;
        for (LinearKind kind : LinearKind.values()) {
            weights += (long) kind.outFeatures(config) * kind.inFeatures(config) * plan.layers();
        }
        out.printf(Locale.ROOT, "weight plan: %.3f bits per projection weight (group size g, bits per weight,"
                + " relative output error at the recipe's own groups -> at g)%n", (double) plan.totalBits() / weights);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%5s", "layer"));
        for (LinearKind kind : LinearKind.values()) {
            header.append(String.format(Locale.ROOT, "  %-30s", kind.moduleName()));
        }
        out.println(header.toString().stripTrailing());
        int kinds = LinearKind.values().length;
        for (int l = 0; l < plan.layers(); l++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5d", l));
            for (LinearKind kind : LinearKind.values()) {
                PlannedWeight p = plan.weights().get(l * kinds + kind.ordinal());
                double bpw = (double) p.bits() / ((long) kind.outFeatures(config) * kind.inFeatures(config));
                String cell = String.format(Locale.ROOT, "g%d %.2f: %.2e -> %.2e", p.groupSize(), bpw,
                        p.startError(), p.error());
                line.append(String.format(Locale.ROOT, "  %-30s", cell));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
