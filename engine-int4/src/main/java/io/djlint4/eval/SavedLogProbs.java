package io.djlint4.eval;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.ModelConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * A base model's next-token distributions saved to a file ({@code int4 eval --save-logits}) and
 * read back as the base of later comparisons ({@code --base-logits}), so every quantized model is
 * compared with one full-precision pass.
 *
 * <p>Each scored position is stored as llama-perplexity's {@code --kl-divergence-base} stores it:
 * the log-probabilities within 16 nats of the most likely token quantized to 16 bits on a linear
 * grid ({@code scale}, {@code min log-probability} as two floats, then one {@code uint16} per
 * token, little-endian), half the size of floats and exact to {@code 16/65535} nats; and, unlike
 * llama.cpp's file, the exact log-probability of the token that follows (a third float before
 * the codes), which llama.cpp's grid clamps to the floor when it is unlikely, raising the base's
 * perplexity (by 3 % on stories260K). The header
 * (magic {@code INT4LOGP}, version, protocol, model, context, first scored position, vocabulary,
 * window count, token count and the SHA-256 of the token ids, see {@link Header}) is checked
 * against the run before any row is read, so a base of another text, model or protocol is
 * refused with the field that differs.
 */
public final class SavedLogProbs implements BaseDistributions, AutoCloseable {

    private static final byte[] MAGIC = "INT4LOGP".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    /** Log-probabilities further than this below the row's maximum are not kept (as llama.cpp). */
    private static final float RANGE = 16f;
    private static final int LEVELS = 65535;
    /** Far more than any header needs; a file claiming more is refused before allocating. */
    private static final int MAX_HEADER_BYTES = 1 << 16;

    /**
     * What a saved file belongs to.
     *
     * @param protocol the protocol label ({@link EvalProtocol#label()})
     * @param model a description of the base model's shape (see {@link SavedLogProbs#describe(ModelConfig)})
     * @param ctx the window length
     * @param firstScored the first scored position of each window
     * @param vocab the vocabulary size
     * @param windows the number of windows
     * @param tokens the number of token ids in all windows
     * @param tokenHash {@link ScoredWindows#tokenHash()}
     */
    public record Header(
            String protocol,
            String model,
            int ctx,
            int firstScored,
            int vocab,
            int windows,
            long tokens,
            String tokenHash) {

        /**
         * Describes a run.
         *
         * @param protocol the protocol
         * @param base the base model
         * @param windows the scored windows, all of one length
         * @return the header
         * @throws IllegalArgumentException when the windows differ in length or there are none
         */
        public static Header of(EvalProtocol protocol, DecoderModel base, ScoredWindows windows) {
            return of(protocol, describe(base), base.config().vocabSize(), windows);
        }

        /**
         * Describes a run.
         *
         * @param protocol the protocol
         * @param model the description of the model ({@link SavedLogProbs#describe(ModelConfig)})
         * @param vocab the vocabulary size
         * @param windows the scored windows, all of one length
         * @return the header
         * @throws IllegalArgumentException when the windows differ in length or there are none
         */
        public static Header of(EvalProtocol protocol, String model, int vocab, ScoredWindows windows) {
            if (windows.windows().isEmpty()) {
                throw new IllegalArgumentException("no windows to save");
            }
            int ctx = windows.windows().get(0).length;
            for (long[] w : windows.windows()) {
                if (w.length != ctx) {
                    throw new IllegalArgumentException("saved windows must all have " + ctx + " tokens");
                }
            }
            return new Header(protocol.label(), model, ctx, windows.firstScored(), vocab, windows.windows().size(),
                    windows.tokenCount(), windows.tokenHash());
        }

        int rowsPerWindow() {
            return ctx - 1 - firstScored;
        }

        long rowBytes() {
            return 12L + 2L * vocab;
        }
    }

    private final Path file;
    private final Header header;
    private final ScoredWindows windows;
    private final FileChannel channel;
    private final long dataStart;

    private SavedLogProbs(Path file, Header header, ScoredWindows windows, FileChannel channel, long dataStart) {
        this.file = file;
        this.header = header;
        this.windows = windows;
        this.channel = channel;
        this.dataStart = dataStart;
    }

    /**
     * Describes a model's shape, what a saved base is matched against: a quantized model of the
     * same base model has the same description.
     *
     * @param model the model
     * @return architecture, layers, widths, heads and vocabulary
     */
    public static String describe(DecoderModel model) {
        return describe(model.config());
    }

    /**
     * Describes a model's shape, see {@link #describe(DecoderModel)}.
     *
     * @param c the model's configuration
     * @return architecture, layers, widths, heads and vocabulary
     */
    public static String describe(ModelConfig c) {
        return c.architecture().modelType() + " layers=" + c.numLayers() + " hidden=" + c.hiddenSize()
                + " intermediate=" + c.intermediateSize() + " heads=" + c.numHeads() + "/" + c.numKvHeads()
                + " vocab=" + c.vocabSize();
    }

    /**
     * Runs the base model on every window and saves its distributions: written beside the file
     * and moved into place when complete, so a failed run leaves no half-written base.
     *
     * @param file where to save
     * @param base the base model
     * @param protocol the protocol the windows were cut by
     * @param windows the scored windows
     * @param progress receives the number of windows done after each one
     * @throws IOException when the file cannot be written
     */
    public static void save(Path file, DecoderModel base, EvalProtocol protocol, ScoredWindows windows,
            IntConsumer progress) throws IOException {
        try (Writer writer = Writer.create(file, Header.of(protocol, base, windows), windows)) {
            for (int i = 0; i < windows.windows().size(); i++) {
                writer.append(base.forward(ForwardRequest.of(windows.windows().get(i), true)).logits());
                progress.accept(i + 1);
            }
            writer.commit();
        }
    }

    /**
     * Writes a saved base window by window, from the logits of a pass that may also be scored.
     */
    public static final class Writer implements AutoCloseable {

        private final Path file;
        private final Path temp;
        private final Header header;
        private final ScoredWindows windows;
        private final FileChannel channel;
        private final ByteBuffer row;
        private int appended;
        private boolean committed;

        private Writer(Path file, Path temp, Header header, ScoredWindows windows, FileChannel channel) {
            this.file = file;
            this.temp = temp;
            this.header = header;
            this.windows = windows;
            this.channel = channel;
            this.row = ByteBuffer.allocate(Math.toIntExact(header.rowBytes())).order(ByteOrder.LITTLE_ENDIAN);
        }

        /**
         * Starts a file: the header goes to a temporary file beside it.
         *
         * @param file the file to create (replaced on {@link #commit()})
         * @param header what the file belongs to
         * @param windows the windows whose logits will be appended, in order
         * @return the writer
         * @throws IOException when the directory cannot be written
         */
        public static Writer create(Path file, Header header, ScoredWindows windows) throws IOException {
            Path dir = file.toAbsolutePath().getParent();
            // Not createTempFile: its owner-only permissions would stay on the published file.
            Path temp = Files.createFile(dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid()
                    + "." + System.nanoTime() + ".part"));
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                writeFully(channel, ByteBuffer.wrap(encode(header)));
            } catch (IOException e) {
                channel.close();
                Files.deleteIfExists(temp);
                throw e;
            }
            return new Writer(file, temp, header, windows, channel);
        }

        /**
         * Adds the next window.
         *
         * @param logits the base model's {@code [ctx, vocabulary]} logits of the window
         * @throws UncheckedIOException when the file cannot be written
         * @throws IllegalStateException when more windows come than the header announced
         */
        public void append(float[] logits) {
            if (appended == header.windows()) {
                throw new IllegalStateException("the header announced " + header.windows() + " windows");
            }
            int vocab = header.vocab();
            long[] window = windows.windows().get(appended);
            try {
                for (int r = 0; r < header.rowsPerWindow(); r++) {
                    int position = header.firstScored() + r;
                    row.clear();
                    quantizeRow(logits, position * vocab, vocab, (int) window[position + 1], row);
                    row.flip();
                    writeFully(channel, row);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + temp + ": " + e.getMessage(), e);
            }
            appended++;
        }

        /**
         * Moves the complete file into place.
         *
         * @throws IOException when it cannot be moved
         * @throws IllegalStateException when fewer windows were appended than announced
         */
        public void commit() throws IOException {
            if (appended != header.windows()) {
                throw new IllegalStateException(
                        appended + " windows written, the header announced " + header.windows());
            }
            channel.force(true);
            channel.close();
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        }

        /** Drops the temporary file unless {@link #commit()} moved it into place. */
        @Override
        public void close() throws IOException {
            if (!committed) {
                channel.close();
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Opens a saved base and checks that it belongs to this run.
     *
     * @param file the file
     * @param expected what this run's base would be
     * @param windows this run's windows (their hash is in {@code expected})
     * @return the open file; close it when done
     * @throws IOException naming the file and what differs, when it is not a saved base, is cut
     *     short, or belongs to another text, model, protocol or context
     */
    public static SavedLogProbs open(Path file, Header expected, ScoredWindows windows) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, MAX_HEADER_BYTES));
            channel.read(head, 0);
            byte[] bytes = Arrays.copyOf(head.array(), head.position());
            if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
                throw new IOException(file + " is not a base saved by int4 eval --save-logits (no INT4LOGP magic)");
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length, bytes.length));
            Header saved;
            try {
                int version = in.readInt();
                if (version != VERSION) {
                    throw new IOException(file + " is a saved base of format version " + version + "; this int4 reads "
                            + VERSION + ": save it again with --save-logits");
                }
                saved = new Header(in.readUTF(), in.readUTF(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                        in.readLong(), in.readUTF());
            } catch (EOFException e) {
                throw new IOException(file + ": the header of the saved base is cut short", e);
            }
            long dataStart = bytes.length - in.available();
            checkShape(file, saved);
            long expectedSize = dataStart + (long) saved.windows() * saved.rowsPerWindow() * saved.rowBytes();
            if (size != expectedSize) {
                throw new IOException(file + " has " + size + " bytes, its header promises " + expectedSize
                        + " (a cut or damaged file): save the base again");
            }
            requireMatch(file, "protocol", saved.protocol(), expected.protocol());
            requireMatch(file, "model", saved.model(), expected.model());
            requireMatch(file, "vocabulary", saved.vocab(), expected.vocab());
            requireMatch(file, "ctx", saved.ctx(), expected.ctx());
            requireMatch(file, "first scored position", saved.firstScored(), expected.firstScored());
            requireMatch(file, "window count", saved.windows(), expected.windows());
            requireMatch(file, "token count", saved.tokens(), expected.tokens());
            requireMatch(file, "token ids (SHA-256)", saved.tokenHash(), expected.tokenHash());
            return new SavedLogProbs(file, saved, windows, channel, dataStart);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void checkShape(Path file, Header h) throws IOException {
        if (h.vocab() <= 0 || h.ctx() < 2 || h.firstScored() < 0 || h.firstScored() > h.ctx() - 2 || h.windows() < 0) {
            throw new IOException(file + ": the saved base's header is damaged (vocabulary " + h.vocab() + ", ctx "
                    + h.ctx() + ", first scored " + h.firstScored() + ", windows " + h.windows() + ")");
        }
    }

    private static void requireMatch(Path file, String field, Object saved, Object run) throws IOException {
        if (!saved.equals(run)) {
            throw new IOException(file + " was saved for another run: its " + field + " is " + saved + ", this run's is "
                    + run + " (same --model base, --text, --protocol, --ctx and --chunks needed, or save a new base"
                    + " with --save-logits)");
        }
    }

    /**
     * Returns what the file belongs to.
     *
     * @return the header
     */
    public Header header() {
        return header;
    }

    @Override
    public ScoredWindows windows() {
        return windows;
    }

    @Override
    public int vocabSize() {
        return header.vocab();
    }

    @Override
    public LogProbRows window(int index) {
        int rows = header.rowsPerWindow();
        int vocab = header.vocab();
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(rows * header.rowBytes())).order(ByteOrder.LITTLE_ENDIAN);
        long position = dataStart + (long) index * rows * header.rowBytes();
        try {
            while (data.hasRemaining()) {
                int n = channel.read(data, position + data.position());
                if (n < 0) {
                    throw new EOFException(file + " ends inside window " + index);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        data.flip();
        long[] window = windows.windows().get(index);
        float[] values = new float[rows * vocab];
        int[] targets = new int[rows];
        float[] targetLogProbs = new float[rows];
        for (int r = 0; r < rows; r++) {
            float scale = data.getFloat();
            float min = data.getFloat();
            targets[r] = (int) window[header.firstScored() + r + 1];
            targetLogProbs[r] = data.getFloat();
            for (int i = 0; i < vocab; i++) {
                int code = Short.toUnsignedInt(data.getShort());
                values[r * vocab + i] = code == 0 ? Float.NEGATIVE_INFINITY : scale * code + min;
            }
        }
        return new LogProbRows(values, null, targets, targetLogProbs, vocab);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * llama.cpp's {@code log_softmax(n_vocab, logits, log_prob, tok)}: the row's log-probabilities
     * from {@code max − 16} up on a grid of 65535 steps, code 0 at or below that floor; before the
     * codes, the target's exact log-probability.
     */
    static void quantizeRow(float[] logits, int off, int vocab, int target, ByteBuffer out) {
        float max = logits[off];
        float min = logits[off];
        for (int i = 1; i < vocab; i++) {
            max = Math.max(max, logits[off + i]);
            min = Math.min(min, logits[off + i]);
        }
        min = Math.max(min, max - RANGE);
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[off + i] - max);
        }
        float logSumExp = (float) Math.log(sum);
        float scale = (max - min) / LEVELS;
        out.putFloat(scale);
        out.putFloat(min - max - logSumExp);
        out.putFloat((float) (logits[off + target] - max - Math.log(sum)));
        for (int i = 0; i < vocab; i++) {
            float v = logits[off + i];
            int code = scale > 0 && v > min ? Math.round((v - min) / scale) : 0;
            out.putShort((short) code);
        }
    }

    private static byte[] encode(Header h) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(h.protocol());
        out.writeUTF(h.model());
        out.writeInt(h.ctx());
        out.writeInt(h.firstScored());
        out.writeInt(h.vocab());
        out.writeInt(h.windows());
        out.writeLong(h.tokens());
        out.writeUTF(h.tokenHash());
        out.flush();
        return bytes.toByteArray();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
