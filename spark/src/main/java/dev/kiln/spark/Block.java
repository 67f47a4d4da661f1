package dev.kiln.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * One partition's rows, converted once and kept (cached) for every step: their global indices, ascending,
 * and for each feed the rows' values back to back. {@code problem} is the first row that could not be
 * converted, reported on the driver before training.
 */
record Block(int partition, int[] rows, float[][] values, String problem) implements Serializable {
    /** Builds partition {@code partition}'s block from its (global index, row) pairs, in any order. */
    static Block of(int partition, Iterator<Tuple2<Long, Row>> pairs, List<Columns.Feed> feeds) {
        List<Tuple2<Long, Row>> all = new ArrayList<>();
        pairs.forEachRemaining(all::add);
        all.sort(Comparator.comparingLong(Tuple2::_1)); // the shuffle's arrival order is not fixed; the index is
        int[] rows = new int[all.size()];
        float[][] values = new float[feeds.size()][];
        for (int f = 0; f < feeds.size(); f++) {
            values[f] = new float[all.size() * feeds.get(f).width()];
        }
        for (int r = 0; r < all.size(); r++) {
            rows[r] = Math.toIntExact(all.get(r)._1());
            Row row = all.get(r)._2();
            for (int f = 0; f < feeds.size(); f++) {
                Columns.Feed feed = feeds.get(f);
                String wrong;
                try {
                    wrong = feed.copy(row, values[f], r * feed.width());
                } catch (ClassCastException e) {
                    wrong = "a value of column(s) " + feed.columns() + " is not a number";
                }
                if (wrong != null) {
                    return new Block(partition, new int[0], new float[0][], "row " + rows[r] + ": " + wrong);
                }
            }
        }
        return new Block(partition, rows, values, null);
    }

    /** What the driver checks of a block: its size and its problem. */
    record Summary(int partition, int rows, String problem) implements Serializable {}

    Summary summary() {
        return new Summary(partition, rows.length, problem);
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
