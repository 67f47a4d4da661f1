package dev.kiln.dsl;

import dev.kiln.dsl.Ast.BoolOp;
import dev.kiln.dsl.Ast.Compare;
import dev.kiln.dsl.Ast.Dict;
import dev.kiln.dsl.Ast.Expr;
import dev.kiln.dsl.Ast.FStr;
import dev.kiln.dsl.Ast.Field;
import dev.kiln.dsl.Ast.IfExpr;
import dev.kiln.dsl.Ast.Index;
import dev.kiln.dsl.Ast.Not;
import dev.kiln.dsl.Ast.Seq;
import dev.kiln.dsl.Ast.Slice;
import dev.kiln.dsl.Values.Key;
import dev.kiln.dsl.Values.PyDict;
import dev.kiln.dsl.Values.PySeq;
import dev.kiln.ir.SourcePos;
import dev.kiln.numpy.Arith;
import dev.kiln.numpy.NdArray;
import dev.kiln.numpy.NumpyException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The expressions only whole programs have: comparisons, {@code and}/{@code or}/{@code not},
 * conditionals, dicts, f-strings, and subscripts of lists, tuples, strings, dicts and NumPy arrays (with
 * slices, and assignment to elements).
 */
final class ProgramEval {
    private ProgramEval() {}

    static Object eval(Evaluator ip, Expr e) {
        if (e instanceof Compare c) {
            return compare(ip, c);
        } else if (e instanceof BoolOp b) {
            Object left = ip.evalExpr(b.left());
            boolean t = ip.truth(left, b.left().pos());
            return b.op().equals("and") == t ? ip.evalExpr(b.right()) : left;
        } else if (e instanceof Not n) {
            return !ip.truth(ip.evalExpr(n.operand()), n.operand().pos());
        } else if (e instanceof IfExpr i) {
            return ip.truth(ip.evalExpr(i.test()), i.test().pos()) ? ip.evalExpr(i.body()) : ip.evalExpr(i.orElse());
        } else if (e instanceof Dict d) {
            LinkedHashMap<Key, Object> map = new LinkedHashMap<>();
            for (int k = 0; k < d.keys().size(); k++) {
                Object key = ip.evalExpr(d.keys().get(k));
                map.put(key(ip, key, d.keys().get(k).pos()), ip.evalExpr(d.values().get(k)));
            }
            return new PyDict(map);
        } else if (e instanceof FStr f) {
            return fstring(ip, f);
        } else if (e instanceof Ast.ListComp c) {
            List<Object> out = new ArrayList<>();
            comprehension(ip, c, 0, out);
            return new PySeq(out, null, true);
        } else if (e instanceof Slice s) {
            throw ip.src().error(s.pos(), "a slice is only allowed inside []");
        }
        throw ip.src().error(e.pos(), "internal error: cannot evaluate " + e.getClass().getSimpleName());
    }

    /** Runs the clauses from {@code k} on, adding each element to {@code out}. */
    private static void comprehension(Evaluator ip, Ast.ListComp c, int k, List<Object> out) {
        if (k == c.clauses().size()) {
            out.add(ip.evalExpr(c.elt()));
            return;
        }
        Ast.Comp clause = c.clauses().get(k);
        Object seq = ip.evalExpr(clause.iter());
        Iterator<Object> it = ProgramValues.iterate(seq);
        if (it == null) {
            throw ip.src().error(clause.iter().pos(), ProgramValues.notIterable(seq));
        }
        next:
        while (it.hasNext()) {
            ip.store(clause.target(), it.next(), clause.iter());
            for (Expr cond : clause.ifs()) {
                if (!ip.truth(ip.evalExpr(cond), cond.pos())) {
                    continue next;
                }
            }
            comprehension(ip, c, k + 1, out);
        }
    }

    /** A dict key: numbers, strings, booleans, None, tensors; not lists, dicts or arrays (unhashable). */
    static Key key(Evaluator ip, Object key, SourcePos pos) {
        if (key instanceof PySeq s && s.isList() || key instanceof PyDict || key instanceof NdArray a && !a.isScalar()) {
            throw ip.src().error(pos, "unhashable type: '" + Values.typeName(key) + "'");
        }
        if (key instanceof NdArray a) {
            return new Key(a.item());
        }
        return new Key(key);
    }

    private static Object compare(Evaluator ip, Compare c) {
        Object left = ip.evalExpr(c.operands().get(0));
        Object result = Boolean.TRUE;
        for (int k = 0; k < c.ops().size(); k++) {
            Object right = ip.evalExpr(c.operands().get(k + 1));
            result = Comparisons.compare(ip, c.ops().get(k), left, right, c.opPos().get(k));
            if (k + 1 < c.ops().size() && !ip.truth(result, c.opPos().get(k))) {
                return result;
            }
            left = right;
        }
        return result;
    }

    private static String fstring(Evaluator ip, FStr f) {
        StringBuilder b = new StringBuilder();
        for (Object part : f.parts()) {
            if (part instanceof String s) {
                b.append(s);
                continue;
            }
            Field field = (Field) part;
            Object v = ip.evalExpr(field.value());
            if (field.conversion() == 'r' || field.conversion() == 'a') {
                v = ProgramValues.repr(v);
            } else if (field.conversion() == 's') {
                v = ProgramValues.str(v);
            }
            b.append(Text.format(ip, v, field.spec(), field.value().pos()));
        }
        return b.toString();
    }

    /** {@code obj[index]}. */
    static Object getItem(Evaluator ip, Object obj, Index i) {
        Object idx = index(ip, i.index());
        if (obj instanceof NdArray a) {
            try {
                return a.getItem(arrayIndex(ip, idx));
            } catch (NumpyException e) {
                throw ip.src().error(i.bracket(), numpyMessage(e));
            }
        }
        if (obj instanceof ProgramState.NpzFile f) {
            Object v = f.arrays().get(String.valueOf(idx));
            if (v == null) {
                throw ip.src().error(i.index().pos(), "KeyError: " + ProgramValues.repr(idx) + " is not a file in the archive");
            }
            return v;
        }
        if (obj instanceof PyDict d) {
            Object v = d.map().get(key(ip, idx, i.index().pos()));
            if (v == null) {
                throw ip.src().error(i.index().pos(), "KeyError: " + ProgramValues.repr(idx));
            }
            return v;
        }
        if (obj instanceof dev.kiln.ir.Node) {
            throw ip.src().error(i.bracket(), "indexing tensors is not supported");
        }
        List<Object> items;
        if (obj instanceof PySeq s) {
            items = s.items();
        } else if (obj instanceof String str) {
            items = new ArrayList<>();
            Iterator<Object> it = ProgramValues.iterate(str);
            it.forEachRemaining(items::add);
        } else if (obj instanceof Values.Range r) {
            items = new ArrayList<>();
            ProgramValues.iterate(r).forEachRemaining(items::add);
        } else {
            throw ip.src().error(i.bracket(), "'" + Values.typeName(obj) + "' object is not subscriptable");
        }
        if (idx instanceof dev.kiln.numpy.Slice sl) {
            if (sl.step() != null && sl.step() == 0) {
                throw ip.src().error(((Slice) i.index()).step().pos(), "slice step cannot be zero");
            }
            List<Object> out = new ArrayList<>();
            for (int k : sl.indices(items.size())) {
                out.add(items.get(k));
            }
            if (obj instanceof String) {
                return String.join("", out.stream().map(x -> (String) x).toList());
            }
            return new PySeq(out, null, !(obj instanceof PySeq s) || s.isList());
        }
        long k = integer(ip, idx, i.index().pos(), "indices");
        long at = k < 0 ? k + items.size() : k;
        if (at < 0 || at >= items.size()) {
            String noun = obj instanceof String ? "string" : obj instanceof Values.Range ? "range" : Values.typeName(obj);
            String unit = (obj instanceof String ? " character" : " item") + (items.size() == 1 ? "" : "s");
            throw ip.src().error(i.index().pos(), (obj instanceof Values.Range ? "range object" : noun)
                    + " index out of range (index " + k + " of a " + noun + " of " + items.size() + unit + ")");
        }
        return items.get((int) at);
    }

    /** {@code obj[index] = v}: elements of lists, dicts and arrays. */
    static void setItem(Evaluator ip, Index i, Object v) {
        Object obj = ip.evalExpr(i.obj());
        Object idx = index(ip, i.index());
        if (obj instanceof NdArray a) {
            try {
                a.setItem(arrayIndex(ip, idx), ProgramState.arg(v));
            } catch (NumpyException e) {
                throw ip.src().error(i.bracket(), numpyMessage(e));
            }
        } else if (obj instanceof PyDict d) {
            d.map().put(key(ip, idx, i.index().pos()), v);
        } else if (obj instanceof PySeq s && s.isList()) {
            long k = integer(ip, idx, i.index().pos(), "list indices");
            long at = k < 0 ? k + s.items().size() : k;
            if (at < 0 || at >= s.items().size()) {
                throw ip.src().error(i.index().pos(), "list assignment index out of range");
            }
            s.items().set((int) at, v);
        } else {
            throw ip.src().error(i.bracket(), "'" + Values.typeName(obj) + "' object does not support item assignment");
        }
    }

    /**
     * An index as the NumPy library takes it: a tuple as a {@link List} of its items, a list (fancy
     * indexing, {@code x[[0, 2]]}) as an array.
     */
    private static Object arrayIndex(Evaluator ip, Object idx) {
        if (idx instanceof PySeq s && s.isList()) {
            return ip.program().numpy().asArray(idx, null);
        }
        if (idx instanceof PySeq s) {
            List<Object> items = new ArrayList<>();
            for (Object x : s.items()) {
                items.add(arrayIndex(ip, x));
            }
            return items;
        }
        return ProgramState.arg(idx);
    }

    /** The value inside []: slices become {@link dev.kiln.numpy.Slice}, tuples keep their items. */
    private static Object index(Evaluator ip, Expr e) {
        if (e instanceof Slice s) {
            return new dev.kiln.numpy.Slice(bound(ip, s.lo()), bound(ip, s.hi()), bound(ip, s.step()));
        }
        if (e instanceof Seq q && !q.isList()) {
            List<Object> items = new ArrayList<>();
            for (Expr x : q.items()) {
                items.add(index(ip, x));
            }
            return new PySeq(items, null, false);
        }
        return ip.evalExpr(e);
    }

    private static Long bound(Evaluator ip, Expr e) {
        if (e == null) {
            return null;
        }
        Object v = ip.evalExpr(e);
        return v == Values.NONE ? null : integer(ip, v, e.pos(), "slice indices");
    }

    /** An int index (a Python int, a bool, or a NumPy integer scalar). */
    static long integer(Evaluator ip, Object v, SourcePos pos, String what) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof NdArray a && a.isScalar() && a.dtype().isInteger()) {
            return (Long) a.item();
        }
        throw ip.src().error(pos, what + " must be integers, not " + Values.typeName(v));
    }

    /** A value unpacked into names: NumPy arrays by their first axis, ranges, dicts' keys. */
    static Object unpackable(Evaluator ip, Object v, Expr at) {
        Iterator<Object> it = ProgramValues.iterate(v);
        if (it == null || v instanceof String) {
            return v;
        }
        List<Object> items = new ArrayList<>();
        it.forEachRemaining(items::add);
        return new PySeq(items, null, false);
    }

    /** NumPy's message for {@code e}, without the space NumPy leaves at the end of some (broadcasting's). */
    static String numpyMessage(NumpyException e) {
        return e.getMessage().stripTrailing();
    }

    /** NumPy's arithmetic, its errors placed at {@code pos}. */
    static Object arith(Evaluator ip, String op, Object l, Object r, SourcePos pos) {
        try {
            return Arith.binary(op, ProgramState.arg(l), ProgramState.arg(r));
        } catch (NumpyException e) {
            throw ip.src().error(pos, numpyMessage(e));
        }
    }
}
