package dev.kiln.codegen;

import dev.kiln.ops.Kernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.GeneratorAdapter;
import org.objectweb.asm.commons.Method;

/**
 * Generates loop nests for everything that is not a matmul: elementwise chains, reductions, transposes
 * and broadcasts. A kernel walks an iteration space; each argument and the output are read at
 * {@code sum(index[d] * stride[d])}, and an output stride of 0 means that dimension is summed.
 * Dimensions that are contiguous for every access are merged first, so most kernels are one or two
 * loops. The innermost loop is left simple where C2 vectorizes it; a reduction along it runs four
 * independent accumulators instead of one long dependency chain.
 *
 * <p>Parameters of the generated method: the argument arrays in order, then the output array.
 */
final class LoopKernel {
    private static final int LANES = 4;

    private final GeneratorAdapter g;
    private final Emitter e;
    private final Kernel.Loop s;
    private final ScalarCodegen scalar;
    private final int outParam;
    private int[] dims;
    private int[][] strides; // [access][dim]; access 0 is the output, access i+1 argument i
    private final int[] hoisted;

    private LoopKernel(GeneratorAdapter g, Kernel.Loop s) {
        this.g = g;
        this.e = new Emitter(g);
        this.s = s;
        this.scalar = new ScalarCodegen(g, s.expr());
        this.outParam = s.argStrides().length;
        this.hoisted = new int[s.argStrides().length];
        collapse();
    }

    static void emit(GeneratorAdapter g, Kernel.Loop s) {
        new LoopKernel(g, s).emit();
    }

    /** Drops dimensions of size 1 and merges neighbours that are contiguous for every access. */
    private void collapse() {
        int accesses = s.argStrides().length + 1;
        List<Integer> d = new ArrayList<>();
        List<int[]> st = new ArrayList<>();
        for (int k = 0; k < s.dims().length; k++) {
            if (s.dims()[k] == 1) {
                continue;
            }
            int[] col = new int[accesses];
            col[0] = s.outStrides()[k];
            for (int a = 1; a < accesses; a++) {
                col[a] = s.argStrides()[a - 1][k];
            }
            int last = d.size() - 1;
            if (last >= 0 && mergeable(st.get(last), col, d.get(last), s.dims()[k])) {
                d.set(last, d.get(last) * s.dims()[k]);
                st.set(last, col); // the merged dimension steps like the inner one
            } else {
                d.add(s.dims()[k]);
                st.add(col);
            }
        }
        dims = d.stream().mapToInt(Integer::intValue).toArray();
        strides = new int[accesses][dims.length];
        for (int k = 0; k < dims.length; k++) {
            for (int a = 0; a < accesses; a++) {
                strides[a][k] = st.get(k)[a];
            }
        }
    }

    private static boolean mergeable(int[] outer, int[] inner, int outerDim, int innerDim) {
        for (int a = 0; a < outer.length; a++) {
            if (outer[a] != inner[a] * innerDim) {
                return false;
            }
        }
        return true;
    }

    private boolean reduces() {
        for (int k = 0; k < s.dims().length; k++) {
            if (s.outStrides()[k] == 0 && s.dims()[k] > 1) {
                return true;
            }
        }
        return false;
    }

    private void emit() {
        boolean reduce = reduces();
        if (reduce) {
            g.loadArg(outParam);
            g.push(0);
            g.push(s.outSize());
            g.push(start());
            g.invokeStatic(Type.getType(Arrays.class), new Method("fill", "([FIIF)V"));
        }
        int[] bases = new int[s.argStrides().length + 1];
        Arrays.fill(bases, -1);
        if (dims.length == 0) {
            storeElement(bases, -1, 0, reduce);
        } else {
            level(0, bases, reduce);
        }
        if (s.divisor() != 0f) {
            int o = e.newInt();
            e.loop(o, 0, s.outSize(), 1, () -> {
                g.loadArg(outParam);
                g.loadLocal(o);
                g.loadArg(outParam);
                g.loadLocal(o);
                e.faload();
                g.push(s.divisor());
                g.math(GeneratorAdapter.DIV, Type.FLOAT_TYPE);
                e.fastore();
            });
        }
        g.returnValue();
    }

    private void level(int d, int[] bases, boolean reduce) {
        if (d == dims.length - 1) {
            inner(bases, reduce);
            return;
        }
        int i = e.newInt();
        int[] next = new int[bases.length];
        for (int a = 0; a < bases.length; a++) {
            next[a] = strides[a][d] == 0 ? bases[a] : e.newInt();
        }
        e.loop(i, 0, dims[d], 1, () -> {
            for (int a = 0; a < bases.length; a++) {
                if (strides[a][d] != 0) {
                    e.index(bases[a], i, strides[a][d], 0);
                    g.storeLocal(next[a]);
                }
            }
            level(d + 1, next, reduce);
        });
    }

    private void inner(int[] bases, boolean reduce) {
        int d = dims.length - 1;
        int n = dims[d];
        for (int a = 0; a < hoisted.length; a++) {
            hoisted[a] = -1;
            if (strides[a + 1][d] == 0) {
                hoisted[a] = e.newFloat();
                g.loadArg(a);
                e.index(bases[a + 1], -1, 0, 0);
                e.faload();
                g.storeLocal(hoisted[a]);
            }
        }
        int j = e.newInt();
        if (reduce && strides[0][d] == 0) {
            int lanes = n >= 2 * LANES ? LANES : 1;
            int[] acc = new int[lanes];
            for (int l = 0; l < lanes; l++) {
                acc[l] = e.newFloat();
                g.push(start());
                g.storeLocal(acc[l]);
            }
            if (lanes > 1) {
                e.loop(j, 0, n - (LANES - 1), LANES, () -> {
                    for (int l = 0; l < LANES; l++) {
                        accumulate(acc[l], bases, j, l);
                    }
                });
                e.loopFromCurrent(j, n, 1, () -> accumulate(acc[0], bases, j, 0));
            } else {
                e.loop(j, 0, n, 1, () -> accumulate(acc[0], bases, j, 0));
            }
            g.loadArg(outParam);
            e.index(bases[0], -1, 0, 0);
            g.dup2();
            e.faload();
            g.loadLocal(acc[0]);
            if (lanes > 1) {
                g.loadLocal(acc[1]);
                combine();
                g.loadLocal(acc[2]);
                g.loadLocal(acc[3]);
                combine();
                combine();
            }
            combine();
            e.fastore();
        } else {
            e.loop(j, 0, n, 1, () -> storeElement(bases, j, 0, reduce));
        }
    }

    private void accumulate(int acc, int[] bases, int j, int lane) {
        g.loadLocal(acc);
        value(bases, j, lane);
        combine();
        g.storeLocal(acc);
    }

    /** Where a reduction starts: 0 for a sum, minus infinity for a maximum. */
    private float start() {
        return s.combine() == Kernel.Combine.MAX ? Float.NEGATIVE_INFINITY : 0f;
    }

    /** {@code a b -> } a and b combined: their sum, or {@code Math.max(a, b)}. */
    private void combine() {
        if (s.combine() == Kernel.Combine.MAX) {
            g.invokeStatic(Type.getType(Math.class), new Method("max", "(FF)F"));
        } else {
            e.fadd();
        }
    }

    /** {@code out[at j] = value} (or {@code +=} when reducing). */
    private void storeElement(int[] bases, int j, int lane, boolean reduce) {
        int d = dims.length - 1;
        g.loadArg(outParam);
        e.index(bases[0], j, d >= 0 ? strides[0][d] : 0, 0);
        if (reduce) {
            g.dup2();
            e.faload();
            value(bases, j, lane);
            combine();
        } else {
            value(bases, j, lane);
        }
        e.fastore();
    }

    /** Pushes the expression at inner index {@code j + lane}. */
    private void value(int[] bases, int j, int lane) {
        int d = dims.length - 1;
        scalar.emit(arg -> {
            if (d >= 0 && hoisted[arg] >= 0) {
                g.loadLocal(hoisted[arg]);
                return;
            }
            int stride = d >= 0 ? strides[arg + 1][d] : 0;
            g.loadArg(arg);
            e.index(bases[arg + 1], j, stride, lane * stride);
            e.faload();
        });
    }
}
