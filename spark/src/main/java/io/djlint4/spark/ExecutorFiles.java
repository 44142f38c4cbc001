package io.djlint4.spark;

import io.djlint4.cli.CliFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

/**
 * Finds a file named on the command line where an executor can read it: at the path itself (shared
 * storage, or a local run), else under its file name among the files Spark shipped to the executor
 * ({@code spark-submit --files model.gguf} or {@code --archives model.tgz#model} for a directory),
 * in Spark's files directory or the working directory.
 */
final class ExecutorFiles {

    private ExecutorFiles() {}

    /**
     * Resolves a path for this JVM.
     *
     * @param path the path as given on the command line
     * @return a path that exists here
     * @throws CliFailure naming the path when it is neither here nor shipped
     */
    static String resolve(String path) {
        Path given = Paths.get(path);
        if (Files.exists(given)) {
            return path;
        }
        Path name = given.getFileName();
        if (name != null) {
            // Spark unpacks shipped files and archives into its files directory; YARN localizes
            // them into the container's working directory.
            if (SparkEnv.get() != null && Files.exists(Paths.get(SparkFiles.get(name.toString())))) {
                return SparkFiles.get(name.toString());
            }
            if (Files.exists(name)) {
                return name.toAbsolutePath().toString();
            }
        }
        throw new CliFailure(path + " does not exist on this executor and was not shipped with it (spark-submit"
                + " --files for a file, --archives ARCHIVE#" + name + " for a directory); put it on storage every"
                + " executor reads or ship it");
    }
}
