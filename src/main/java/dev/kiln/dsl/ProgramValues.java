package dev.kiln.dsl;

import dev.kiln.dsl.Values.BoundMethod;
import dev.kiln.dsl.Values.Key;
import dev.kiln.dsl.Values.NpFunc;
import dev.kiln.dsl.Values.Operation;
import dev.kiln.dsl.Values.PyDict;
import dev.kiln.dsl.Values.PyFunc;
import dev.kiln.dsl.Values.PyIter;
import dev.kiln.dsl.Values.PySeq;
import dev.kiln.dsl.Values.Range;
import dev.kiln.dsl.Values.UserFunc;
import dev.kiln.ir.Node;
import dev.kiln.numpy.NdArray;
import dev.kiln.numpy.NpType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What Python says about the values only whole programs have: their type names, {@code str} and
 * {@code repr}, truth, and iteration. NumPy arrays and scalars speak for themselves ({@link NdArray#str()}).
 */
final class ProgramValues {
    private ProgramValues() {}

    static String typeName(Object v) {
        if (v instanceof PyDict) {
            return "dict";
        } else if (v instanceof Range) {
            return "range";
        } else if (v instanceof PyIter i) {
            return i.kind();
        } else if (v instanceof NdArray a) {
            return a.isScalar() ? "numpy." + a.dtype().numpyName() : "numpy.ndarray";
        } else if (v instanceof Operation) {
            return "Operation";
        } else if (v instanceof UserFunc || v instanceof PyFunc || v instanceof NpFunc) {
            return "function";
        } else if (v instanceof BoundMethod) {
            return "method";
        } else if (v instanceof Sessions.SessionValue) {
            return "Session";
        } else if (v instanceof Sessions.SaverValue) {
            return "Saver";
        } else if (v instanceof NpType) {
            return "numpy.dtype";
        } else if (v instanceof ProgramState.NpzFile) {
            return "NpzFile";
        }
        return v == null ? "NoneType" : v.getClass().getSimpleName();
    }

    /** Python's {@code str(v)}, as {@code print} shows it. */
    static String str(Object v) {
        if (v instanceof String s) {
            return s;
        } else if (v instanceof NdArray a) {
            return a.str();
        } else if (v instanceof NpType t) {
            return t.numpyName();
        }
        return repr(v);
    }

    /** Python's {@code repr(v)}. */
    static String repr(Object v) {
        if (v == Values.NONE || v == null) {
            return "None";
        } else if (v instanceof Boolean b) {
            return b ? "True" : "False";
        } else if (v instanceof Long l) {
            return Long.toString(l);
        } else if (v instanceof Double d) {
            return PyFormat.repr(d);
        } else if (v instanceof String s) {
            return quote(s);
        } else if (v instanceof NdArray a) {
            return a.repr();
        } else if (v instanceof PySeq s) {
            StringJoiner j = s.isList() ? new StringJoiner(", ", "[", "]") : new StringJoiner(", ", "(", s.items().size() == 1 ? ",)" : ")");
            for (Object x : s.items()) {
                j.add(x == s ? "[...]" : repr(x));
            }
            return j.toString();
        } else if (v instanceof PyDict d) {
            StringJoiner j = new StringJoiner(", ", "{", "}");
            for (Map.Entry<Key, Object> e : d.map().entrySet()) {
                j.add(repr(e.getKey().value()) + ": " + repr(e.getValue()));
            }
            return j.toString();
        } else if (v instanceof Range r) {
            return "range(" + r.start() + ", " + r.stop() + (r.step() == 1 ? ")" : ", " + r.step() + ")");
        } else if (v instanceof Node n) {
            return "Tensor(\"" + (n.name() != null ? n.name() : n.op().name()) + ":0\", shape="
                    + Sessions.tuple(n.shape().dims()) + ", dtype=" + n.dtype().pythonName() + ")";
        } else if (v instanceof Operation o) {
            return "<tf.Operation '" + o.shown() + "'>";
        } else if (v instanceof UserFunc f) {
            return "<function " + f.def().name() + ">";
        } else if (v instanceof PyFunc f) {
            return "<built-in function " + f.name() + ">";
        } else if (v instanceof NpFunc f) {
            return "<function " + f.shown() + ">";
        } else if (v instanceof BoundMethod m) {
            return "<bound method " + m.shown() + ">";
        } else if (v instanceof NpType t) {
            return "dtype('" + t.numpyName() + "')";
        } else if (v instanceof PyIter i) {
            return "<" + i.kind() + " object>";
        }
        return Values.repr(v);
    }

    /** A string as Python's repr quotes it. */
    static String quote(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder().append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c == q) {
                        b.append('\\');
                    }
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append(q).toString();
    }

    /** Python's truth of {@code v}; null when it has none (a tensor, an array of several elements). */
    static Boolean truth(Object v) {
        if (v == Values.NONE) {
            return false;
        } else if (v instanceof Boolean b) {
            return b;
        } else if (v instanceof Long l) {
            return l != 0;
        } else if (v instanceof Double d) {
            return d != 0.0;
        } else if (v instanceof String s) {
            return !s.isEmpty();
        } else if (v instanceof PySeq s) {
            return !s.items().isEmpty();
        } else if (v instanceof PyDict d) {
            return !d.map().isEmpty();
        } else if (v instanceof Range r) {
            return r.size() > 0;
        } else if (v instanceof NdArray a) {
            return a.size() == 1 ? truth(a.item()) : null;
        } else if (v instanceof Node) {
            return null;
        }
        return true;
    }

    /** Python's complaint that {@code v} is not iterable; a tensor's says why (it has no value yet). */
    static String notIterable(Object v) {
        return v instanceof dev.kiln.ir.Node ? "a tensor is not iterable while the graph is built (fetch its value with"
                + " sess.run first)" : "'" + Values.typeName(v) + "' object is not iterable";
    }

    /** The items {@code for x in v} visits, or null when {@code v} is not iterable. */
    static Iterator<Object> iterate(Object v) {
        if (v instanceof PySeq s) {
            return new ArrayList<>(s.items()).iterator();
        } else if (v instanceof Range r) {
            return new Iterator<>() {
                long next = r.start();
                long left = r.size();

                public boolean hasNext() {
                    return left > 0;
                }

                public Object next() {
                    long x = next;
                    next += r.step();
                    left--;
                    return x;
                }
            };
        } else if (v instanceof PyDict d) {
            List<Object> keys = new ArrayList<>();
            d.map().keySet().forEach(k -> keys.add(k.value()));
            return keys.iterator();
        } else if (v instanceof PyIter i) {
            return i.it();
        } else if (v instanceof String s) {
            List<Object> chars = new ArrayList<>();
            s.codePoints().forEach(c -> chars.add(new String(Character.toChars(c))));
            return chars.iterator();
        } else if (v instanceof NdArray a && !a.isScalar() && a.ndim() > 0) {
            return new Iterator<>() {
                long i;

                public boolean hasNext() {
                    return i < a.shape()[0];
                }

                public Object next() {
                    return a.getItem(i++);
                }
            };
        }
        return null;
    }

    /** {@code len(v)}, or -1 when {@code v} has none. */
    static long length(Object v) {
        if (v instanceof PySeq s) {
            return s.items().size();
        } else if (v instanceof String s) {
            return s.codePointCount(0, s.length());
        } else if (v instanceof PyDict d) {
            return d.map().size();
        } else if (v instanceof Range r) {
            return r.size();
        } else if (v instanceof NdArray a && !a.isScalar() && a.ndim() > 0) {
            return a.shape()[0];
        }
        return -1;
    }
}
