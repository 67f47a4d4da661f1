"""What CPython prints for format(value, spec), template % args, template.format(...) and repr(float), for
PyFormatTest: one case a line, fields separated by tabs, in src/test/resources/python/format_cases.txt.

    fmt   EXPECTED  SPEC      VALUE                        format(VALUE, SPEC)
    pct   EXPECTED  TEMPLATE  one|tuple|dict  VALUES...    TEMPLATE % VALUE, % (VALUES...), % {K: V, ...}
    str   EXPECTED  TEMPLATE  N  VALUES...  KEY VALUE ...  TEMPLATE.format(*first N values, **the pairs)
    repr  EXPECTED  VALUE                                  repr(VALUE), VALUE a float

EXPECTED is '=' and the text, or '!' and the exception as 'Type: message'. A VALUE is 'i:' and an int,
'f:' and a float's repr, 'b:True' or 'b:False', 's:' and a str, or 'o:' and an object formatting does not own
(None, a list, NumPy arrays and scalars): its Python type name, the value it formats as when it is a number
(a VALUE, or empty), its str and its repr, separated by U+001F. In every field a backslash escapes a
backslash, t n and r stand for tab, newline and carriage return, and uXXXX for any other character outside
printable ASCII (UTF-16 code units, so beyond the BMP as a surrogate pair).

    python3 scripts/reference/python_format.py     # CPython 3.11 and NumPy
"""
import math
import os
import random
import struct
import sys

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "resources", "python", "format_cases.txt")
SEP = "\x1f"


def escape(text):
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            data = ch.encode("utf-16-be")
            for k in range(0, len(data), 2):
                out.append("\\u%04x" % int.from_bytes(data[k:k + 2], "big"))
    return "".join(out)


def type_name(v):
    t = type(v)
    return t.__qualname__ if t.__module__ == "builtins" else t.__module__ + "." + t.__qualname__


def number_of(v):
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return None


def encode(v):
    if type(v) is bool:
        return "b:" + str(v)
    if type(v) is int:
        return "i:" + str(v)
    if type(v) is float:
        return "f:" + repr(v)
    if type(v) is str:
        return "s:" + v
    n = number_of(v)
    return "o:" + SEP.join([type_name(v), "" if n is None else encode(n), str(v), repr(v)])


def outcome(thunk):
    try:
        return "=" + thunk()
    except Exception as e:  # every Python exception formatting raises is a case
        return "!" + type(e).__name__ + ": " + str(e)


def line(*fields):
    return "\t".join(escape(f) for f in fields)


FLOATS = [0.0, -0.0, 1.0, -1.0, 0.1, -0.1, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 2.675, 1.005, 1.115, 0.05, 0.15, 0.25,
          0.35, 0.45, 3.141592653589793, 2 / 3, 1 / 3, 100.0, 1234.5, 999.9999, 9.9999995, 99.5, 0.3, 1e16, 1e15,
          9999999999999998.0, 1e17, 1e22, 1e100, -1e300, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308,
          1e-4, 9.999e-5, 1e-5, 1e-6, 123456.789, 0.000123456, 12345678901234567890.0, 2.0 ** 53, 2.0 ** 53 + 2,
          1e-10, -1e-10, 1234567.0, -0.00049, 0.0005, 0.9999999, 9.5, 10.5, float("inf"), float("-inf"),
          float("nan")]

FLOAT_SPECS = ["", "f", ".0f", ".1f", ".2f", ".3f", ".10f", ".20f", ".30f", "e", ".0e", ".2e", ".10e", ".17e", "E",
               "g", ".0g", ".1g", ".2g", ".3g", ".10g", ".17g", "G", "#g", "#.3g", "#.0f", "#.0e", "#", "#.0", ".0",
               ".1", ".3", ".10", ".16", ".17", "%", ".1%", ".0%", "n", ".3n", "+", " ", "+.2f", " .2e", "-.1f", "z",
               "z.1f", "z.3g", "+z.2f", "z%", ",", ",.2f", "_.3f", ",e", ",g", "_%", "10.2f", "<10.2f", ">10.2f",
               "^10.2f", "=10.2f", "010.2f", "*^12.3e", "0=+12,.2f", "012,.2f", "020,", "+015_.4f", "#<10", "F",
               ".3F", "x=15,.1f", "015", "-020.3e", "08", "07.3", "03", "0<12.1f", "0^12.1f"]

FLOAT_ERRORS = ["a", "d", "s", "x", "c", "b", "abc", ".2d", ",n", "_n", ",,", "_,", ",_", ".", "10.", "=", "<",
                "0=", "s10", "\u00e9", "\u00e9<"]

INTS = [0, 1, -1, 7, 42, 255, -255, 1000, 1234567, -1234567, 2 ** 31, 2 ** 63 - 1, -2 ** 63, 10 ** 20, -(10 ** 30),
        65, 0x10FFFF, 0x110000, 9007199254740993, True, False]

INT_SPECS = ["", "d", "b", "o", "x", "X", "#b", "#o", "#x", "#X", "#d", "c", "n", "#n", ",", "_", "_b", "_x", "_o",
             "#_x", "#_b", ",d", "_d", "+d", " d", "-d", "08", "08,", "09,", "010,", "011_", "0=8", "0=8,", "*^9",
             "<6", ">6", "^7", "=+8", "#010x", "+#010b", "#012_x", "e", "f", ".2f", "g", "%", ".1%", "E", "G", "F",
             ".3e", ",.2f", "n", "z", "z.2f", ".2", ".0", "s", "a", ",x", ",b", "_c", ",c", "+c", " c", "#c", "xd",
             "10c", "^10c", "05c", "=5c", "<5c", "x<5", "0<5", "0>5", "0^5", "0=5", "z5", "-", "+", " ", "a<+#08_d",
             "\u00e9^9", "\U0001f600>6", "=", "0", "00", "010", "1_000", ",_", "zd"]

STRINGS = ["abc", "", "hello world", "\u00e9t\u00e9", "\u65e5\u672c", "\U0001f600x", "a\tb", "0"]

STRING_SPECS = ["", "s", "10", "<10", ">10", "^10", "^11", "*^9", ".2", "10.2", ".0", ".1s", "010", "0>5", "0<5",
                "0=5", "d", "+", " ", "-", "z", "#", "=10", ",", "_", "x<4s", "\U0001f600^5", ".3s", "3", "1",
                "^", "^1", "\u00e9>6", "<<6", "c", ",s", "10,"]

HOST_VALUES = [None, [1, 2], np.array([1.5, 2.0]), np.float32(0.1), np.float32(2.7), np.float32(1 / 3),
               np.float32(-0.0), np.float32(1e20), np.float32(np.inf), np.int64(7), np.int64(-300), np.bool_(True)]

HOST_SPECS = ["", ".4f", "d", "x", "10", "s", ">8", "e", "g", "+.2%", ".3", "08.2f", "n", "c", "^12", ","]

PERCENT_ONE = ["%d", "%i", "%u", "%5d", "%-5d", "%05d", "%+d", "% d", "%+05d", "%-+5d", "% 05d", "%.3d", "%8.3d",
               "%-08.3d", "%x", "%X", "%#x", "%#X", "%#o", "%o", "%#08x", "%#-8x", "%#.4x", "%08.3x", "%f", "%.2f",
               "%10.3f", "%-10.3f", "%010.3f", "%+.1f", "% .1f", "%.0f", "%#.0f", "%e", "%.3e", "%E", "%#.0e", "%g",
               "%.3g", "%#g", "%#.3g", "%G", "%F", "%.20f", "%.15g", "%.17g", "%s", "%r", "%a", "%10s", "%-10s",
               "%.2s", "%10.2s", "%05s", "%+s", "%c", "%5c", "%-3c|", "%%", "%5.1f%%", "%q", "%", "abc %", "%(x)s",
               "%ld", "%hd", "%Lf", "%lld", "%5%", "%z", "%-05d", "%-05.1f", "<%s>", "%s and %%", "%.0s", "%\u00e9",
               "%5", "%.", "%.f", "%#5.0f", "%+e", "% g", "%010e", "%-+010.2e", "%010s", "%0-10d|"]

PERCENT_VALUES = [0, 42, -42, 255, -255, 3, 10 ** 20, True, False, 3.14159, -2.5, 0.5, 1e100, 1e-7, 2.675,
                  float("inf"), float("nan"), -0.0, 65, 0x1F600, -1, "abc", "\u00e9", "it's", "a\"b'c", "x", "", None,
                  [1, 2], np.float32(2.7), np.float32(0.1), np.int64(7), np.array([1.0, 2.0])]

PERCENT_TUPLES = [("%s %s", (1, 2)), ("%d-%d", (1,)), ("%s", (1, 2)), ("%*d", (5, 42)), ("%-*d|", (5, 42)),
                  ("%*d", (-5, 42)), ("%.*f", (2, 3.14159)), ("%*.*f", (10, 3, 3.14159)), ("%*d", ("a", 1)),
                  ("%.*f", (-3, 1.25)), ("%*s", (True, "a")), ("%*s", (2.0, "a")),
                  ("%s %r %a", ("\u00e9", "\u00e9", "\u00e9")), ("%r", ("it's",)), ("%r", ("a\"b'c",)),
                  ("%r", ("tab\there\n\x00\x7f\u200b",)), ("%s", ()), ("", ()), ("abc", (1,)), ("%s|%5s|%-5s|", ("a", "b", "c")),
                  ("%d%%", (50,)), ("%c%c", ("a", 98)), ("%c", ("ab",)), ("%c", (2.0,)), ("%c", (-1,)),
                  ("%c", (0x110000,)), ("%x", (2.5,)), ("%d", ("1",)), ("%f", ("1",)), ("%f", (None,)),
                  ("%d", (float("inf"),)), ("%d", (float("-inf"),)), ("%d", (float("nan"),)), ("%d", (1e300,)),
                  ("%d", (-2.9,)), ("%i", (2.9,)), ("%o", (2.0,)), ("%X", (np.float32(2),)), ("%x", (np.int64(255),)),
                  ("%d", (np.float32(2.7),)), ("%.3f", (np.float32(1 / 3),)), ("%s", (np.float32(1 / 3),)),
                  ("%r", (np.float32(0.5),)), ("%d", ([1],)), ("%s %s", ([1],)), ("%s", ([1],)), ("%s %s", (None,)),
                  ("%f", (10 ** 400,)), ("%e", (10 ** 400,)), ("%d", (10 ** 400,)), ("%5s%%", ("a",)),
                  ("%(a)s", (1,)), ("%c", (10 ** 20,)), ("%5s|%-5s|", ("\U0001f600", "\u00e9")),
                  ("%.1s|%3c|", ("\U0001f600a", "\U0001f600")), ("%.60f", (0.1,)), ("%.330e", (5e-324,)), ("%c", (True,)), ("%*d", (10 ** 20, 1)), ("%.*f", (2,)), ("%*d", (3,))]

PERCENT_DICTS = [("%(a)s %(b)d", {"a": "x", "b": 2}), ("%(a)s", {}), ("%(a)s %s", {"a": 1}),
                 ("%((a))s", {"(a)": 1}), ("%(a", {"a": 1}), ("%(a)*d", {"a": 1}), ("", {}), ("abc", {"a": 1}),
                 ("%(a)5.2f|%(a)-8.1e|", {"a": 3.14159}), ("%(a)s%(b)s", {"a": 1}), ("%(x)#010x", {"x": 255}),
                 ("%()s", {"": "empty"}), ("%(a)%", {"a": 1}), ("%(a)r", {"a": "q"}), ("%(a b)s", {"a b": 5}),
                 ("%(a)s %(a)s", {"a": 1.5})]

FORMATS = [("{}", (1,), {}), ("{} {}", (1, "a"), {}), ("{0} {1} {0}", ("x", "y"), {}), ("{a} {b}", (), {"a": 1, "b": 2.5}),
           ("{:>10}", ("hi",), {}), ("{0:.{1}f}", (3.14159, 2), {}), ("{:{}}", ("x", 5), {}),
           ("{:{}.{}f}", (3.14159, 10, 3), {}), ("{!r}", ("a'b",), {}), ("{!s}", (1.5,), {}), ("{!a}", ("\u00e9",), {}),
           ("{0!r:>10}", ("ab",), {}), ("{{}}", (), {}), ("{{{0}}}", (7,), {}), ("}", (), {}), ("{", (), {}),
           ("a}b", (), {}), ("a}}b{{c", (), {}), ("{0", (1,), {}), ("{0!", (1,), {}), ("{!x}", (1,), {}),
           ("{0!rx}", (1,), {}), ("{!r", (1,), {}), ("{!}", (1,), {}), ("{:{:{}}}", (1, 2, 3), {}),
           ("{0:{1:{2}}}", (1, 2, 3), {}), ("{} {1}", (1, 2), {}), ("{1} {}", (1, 2), {}), ("{2}", (1, 2), {}),
           ("{}{}", (1,), {}), ("{a}", (), {}), ("{a}", (1,), {"b": 2}), ("{:d}", ("a",), {}),
           ("{:,}", (1234567,), {}), ("{:_b}", (255,), {}), ("{0:{fill}{align}{width}}", ("x",), {"fill": "*", "align": "^", "width": 7}),
           ("{}", (None,), {}), ("{}", ([1, 2],), {}), ("{:.4f}", (np.float32(0.1),), {}), ("{}", (np.float32(0.1),), {}),
           ("{!r}", (np.float32(0.1),), {}), ("{:10}", (np.float32(0.1),), {}), ("{:.2f}", (np.array([1.0]),), {}),
           ("{:>8}", (None,), {}), ("{0:}", (1,), {}), ("{:}", (2.5,), {}), ("{!r:}", ("s",), {}), ("{ }", (), {" ": 1}),
           ("{ }", (1,), {}), ("{-1}", (1,), {}), ("{00}", ("zero",), {}), ("{0:{}}", (1, 2), {}), ("{}:{}", (1, 2), {}),
           ("{{{}}}", (1,), {}), ("{:{{}}}", (1,), {}), ("{0:}}}", (1,), {}), ("{a{b}", (), {}), ("{:%}", (0.25,), {}),
           ("x{!s:^9}x", (True,), {}), ("{0:>{1}}", (1, -1), {}), ("{:{}}", (1, "abc"), {}), ("{!s:d}", (1,), {}),
           ("{0}{1}{2}", ("a", "b"), {}), ("{:=^10.3e}", (12345.678,), {}), ("{:.3}", ("abcdef",), {}),
           ("{x:08.3f}", (), {"x": -3.14159}), ("{:c}", (0x1F600,), {}), ("{}", (True,), {}), ("{:>6}", (False,), {}),
           ("{:s}", (True,), {}), ("{0!r:^20}", (np.float32(0.5),), {}), ("{:,.2f}", (1234567.891,), {}),
           ("{:}", ("",), {}), ("", (), {}), ("plain", (1,), {}), ("{!a}", ("\U0001f600",), {}),
           ("{0!s:}", (None,), {}), ("{!r}", (None,), {}), ("{!r}", ([1, "a"],), {}), ("{0[}", (1,), {}),
           ("{0[1}", (1,), {}), ("{0]}", (1,), {}), ("{[}", (1,), {}), ("{!r:{}}", ("a", 5), {}),
           ("{:{}}{}", ("a", 3, "b"), {}), ("{:.{}}", (3.14159, 3), {}), ("{:^{}.{}}", ("abcdef", 9, 2), {}),
           ("{:{}{}}", (255, "#", "x"), {}), ("{:{}}", (1.5, "{}"), {}), ("{0:{0}}", (5,), {}),
           ("{:5}|{:<5}|{:^5}|{:>5}", ("\U0001f600", "\u00e9", "\u65e5", "x"), {}), ("{:%}", (1,), {}),
           ("{:.60f}", (0.1,), {}), ("{:.330f}", (5e-324,), {}), ("{:.40e}", (2 ** -1074,), {}), ("{:,}", (1e300,), {})]


def not_ours(template, v):
    """Cases whose message comes from the object's own code, which the interpreter owns: %(key) looks the key up
    in a list, an array or a NumPy scalar, and float() of an array."""
    opaque = v is not None and encode(v).startswith("o:")
    float_conversion = any(c in template for c in "eEfFgG")
    return opaque and "%(" in template or isinstance(v, np.ndarray) and float_conversion


def repr_values(rng):
    values = list(FLOATS)
    for e in range(-330, 310, 7):
        values.append(10.0 ** e if e < 309 else 1e308)
    for e in range(-1074, 1024, 13):
        values.append(math.ldexp(1.0, e))
    for _ in range(1500):
        bits = rng.getrandbits(64)
        v = struct.unpack("<d", struct.pack("<Q", bits))[0]
        if math.isfinite(v):
            values.append(v)
    for _ in range(500):
        values.append(round(rng.uniform(-1000, 1000), rng.randint(0, 12)))
    for _ in range(300):
        values.append(float(np.float32(rng.gauss(0, 1))))
    return values


def main():
    rng = random.Random(20240611)
    lines = []
    for v in FLOATS:
        for spec in FLOAT_SPECS:
            lines.append(line("fmt", outcome(lambda: format(v, spec)), spec, encode(v)))
    for spec in FLOAT_ERRORS:
        for v in (1.5, -0.0):
            lines.append(line("fmt", outcome(lambda: format(v, spec)), spec, encode(v)))
    for _ in range(600):
        bits = rng.getrandbits(64)
        v = struct.unpack("<d", struct.pack("<Q", bits))[0]
        if rng.random() < 0.6:
            v = rng.uniform(-1, 1) * 10.0 ** rng.randint(-30, 30)
        spec = "%s.%d%s" % (rng.choice(["", "+", "#", "z", ",", "015"]), rng.randint(0, 25), rng.choice("eEfFgG%"))
        lines.append(line("fmt", outcome(lambda: format(v, spec)), spec, encode(v)))
    for v in INTS:
        for spec in INT_SPECS:
            lines.append(line("fmt", outcome(lambda: format(v, spec)), spec, encode(v)))
    for v in STRINGS:
        for spec in STRING_SPECS:
            lines.append(line("fmt", outcome(lambda: format(v, spec)), spec, encode(v)))
    for v in HOST_VALUES + [np.float64(0.1), np.float64(-2.5)]:
        for spec in HOST_SPECS:
            result = outcome(lambda: format(v, spec))
            if isinstance(v, np.float64) and result.startswith("!"):
                continue  # float64 subclasses float, so Python's messages name numpy.float64, not float
            lines.append(line("fmt", result, spec, encode(v)))
    for template in PERCENT_ONE:
        for v in PERCENT_VALUES:
            if not_ours(template, v):
                continue
            lines.append(line("pct", outcome(lambda: template % v), template, "one", encode(v)))
    for template, args in PERCENT_TUPLES:
        lines.append(line("pct", outcome(lambda: template % args), template, "tuple", *[encode(a) for a in args]))
    for template, args in PERCENT_DICTS:
        pairs = [f for k, v in args.items() for f in (k, encode(v))]
        lines.append(line("pct", outcome(lambda: template % args), template, "dict", *pairs))
    for template, args, kwargs in FORMATS:
        pairs = [f for k, v in kwargs.items() for f in (k, encode(v))]
        lines.append(line("str", outcome(lambda: template.format(*args, **kwargs)), template, str(len(args)),
                          *[encode(a) for a in args], *pairs))
    for v in repr_values(rng):
        lines.append(line("repr", "=" + repr(v), encode(v)))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as out:
        out.write("# Generated by scripts/reference/python_format.py with Python %s and NumPy %s; do not edit.\n"
                  % (sys.version.split()[0], np.__version__))
        out.write("\n".join(lines) + "\n")
    print(len(lines), "cases")


if __name__ == "__main__":
    main()
