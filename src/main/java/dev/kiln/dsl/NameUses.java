package dev.kiln.dsl;

import dev.kiln.dsl.Ast.Name;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The names a program ever reads: every {@link Name} of its syntax tree that is not an assignment's,
 * a loop's, a {@code with}'s, a comprehension's target or a parameter. A value bound to a name no one
 * reads (the {@code _} of {@code loss, _, _ = sess.run(...)}) is never copied out of its session.
 */
final class NameUses {
    private final Set<Name> targets = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<String> loaded = new HashSet<>();

    private NameUses() {}

    static Set<String> loaded(List<Ast.Stmt> program) {
        NameUses u = new NameUses();
        u.walk(program);
        return u.loaded;
    }

    private void walk(Object node) {
        if (node instanceof Name n) {
            if (!targets.contains(n)) {
                loaded.add(n.name());
            }
        } else if (node instanceof List<?> items) {
            items.forEach(this::walk);
        } else if (node instanceof Record r) {
            markTargets(r);
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    walk(c.getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** The names {@code r} binds rather than reads. */
    private void markTargets(Record r) {
        if (r instanceof Ast.AssignStmt a) {
            a.targets().forEach(this::target);
        } else if (r instanceof Ast.For f) {
            target(f.target());
        } else if (r instanceof Ast.Comp c) {
            target(c.target());
        } else if (r instanceof Ast.With w && w.name() != null) {
            targets.add(w.name());
        } else if (r instanceof Ast.Def d) {
            targets.addAll(d.params());
        }
    }

    private void target(Ast.Expr e) {
        if (e instanceof Name n) {
            targets.add(n);
        } else if (e instanceof Ast.Seq s) {
            s.items().forEach(this::target);
        }
    }
}
