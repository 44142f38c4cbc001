package io.djlint4.spark;

import static org.apache.spark.sql.functions.col;

import io.djlint4.cli.CliFailure;
import io.djlint4.cli.CommonOptions;
import io.djlint4.cli.OptionSpec;
import io.djlint4.cli.ParsedOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;

/**
 * {@code int4-spark generate}: continues every line of a prompts file and writes JSON lines, one
 * per prompt in file order, into a new directory (Spark's {@code part-*.json} files).
 */
final class GenerateJob implements SparkCommand {

    static final OptionSpec INPUT = OptionSpec.value(
            "input", "FILE", "prompts, one per line (UTF-8; a local path, or hdfs://... on a cluster)");
    static final OptionSpec OUTPUT = OptionSpec.value(
            "output", "DIR", "directory to create for the JSON lines (line, prompt, text, prompt_tokens, tokens,"
                    + " stop_reason, prefill_ms, decode_ms, batch_size, error)");

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String summary() {
        return "generate for every line of a prompts file, in batches across executors";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> specs = new ArrayList<>(List.of(SparkOptions.MASTER, INPUT, OUTPUT));
        specs.addAll(SparkGeneration.OPTIONS);
        specs.addAll(List.of(SparkOptions.PARTITIONS, CommonOptions.VERBOSE));
        return specs;
    }

    @Override
    public void run(ParsedOptions o, PrintStream out, PrintStream err) {
        String input = o.require(INPUT.name());
        String output = o.require(OUTPUT.name());
        if (!input.contains("://") && !Files.isRegularFile(Paths.get(input))) {
            throw new CliFailure("--input " + input + ": no such file");
        }
        if (!output.contains("://") && Files.exists(Paths.get(output))) {
            throw new CliFailure("--output " + output + " exists; give a new directory");
        }
        String model = o.require(CommonOptions.MODEL.name());
        if (o.string(SparkOptions.MASTER.name(), "").startsWith("local") && !Files.exists(Paths.get(model))) {
            // A local run's executors read the driver's files: fail before Spark logs a failed task.
            throw new CliFailure("--model " + model + ": no such file or directory");
        }
        SparkGeneration generation = SparkGeneration.of(
                JobArguments.render(o, SparkGeneration.OPTIONS, UnaryOperator.identity()).toArray(String[]::new));
        try (SparkSession spark = SparkSessions.start(o, "int4-spark generate")) {
            int partitions = o.integer(SparkOptions.PARTITIONS.name(),
                    JavaSparkContext.fromSparkContext(spark.sparkContext()).defaultParallelism(), 1);
            List<Column> columns = new ArrayList<>(List.of(col("line"), col("prompt").cast("string").as("prompt")));
            SparkGeneration.OUTPUT_COLUMNS.forEach(name -> columns.add(col(name)));
            generation.generate(PromptLines.read(spark, input, partitions), "prompt")
                    .select(columns.toArray(Column[]::new))
                    .write()
                    .option("ignoreNullFields", false)
                    .json(output);
        }
        out.println("wrote " + output);
    }
}
