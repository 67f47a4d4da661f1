package dev.kiln.interp;

import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ir.Tensor;
import java.util.Map;

/** The checks every engine makes on a run's feeds, with the same messages whichever engine runs. */
public final class Feeds {
    private Feeds() {}

    /** Every feed names a placeholder of {@code graph}, is not null, and has the placeholder's shape. */
    public static void check(Graph graph, Map<String, Tensor> feeds) {
        for (Map.Entry<String, Tensor> f : feeds.entrySet()) {
            Node p = graph.node(f.getKey());
            if (p == null || p.op().storage() != Op.Storage.FEED) {
                var names = graph.placeholders().stream().map(Node::name).toList();
                throw new KilnException("feed '" + f.getKey() + "': the graph has no placeholder of that name"
                        + (names.isEmpty() ? " (it has none)" : " (it has " + String.join(", ", names) + ")"));
            }
            Tensor t = f.getValue();
            if (t == null) {
                throw new KilnException("feed '" + f.getKey() + "' is null; expected shape " + p.shape() + " ("
                        + p.shape().size() + " floats)");
            }
            if (!t.shape().equals(p.shape())) {
                throw new KilnException("feed '" + f.getKey() + "': expected shape " + p.shape() + " ("
                        + p.shape().size() + " floats), got shape " + t.shape() + " (" + t.size() + " floats)");
            }
            checkValues(f.getKey(), p.dtype(), t.data());
        }
    }

    /** An integer or boolean feed holds values of its type ({@link DType#refuses}); a float32 feed anything. */
    private static void checkValues(String name, DType dtype, float[] data) {
        if (dtype == DType.FLOAT32) {
            return;
        }
        for (int i = 0; i < data.length; i++) {
            String why = dtype.refuses(data[i]);
            if (why != null) {
                throw new KilnException("feed '" + name + "' (" + dtype.pythonName() + "): element " + i + ", "
                        + data[i] + ", " + why);
            }
        }
    }

    /** The message for a placeholder the run needs that was not fed. */
    public static KilnException missing(Node placeholder) {
        return new KilnException("no feed for placeholder '" + placeholder.name() + "' (shape " + placeholder.shape() + ")");
    }
}
