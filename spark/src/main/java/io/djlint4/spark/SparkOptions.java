package io.djlint4.spark;

import io.djlint4.cli.CommonOptions;
import io.djlint4.cli.EvalCommand;
import io.djlint4.cli.OptionSpec;
import java.util.List;

/** The options of {@code int4-spark} commands beyond those of {@code int4}, and which of them build the model. */
final class SparkOptions {

    static final OptionSpec MASTER = OptionSpec.value(
            "master", "URL", "Spark master, e.g. local[2] (default: the one spark-submit sets)");
    static final OptionSpec PARTITIONS = OptionSpec.value(
            "partitions", "N", "Spark partitions to split the work into (default: Spark's default parallelism)");

    /** The options that decide which model an executor builds, in the order of a model key. */
    static final List<OptionSpec> BUILD = List.of(
            CommonOptions.MODEL, CommonOptions.TOKENIZER, CommonOptions.QUANT, CommonOptions.CALIB,
            CommonOptions.CALIB_SAMPLES, CommonOptions.CALIB_LEN, CommonOptions.WEIGHT_BUDGET, CommonOptions.SIMULATED,
            CommonOptions.LM_HEAD, EvalCommand.BASE);

    private SparkOptions() {}
}
