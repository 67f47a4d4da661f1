package dev.kiln.codegen;

import dev.kiln.plan.Buffer;
import dev.kiln.plan.Step;
import dev.kiln.runtime.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the calling thread does while the other threads work on a shared kernel, instead of waiting: the
 * kernels after it that need nothing of it ({@link #alongside}), and taking back the cache lines of the
 * arrays it will write next ({@link #claims}). Both only where no result can change: every array a step
 * reads or writes is checked against what the shared kernel does.
 */
final class Overlap {
    private Overlap() {}

    /**
     * How many of the steps after {@code slice[i]} the caller can run while the other threads start on
     * shared kernel {@code slice[i]}: the kernels that follow it, up to the first that is shared itself or
     * touches what it does (reads what it writes or writes what it reads or writes, the workspace
     * included), or a copy. None when the run checks numerics, whose checks follow the kernels in order.
     *
     * <p>The canonical step ends with the two updates, the first shared: the second's few microseconds
     * then cost the step nothing, the other threads taking the caller's last units of the first meanwhile.
     */
    static int alongside(List<Step> slice, int i, Map<Step.Kernel, Lowering.Code> codes, boolean checkNumerics) {
        Step.Kernel shared = (Step.Kernel) slice.get(i);
        if (checkNumerics || !codes.get(shared).parallel()) {
            return 0;
        }
        int n = 0;
        while (i + 1 + n < slice.size() && slice.get(i + 1 + n) instanceof Step.Kernel k && !codes.get(k).parallel()
                && independent(shared, k, codes)) {
            n++;
        }
        return n;
    }

    /**
     * The arrays the caller may write while it waits for the other threads to finish shared kernel
     * {@code slice[i]} ({@link WorkerPool.Parallel#whileWaiting}): the scratch outputs of the kernels up to
     * the next shared one that this next one reads, so that another thread read them last (in the run
     * before); written in full by their kernel, which does not read them; touched by nothing from
     * {@code slice[i]} on until then. Their contents are dead in between, so writing them changes no
     * result, and takes their cache lines from the other core while the caller has nothing else to do.
     *
     * <p>In the canonical two-thread step this is {@code grad_h}: written by the caller, read by both
     * threads in the {@code w1} update. Taking its 400 lines back from the other core in the kernel cost
     * 5 of its 7 µs; taken while the caller waits for the forward product's last piece, nearly nothing.
     */
    static List<Buffer> claims(List<Step> slice, int i, Map<Step.Kernel, Lowering.Code> codes, boolean checkNumerics) {
        Step.Kernel shared = (Step.Kernel) slice.get(i);
        int next = i + 1;
        while (next < slice.size() && !(slice.get(next) instanceof Step.Kernel k && codes.get(k).parallel())) {
            next++;
        }
        List<Buffer> out = new ArrayList<>();
        if (!codes.get(shared).parallel() || next == slice.size()) {
            return out;
        }
        Step.Kernel consumer = (Step.Kernel) slice.get(next);
        // the kernels run alongside have written their outputs by the time the caller waits
        for (int j = i + 1 + alongside(slice, i, codes, checkNumerics); j < next; j++) {
            if (!(slice.get(j) instanceof Step.Kernel k)) {
                continue;
            }
            Buffer b = k.output();
            if (b.kind() != Buffer.Kind.SCRATCH || !consumer.inputs().contains(b) || k.inputs().contains(b)
                    || out.contains(b)) {
                continue;
            }
            boolean untouched = !touches(shared, b);
            for (int between = i + 1; between < j && untouched; between++) {
                untouched = !touches(slice.get(between), b);
            }
            if (untouched) {
                out.add(b);
            }
        }
        return out;
    }

    /** True when step {@code s} reads or writes {@code b}. */
    private static boolean touches(Step s, Buffer b) {
        return s instanceof Step.Kernel k ? touches(k, b) : ((Step.Copy) s).from().equals(b) || ((Step.Copy) s).to().equals(b);
    }

    /** True when neither kernel writes what the other reads or writes. */
    private static boolean independent(Step.Kernel a, Step.Kernel b, Map<Step.Kernel, Lowering.Code> codes) {
        if (codes.get(a).workspace() > 0 && codes.get(b).workspace() > 0) {
            return false;
        }
        for (Buffer w : written(a)) {
            if (touches(b, w)) {
                return false;
            }
        }
        for (Buffer w : written(b)) {
            if (touches(a, w)) {
                return false;
            }
        }
        return true;
    }

    /** The arrays {@code k} writes: its output, and for an update of several variables their arrays too. */
    private static List<Buffer> written(Step.Kernel k) {
        int writes = k.node() == null ? 0 : k.node().op().writes();
        List<Buffer> out = new ArrayList<>(List.of(k.output()));
        for (int j = 1; j < writes; j++) {
            out.add(k.inputs().get(j));
        }
        return out;
    }

    /** True when {@code k} reads or writes {@code buffer}. */
    private static boolean touches(Step.Kernel k, Buffer buffer) {
        return k.output().equals(buffer) || k.inputs().contains(buffer);
    }
}
