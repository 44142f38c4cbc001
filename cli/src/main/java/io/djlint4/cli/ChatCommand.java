package io.djlint4.cli;

import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.generation.GenerationConfig;
import io.djlint4.generation.GenerationLoop;
import io.djlint4.generation.GenerationResult;
import io.djlint4.generation.SamplingConfig;
import io.djlint4.model.ClassifierPrecision;
import io.djlint4.model.ModelConfig;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.tokenizer.ChatMessage;
import io.djlint4.tokenizer.ChatTemplate;
import io.djlint4.tokenizer.TextTokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code int4 chat}: an interactive conversation on stdin and stdout with the model's chat
 * template. The whole conversation is sent each turn; when it outgrows the context the oldest
 * exchanges are dropped. {@code /help} and {@code /reset} (forget the conversation) are handled
 * here, never sent to the model; {@code /exit} or end of input ends it.
 */
final class ChatCommand implements Command {

    private static final OptionSpec SYSTEM = OptionSpec.value(
            "system", "TEXT", "system message (default: the template's own, if any)");
    private static final String EXIT = "/exit";
    private static final String HELP = "/help";
    private static final String RESET = "/reset";
    private static final String COMMANDS = "[" + HELP + " shows this, " + RESET + " starts a new conversation, "
            + EXIT + " or end of input (Ctrl-D) quits]";
    private static final int DEFAULT_MAX_TOKENS = 256;

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public String summary() {
        return "chat interactively with an instruction-tuned model (" + HELP + ", " + RESET + "; " + EXIT
                + " or end of input quits)";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> specs = new ArrayList<>(List.of(CommonOptions.MODEL, SYSTEM));
        specs.addAll(GenerationOptions.sampling(DEFAULT_MAX_TOKENS));
        specs.addAll(List.of(CommonOptions.TOKENIZER, CommonOptions.QUANT, CommonOptions.CALIB, CommonOptions.CALIB_SAMPLES, CommonOptions.CALIB_LEN,
                CommonOptions.WEIGHT_BUDGET,
                CommonOptions.LM_HEAD, CommonOptions.THREADS,
                CommonOptions.VERBOSE));
        return specs;
    }

    @Override
    public void run(ParsedOptions o, CliContext context) throws Exception {
        o.requirePath(CommonOptions.MODEL.name());
        ModelLoader.recipe(o); // a bad --quant is a usage error, reported before loading
        SamplingConfig sampling = GenerationOptions.sampling(o);
        int maxTokens = o.integer(GenerationOptions.MAX_TOKENS, DEFAULT_MAX_TOKENS, 1);
        ClassifierPrecision lmHead = ModelLoader.lmHead(o);
        ModelLoader.applyThreads(o);

        TerminalProgress progress = context.progress(false);
        ModelInput input = ModelLoader.input(o, progress);
        LoadedCheckpoint checkpoint = input.checkpoint();
        QuantRecipe recipe = ModelLoader.recipe(o, input);
        Path tokenizerPath = o.has(CommonOptions.TOKENIZER.name()) ? Paths.get(o.require(CommonOptions.TOKENIZER.name())) : null;
        TextTokenizer tokenizer = TokenizerLocator.locate(checkpoint, tokenizerPath);
        ChatTemplate template = ChatTemplateLocator.require(checkpoint, tokenizerPath);
        ModelConfig config = checkpoint.config();
        int[] stopIds = GenerationOptions.stopIds(tokenizer, config, template);
        GenerationLoop loop = new GenerationLoop(
                new DecoderLogitsSource(lmHead.apply(ModelLoader.build(input, recipe, ModelLoader.settings(o),
                        () -> ModelLoader.calibration(o, recipe, tokenizer, input.weights(), progress), progress))),
                        tokenizer);

        PrintStream out = context.out();
        List<ChatMessage> conversation = new ArrayList<>();
        if (o.has(SYSTEM.name())) {
            conversation.add(ChatMessage.system(o.require(SYSTEM.name())));
        }
        int kept = conversation.size();
        BufferedReader in = new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8));
        if (context.terminal()) {
            context.err().println(COMMANDS);
        }
        while (true) {
            if (context.terminal()) {
                out.print("> ");
                out.flush();
            }
            String line = in.readLine();
            if (line == null || line.strip().equals(EXIT)) {
                return;
            }
            if (line.isBlank()) {
                continue;
            }
            if (line.strip().equals(HELP)) {
                context.err().println(COMMANDS);
                continue;
            }
            if (line.strip().equals(RESET)) {
                conversation.subList(kept, conversation.size()).clear();
                context.err().println("[conversation cleared]");
                continue;
            }
            conversation.add(ChatMessage.user(line));
            int[] prompt = fitConversation(conversation, template, tokenizer, config.maxPositionEmbeddings());
            if (prompt == null) {
                conversation.remove(conversation.size() - 1);
                context.err().println("int4: the message does not fit in the model's context of "
                        + config.maxPositionEmbeddings() + " tokens; try a shorter one");
                continue;
            }
            int granted = GenerationOptions.fitToContext(maxTokens, prompt.length, config);
            GenerationConfig generation = new GenerationConfig(granted, sampling, stopIds, List.of());
            GenerationResult reply = loop.generate(prompt, generation, piece -> {
                out.print(piece);
                out.flush();
            });
            out.println();
            out.flush();
            String stop = GenerationOptions.stopReason(reply, maxTokens, granted);
            if (stop.equals("max_tokens")) {
                context.err().println("[reply cut off at --max-tokens " + maxTokens + "]");
            } else if (stop.equals("context_length")) {
                context.err().println("[reply cut off: the conversation filled the model's context of "
                        + config.maxPositionEmbeddings() + " tokens]");
            }
            conversation.add(ChatMessage.assistant(reply.text().strip()));
        }
    }

    /**
     * Encodes the conversation, dropping the oldest messages after any system message until the
     * prompt leaves room for at least one reply token.
     *
     * @return the prompt ids, or {@code null} when even the newest message alone does not fit
     */
    private static int[] fitConversation(
            List<ChatMessage> conversation, ChatTemplate template, TextTokenizer tokenizer, int contextLength) {
        int first = !conversation.isEmpty() && conversation.get(0).role().equals("system") ? 1 : 0;
        while (true) {
            int[] ids = template.prompt(conversation, true).encode(tokenizer);
            if (ids.length < contextLength) {
                return ids;
            }
            if (conversation.size() - first <= 1) {
                return null;
            }
            conversation.remove(first);
        }
    }
}
