package dev.kiln.dsl;

import dev.kiln.dsl.Values.DTypeValue;
import dev.kiln.dsl.Values.Func;
import dev.kiln.dsl.Values.Module;
import dev.kiln.ir.SourcePos;
import java.util.List;
import java.util.Map;

/**
 * What the names under a module mean: {@code tf.nn.relu} (a function), {@code tf.float32} (a dtype),
 * {@code tf.compat.v1.train} (a module), and in a whole program {@code np.zeros}, {@code np.random},
 * {@code np.nan}; anything else is an error with the nearest name.
 */
final class Modules {
    private Modules() {}

    /** {@code np.nan}, {@code np.inf}, {@code np.pi}, {@code np.e} (Python floats, as in NumPy). */
    private static final Map<String, Object> NUMPY_CONSTANTS = Map.of("nan", Double.NaN, "inf", Double.POSITIVE_INFINITY,
            "pi", Math.PI, "e", Math.E, "newaxis", Values.NONE);

    /** {@code tf.nn.relu}, {@code tf.float32}, {@code np.float32}, {@code tf.compat.v1}... */
    static Object member(Evaluator ip, Module m, List<String> parts, SourcePos pos, boolean callee) {
        ProgramState program = ip.program();
        String full = m.shown() + "." + String.join(".", parts);
        String norm = m.path().isEmpty() ? String.join(".", parts) : m.path() + "." + String.join(".", parts);
        while (norm.equals("compat.v1") || norm.startsWith("compat.v1.")) {
            norm = norm.equals("compat.v1") ? "" : norm.substring("compat.v1.".length());
        }
        if (m.lib().equals("numpy")) {
            if (program != null && NUMPY_CONSTANTS.containsKey(norm)) {
                return NUMPY_CONSTANTS.get(norm);
            }
            if (Builtins.DTYPES.contains(norm)) {
                return new DTypeValue(norm);
            }
            if (program != null && dev.kiln.numpy.Functions.exists(norm)) {
                return new Values.NpFunc(norm, full);
            }
            if (program != null && (norm.equals("random") || norm.equals("linalg"))) {
                return new Module("numpy", full, norm);
            }
        } else if (norm.isEmpty() || Builtins.TF_MODULES.contains(norm)) {
            return new Module("tensorflow", full, norm);
        } else if (Builtins.DTYPES.contains(norm)) {
            return new DTypeValue(norm);
        } else if (Builtins.tf(norm) != null) {
            return new Func(Builtins.tf(norm), full);
        }
        String prefix = full.endsWith(norm) ? full.substring(0, full.length() - norm.length()) : m.shown() + ".";
        boolean numpy = m.lib().equals("numpy");
        String near = Builtins.closest(norm, numpy ? (program != null ? dev.kiln.numpy.Functions.names() : Builtins.DTYPES)
                : Builtins.tfPaths());
        String hint = near != null ? "; did you mean '" + prefix + near + "'?"
                : numpy ? " (only numpy's dtypes, such as " + m.shown() + ".float32, can be used)" : "";
        throw ip.src().error(pos, (callee ? "unknown function '" + full + "'" : "name '" + full + "' is not defined") + hint);
    }

}
