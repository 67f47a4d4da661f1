package dev.kiln.dsl;

import dev.kiln.dsl.Ast.AssignStmt;
import dev.kiln.dsl.Ast.Attr;
import dev.kiln.dsl.Ast.Binary;
import dev.kiln.dsl.Ast.Call;
import dev.kiln.dsl.Ast.Expr;
import dev.kiln.dsl.Ast.ExprStmt;
import dev.kiln.dsl.Ast.Import;
import dev.kiln.dsl.Ast.Index;
import dev.kiln.dsl.Ast.Keyword;
import dev.kiln.dsl.Ast.Lit;
import dev.kiln.dsl.Ast.Name;
import dev.kiln.dsl.Ast.Num;
import dev.kiln.dsl.Ast.Seq;
import dev.kiln.dsl.Ast.Stmt;
import dev.kiln.dsl.Ast.Str;
import dev.kiln.dsl.Ast.Unary;
import dev.kiln.dsl.Invocation.Arg;
import dev.kiln.dsl.Invocation.Hint;
import dev.kiln.dsl.Values.DTypeValue;
import dev.kiln.dsl.Values.Func;
import dev.kiln.dsl.Values.Method;
import dev.kiln.dsl.Values.Module;
import dev.kiln.dsl.Values.PySeq;
import dev.kiln.ir.Graph;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.Node;
import dev.kiln.ir.Op;
import dev.kiln.ir.SourcePos;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs the statements of a script, building the graph through a {@link Tf} whose position supplier
 * attributes every node to the call or operator being evaluated. Arithmetic on plain numbers is folded
 * here; anything involving a tensor becomes nodes.
 */
final class Evaluator {
    private final Source src;
    private final Tf tf;
    private final Convert convert;
    private final Operators operators;
    private final Map<String, Object> vars = new HashMap<>();
    /** The local names of the functions being called, innermost first (only in whole programs). */
    private final Deque<Map<String, Object>> frames = new ArrayDeque<>();
    /** A whole program's sessions, NumPy state and output; null for a {@code .kiln} script. */
    private final ProgramState program;
    private SourcePos current;
    /** The next call's results are unpacked straight into names (see {@link Sessions.Pending}). */
    private boolean deferNext;

    Evaluator(Source src) {
        this(src, null, Set.of());
    }

    /**
     * An evaluator for a whole program run with {@code host} (or for a script when it is null) that reads
     * the names {@code loaded} (see {@link NameUses}).
     */
    Evaluator(Source src, TfProgram.Host host, Set<String> loaded) {
        this.src = src;
        this.tf = new Tf(src.file());
        this.convert = new Convert(src, tf);
        this.operators = new Operators(this);
        this.current = src.pos(1, 1);
        this.program = host == null ? null
                : new ProgramState(tf, host.sessions(), host.out(), host.workingDirectory(), host.seed(), loaded);
        tf.setPosition(() -> current);
        vars.put("tf", new Module("tensorflow", "tf", ""));
        vars.put("np", new Module("numpy", "np", ""));
    }

    /** The program's state, or null for a script. */
    ProgramState program() {
        return program;
    }

    Operators operators() {
        return operators;
    }

    Source src() {
        return src;
    }

    Tf tf() {
        return tf;
    }

    Convert convert() {
        return convert;
    }

    Graph graph() {
        return tf.build();
    }

    void run(List<Stmt> statements) {
        for (Stmt s : statements) {
            execute(s);
        }
    }

    /** Runs one statement; any failure becomes a {@link ScriptException} at its position. */
    void execute(Stmt s) {
        current = s.pos();
        try {
            exec(s);
        } catch (ScriptException | Statements.JumpSignal | Statements.ReturnSignal e) {
            throw e;
        } catch (KilnException e) {
            throw src.error(usable(e.pos()) ? e.pos() : current, e.detail(), e);
        } catch (StackOverflowError e) {
            throw src.error(s.pos(), frames.size() > 100 ? "maximum recursion depth exceeded" : "expression nested too deeply");
        } catch (OutOfMemoryError e) {
            // the statement's allocation is gone by now; placed here, the error names the line (and iteration)
            throw src.error(s.pos(), "out of memory (" + e.getMessage() + "); give the JVM a larger heap with -Xmx"
                    + " (./kiln reads KILN_JAVA_OPTS)");
        } catch (RuntimeException e) {
            throw src.error(current, "internal error: " + e, e);
        }
    }

    private void exec(Stmt s) {
        if (s instanceof Import i) {
            bind(i.alias(), new Module(i.module().equals("numpy") ? "numpy" : "tensorflow", i.alias(), ""), i.pos());
        } else if (s instanceof ExprStmt e) {
            eval(e.expr(), null);
        } else if (s instanceof AssignStmt a) {
            deferNext = program != null && a.value() instanceof Call && noElementTarget(a.targets());
            Object v = evalValue(a.value(), a.targets().get(0));
            deferNext = false;
            for (Expr t : a.targets()) {
                assignTo(t, v, a.value());
            }
        } else {
            Statements.exec(this, s);
        }
    }

    /** Whether no target is an element {@code a[i]} (a loop, not a stream: this runs on every assignment). */
    private static boolean noElementTarget(List<Expr> targets) {
        for (Expr t : targets) {
            if (t instanceof Index) {
                return false;
            }
        }
        return true;
    }

    /** The value of {@code e}. */
    Object evalExpr(Expr e) {
        return eval(e, null);
    }

    /** Python's truth of {@code v}, the value of the expression at {@code pos}. */
    boolean truth(Object v, SourcePos pos) {
        Boolean b = ProgramValues.truth(v);
        if (b == null) {
            throw src.error(pos, v instanceof Node
                    ? "using a tensor as a Python bool is not allowed (fetch its value with sess.run first)"
                    : "the truth value of an array with more than one element is ambiguous; use a.any() or a.all()");
        }
        return b;
    }

    /** {@code target = v} for a name, a tuple of names or (in a program) an element {@code a[i]}. */
    void store(Expr target, Object v, Expr valueExpr) {
        if (target instanceof Index i) {
            ProgramEval.setItem(this, i, v);
            return;
        }
        assignTo(target, v, valueExpr);
    }

    /** Evaluates the right side, offering each target name to a placeholder or Variable call that makes it. */
    private Object evalValue(Expr value, Expr target) {
        if (!frames.isEmpty()) {
            return eval(value, null); // a function's locals do not name graph nodes
        }
        if (target instanceof Name n) {
            return eval(value, new Hint(n.name(), n.pos()));
        }
        if (target instanceof Seq t && value instanceof Seq v && !v.isList() && t.items().size() == v.items().size()) {
            List<Object> items = new ArrayList<>();
            List<SourcePos> where = new ArrayList<>();
            for (int i = 0; i < v.items().size(); i++) {
                Name n = (Name) t.items().get(i);
                items.add(eval(v.items().get(i), new Hint(n.name(), n.pos())));
                where.add(v.items().get(i).pos());
            }
            return new PySeq(items, where, false);
        }
        return eval(value, null);
    }

    private void assignTo(Expr target, Object v, Expr valueExpr) {
        if (target instanceof Name n) {
            bind(n.name(), v, n.pos());
            return;
        }
        if (target instanceof Index i) {
            ProgramEval.setItem(this, i, v);
            return;
        }
        List<Expr> names = ((Seq) target).items();
        if (program != null && !(v instanceof PySeq)) {
            v = ProgramEval.unpackable(this, v, valueExpr);
        }
        if (!(v instanceof PySeq s)) {
            throw src.error(valueExpr.pos(), program == null ? "cannot unpack " + Values.aType(v) + " into "
                    + count(names.size(), "name") : v instanceof Node ? "cannot unpack a tensor: tensors are not iterable"
                    + " while the graph is built (fetch its value with sess.run first)"
                    : "cannot unpack non-iterable " + Values.typeName(v) + " object");
        }
        int got = s.items().size();
        if (got != names.size()) {
            // a program's reader knows Python's words; a script keeps the ones its corpus has always had
            throw src.error(valueExpr.pos(), program == null ? "cannot unpack " + count(got, "value") + " into "
                    + count(names.size(), "name") : (got < names.size() ? "not enough" : "too many")
                    + " values to unpack (expected " + names.size() + ", got " + got + ")");
        }
        for (int i = 0; i < names.size(); i++) {
            store(names.get(i), s.items().get(i), valueExpr);
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    // ---- names

    /** {@code name = v}: a name that is a placeholder or variable cannot be rebound to something else. */
    private void bind(String name, Object v, SourcePos pos) {
        if (program != null) {
            v = Sessions.settled(v);
            if (v instanceof Sessions.Pending p && program.isRead(name)) {
                program.pending(frames.isEmpty() ? vars : frames.peek(), name, p);
            }
        }
        if (!frames.isEmpty()) {
            frames.peek().put(name, v);
            return;
        }
        checkNotSource(name, v, pos);
        vars.put(name, v);
        if (v instanceof Node n) {
            tf.name(name, n);
        }
    }

    /** Gives {@code node} the graph name {@code name} (a {@code name=} argument). */
    void bindNode(String name, Node node, SourcePos pos) {
        checkNotSource(name, node, pos);
        tf.name(name, node);
    }

    /**
     * A placeholder's or variable's own name cannot be rebound; another name that merely refers to one
     * ({@code h = x}) can.
     */
    private void checkNotSource(String name, Object v, SourcePos pos) {
        Node old = source(name);
        if (old != null && old != v && name.equals(old.name())) {
            throw alreadyDefined(name, old, pos);
        }
    }

    private ScriptException alreadyDefined(String name, Node old, SourcePos pos) {
        return src.error(pos, Complaints.alreadyDefined(name, old));
    }

    /** The placeholder or variable {@code name} refers to, or null. */
    private Node source(String name) {
        Object v = vars.get(name);
        if (v instanceof Node n && n.op().isSource()) {
            return n;
        }
        Node g = tf.lookup(name);
        return g != null && g.op().isSource() ? g : null;
    }

    /** The name of a new placeholder or variable: its {@code name=}, else the statement's target, else a fresh one. */
    String sourceName(Invocation in, String kind) {
        String name = in.nameArg();
        SourcePos at = in.at("name");
        if (name == null && in.hint != null) {
            name = in.hint.name();
            at = in.hint.pos();
        }
        if (name == null) {
            name = kind;
            for (int i = 1; tf.lookup(name) != null || vars.containsKey(name); i++) {
                name = kind + "_" + i;
            }
        }
        Node old = source(name);
        if (old != null) {
            throw alreadyDefined(name, old, at);
        }
        return name;
    }

    /** Complains unless {@code ref} is a variable; {@code exprName} is how the script named it, if it did. */
    void checkVariable(Node ref, SourcePos pos, String exprName) {
        if (ref.op().storage() == Op.Storage.STATE) {
            return;
        }
        String name = exprName != null ? exprName : tf.builder().nameOf(ref);
        throw src.error(pos, Complaints.notAVariable(name, ref));
    }

    // ---- expressions

    private Object eval(Expr e, Hint hint) {
        if (e instanceof Num n) {
            return n.value();
        } else if (e instanceof Str s) {
            return s.value();
        } else if (e instanceof Lit l) {
            return l.value();
        } else if (e instanceof Name n) {
            return lookup(n, false);
        } else if (e instanceof Attr a) {
            return attribute(a, false);
        } else if (e instanceof Call c) {
            return call(c, hint);
        } else if (e instanceof Index i) {
            return index(i);
        } else if (e instanceof Unary u) {
            return unary(u);
        } else if (e instanceof Binary b) {
            return b.op().equals("**") ? operators.binary(b, eval(b.left(), null), eval(b.right(), null)) : chain(b);
        } else if (!(e instanceof Seq)) {
            return ProgramEval.eval(this, e);
        }
        Seq s = (Seq) e;
        List<Object> items = new ArrayList<>(s.items().size());
        List<SourcePos> where = new ArrayList<>(s.items().size());
        for (Expr item : s.items()) {
            items.add(eval(item, null));
            where.add(item.pos());
        }
        return new PySeq(items, where, s.isList());
    }

    private Object lookup(Name n, boolean callee) {
        Map<String, Object> scope = frames.isEmpty() ? vars : frames.peek();
        Object v = scope.get(n.name());
        if (v == null) {
            scope = vars;
            v = vars.get(n.name());
        }
        if (v instanceof Sessions.Pending p) {
            v = p.value();
            scope.put(n.name(), v);
        }
        if (v != null) {
            return v;
        }
        if (program != null && PyBuiltins.exists(n.name())) {
            return new Values.PyFunc(n.name());
        }
        Builtins.Builtin b = Builtins.bare(n.name());
        if (b != null) {
            return new Func(b, n.name());
        }
        if (n.name().equals("float32")) {
            return new DTypeValue("float32");
        }
        if (callee) {
            String near = Builtins.closest(n.name(), Builtins.bareNames());
            throw src.error(n.pos(), "unknown function '" + n.name() + "'" + (near == null ? "" : "; did you mean '" + near + "'?"));
        }
        throw src.error(n.pos(), "name '" + n.name() + "' is not defined");
    }

    private Object attribute(Attr a, boolean callee) {
        List<String> parts = new ArrayList<>();
        Expr e = a;
        while (e instanceof Attr x) {
            parts.add(0, x.name());
            e = x.obj();
        }
        if (e instanceof Name root && vars.get(root.name()) instanceof Module m) {
            return Modules.member(this, m, parts, a.pos(), callee);
        }
        Object obj = eval(a.obj(), null);
        if (obj instanceof Module m) {
            return Modules.member(this, m, List.of(a.name()), a.pos(), callee);
        }
        if (program != null && !(obj instanceof Values.OptimizerValue)
                && (!(obj instanceof Node) || !a.name().equals("assign"))) {
            return HostOps.attribute(this, obj, a);
        }
        if (obj instanceof Node n) {
            if (a.name().equals("assign")) {
                String exprName = a.obj() instanceof Name nm ? nm.name() : null;
                checkVariable(n, a.obj().pos(), exprName);
                return new Method(n, a.obj().pos(), Builtins.ASSIGN_METHOD, exprName == null ? "assign" : exprName + ".assign");
            }
            throw src.error(a.namePos(), "tensors have no attribute '" + a.name() + "' here (only .assign(...) is supported)");
        }
        if (obj instanceof Values.OptimizerValue o && Optimizers.method(o, a.name()) != null) {
            return new Func(Optimizers.method(o, a.name()), o.shown() + "." + a.name());
        }
        throw src.error(a.namePos(), "'" + Values.typeName(obj) + "' object has no attribute '" + a.name() + "'");
    }

    private Object call(Call c, Hint hint) {
        boolean defer = deferNext;
        deferNext = false;
        Object fn = c.fn() instanceof Name n ? lookup(n, true)
                : c.fn() instanceof Attr a ? attribute(a, true)
                : eval(c.fn(), null);
        List<Arg> args = new ArrayList<>();
        for (Expr a : c.args()) {
            args.add(new Arg(null, eval(a, null), a.pos()));
        }
        for (Keyword k : c.keywords()) {
            args.add(new Arg(k.name(), eval(k.value(), null), k.pos()));
        }
        if (program != null && !(fn instanceof Func) && !(fn instanceof Method)) {
            return building(c.pos(), () -> {
                program.setDefer(defer);
                try {
                    return HostOps.call(this, fn, c, args);
                } finally {
                    program.setDefer(false);
                }
            });
        }
        Invocation in;
        Builtins.Builtin b;
        if (fn instanceof Func f) {
            b = f.fn();
            in = Invocation.bind(this, b, f.shown(), c.pos(), args, hint, null, null);
        } else if (fn instanceof Method m) {
            b = m.fn();
            in = Invocation.bind(this, b, m.shown(), c.pos(), args, null, m.self(), m.selfPos());
        } else {
            throw src.error(c.pos(), c.fn() instanceof Name n ? "'" + n.name() + "' is " + Values.aType(fn)
                    + ", not a function" : Values.aType(fn) + " is not a function and cannot be called");
        }
        return building(c.pos(), () -> b.impl().apply(in));
    }

    private Object index(Index i) {
        Object obj = eval(i.obj(), null);
        if (program != null) {
            return ProgramEval.getItem(this, obj, i);
        }
        Object idx = eval(i.index(), null);
        if (obj instanceof Node) {
            throw src.error(i.bracket(), "indexing tensors is not supported");
        }
        if (!(obj instanceof PySeq s)) {
            throw src.error(i.bracket(), "'" + Values.typeName(obj) + "' object is not subscriptable");
        }
        if (!(idx instanceof Long k)) {
            throw src.error(i.index().pos(), "indices must be ints, got " + Values.aType(idx));
        }
        long at = k < 0 ? k + s.items().size() : k;
        if (at < 0 || at >= s.items().size()) {
            throw src.error(i.index().pos(), "index " + k + " is out of range for " + Values.aType(obj) + " of "
                    + count(s.items().size(), "item"));
        }
        return s.items().get((int) at);
    }

    private Object unary(Unary u) {
        return operators.unary(u, eval(u.operand(), null));
    }

    /** A left-associative chain {@code a - b - c}, evaluated in a loop however long it is. */
    private Object chain(Binary top) {
        Deque<Binary> spine = new ArrayDeque<>();
        Expr e = top;
        while (e instanceof Binary b && !b.op().equals("**")) {
            spine.push(b);
            e = b.left();
        }
        Object acc = eval(e, null);
        while (!spine.isEmpty()) {
            Binary b = spine.pop();
            acc = operators.binary(b, acc, eval(b.right(), null));
        }
        return acc;
    }

    /** Calls the program's top-level function {@code name} with no arguments (from Java). */
    Object callFunction(String name) {
        Object f = vars.get(name);
        if (!(f instanceof Values.UserFunc u)) {
            throw src.error(src.pos(1, 1), "the program defines no function '" + name + "'");
        }
        return callUser(u, List.of(), u.def().pos());
    }

    /** Calls a function the program defined, its parameters bound in a new frame of locals. */
    Object callUser(Values.UserFunc f, List<Arg> args, SourcePos at) {
        Ast.Def d = f.def();
        Map<String, Object> locals = UserArguments.bind(src, d, args, at, e -> eval(e, null));
        if (frames.size() >= 200) {
            throw src.error(at, "maximum recursion depth exceeded");
        }
        frames.push(locals);
        SourcePos saved = current;
        try {
            Statements.block(this, d.body());
            return Values.NONE;
        } catch (Statements.ReturnSignal r) {
            return r.value;
        } finally {
            frames.pop();
            current = saved;
        }
    }

    /** Runs {@code build} with nodes attributed to {@code pos}; Tf's complaints become ScriptExceptions. */
    <T> T building(SourcePos pos, Supplier<T> build) {
        current = pos;
        try {
            return build.get();
        } catch (ScriptException e) {
            throw e;
        } catch (KilnException e) {
            throw src.error(usable(e.pos()) ? e.pos() : pos, e.detail(), e);
        }
    }

    private boolean usable(SourcePos p) {
        return p != null && p.line() >= 1 && p.file().equals(src.file());
    }
}
