package io.djlint4.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.PrintStream;
import java.util.Map;

/** Prints a command's result as exactly one JSON object on one line. */
final class JsonOutput {

    private static final Gson GSON = new GsonBuilder()
            .disableHtmlEscaping()
            .serializeSpecialFloatingPointValues()
            .serializeNulls()
            .create();

    private JsonOutput() {}

    /**
     * Prints an object.
     *
     * @param out where to print
     * @param fields the fields in order (values may be maps, lists, arrays, numbers, strings)
     */
    static void print(PrintStream out, Map<String, ?> fields) {
        out.println(GSON.toJson(fields));
        out.flush();
    }
}
