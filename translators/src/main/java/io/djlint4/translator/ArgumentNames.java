package io.djlint4.translator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The translator argument names text generation understands, and a warning (once per name and
 * JVM) for any other: a misspelt {@code maxNewTokenz} would otherwise be ignored without a word.
 * Warned rather than refused because DJL and DJL Serving put keys of their own into the same map
 * ({@code serving.properties} top-level keys such as {@code engine} or {@code batch_size}).
 */
public final class ArgumentNames {

    /** The names read by {@link GenerationArguments} and the translator factories. */
    public static final Set<String> GENERATION = Set.of(
            "maxNewTokens", "temperature", "topK", "topP", "repetitionPenalty", "seed", "chat", "stopStrings",
            "tokenizer", "numLayers");

    /** Names DJL and DJL Serving add to the arguments themselves. */
    private static final Set<String> DJL = Set.of(
            "application", "engine", "modelName", "translator", "translatorFactory", "batch_size", "max_batch_delay",
            "max_idle_time", "minWorkers", "maxWorkers", "job_queue_size", "load_on_devices", "required_memory_mb");

    private static final Logger logger = LoggerFactory.getLogger(ArgumentNames.class);
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private ArgumentNames() {}

    /**
     * Logs a warning naming each argument neither text generation nor DJL knows, with the valid
     * names; each name is warned about once per JVM.
     *
     * @param arguments the translator arguments, possibly {@code null}
     * @return the names warned about by this call (empty when all are known or already warned)
     */
    public static List<String> warnUnknown(Map<String, ?> arguments) {
        List<String> warned = new ArrayList<>();
        if (arguments == null) {
            return warned;
        }
        for (String name : new TreeSet<>(arguments.keySet())) {
            if (!GENERATION.contains(name) && !DJL.contains(name) && WARNED.add(name)) {
                warned.add(name);
                logger.warn("Unknown text-generation argument '{}' is ignored; valid arguments: {}",
                        name, new TreeSet<>(GENERATION));
            }
        }
        return warned;
    }
}
