package dev.kiln.numpy;

/**
 * A Python slice {@code start:stop:step} as an index; a null part was omitted. Resolved against a length as
 * Python's {@code slice.indices} does: negative bounds count from the end, out-of-range bounds clip.
 */
public record Slice(Long start, Long stop, Long step) {
    /** {@code :}, every element. */
    public static final Slice ALL = new Slice(null, null, null);

    /** The first index, the step and the number of indices this slice selects from {@code length} items. */
    record Range(long start, long step, int count) {}

    /**
     * The positions this slice selects from {@code length} items, in order (for Python's lists and strings);
     * a step of zero is a {@link NumpyException}.
     */
    public int[] indices(int length) {
        Range r = resolve(length);
        int[] out = new int[r.count()];
        for (int k = 0; k < out.length; k++) {
            out[k] = (int) (r.start() + k * r.step());
        }
        return out;
    }

    Range resolve(int length) {
        long s = step == null ? 1 : step;
        if (s == 0) {
            throw new NumpyException("slice step cannot be zero");
        }
        long lo = s < 0 ? -1 : 0;
        long hi = s < 0 ? length - 1 : length;
        long a = start == null ? (s < 0 ? hi : lo) : clip(start, length, lo, hi);
        long b = stop == null ? (s < 0 ? lo : hi) : clip(stop, length, lo, hi);
        long n = s > 0 ? (b - a + s - 1) / s : (a - b - s - 1) / -s;
        return new Range(a, s, (int) Math.max(0, n));
    }

    private static long clip(long v, int length, long lo, long hi) {
        if (v < 0) {
            v += length;
        }
        return Math.max(lo, Math.min(hi, v));
    }
}
