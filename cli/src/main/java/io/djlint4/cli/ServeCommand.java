package io.djlint4.cli;

import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.model.ClassifierPrecision;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelConfig;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.server.Int4Server;
import io.djlint4.server.ServedModel;
import io.djlint4.server.ServerSettings;
import io.djlint4.tokenizer.ChatTemplate;
import io.djlint4.tokenizer.TextTokenizer;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code int4 serve}: an OpenAI-compatible HTTP server for one model with continuous batching,
 * until SIGTERM or Ctrl-C, which drain the requests in flight first.
 */
final class ServeCommand implements Command {

    private static final OptionSpec NAME = OptionSpec.value(
            "name", "ID", "the model id clients send as \"model\" (default: the model's file name)");
    private static final OptionSpec HOST = OptionSpec.value("host", "ADDR", "address to listen on (default 127.0.0.1)");
    private static final OptionSpec PORT = OptionSpec.value("port", "N", "port to listen on, 0 for any free one (default 8080)");
    private static final OptionSpec MAX_BATCH = OptionSpec.value(
            "max-batch", "N", "most sequences decoded together in one step (default " + ServerSettings.DEFAULT_MAX_BATCH + ")");
    private static final OptionSpec MAX_QUEUE = OptionSpec.value("max-queue", "N",
            "most requests waiting while every slot is taken; more get 429 (default " + ServerSettings.DEFAULT_MAX_QUEUE + ")");
    private static final OptionSpec CTX = OptionSpec.value(
            "ctx", "N", "most tokens (prompt + completion) per request (default: the model's context)");
    private static final OptionSpec TIMEOUT = OptionSpec.value("timeout", "SECONDS",
            "cancel a request running longer than this (default " + ServerSettings.DEFAULT_TIMEOUT.toSeconds() + ")");

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "serve a model over an OpenAI-compatible HTTP API with continuous batching";
    }

    @Override
    public List<OptionSpec> options() {
        return new ArrayList<>(List.of(CommonOptions.MODEL, CommonOptions.QUANT, NAME, HOST, PORT, MAX_BATCH, MAX_QUEUE,
                CTX, TIMEOUT, CommonOptions.TOKENIZER, CommonOptions.CALIB, CommonOptions.CALIB_SAMPLES,
                CommonOptions.CALIB_LEN,
                CommonOptions.WEIGHT_BUDGET, CommonOptions.LM_HEAD, CommonOptions.THREADS, CommonOptions.VERBOSE));
    }

    @Override
    public void run(ParsedOptions o, CliContext context) throws Exception {
        Path modelPath = o.requirePath(CommonOptions.MODEL.name());
        ModelLoader.recipe(o); // a bad --quant is a usage error, reported before loading
        String host = o.string(HOST.name(), "127.0.0.1");
        int port = o.integer(PORT.name(), 8080, 0, 65535);
        int maxBatch = o.integer(MAX_BATCH.name(), ServerSettings.DEFAULT_MAX_BATCH, 1);
        int maxQueue = o.integer(MAX_QUEUE.name(), ServerSettings.DEFAULT_MAX_QUEUE, 0);
        int timeout = o.integer(TIMEOUT.name(), (int) ServerSettings.DEFAULT_TIMEOUT.toSeconds(), 1);
        ClassifierPrecision lmHead = ModelLoader.lmHead(o);
        ModelLoader.applyThreads(o);

        TerminalProgress progress = context.progress(false);
        ModelInput input = ModelLoader.input(o, progress);
        LoadedCheckpoint checkpoint = input.checkpoint();
        ModelConfig config = checkpoint.config();
        int ctx = o.integer(CTX.name(), config.maxPositionEmbeddings(), 2, config.maxPositionEmbeddings());
        QuantRecipe recipe = ModelLoader.recipe(o, input);
        Path tokenizerPath = o.has(CommonOptions.TOKENIZER.name()) ? Paths.get(o.require(CommonOptions.TOKENIZER.name())) : null;
        TextTokenizer tokenizer = TokenizerLocator.locate(checkpoint, tokenizerPath);
        ChatTemplate template = ChatTemplateLocator.locate(checkpoint, tokenizerPath).orElse(null);
        DecoderModel model = lmHead.apply(ModelLoader.build(input, recipe, ModelLoader.settings(o),
                () -> ModelLoader.calibration(o, recipe, tokenizer, input.weights(), progress), progress));
        String name = o.string(NAME.name(), defaultName(modelPath));
        ServedModel served = new ServedModel(name, model, tokenizer, template,
                GenerationOptions.stopIds(tokenizer, config, template));

        // Netty would log through SLF4J, which DJL puts on the class path without a provider, and
        // SLF4J then warns on stderr; the tool logs through java.util.logging instead.
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        Int4Server server = Int4Server.start(served,
                new ServerSettings(host, port, maxBatch, maxQueue, ctx, Duration.ofSeconds(timeout)));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "int4-serve-drain"));
        context.err().printf("int4 serve: model '%s' (recipe %s%s) on http://%s:%d, max batch %d, context %d%n",
                name, recipe, template == null ? ", no chat template" : "", host, server.port(), maxBatch, ctx);
        context.err().flush();
        server.awaitClose();
    }

    /** The model's file or directory name without a checkpoint extension. */
    private static String defaultName(Path model) {
        String file = model.toAbsolutePath().normalize().getFileName().toString();
        return file.replaceFirst("\\.(gguf|bin|safetensors)$", "");
    }
}
