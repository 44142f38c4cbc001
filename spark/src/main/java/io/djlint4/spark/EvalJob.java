package io.djlint4.spark;

import io.djlint4.cli.CliContext;
import io.djlint4.cli.CommonOptions;
import io.djlint4.cli.EvalCommand;
import io.djlint4.cli.EvalWindows;
import io.djlint4.cli.ModelInput;
import io.djlint4.cli.ModelLoader;
import io.djlint4.cli.OptionSpec;
import io.djlint4.cli.ParsedOptions;
import io.djlint4.cli.TextFiles;
import io.djlint4.cli.TokenizerLocator;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.tokenizer.TextTokenizer;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code int4-spark eval}: {@code int4 eval} of one recipe with the windows spread over the
 * executors; the driver tokenizes the text and prints the same report.
 */
final class EvalJob implements SparkCommand {

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "perplexity, KL vs fp32 and top-1 agreement of one recipe, windows spread across executors";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> specs = new ArrayList<>(List.of(SparkOptions.MASTER, CommonOptions.MODEL, EvalWindows.TEXT,
                EvalWindows.CTX, EvalWindows.MAX_WINDOWS));
        specs.addAll(SparkEvaluation.OPTIONS.subList(1, SparkEvaluation.OPTIONS.size()));
        specs.addAll(List.of(SparkOptions.PARTITIONS, CommonOptions.JSON, CommonOptions.VERBOSE));
        return specs;
    }

    @Override
    public void run(ParsedOptions o, PrintStream out, PrintStream err) throws Exception {
        boolean json = o.flag(CommonOptions.JSON.name());
        o.requirePath(CommonOptions.MODEL.name());
        Path textFile = o.requirePath(EvalWindows.TEXT.name());
        int maxWindows = o.integer(EvalWindows.MAX_WINDOWS.name(), 0, 0);
        SparkEvaluation evaluation = SparkEvaluation.of(
                JobArguments.render(o, SparkEvaluation.OPTIONS, UnaryOperator.identity()).toArray(String[]::new));
        String text = TextFiles.read(textFile);

        // The driver reads the model only for its configuration and tokenizer (a GGUF file's header).
        CliContext context = new CliContext(InputStream.nullInputStream(), out, err, false);
        ModelInput input = ModelLoader.input(o, context.progress(true));
        QuantRecipe recipe = ModelLoader.recipe(o, input);
        int ctx = EvalWindows.ctx(o, input.checkpoint().config());
        Path tokenizerPath = o.has(CommonOptions.TOKENIZER.name())
                ? Paths.get(o.require(CommonOptions.TOKENIZER.name()))
                : null;
        TextTokenizer tokenizer = TokenizerLocator.locate(input.checkpoint(), tokenizerPath);
        List<long[]> windows = EvalWindows.split(text, tokenizer, ctx, maxWindows);

        SparkEvaluation.Result result;
        try (SparkSession spark = SparkSessions.start(o, "int4-spark eval")) {
            JavaSparkContext sparkContext = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int partitions = o.integer(SparkOptions.PARTITIONS.name(), sparkContext.defaultParallelism(), 1);
            result = evaluation.evaluate(sparkContext, windows, partitions);
        }
        EvalCommand.print(context, json, recipe, ModelLoader.execution(o), ModelLoader.lmHead(o), result.report(), ctx,
                result.quantizeSeconds(), ModelLoader.nativeTypes(input, recipe));
    }
}
