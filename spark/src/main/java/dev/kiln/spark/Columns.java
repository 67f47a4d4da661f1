package dev.kiln.spark;

import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ir.Reachability;
import dev.kiln.ir.Shape;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The checks of a data set against a model, and the conversion of its rows to the floats a placeholder
 * takes. Everything the schema can tell is checked on the driver before any Spark job; the widths of array
 * columns and missing values are checked in the one pass that builds the partitions' blocks, before the
 * first step. Each problem is one line naming the column and the placeholder.
 */
final class Columns {
    private Columns() {}

    /**
     * How one placeholder is fed: {@code width} floats per row, from one array column or from
     * {@code width} scalar columns ({@code indices} in the row).
     */
    record Feed(String placeholder, List<String> columns, int[] indices, boolean array, int width) implements Serializable {
        /** Appends row {@code row}'s values to {@code out} at {@code at}; returns null, or what is wrong with the row. */
        String copy(Row row, float[] out, int at) {
            if (array) {
                if (row.isNullAt(indices[0])) {
                    return "column '" + columns.get(0) + "' is null";
                }
                List<Object> values = row.getList(indices[0]);
                if (values.size() != width) {
                    return "column '" + columns.get(0) + "' holds an array of " + values.size() + " numbers; placeholder '"
                            + placeholder + "' takes rows of " + width;
                }
                for (int i = 0; i < width; i++) {
                    Object v = values.get(i);
                    if (v == null) {
                        return "column '" + columns.get(0) + "' holds a null at index " + i;
                    }
                    out[at + i] = ((Number) v).floatValue();
                }
                return null;
            }
            for (int i = 0; i < width; i++) {
                if (row.isNullAt(indices[i])) {
                    return "column '" + columns.get(i) + "' is null";
                }
                out[at + i] = ((Number) row.get(indices[i])).floatValue();
            }
            return null;
        }
    }

    /**
     * The feeds of {@code feeds} (placeholder to columns) against {@code graph}, whose {@code loss} must be
     * computable from them, and the data set's {@code schema}.
     */
    static List<Feed> plan(Graph graph, Node loss, Map<String, List<String>> feeds, StructType schema) {
        List<String> placeholders = graph.placeholders().stream().map(Node::name).toList();
        for (String name : feeds.keySet()) {
            Node p = graph.node(name);
            if (p == null || p.op().storage() != Op.Storage.FEED) {
                throw new KilnException("feed " + name + ": the model " + graph.sourceFile() + " has no placeholder '" + name
                        + "' (placeholders: " + String.join(", ", placeholders) + ")");
            }
        }
        BitSet needed = Reachability.ancestors(loss);
        for (Node p : graph.placeholders()) {
            if (needed.get(p.id()) && !feeds.containsKey(p.name())) {
                throw new KilnException("placeholder '" + p.name() + "' of " + graph.sourceFile() + " is read by the loss but"
                        + " no column feeds it (feeds given: " + (feeds.isEmpty() ? "none" : String.join(", ", feeds.keySet())) + ")");
            }
        }
        List<Feed> plan = new ArrayList<>();
        for (Map.Entry<String, List<String>> f : feeds.entrySet()) {
            plan.add(feed(graph.node(f.getKey()), f.getValue(), schema));
        }
        return plan;
    }

    private static Feed feed(Node p, List<String> columns, StructType schema) {
        Shape s = p.shape();
        if (s.rank() == 0 || s.dim(0) != Shape.UNKNOWN) {
            throw new KilnException("placeholder '" + p.name() + "' has shape " + s + ": to take rows of the data set its"
                    + " first dimension must be None");
        }
        int width = Shape.of(Arrays.copyOfRange(s.dims(), 1, s.rank())).size();
        int[] indices = new int[columns.size()];
        DataType[] types = new DataType[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            indices[i] = index(schema, columns.get(i), p);
            types[i] = schema.fields()[indices[i]].dataType();
        }
        if (columns.size() == 1 && types[0] instanceof ArrayType a) {
            if (!(a.elementType() instanceof NumericType)) {
                throw new KilnException("column '" + columns.get(0) + "' holds arrays of " + a.elementType().simpleString()
                        + "; placeholder '" + p.name() + "' needs numbers");
            }
            return new Feed(p.name(), List.copyOf(columns), indices, true, width);
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!(types[i] instanceof NumericType)) {
                throw new KilnException("column '" + columns.get(i) + "' holds " + types[i].simpleString() + " values; placeholder '"
                        + p.name() + "' needs numbers (a numeric column, or one array column of " + width + ")");
            }
        }
        if (columns.size() != width) {
            throw new KilnException("placeholder '" + p.name() + "' takes rows of " + width + " number" + (width == 1 ? "" : "s")
                    + " (shape " + s + ") but is fed " + columns.size() + " scalar column" + (columns.size() == 1 ? "" : "s")
                    + (width == 1 ? "" : ": give one array column of " + width + ", or " + width + " numeric columns"));
        }
        return new Feed(p.name(), List.copyOf(columns), indices, false, width);
    }

    private static int index(StructType schema, String column, Node p) {
        for (int i = 0; i < schema.fields().length; i++) {
            if (schema.fields()[i].name().equals(column)) {
                return i;
            }
        }
        throw new KilnException("column '" + column + "' (for placeholder '" + p.name() + "') is not in the data set (columns: "
                + Arrays.stream(schema.fields()).map(StructField::name).collect(Collectors.joining(", ")) + ")");
    }
}
