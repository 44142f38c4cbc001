package io.djlint4.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.djlint4.cli.UsageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batch generation on local[2] against {@code int4 generate} on one machine, row by row. */
class SparkGenerationTest {

    private static final int MAX_TOKENS = 12;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        StoriesPrompts.model();
        spark = LocalSpark.start("local[2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static SparkGeneration job(String... more) {
        List<String> args = new ArrayList<>(List.of("--model", StoriesPrompts.model().toString(), "--temperature", "0",
                "--max-tokens", String.valueOf(MAX_TOKENS)));
        args.addAll(List.of(more));
        return SparkGeneration.of(args.toArray(String[]::new));
    }

    private static void assertSameAsSingleMachine(JsonObject expected, Row row) {
        String prompt = row.getAs("prompt");
        assertNull(row.getAs("error"), prompt);
        assertEquals(expected.get("text").getAsString(), row.getAs("text"), prompt);
        assertEquals(expected.getAsJsonArray("tokens").size(), (int) row.getAs("tokens"), prompt);
        assertEquals(expected.getAsJsonArray("prompt_tokens").size(), (int) row.getAs("prompt_tokens"), prompt);
        assertEquals(expected.get("stop_reason").getAsString(), row.getAs("stop_reason"), prompt);
    }

    @Test
    void everyPromptOfABatchGetsWhatItGetsAloneOnOneMachine() {
        assertSameAsSingleMachine(StoriesPrompts.all(), "fp32");
    }

    @Test
    void batchesOfAQuantizedModelGetWhatEachPromptGetsAlone() {
        assertSameAsSingleMachine(StoriesPrompts.all().subList(0, 48), "w4a16");
    }

    private static void assertSameAsSingleMachine(List<String> prompts, String recipe) {
        List<Row> rows = job("--quant", recipe, "--batch-size", "8")
                .generate(spark.createDataset(prompts, Encoders.STRING()).repartition(2))
                .collectAsList();

        assertEquals(prompts.size(), rows.size());
        List<String> seen = new ArrayList<>();
        for (Row row : rows) {
            String prompt = row.getAs("prompt");
            seen.add(prompt);
            assertSameAsSingleMachine(StoriesPrompts.singleMachine(prompt, MAX_TOKENS, "--quant", recipe), row);
            assertTrue((double) row.getAs("decode_ms") > 0, prompt);
            assertTrue((int) row.getAs("batch_size") >= 1 && (int) row.getAs("batch_size") <= 8, prompt);
        }
        assertEquals(prompts.stream().sorted().toList(), seen.stream().sorted().toList());
    }

    @Test
    void badPromptsGetTheirErrorAndTheRestOfTheirBatchRuns() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("prompt", DataTypes.BinaryType);
        byte[] invalidUtf8 = {'T', 'h', 'e', ' ', (byte) 0xC3, (byte) 0x28};
        String tooLong = "the dog ".repeat(400);
        List<Row> input = List.of(
                RowFactory.create(0, "Once upon a time".getBytes(StandardCharsets.UTF_8)),
                RowFactory.create(1, invalidUtf8),
                RowFactory.create(2, tooLong.getBytes(StandardCharsets.UTF_8)),
                RowFactory.create(3, null),
                RowFactory.create(4, "The cat saw".getBytes(StandardCharsets.UTF_8)));
        Dataset<Row> prompts = spark.createDataFrame(input, schema).coalesce(1);

        List<Row> rows = job("--batch-size", "5").generate(prompts, "prompt").orderBy("id").collectAsList();

        assertEquals(5, rows.size());
        assertSameAsSingleMachine(StoriesPrompts.singleMachine("Once upon a time", MAX_TOKENS), named(rows.get(0)));
        assertTrue(rows.get(1).<String>getAs("error").contains("not UTF-8 text (invalid byte at offset 4)"),
                () -> rows.get(1).getAs("error"));
        assertNull(rows.get(1).getAs("text"));
        assertTrue(rows.get(2).<String>getAs("error").contains("fills the model's context of 512"),
                () -> rows.get(2).getAs("error"));
        assertNotNull(rows.get(2).getAs("prompt_tokens"));
        assertEquals("the prompt is null", rows.get(3).getAs("error"));
        assertSameAsSingleMachine(StoriesPrompts.singleMachine("The cat saw", MAX_TOKENS), named(rows.get(4)));
        assertEquals(2, (int) rows.get(4).getAs("batch_size"));
    }

    /** The binary prompt column as text, so rows read like those of a string dataset. */
    private static Row named(Row row) {
        StructType schema = new StructType().add("prompt", DataTypes.StringType).add("text", DataTypes.StringType)
                .add("prompt_tokens", DataTypes.IntegerType).add("tokens", DataTypes.IntegerType)
                .add("stop_reason", DataTypes.StringType).add("error", DataTypes.StringType);
        return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(new Object[] {
            new String((byte[]) row.getAs("prompt"), StandardCharsets.UTF_8), row.getAs("text"), row.getAs("prompt_tokens"),
            row.getAs("tokens"), row.getAs("stop_reason"), row.getAs("error")}, schema);
    }

    @Test
    void aModelShippedWithTheJobIsFoundByItsFileName() {
        Path model = StoriesPrompts.model();
        spark.sparkContext().addFile(model.toString());
        spark.sparkContext().addFile(model.resolveSibling("tok512.bin").toString());
        String elsewhere = "/not/on/this/machine/" + model.getFileName();

        List<Row> rows = SparkGeneration.of("--model", elsewhere, "--temperature", "0", "--max-tokens", "6")
                .generate(spark.createDataset(List.of("The cat saw"), Encoders.STRING()))
                .collectAsList();

        assertSameAsSingleMachine(StoriesPrompts.singleMachine("The cat saw", 6), rows.get(0));
    }

    @Test
    void badOptionsAndColumnsFailOnTheDriver() {
        assertThrows(UsageException.class, () -> SparkGeneration.of("--model", "m", "--temperature", "hot"));
        assertThrows(UsageException.class, () -> SparkGeneration.of("--model", "m", "--quant", "w5a5"));
        Dataset<Row> numbers = spark.range(3).toDF("prompt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> job().generate(numbers, "prompt"));
        assertTrue(e.getMessage().contains("column 'prompt' is bigint"), e::getMessage);
    }
}
