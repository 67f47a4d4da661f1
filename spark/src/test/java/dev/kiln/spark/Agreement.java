package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.Tensor;
import java.util.Map;

/**
 * When two float32 trainings count as the same computation: the rule of the project's reference README
 * (copied here, as tests may not read it), for the losses of every step and for each variable:
 *
 * <pre>
 *   |L(t) - L_ref(t)| <= 2e-5 * L_ref(t) + 1e-5 * sqrt(L_ref(t) * L_ref(0))
 *   ||W - W_ref||_F <= 1e-3 * ||W_ref||_F   and   max|W - W_ref| <= 1e-3 * max|W_ref|
 * </pre>
 *
 * It allows any summation order (partial gradients summed per partition are one), not a change of arithmetic.
 */
final class Agreement {
    private Agreement() {}

    /** The worst ratio of difference to allowance over the losses and the variables (at most 1 when they agree). */
    static double check(float[] losses, Map<String, Tensor> variables, SingleMachine ref) {
        assertEquals(ref.losses().length, losses.length, "steps");
        double worst = 0;
        for (int t = 0; t < losses.length; t++) {
            double l = ref.losses()[t];
            double allowed = 2e-5 * l + 1e-5 * Math.sqrt(l * ref.losses()[0]);
            double ratio = Math.abs(losses[t] - l) / allowed;
            assertTrue(ratio <= 1, "step " + t + ": loss " + losses[t] + ", single machine " + l);
            worst = Math.max(worst, ratio);
        }
        for (Map.Entry<String, Tensor> v : ref.variables().entrySet()) {
            float[] w = variables.get(v.getKey()).data();
            float[] r = v.getValue().data();
            double diff2 = 0;
            double ref2 = 0;
            double maxDiff = 0;
            double maxRef = 0;
            for (int i = 0; i < r.length; i++) {
                diff2 += (double) (w[i] - r[i]) * (w[i] - r[i]);
                ref2 += (double) r[i] * r[i];
                maxDiff = Math.max(maxDiff, Math.abs(w[i] - r[i]));
                maxRef = Math.max(maxRef, Math.abs(r[i]));
            }
            double fro = Math.sqrt(diff2) / (1e-3 * Math.sqrt(ref2));
            double max = maxDiff / (1e-3 * maxRef);
            assertTrue(fro <= 1 && max <= 1, v.getKey() + ": Frobenius ratio " + fro + ", max ratio " + max);
            worst = Math.max(worst, Math.max(fro, max));
        }
        return worst;
    }
}
