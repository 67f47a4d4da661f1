package dev.kiln.bench;

import dev.kiln.api.Engine;
import dev.kiln.api.Kiln;
import dev.kiln.api.Options;
import dev.kiln.api.ProgramSession;
import dev.kiln.api.Session;
import dev.kiln.dsl.TfProgram;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Tensor;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a whole TF1 program's {@code sess.run} costs beyond the step itself: the canonical training step
 * run by {@code kiln exec}'s machinery ({@code program}: {@code step()} of
 * {@code benchmarks/programs/canonical_step_fn.py}, i.e. evaluating the call, the fetch list and the
 * feed dict, converting the feeds, finding the compiled class, fetching the loss as a NumPy scalar)
 * against the same step through {@link Session#run} ({@code session}: what {@code kiln train} calls),
 * both on the default backend with the reference data, in the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ExecStep {
    @State(Scope.Thread)
    public static class Train {
        Session session;
        Map<String, Tensor> feeds;

        @Setup
        public void setup() {
            Graph g = Models.graph("two_layer").bind(StepStates.BATCH);
            Options o = new Options();
            session = Kiln.session(g, List.of("loss"), g.sideEffects(), Engine.COMPILED, o);
            Models.initialVariables("two_layer").forEach(session::setVariable);
            feeds = Models.data("two_layer", StepStates.BATCH).feeds(true);
        }
    }

    @State(Scope.Thread)
    public static class Program {
        TfProgram.Instance instance;

        @Setup
        public void setup() {
            TfProgram p = TfProgram.parse(Models.root().resolve("benchmarks/programs/canonical_step_fn.py"));
            Options o = new Options();
            instance = p.start(new TfProgram.Host(() -> new ProgramSession(Engine.COMPILED, o),
                    new PrintStream(PrintStream.nullOutputStream()), Models.root(), 0));
        }
    }

    @Benchmark
    public List<Tensor> session(Train t) {
        return t.session.run(t.feeds);
    }

    @Benchmark
    public Object program(Program p) {
        return p.instance.call("step");
    }
}
