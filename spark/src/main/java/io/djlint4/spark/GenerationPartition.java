package io.djlint4.spark;

import io.djlint4.cli.GenerationOptions;
import io.djlint4.cli.ParsedOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;

/**
 * Generates for one partition on an executor: builds (or reuses) the JVM's model, then reads the
 * partition a batch at a time, so memory holds one batch of rows whatever the partition's size.
 */
final class GenerationPartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final JobArguments args;
    private final int promptColumn;
    private final StructType schema;

    /**
     * Creates the function.
     *
     * @param args the job's options
     * @param promptColumn the index of the prompt column
     * @param schema the schema of the rows it returns
     */
    GenerationPartition(JobArguments args, int promptColumn, StructType schema) {
        this.args = args;
        this.promptColumn = promptColumn;
        this.schema = schema;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws Exception {
        if (!rows.hasNext()) {
            return rows;
        }
        TaskThreads.fitToTask();
        ParsedOptions o = args.onExecutor(SparkGeneration.OPTIONS);
        GenerationModel model = ExecutorModels.get(args.modelKey(SparkGeneration.OPTIONS), GenerationModel.class,
                () -> GenerationModel.load(o));
        BatchedGenerator generator = new BatchedGenerator(model, GenerationOptions.sampling(o),
                o.integer(GenerationOptions.MAX_TOKENS, SparkGeneration.DEFAULT_MAX_TOKENS, 1));
        int batchSize = o.integer(SparkGeneration.BATCH_SIZE.name(), SparkGeneration.DEFAULT_BATCH_SIZE, 1);
        return new Iterator<>() {
            private final List<Row> ready = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next == ready.size()) {
                    ready.clear();
                    next = 0;
                    fill();
                }
                return next < ready.size();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.get(next++);
            }

            private void fill() {
                List<Row> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && rows.hasNext()) {
                    batch.add(rows.next());
                }
                if (batch.isEmpty()) {
                    return;
                }
                List<Object> prompts = new ArrayList<>(batch.size());
                for (Row row : batch) {
                    prompts.add(row.get(promptColumn));
                }
                List<GeneratedRow> generated = generator.generate(prompts);
                for (int i = 0; i < batch.size(); i++) {
                    ready.add(withOutput(batch.get(i), generated.get(i)));
                }
            }
        };
    }

    /** The row with its outputs; it carries its schema, since Spark may hand it on without converting it. */
    private Row withOutput(Row input, GeneratedRow g) {
        int n = input.size();
        Object[] values = new Object[n + SparkGeneration.OUTPUT_COLUMNS.size()];
        for (int i = 0; i < n; i++) {
            values[i] = input.get(i);
        }
        Object[] output = {g.text(), g.promptTokens(), g.tokens(), g.stopReason(), g.prefillMs(), g.decodeMs(),
            g.batchSize(), g.error()};
        System.arraycopy(output, 0, values, n, output.length);
        return new GenericRowWithSchema(values, schema);
    }
}
