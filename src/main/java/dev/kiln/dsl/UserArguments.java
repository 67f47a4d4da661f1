package dev.kiln.dsl;

import dev.kiln.dsl.Invocation.Arg;
import dev.kiln.ir.SourcePos;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Binds the arguments of a call to a function the program defined with {@code def}, complaining in
 * Python's words ({@code f() takes 2 positional arguments but 3 were given}, {@code f() missing 1
 * required positional argument: 'b'}) when they do not fit its parameters.
 */
final class UserArguments {
    private UserArguments() {}

    /** The new frame of locals: each parameter's argument, or its default as {@code eval} computes it. */
    static Map<String, Object> bind(Source src, Ast.Def d, List<Arg> args, SourcePos at, Function<Ast.Expr, Object> eval) {
        Map<String, Object> locals = new HashMap<>();
        int positional = 0;
        for (Arg a : args) {
            if (a.name() == null) {
                if (positional >= d.params().size()) {
                    throw src.error(a.pos(), tooMany(d, args));
                }
                locals.put(d.params().get(positional++).name(), a.value());
            } else if (d.params().stream().noneMatch(p -> p.name().equals(a.name()))) {
                throw src.error(a.pos(), d.name() + "() got an unexpected keyword argument '" + a.name() + "'");
            } else if (locals.containsKey(a.name())) {
                throw src.error(a.pos(), d.name() + "() got multiple values for argument '" + a.name() + "'");
            } else {
                locals.put(a.name(), a.value());
            }
        }
        int firstDefault = d.params().size() - d.defaults().size();
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < firstDefault; k++) {
            if (!locals.containsKey(d.params().get(k).name())) {
                missing.add("'" + d.params().get(k).name() + "'");
            }
        }
        if (!missing.isEmpty()) {
            throw src.error(at, d.name() + "() missing " + missing.size() + " required positional argument"
                    + (missing.size() == 1 ? "" : "s") + ": " + listed(missing));
        }
        for (int k = firstDefault; k < d.params().size(); k++) {
            if (!locals.containsKey(d.params().get(k).name())) {
                locals.put(d.params().get(k).name(), eval.apply(d.defaults().get(k - firstDefault)));
            }
        }
        return locals;
    }

    private static String tooMany(Ast.Def d, List<Arg> args) {
        int most = d.params().size();
        int least = most - d.defaults().size();
        long given = args.stream().filter(a -> a.name() == null).count();
        String takes = least == most ? Integer.toString(most) : "from " + least + " to " + most;
        return d.name() + "() takes " + takes + " positional argument" + (most == 1 ? "" : "s") + " but " + given
                + (given == 1 ? " was" : " were") + " given";
    }

    /** {@code 'a'}, {@code 'a' and 'b'}, {@code 'a', 'b', and 'c'}, as Python lists missing arguments. */
    private static String listed(List<String> names) {
        int n = names.size();
        if (n == 1) {
            return names.get(0);
        }
        String last = names.get(n - 1);
        return String.join(", ", names.subList(0, n - 1)) + (n > 2 ? ", and " : " and ") + last;
    }
}
