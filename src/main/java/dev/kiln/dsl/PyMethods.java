package dev.kiln.dsl;

import dev.kiln.dsl.Invocation.Arg;
import dev.kiln.dsl.Values.BoundMethod;
import dev.kiln.dsl.Values.Key;
import dev.kiln.dsl.Values.PyDict;
import dev.kiln.dsl.Values.PySeq;
import dev.kiln.ir.SourcePos;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The methods of strings, lists and dicts a program may call. */
final class PyMethods {
    private PyMethods() {}

    private static final Set<String> STRING = Set.of("format", "join", "upper", "lower", "strip", "split",
            "replace", "startswith", "endswith", "rjust", "ljust", "center");
    private static final Set<String> LIST = Set.of("append", "extend", "pop", "index", "count", "insert", "reverse",
            "clear", "copy", "sort");
    private static final Set<String> DICT = Set.of("items", "keys", "values", "get", "update", "pop", "copy");

    static boolean has(Object self, String name) {
        return self instanceof String && STRING.contains(name)
                || self instanceof PySeq s && s.isList() && LIST.contains(name)
                || self instanceof PySeq s2 && !s2.isList() && (name.equals("index") || name.equals("count"))
                || self instanceof PyDict && DICT.contains(name);
    }

    static Object call(Evaluator ip, BoundMethod m, List<Arg> args, SourcePos at) {
        Params p = Params.of(ip, m.shown(), args, at);
        if (m.self() instanceof String s) {
            return string(ip, s, m.name(), p, args, at);
        }
        if (m.self() instanceof PyDict d) {
            return dict(ip, d, m.name(), p);
        }
        return list(ip, (PySeq) m.self(), m.name(), p);
    }

    private static Object string(Evaluator ip, String s, String name, Params p, List<Arg> args, SourcePos at) {
        switch (name) {
            case "format": {
                List<Object> positional = new ArrayList<>();
                Map<String, Object> keywords = new LinkedHashMap<>();
                for (Arg a : args) {
                    if (a.name() == null) {
                        positional.add(a.value());
                    } else {
                        keywords.put(a.name(), a.value());
                    }
                }
                return Text.strFormat(ip, s, positional, keywords, at);
            }
            case "join": {
                p.bind(1, "iterable");
                Iterator<Object> it = ProgramValues.iterate(p.get("iterable"));
                if (it == null) {
                    throw p.error("iterable", "can only join an iterable");
                }
                StringBuilder b = new StringBuilder();
                int k = 0;
                while (it.hasNext()) {
                    Object x = it.next();
                    if (!(x instanceof String str)) {
                        throw p.error("iterable", "sequence item " + k + ": expected str instance, " + Values.typeName(x) + " found");
                    }
                    b.append(k++ > 0 ? s : "").append(str);
                }
                return b.toString();
            }
            case "upper":
                p.bind(0);
                return s.toUpperCase(java.util.Locale.ROOT);
            case "lower":
                p.bind(0);
                return s.toLowerCase(java.util.Locale.ROOT);
            case "strip":
                p.bind(0);
                return s.strip();
            case "split": {
                p.bind(0, "sep");
                List<Object> parts = new ArrayList<>();
                if (p.given("sep")) {
                    String sep = p.string("sep");
                    int from = 0;
                    for (int k = s.indexOf(sep); k >= 0; k = s.indexOf(sep, from)) {
                        parts.add(s.substring(from, k));
                        from = k + sep.length();
                    }
                    parts.add(s.substring(from));
                } else {
                    for (String w : s.strip().split("\\s+")) {
                        if (!w.isEmpty()) {
                            parts.add(w);
                        }
                    }
                }
                return new PySeq(parts, null, true);
            }
            case "replace":
                p.bind(2, "old", "new");
                return s.replace(p.string("old"), p.string("new"));
            case "startswith":
                p.bind(1, "prefix");
                return s.startsWith(p.string("prefix"));
            case "endswith":
                p.bind(1, "suffix");
                return s.endsWith(p.string("suffix"));
            default: {
                p.bind(1, "width", "fillchar");
                long width = ProgramEval.integer(ip, p.get("width"), p.pos("width"), "width");
                String fill = p.given("fillchar") ? p.string("fillchar") : " ";
                int pad = (int) Math.max(0, width - s.length());
                return switch (name) {
                    case "rjust" -> fill.repeat(pad) + s;
                    case "ljust" -> s + fill.repeat(pad);
                    default -> {
                        int left = pad / 2 + (int) (pad & width & 1); // where CPython puts the odd space
                        yield fill.repeat(left) + s + fill.repeat(pad - left);
                    }
                };
            }
        }
    }

    private static Object list(Evaluator ip, PySeq l, String name, Params p) {
        List<Object> items = l.items();
        switch (name) {
            case "append" -> {
                p.bind(1, "object");
                items.add(p.get("object"));
                if (l.where() != null) {
                    l.where().add(null);
                }
                return Values.NONE;
            }
            case "extend" -> {
                p.bind(1, "iterable");
                Iterator<Object> it = ProgramValues.iterate(p.get("iterable"));
                if (it == null) {
                    throw p.error("iterable", ProgramValues.notIterable(p.get("iterable")));
                }
                it.forEachRemaining(x -> {
                    items.add(x);
                    if (l.where() != null) {
                        l.where().add(null);
                    }
                });
                return Values.NONE;
            }
            case "pop" -> {
                p.bind(0, "index");
                if (items.isEmpty()) {
                    throw ip.src().error(p.at(), "pop from empty list");
                }
                long k = p.given("index") ? ProgramEval.integer(ip, p.get("index"), p.pos("index"), "list indices") : -1;
                long at = k < 0 ? k + items.size() : k;
                if (at < 0 || at >= items.size()) {
                    throw p.error("index", "pop index out of range");
                }
                if (l.where() != null) {
                    l.where().remove((int) at);
                }
                return items.remove((int) at);
            }
            case "index", "count" -> {
                p.bind(1, "value");
                long count = 0;
                for (int k = 0; k < items.size(); k++) {
                    if (Comparisons.equal(items.get(k), p.get("value"))) {
                        if (name.equals("index")) {
                            return (long) k;
                        }
                        count++;
                    }
                }
                if (name.equals("index")) {
                    throw ip.src().error(p.at(), ProgramValues.repr(p.get("value")) + " is not in list");
                }
                return count;
            }
            case "insert" -> {
                p.bind(2, "index", "object");
                long k = ProgramEval.integer(ip, p.get("index"), p.pos("index"), "list indices");
                int at = (int) Math.max(0, Math.min(items.size(), k < 0 ? k + items.size() : k));
                items.add(at, p.get("object"));
                if (l.where() != null) {
                    l.where().add(at, null);
                }
                return Values.NONE;
            }
            case "reverse" -> {
                p.bind(0);
                java.util.Collections.reverse(items);
                if (l.where() != null) {
                    java.util.Collections.reverse(l.where());
                }
                return Values.NONE;
            }
            case "sort" -> {
                p.bind(0, "key", "reverse");
                if (p.given("key")) {
                    throw p.error("key", "list.sort(key=...) is not supported");
                }
                boolean reverse = p.given("reverse") && ip.truth(p.get("reverse"), p.pos("reverse"));
                items.sort((x, y) -> Comparisons.order(ip, x, y, p.at()) * (reverse ? -1 : 1));
                if (l.where() != null) {
                    java.util.Collections.fill(l.where(), null);
                }
                return Values.NONE;
            }
            case "clear" -> {
                p.bind(0);
                items.clear();
                if (l.where() != null) {
                    l.where().clear();
                }
                return Values.NONE;
            }
            default -> {
                p.bind(0);
                return new PySeq(new ArrayList<>(items), null, true);
            }
        }
    }

    private static Object dict(Evaluator ip, PyDict d, String name, Params p) {
        switch (name) {
            case "items", "keys", "values" -> {
                p.bind(0);
                List<Object> out = new ArrayList<>();
                for (Map.Entry<Key, Object> e : d.map().entrySet()) {
                    out.add(name.equals("keys") ? e.getKey().value() : name.equals("values") ? e.getValue()
                            : new PySeq(new ArrayList<>(List.of(e.getKey().value(), e.getValue())), null, false));
                }
                return new PySeq(out, null, true);
            }
            case "get", "pop" -> {
                p.bind(1, "key", "default");
                Key k = ProgramEval.key(ip, p.get("key"), p.pos("key"));
                Object v = name.equals("get") ? d.map().get(k) : d.map().remove(k);
                if (v == null && name.equals("pop") && !p.given("default")) {
                    throw ip.src().error(p.pos("key"), "KeyError: " + ProgramValues.repr(p.get("key")));
                }
                return v != null ? v : p.get("default");
            }
            case "update" -> {
                p.bind(1, "other");
                if (!(p.get("other") instanceof PyDict o)) {
                    throw p.error("other", "dict.update() needs a dict, got " + Values.aType(p.get("other")));
                }
                d.map().putAll(o.map());
                return Values.NONE;
            }
            default -> {
                p.bind(0);
                return new PyDict(new LinkedHashMap<>(d.map()));
            }
        }
    }
}
