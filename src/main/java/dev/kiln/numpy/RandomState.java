package dev.kiln.numpy;

/**
 * NumPy's legacy generator, {@code numpy.random.RandomState} (what {@code np.random.seed(s)} and the
 * module's functions use), reproduced bit for bit: the Mersenne Twister MT19937 seeded as
 * {@code init_genrand(s)}, doubles of 53 bits from two draws, Gaussians by the polar method with the
 * second value kept for the next call, bounded integers by masked rejection, and shuffles drawing each
 * index by {@code random_interval}. So a seeded TF1 program builds exactly the data it builds in Python.
 * The Gaussians' {@code log} is {@link Math#log}: HotSpot's on x86-64 agrees with the C library's NumPy calls
 * on every value {@code NumpyRandomTest} checks, where fdlibm's ({@link StrictMath#log}) is one unit in the
 * last place off for about one draw in a thousand. Not thread-safe, as NumPy's is not.
 */
public final class RandomState {
    private static final int N = 624;
    private static final int M = 397;

    private final int[] key = new int[N];
    private int pos;
    private boolean hasGauss;
    private double gauss;

    /** {@code RandomState(seed)}: {@code seed} in [0, 2^32). */
    public RandomState(long seed) {
        seed(seed);
    }

    /** {@code np.random.seed(seed)}: {@code seed} in [0, 2^32), else an {@link IllegalArgumentException}. */
    public void seed(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("Seed must be between 0 and 2**32 - 1, got " + seed);
        }
        int s = (int) seed;
        for (int i = 0; i < N; i++) {
            key[i] = s;
            s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
        }
        pos = N;
        hasGauss = false;
        gauss = 0.0;
    }

    /** The next 32 bits, tempered, as MT19937's {@code genrand_int32}. */
    public int nextInt32() {
        if (pos == N) {
            generate();
        }
        int y = key[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        return y ^ (y >>> 18);
    }

    private void generate() {
        for (int i = 0; i < N; i++) {
            int y = (key[i] & 0x80000000) | (key[(i + 1) % N] & 0x7fffffff);
            key[i] = key[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        pos = 0;
    }

    /** 64 bits: two draws, the first the high half. */
    public long nextInt64() {
        long hi = nextInt32() & 0xffffffffL;
        return hi << 32 | (nextInt32() & 0xffffffffL);
    }

    /** {@code random_sample()}: uniform in [0, 1), 53 bits from two draws. */
    public double randomSample() {
        long a = (nextInt32() & 0xffffffffL) >>> 5;
        long b = (nextInt32() & 0xffffffffL) >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** {@code standard_normal()}: the polar method, the pair's second value kept for the next call. */
    public double gauss() {
        if (hasGauss) {
            hasGauss = false;
            double g = gauss;
            gauss = 0.0;
            return g;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * randomSample() - 1.0;
            x2 = 2.0 * randomSample() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** {@code uniform(low, high)}: {@code low + (high - low) * random_sample()}. */
    public double uniform(double low, double high) {
        return low + (high - low) * randomSample();
    }

    /** {@code normal(loc, scale)}: {@code loc + scale * standard_normal()}. */
    public double normal(double loc, double scale) {
        return loc + scale * gauss();
    }

    /**
     * {@code randint(low, high)} of int64: uniform in [low, high), by masked rejection on 32-bit draws when
     * the range fits in 32 bits, else on 64-bit ones, as NumPy's legacy {@code _rand_int64}.
     */
    public long randint(long low, long high) {
        if (high <= low) {
            throw new IllegalArgumentException("low >= high");
        }
        long rng = high - 1 - low;
        if (rng == 0) {
            return low;
        }
        long mask = mask(rng);
        if (Long.compareUnsigned(rng, 0xffffffffL) <= 0) {
            long v;
            do {
                v = nextInt32() & 0xffffffffL & mask;
            } while (v > rng);
            return low + v;
        }
        long v;
        do {
            v = nextInt64() & mask;
        } while (Long.compareUnsigned(v, rng) > 0);
        return low + v;
    }

    /** {@code random_interval(max)}: uniform in [0, max], as {@code shuffle} and {@code permutation} draw. */
    public long interval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = mask(max);
        long v;
        if (Long.compareUnsigned(max, 0xffffffffL) <= 0) {
            do {
                v = nextInt32() & 0xffffffffL & mask;
            } while (v > max);
        } else {
            do {
                v = nextInt64() & mask;
            } while (Long.compareUnsigned(v, max) > 0);
        }
        return v;
    }

    /** The smallest {@code 2^k - 1} at least {@code v}. */
    private static long mask(long v) {
        long m = v;
        m |= m >>> 1;
        m |= m >>> 2;
        m |= m >>> 4;
        m |= m >>> 8;
        m |= m >>> 16;
        m |= m >>> 32;
        return m;
    }

    /** {@code shuffle} of {@code n} rows: for i from n-1 down to 1, swaps row i with row {@code interval(i)}. */
    public void shuffle(int n, Swapper rows) {
        for (int i = n - 1; i > 0; i--) {
            int j = (int) interval(i);
            rows.swap(i, j);
        }
    }

    /** {@code permutation(n)}: {@code arange(n)} shuffled. */
    public long[] permutation(int n) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(n, (i, j) -> {
            long t = p[i];
            p[i] = p[j];
            p[j] = t;
        });
        return p;
    }

    /** How {@link #shuffle} exchanges two rows of whatever it shuffles. */
    @FunctionalInterface
    public interface Swapper {
        void swap(int i, int j);
    }
}
