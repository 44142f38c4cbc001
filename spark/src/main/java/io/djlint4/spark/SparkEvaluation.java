package io.djlint4.spark;

import io.djlint4.cli.CommonOptions;
import io.djlint4.cli.EvalCommand;
import io.djlint4.cli.ModelLoader;
import io.djlint4.cli.OptionSpec;
import io.djlint4.eval.EvalReport;
import io.djlint4.eval.TextEvaluator;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Perplexity, KL against full precision and top-1 agreement of one recipe over token windows
 * spread across executors: each executor builds the models once ({@code int4 eval}'s options),
 * scores its partitions' windows with the engine's {@link TextEvaluator}, and the driver adds the
 * partitions up into the report {@code int4 eval} gives for the same windows on one machine.
 */
public final class SparkEvaluation implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The options {@link #of} accepts: the model options of {@code int4 eval}, one recipe. */
    public static final List<OptionSpec> OPTIONS = List.of(CommonOptions.MODEL, CommonOptions.TOKENIZER,
            CommonOptions.QUANT, EvalCommand.BASE, CommonOptions.CALIB, CommonOptions.CALIB_SAMPLES,
            CommonOptions.CALIB_LEN, CommonOptions.WEIGHT_BUDGET, CommonOptions.SIMULATED, CommonOptions.LM_HEAD);

    private final JobArguments args;

    private SparkEvaluation(JobArguments args) {
        this.args = args;
    }

    /**
     * Creates an evaluation from {@code int4 eval}-style model options ({@link #OPTIONS}), checked
     * here on the driver.
     *
     * @param args the options, e.g. {@code "--model", PATH, "--quant", "w4a4+rrs"}
     * @return the evaluation
     * @throws io.djlint4.cli.UsageException when an option is unknown or its value malformed
     */
    public static SparkEvaluation of(String... args) {
        JobArguments parsed = JobArguments.parse("eval", OPTIONS, Arrays.asList(args));
        var o = parsed.onDriver(OPTIONS);
        o.require(CommonOptions.MODEL.name());
        ModelLoader.recipe(o);
        ModelLoader.lmHead(o);
        return new SparkEvaluation(parsed);
    }

    /**
     * The outcome of a distributed evaluation.
     *
     * @param report the scores of all windows
     * @param quantizeSeconds the longest time an executor spent building the recipe's model
     */
    public record Result(EvalReport report, double quantizeSeconds) {}

    /**
     * Scores windows across the cluster.
     *
     * @param spark the Spark context
     * @param windows the token windows (for example from {@code EvalWindows.split}), each scored
     *     from an empty cache
     * @param partitions how many partitions to split them into (at most one per window)
     * @return the report
     * @throws IllegalArgumentException when there is no window
     */
    public Result evaluate(JavaSparkContext spark, List<long[]> windows, int partitions) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("no windows to score");
        }
        List<WindowScores> parts = spark.parallelize(windows, Math.max(1, Math.min(partitions, windows.size())))
                .mapPartitions(new EvalPartition(args))
                .collect();
        double quantizeSeconds = parts.stream().mapToDouble(WindowScores::buildSeconds).max().orElse(0);
        return new Result(WindowScores.merge(parts), quantizeSeconds);
    }

    /** Scores one partition's windows on an executor. */
    private static final class EvalPartition implements FlatMapFunction<Iterator<long[]>, WindowScores> {

        private static final long serialVersionUID = 1L;

        private final JobArguments args;

        EvalPartition(JobArguments args) {
            this.args = args;
        }

        @Override
        public Iterator<WindowScores> call(Iterator<long[]> partition) throws Exception {
            List<long[]> windows = new ArrayList<>();
            partition.forEachRemaining(windows::add);
            if (windows.isEmpty()) {
                return List.<WindowScores>of().iterator();
            }
            TaskThreads.fitToTask();
            var o = args.onExecutor(OPTIONS);
            EvalModels models = ExecutorModels.get(args.modelKey(OPTIONS), EvalModels.class, () -> EvalModels.load(o));
            EvalReport report = new TextEvaluator(models.model(), models.reference()).evaluate(windows, done -> { });
            return List.of(WindowScores.of(report, models.buildSeconds())).iterator();
        }
    }
}
