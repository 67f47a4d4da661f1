package dev.kiln.bench;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JMH's JSON result files as the report reads them: one {@link Row} per benchmark, parameter set and
 * mode, with the figures in a common unit.
 */
final class Results {
    private Results() {}

    /** One JMH result row: the graph it measured, the engine label, and its score. */
    record Row(String benchmark, String graphKey, String engine, String mode, double score, double error,
            String unit, Double allocBytes, Map<String, Object> raw) {
        /** The score in microseconds. */
        double micros() {
            return Results.micros(score, unit);
        }

        /** The error half-width in microseconds. */
        double errorMicros() {
            return Results.micros(error, unit);
        }

        /** A percentile of the score ({@code "0.0"}: the minimum, {@code "100.0"}: the maximum) in microseconds. */
        double percentileMicros(String p) {
            @SuppressWarnings("unchecked")
            Map<String, Object> pm = (Map<String, Object>) raw.get("primaryMetric");
            Object pct = pm == null ? null : pm.get("scorePercentiles");
            return Results.micros(num(pct instanceof Map<?, ?> m ? m.get(p) : null), unit);
        }

        /** A JMH parameter of the row, or null. */
        Object param(String name) {
            return params(raw).get(name);
        }
    }

    /** The result objects of the files that exist, in order; a file that is not JMH's JSON is an error naming it. */
    static List<Map<String, Object>> read(List<Path> files) throws IOException {
        List<Map<String, Object>> results = new ArrayList<>();
        for (Path p : files) {
            if (!Files.isRegularFile(p)) {
                continue;
            }
            List<?> list;
            try {
                list = new Gson().fromJson(Files.readString(p, StandardCharsets.UTF_8), List.class);
            } catch (JsonParseException e) {
                throw new IOException(p + ": not a JMH JSON result file: " + e.getMessage(), e);
            }
            for (Object o : list == null ? List.of() : list) {
                if (!(o instanceof Map<?, ?>)) {
                    throw new IOException(p + ": not a JMH JSON result file: an entry is not an object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) o;
                results.add(m);
            }
        }
        return results;
    }

    static List<Row> rows(List<Map<String, Object>> results) {
        return results.stream().map(Results::row).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> params(Map<String, Object> r) {
        return (Map<String, Object>) r.getOrDefault("params", Map.of());
    }

    /**
     * The row of one result: its graph key is the benchmark class (without a {@code Tf} suffix, so that
     * TensorFlow's twin shares Kiln's rows) plus the batch parameter; its engine is the method plus the
     * variant or TensorFlow's thread count.
     */
    static Row row(Map<String, Object> r) {
        String bench = (String) r.get("benchmark");
        String method = bench.substring(bench.lastIndexOf('.') + 1);
        String cls = bench.substring(0, bench.lastIndexOf('.'));
        cls = cls.substring(cls.lastIndexOf('.') + 1);
        if (cls.endsWith("Tf")) {
            cls = cls.substring(0, cls.length() - 2);
        }
        Map<String, Object> params = params(r);
        String key = cls;
        if (params.containsKey("batch")) {
            key += " batch=" + params.get("batch");
        }
        String engine = method;
        if (params.containsKey("variant")) {
            engine += " (" + params.get("variant") + ")";
        }
        if (params.containsKey("tfThreads")) {
            engine += "1".equals(params.get("tfThreads")) ? " (1 thread)" : " (" + params.get("tfThreads") + " threads)";
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> pm = (Map<String, Object>) r.get("primaryMetric");
        @SuppressWarnings("unchecked")
        Map<String, Object> secondary = (Map<String, Object>) r.getOrDefault("secondaryMetrics", Map.of());
        Double alloc = null;
        if (secondary.get("gc.alloc.rate.norm") instanceof Map<?, ?> a) {
            alloc = num(a.get("score"));
        }
        return new Row(bench, key, engine, (String) r.get("mode"), num(pm.get("score")), num(pm.get("scoreError")),
                (String) pm.get("scoreUnit"), alloc, r);
    }

    /** A number from the JSON; JMH writes "NaN" as a string. */
    static double num(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** A time in JMH's unit, in microseconds. */
    static double micros(double v, String unit) {
        return switch (unit) {
            case "ns/op" -> v / 1000;
            case "us/op" -> v;
            case "ms/op" -> v * 1000;
            case "s/op" -> v * 1e6;
            default -> Double.NaN;
        };
    }

    /** A count from the JSON (parsed as a double) as an integer. */
    static String count(Object o) {
        double v = num(o);
        return Double.isNaN(v) ? "?" : String.valueOf(Math.round(v));
    }

    /** When the results were written: the newest input file's modification time (now if none). */
    static ZonedDateTime date(List<Path> inputs) {
        long newest = 0;
        for (Path p : inputs) {
            try {
                if (Files.isRegularFile(p)) {
                    newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
                }
            } catch (IOException e) {
                // keep the others
            }
        }
        return newest == 0 ? ZonedDateTime.now(ZoneOffset.UTC)
                : ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(newest), ZoneOffset.UTC);
    }
}
