package dev.kiln.ops;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;

/** NumPy broadcasting: the result shape of two operands, and walking both operands for each result element. */
public final class Broadcast {
    private Broadcast() {}

    /** The broadcast shape of {@code a} and {@code b}; an unknown dimension matches an unknown or a 1. */
    public static Shape shape(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = dimFromRight(a, rank - 1 - i);
            int db = dimFromRight(b, rank - 1 - i);
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else if (da == Shape.UNKNOWN || db == Shape.UNKNOWN) {
                out[i] = Math.max(da, db); // the known one; checked again when the graph is bound
            } else {
                throw new KilnException("shapes " + a + " and " + b + " do not broadcast (dimension "
                        + da + " vs " + db + ")");
            }
        }
        return Shape.of(out);
    }

    private static int dimFromRight(Shape s, int fromRight) {
        int i = s.rank() - 1 - fromRight;
        return i >= 0 ? s.dim(i) : 1;
    }

    /**
     * Strides for reading a tensor of shape {@code in} as if it had the (larger) shape {@code out}: zero
     * along broadcast dimensions.
     */
    public static int[] stridesFor(Shape in, Shape out) {
        int[] strides = new int[out.rank()];
        int[] own = in.strides();
        int offset = out.rank() - in.rank();
        for (int i = 0; i < in.rank(); i++) {
            strides[offset + i] = in.dim(i) == 1 ? 0 : own[i];
        }
        return strides;
    }

    /** A float function of two floats. */
    @FunctionalInterface
    public interface FloatBinary {
        float apply(float a, float b);
    }

    /** {@code f} applied elementwise to {@code a} and {@code b} broadcast to {@code out}. */
    public static Tensor apply(Tensor a, Tensor b, Shape out, FloatBinary f) {
        float[] r = new float[out.size()];
        float[] x = a.data();
        float[] y = b.data();
        if (x.length == r.length && y.length == r.length) {
            for (int i = 0; i < r.length; i++) {
                r[i] = f.apply(x[i], y[i]);
            }
        } else if (x.length == r.length && y.length == 1) {
            float c = y[0];
            for (int i = 0; i < r.length; i++) {
                r[i] = f.apply(x[i], c);
            }
        } else if (y.length == r.length && x.length == 1) {
            float c = x[0];
            for (int i = 0; i < r.length; i++) {
                r[i] = f.apply(c, y[i]);
            }
        } else {
            int[] sa = stridesFor(a.shape(), out);
            int[] sb = stridesFor(b.shape(), out);
            int[] dims = out.dims();
            int[] idx = new int[dims.length];
            int oa = 0;
            int ob = 0;
            for (int i = 0; i < r.length; i++) {
                r[i] = f.apply(x[oa], y[ob]);
                for (int d = dims.length - 1; d >= 0; d--) {
                    idx[d]++;
                    oa += sa[d];
                    ob += sb[d];
                    if (idx[d] < dims[d]) {
                        break;
                    }
                    oa -= sa[d] * dims[d];
                    ob -= sb[d] * dims[d];
                    idx[d] = 0;
                }
            }
        }
        return new Tensor(out, r);
    }
}
