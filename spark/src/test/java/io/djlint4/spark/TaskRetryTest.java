package io.djlint4.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A task that dies after it has generated some of its rows is retried by Spark ({@code
 * local[2,3]}: up to 3 attempts per task), and every row still comes out exactly once.
 */
class TaskRetryTest {

    /** Failures injected so far; local mode runs the tasks in this JVM. */
    private static final AtomicInteger INJECTED = new AtomicInteger();
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        StoriesPrompts.model();
        spark = LocalSpark.start("local[2,3]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** Fails the first attempt of partition 1 at its fifth row, after four rows were generated. */
    private static final class DieOnce implements MapFunction<Row, String> {
        private static final long serialVersionUID = 1L;
        private int rows;

        @Override
        public String call(Row row) {
            TaskContext task = TaskContext.get();
            if (task.partitionId() == 1 && task.attemptNumber() == 0 && ++rows == 5) {
                INJECTED.incrementAndGet();
                throw new IllegalStateException("injected failure");
            }
            return row.<String>getAs("prompt") + " -> " + row.<String>getAs("text");
        }
    }

    @Test
    void aTaskKilledOnceStillGivesEveryRowExactlyOnce() {
        List<String> prompts = StoriesPrompts.all().subList(0, 64);
        SparkGeneration job = SparkGeneration.of("--model", StoriesPrompts.model().toString(), "--temperature", "0",
                "--max-tokens", "8", "--batch-size", "4");
        Dataset<Row> input = spark.createDataset(prompts, Encoders.STRING()).toDF("prompt").repartition(2);
        List<String> clean = job.generate(input, "prompt").map(new DieOnce(), Encoders.STRING()).collectAsList();
        assertEquals(1, INJECTED.get(), "the injected failure did not happen");

        List<String> again = job.generate(input, "prompt")
                .map((MapFunction<Row, String>) r -> r.<String>getAs("prompt") + " -> " + r.<String>getAs("text"),
                        Encoders.STRING())
                .collectAsList();
        assertEquals(prompts.size(), clean.size());
        assertEquals(again.stream().sorted().toList(), clean.stream().sorted().toList());
        assertEquals(prompts.size(), clean.stream().map(line -> line.substring(0, line.indexOf(" -> "))).distinct().count());
    }
}
