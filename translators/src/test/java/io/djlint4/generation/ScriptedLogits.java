package io.djlint4.generation;

import java.util.ArrayList;
import java.util.List;

/**
 * A fake model that ranks tokens by a script: at step {@code i} (0 after the prompt) token {@code
 * script[i]} gets logit 10, token {@code runnerUp[i]} (when given) logit 9, and every other token
 * 0. It records what it was fed.
 */
final class ScriptedLogits implements LogitsSource {

    private final int vocab;
    private final int[] script;
    private final int[] runnerUp;
    final List<int[]> prefills = new ArrayList<>();
    final List<Integer> fed = new ArrayList<>();
    private int step;

    ScriptedLogits(int vocab, int[] script, int[] runnerUp) {
        this.vocab = vocab;
        this.script = script;
        this.runnerUp = runnerUp;
    }

    ScriptedLogits(int vocab, int... script) {
        this(vocab, script, null);
    }

    @Override
    public float[] prefill(int[] promptIds) {
        prefills.add(promptIds.clone());
        fed.clear();
        step = 0;
        return logits();
    }

    @Override
    public float[] next(int tokenId) {
        fed.add(tokenId);
        step++;
        return logits();
    }

    private float[] logits() {
        if (step >= script.length) {
            throw new IllegalStateException("the loop asked for step " + step + " beyond the script");
        }
        float[] l = new float[vocab];
        if (runnerUp != null) {
            l[runnerUp[step]] = 9;
        }
        l[script[step]] = 10;
        return l;
    }
}
