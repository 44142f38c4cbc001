package io.djlint4.spark;

import java.util.List;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a prompts file, one prompt per line, as rows {@code (line, prompt)}: the 1-based line
 * number and the line's bytes, kept undecoded so that a line that is not UTF-8 becomes that row's
 * error rather than text with replacement characters.
 */
final class PromptLines {

    private static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("line", DataTypes.LongType, false),
            DataTypes.createStructField("prompt", DataTypes.BinaryType, false)));

    private PromptLines() {}

    /**
     * Reads the file.
     *
     * @param spark the session
     * @param path the file, as Hadoop names it (a local path, {@code hdfs://...}, ...)
     * @param partitions the fewest partitions to split it into
     * @return the rows, in file order
     */
    static Dataset<Row> read(SparkSession spark, String path, int partitions) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rows = context.hadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class, partitions)
                .map(line -> line._2().copyBytes())
                .zipWithIndex()
                .map(numbered -> RowFactory.create(numbered._2() + 1, numbered._1()));
        return spark.createDataFrame(rows, SCHEMA);
    }
}
