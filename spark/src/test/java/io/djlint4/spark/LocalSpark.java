package io.djlint4.spark;

import org.apache.spark.sql.SparkSession;

/** Local Spark sessions for tests: bound to 127.0.0.1, no web UI. */
final class LocalSpark {

    private LocalSpark() {}

    static SparkSession start(String master) {
        return SparkSession.builder()
                .appName("int4-spark test")
                .master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }
}
