package dev.kiln.spark;

import java.util.Arrays;
import java.util.Random;

/**
 * The rows of each step's global minibatch, drawn exactly as {@code kiln train --minibatch B [--shuffle]}
 * draws them: an epoch is N / B steps taking the next B rows of the current order (the remainder unused);
 * with shuffling, every epoch starts with a Fisher-Yates shuffle of the order from one
 * {@code java.util.Random} seeded with the run's seed. Steps must be asked for in order, from 0.
 */
final class MinibatchOrder {
    private final int batch;
    private final int[] order;
    private final Random random;
    private int next;

    MinibatchOrder(int rows, int batch, long seed, boolean shuffle) {
        this.batch = batch;
        this.order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        this.random = shuffle ? new Random(seed) : null;
    }

    int stepsPerEpoch() {
        return order.length / batch;
    }

    /** The global row indices of step {@code t}'s minibatch, in the order the single-machine batch holds them. */
    int[] step(int t) {
        if (t != next) {
            throw new IllegalStateException("steps are drawn in order: expected " + next + ", got " + t);
        }
        next++;
        int within = t % stepsPerEpoch();
        if (within == 0 && random != null) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return Arrays.copyOfRange(order, within * batch, within * batch + batch);
    }
}
