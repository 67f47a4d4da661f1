package dev.kiln.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * One partition's rows, converted once and kept (cached) for every step: their global indices, ascending,
 * and for each feed the rows' values back to back. Rows are converted before they are moved to their
 * partition ({@link #pieces}), so the shuffle carries arrays of floats, not rows. {@code problem} is the first row that could not be
 * converted, reported on the driver before training.
 */
record Block(int partition, int[] rows, float[][] values, long problemRow, String problem) implements Serializable {
    /**
     * The rows of one input partition bound for one block, converted: a few large arrays cross the
     * shuffle rather than one object per row.
     */
    record Piece(int[] rows, float[][] values, long problemRow, String problem) implements Serializable {}

    /**
     * Converts the (row, global index) pairs of one input partition into one piece per block: row i goes
     * to block i mod {@code blocks}. A row that does not convert ends its piece with the problem.
     */
    static Iterator<Tuple2<Integer, Piece>> pieces(Iterator<Tuple2<Row, Long>> pairs, List<Columns.Feed> feeds, int blocks) {
        List<List<Tuple2<Row, Long>>> to = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            to.add(new ArrayList<>());
        }
        pairs.forEachRemaining(p -> to.get((int) (p._2() % blocks)).add(p));
        List<Tuple2<Integer, Piece>> out = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            List<Tuple2<Row, Long>> rows = to.get(b);
            int[] index = new int[rows.size()];
            float[][] values = new float[feeds.size()][];
            for (int f = 0; f < feeds.size(); f++) {
                values[f] = new float[rows.size() * feeds.get(f).width()];
            }
            String problem = null;
            int r = 0;
            for (; r < rows.size() && problem == null; r++) {
                index[r] = Math.toIntExact(rows.get(r)._2());
                problem = convert(rows.get(r)._1(), index[r], feeds, values, r);
            }
            if (problem != null) {
                out.add(new Tuple2<>(b, new Piece(new int[0], new float[0][], index[r - 1], problem)));
            } else if (!rows.isEmpty()) {
                out.add(new Tuple2<>(b, new Piece(index, values, -1, null)));
            }
        }
        return out.iterator();
    }

    private static String convert(Row row, int index, List<Columns.Feed> feeds, float[][] values, int r) {
        for (int f = 0; f < feeds.size(); f++) {
            Columns.Feed feed = feeds.get(f);
            String wrong;
            try {
                wrong = feed.copy(row, values[f], r * feed.width());
            } catch (ClassCastException e) {
                wrong = "a value of column(s) " + feed.columns() + " is not a number";
            }
            if (wrong != null) {
                return "row " + index + ": " + wrong;
            }
        }
        return null;
    }

    /** Block {@code partition} from its pieces, in any order: the rows sorted by their global index. */
    static Block of(int partition, Iterator<Tuple2<Integer, Piece>> pieces, List<Columns.Feed> feeds) {
        List<Piece> all = new ArrayList<>();
        int n = 0;
        Piece bad = null; // the first bad row by index, whatever order the pieces came in
        while (pieces.hasNext()) {
            Piece p = pieces.next()._2();
            if (p.problem() != null && (bad == null || p.problemRow() < bad.problemRow())) {
                bad = p;
            }
            all.add(p);
            n += p.rows().length;
        }
        if (bad != null) {
            return new Block(partition, new int[0], new float[0][], bad.problemRow(), bad.problem());
        }
        long[] keyed = new long[n]; // global index << 32 | position among the pieces' rows, sorted
        int at = 0;
        for (Piece p : all) {
            for (int r : p.rows()) {
                keyed[at] = (long) r << 32 | at;
                at++;
            }
        }
        Arrays.sort(keyed);
        int[] rows = new int[n];
        float[][] values = new float[feeds.size()][];
        for (int f = 0; f < feeds.size(); f++) {
            int w = feeds.get(f).width();
            float[] concatenated = new float[n * w];
            int off = 0;
            for (Piece p : all) {
                System.arraycopy(p.values()[f], 0, concatenated, off, p.values()[f].length);
                off += p.values()[f].length;
            }
            values[f] = new float[n * w];
            for (int r = 0; r < n; r++) {
                System.arraycopy(concatenated, (int) keyed[r] * w, values[f], r * w, w);
            }
        }
        for (int r = 0; r < n; r++) {
            rows[r] = (int) (keyed[r] >>> 32);
        }
        return new Block(partition, rows, values, -1, null);
    }

    /** What the driver checks of a block: its size and its problem. */
    record Summary(int partition, int rows, long problemRow, String problem) implements Serializable {}

    Summary summary() {
        return new Summary(partition, rows.length, problemRow, problem);
    }

    /**
     * The positions in this block of those of {@code batchRows} it holds, in {@code batchRows}' order (the
     * order the single-machine minibatch holds them).
     */
    int[] select(int[] batchRows) {
        int[] local = new int[batchRows.length];
        int n = 0;
        for (int r : batchRows) {
            int at = Arrays.binarySearch(rows, r);
            if (at >= 0) {
                local[n++] = at;
            }
        }
        return Arrays.copyOf(local, n);
    }
}
