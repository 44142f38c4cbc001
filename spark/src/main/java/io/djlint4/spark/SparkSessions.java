package io.djlint4.spark;

import io.djlint4.cli.ParsedOptions;
import org.apache.spark.sql.SparkSession;

/** Starts the Spark session of a command. */
final class SparkSessions {

    private SparkSessions() {}

    /**
     * Starts (or joins) the session: on {@code --master} when given, else on the master {@code
     * spark-submit} configured. A local master binds to 127.0.0.1 and runs without the web UI.
     *
     * @param o the command's options
     * @param appName the application name
     * @return the session; the caller stops it
     */
    static SparkSession start(ParsedOptions o, String appName) {
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        if (o.has(SparkOptions.MASTER.name())) {
            String master = o.require(SparkOptions.MASTER.name());
            builder.master(master);
            if (master.startsWith("local")) {
                builder.config("spark.ui.enabled", "false")
                        .config("spark.driver.host", "127.0.0.1")
                        .config("spark.driver.bindAddress", "127.0.0.1");
            }
        }
        return builder.getOrCreate();
    }
}
