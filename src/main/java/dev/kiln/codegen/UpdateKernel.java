package dev.kiln.codegen;

import dev.kiln.ops.Kernel;
import org.objectweb.asm.commons.GeneratorAdapter;

/**
 * Generates an in-place update of several variables ({@link Kernel.Updates}): one loop over the elements
 * that computes every variable's new value into a local, each reading the others' new values from their
 * locals, and then stores them all. Parameters: the inputs' arrays in order (the variables first), then the
 * output, which is the first variable's array again and is not used.
 */
final class UpdateKernel {
    private UpdateKernel() {}

    static void emit(GeneratorAdapter g, Kernel.Updates u) {
        Emitter e = new Emitter(g);
        int[] hoisted = new int[u.inputs()];
        for (int i = 0; i < u.inputs(); i++) {
            hoisted[i] = -1;
            if (u.scalar()[i]) {
                hoisted[i] = e.newFloat();
                g.loadArg(i);
                g.push(0);
                e.faload();
                g.storeLocal(hoisted[i]);
            }
        }
        ScalarCodegen[] values = new ScalarCodegen[u.states()];
        int[] next = new int[u.states()];
        for (int j = 0; j < u.states(); j++) {
            values[j] = new ScalarCodegen(g, u.values().get(j));
            next[j] = e.newFloat();
        }
        int i = e.newInt();
        e.loop(i, 0, u.size(), 1, () -> {
            for (int j = 0; j < u.states(); j++) {
                values[j].emit(arg -> {
                    if (arg >= u.inputs()) {
                        g.loadLocal(next[arg - u.inputs()]);
                    } else if (hoisted[arg] >= 0) {
                        g.loadLocal(hoisted[arg]);
                    } else {
                        g.loadArg(arg);
                        g.loadLocal(i);
                        e.faload();
                    }
                });
                g.storeLocal(next[j]);
            }
            for (int j = 0; j < u.states(); j++) {
                g.loadArg(j);
                g.loadLocal(i);
                g.loadLocal(next[j]);
                e.fastore();
            }
        });
        g.returnValue();
    }
}
