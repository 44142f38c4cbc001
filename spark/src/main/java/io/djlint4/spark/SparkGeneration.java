package io.djlint4.spark;

import io.djlint4.cli.CommonOptions;
import io.djlint4.cli.GenerationOptions;
import io.djlint4.cli.ModelLoader;
import io.djlint4.cli.OptionSpec;
import io.djlint4.cli.ParsedOptions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Batch text generation over a {@link Dataset} of prompts. Each executor builds the model once
 * (from options spelled as for {@code int4 generate}) and runs its partition's prompts in batches
 * of {@code --batch-size} through the engine's batched generation; the result has the input's
 * columns followed by {@link #OUTPUT_COLUMNS}. A prompt that cannot run gets its message in {@code
 * error} and nulls in the other output columns; the job goes on. Rows keep their order and
 * partitioning, and a retried task recomputes exactly its own rows, so every row comes out once.
 *
 * <pre>{@code
 * Dataset<Row> out = SparkGeneration.of("--model", "/models/m.gguf", "--temperature", "0", "--max-tokens", "64")
 *         .generate(spark.read().textFile("prompts.txt"));
 * }</pre>
 */
public final class SparkGeneration implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int DEFAULT_MAX_TOKENS = 128;
    static final int DEFAULT_BATCH_SIZE = 8;

    static final OptionSpec BATCH_SIZE = OptionSpec.value(
            "batch-size", "N", "prompts generated together in one batch (default " + DEFAULT_BATCH_SIZE + ")");

    /** The options {@link #of} accepts: the model options and sampling of {@code int4 generate}. */
    public static final List<OptionSpec> OPTIONS = options();

    /** The columns the result adds, in order. */
    public static final List<String> OUTPUT_COLUMNS = List.of(
            "text", "prompt_tokens", "tokens", "stop_reason", "prefill_ms", "decode_ms", "batch_size", "error");

    private final JobArguments args;

    private SparkGeneration(JobArguments args) {
        this.args = args;
    }

    private static List<OptionSpec> options() {
        List<OptionSpec> specs = new ArrayList<>(List.of(CommonOptions.MODEL, CommonOptions.TOKENIZER, CommonOptions.QUANT,
                CommonOptions.CALIB, CommonOptions.CALIB_SAMPLES, CommonOptions.CALIB_LEN, CommonOptions.WEIGHT_BUDGET,
                CommonOptions.LM_HEAD));
        specs.addAll(GenerationOptions.sampling(DEFAULT_MAX_TOKENS));
        specs.add(BATCH_SIZE);
        return List.copyOf(specs);
    }

    /**
     * Creates a generation job from {@code int4 generate}-style options ({@link #OPTIONS}), checked
     * here on the driver.
     *
     * @param args the options, e.g. {@code "--model", PATH, "--quant", "w4a16", "--temperature", "0"}
     * @return the job
     * @throws io.djlint4.cli.UsageException when an option is unknown or its value malformed
     */
    public static SparkGeneration of(String... args) {
        JobArguments parsed = JobArguments.parse("generate", OPTIONS, Arrays.asList(args));
        ParsedOptions o = parsed.onDriver(OPTIONS);
        o.require(CommonOptions.MODEL.name());
        ModelLoader.recipe(o);
        GenerationOptions.sampling(o);
        o.integer(GenerationOptions.MAX_TOKENS, DEFAULT_MAX_TOKENS, 1);
        o.integer(BATCH_SIZE.name(), DEFAULT_BATCH_SIZE, 1);
        return new SparkGeneration(parsed);
    }

    /**
     * Generates for a dataset of prompt strings.
     *
     * @param prompts the prompts
     * @return a column {@code prompt} followed by {@link #OUTPUT_COLUMNS}
     */
    public Dataset<Row> generate(Dataset<String> prompts) {
        return generate(prompts.toDF("prompt"), "prompt");
    }

    /**
     * Generates for the prompts in one column of a dataset.
     *
     * @param input the rows
     * @param promptColumn a string column, or a binary one holding UTF-8 (invalid bytes are that
     *     row's error)
     * @return the input's columns followed by {@link #OUTPUT_COLUMNS}
     * @throws IllegalArgumentException when the column is missing or of another type, or the input
     *     already has an output column
     */
    public Dataset<Row> generate(Dataset<Row> input, String promptColumn) {
        StructType schema = input.schema();
        int column = Arrays.asList(schema.fieldNames()).indexOf(promptColumn);
        if (column < 0) {
            throw new IllegalArgumentException("no column '" + promptColumn + "' in " + schema.simpleString());
        }
        DataType type = schema.fields()[column].dataType();
        if (!type.equals(DataTypes.StringType) && !type.equals(DataTypes.BinaryType)) {
            throw new IllegalArgumentException("column '" + promptColumn + "' is " + type.simpleString()
                    + "; prompts are strings, or UTF-8 binary");
        }
        for (String name : OUTPUT_COLUMNS) {
            if (Arrays.asList(schema.fieldNames()).contains(name)) {
                throw new IllegalArgumentException("the input already has a column '" + name
                        + "', which the result adds; rename it");
            }
        }
        StructType output = schema
                .add("text", DataTypes.StringType, true)
                .add("prompt_tokens", DataTypes.IntegerType, true)
                .add("tokens", DataTypes.IntegerType, true)
                .add("stop_reason", DataTypes.StringType, true)
                .add("prefill_ms", DataTypes.DoubleType, true)
                .add("decode_ms", DataTypes.DoubleType, true)
                .add("batch_size", DataTypes.IntegerType, true)
                .add("error", DataTypes.StringType, true);
        return input.mapPartitions(new GenerationPartition(args, column, output), Encoders.row(output));
    }
}
