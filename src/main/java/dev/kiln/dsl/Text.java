package dev.kiln.dsl;

import dev.kiln.dsl.Values.PyDict;
import dev.kiln.dsl.Values.PySeq;
import dev.kiln.ir.SourcePos;
import dev.kiln.numpy.NdArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A program's string formatting: f-string fields, {@code format(v, spec)}, {@code str.format} and the
 * {@code %} operator, by {@link PyFormat}, with this package's values explained to it (NumPy scalars
 * format as the Python numbers they convert to, arrays and lists by their {@code str}).
 */
final class Text {
    private Text() {}

    static final PyFormat.Host HOST = new PyFormat.Host() {
        @Override
        public String str(Object v) {
            return ProgramValues.str(v);
        }

        @Override
        public String repr(Object v) {
            return ProgramValues.repr(v);
        }

        @Override
        public Object number(Object v) {
            if (v instanceof NdArray a && a.isScalar()) {
                return a.item();
            }
            return null;
        }

        @Override
        public String typeName(Object v) {
            return Values.typeName(v);
        }
    };

    /**
     * {@code format(v, spec)}. Even with an empty spec a NumPy scalar formats as the Python number it
     * converts to, as in Python: {@code f"{np.float32(0.1)}"} is {@code 0.10000000149011612}, where
     * {@code str} gives {@code 0.1}.
     */
    static String format(Evaluator ip, Object v, String spec, SourcePos at) {
        try {
            return PyFormat.formatValue(v, spec, HOST);
        } catch (PyFormat.FormatError e) {
            throw ip.src().error(at, e.toString());
        }
    }

    /** {@code template % args}. */
    static String percent(Evaluator ip, String template, Object args, SourcePos at) {
        try {
            Object a = args instanceof PySeq s && !s.isList() ? new PyFormat.Tuple(s.items())
                    : args instanceof PyDict d ? mapping(d) : args;
            return PyFormat.percent(template, a, HOST);
        } catch (PyFormat.FormatError e) {
            throw ip.src().error(at, e.toString());
        }
    }

    /** {@code template.format(*args, **kwargs)}. */
    static String strFormat(Evaluator ip, String template, List<Object> args, Map<String, Object> kwargs, SourcePos at) {
        try {
            return PyFormat.format(template, args, kwargs, HOST);
        } catch (PyFormat.FormatError e) {
            throw ip.src().error(at, e.toString());
        }
    }

    private static Map<String, Object> mapping(PyDict d) {
        Map<String, Object> m = new LinkedHashMap<>();
        d.map().forEach((k, v) -> m.put(String.valueOf(k.value()), v));
        return m;
    }
}
