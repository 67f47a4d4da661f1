package dev.kiln.compiled;

import static dev.kiln.compiled.OpCatalog.training;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.api.Compiler;
import dev.kiln.api.Options;
import dev.kiln.api.Session;
import dev.kiln.codegen.Backend;
import dev.kiln.dsl.Tf;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.Tensor;
import dev.kiln.opt.Program;
import dev.kiln.testing.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Products large enough to be summed in pieces of k (the vector backend's way with a big product whose b
 * is a variable, so that each thread reads only the rows of the variable it also updates): against the
 * interpreter, on one and two threads, which must agree bit for bit. The shapes cover a partial last
 * vector read shifted (N = 120, 97), whole vectors only (N = 128), N below the vector length (N = 10),
 * k not a multiple of the pieces, epilogues with and without a vector form, an extra operand, and an
 * update whose b is a variable (finished by the sums' method). On a JVM without the vector backend the
 * same cases run on the scalar one, which never splits k.
 */
class SplitProductsTest {
    static Stream<Differential.Case> cases() {
        List<Differential.Case> cases = new ArrayList<>();
        cases.add(training("x[16,600] @ w[600,120]", c -> c.tf.matmul(c.feed("x", 16, 600), c.var("w", 600, 120))));
        cases.add(training("relu(x[8,1100] @ w[1100,128] + b)",
                c -> c.tf.relu(c.tf.add(c.tf.matmul(c.feed("x", 8, 1100), c.var("w", 1100, 128)), c.var("b", 128)))));
        cases.add(training("x[64,2100] @ w[2100,10]", c -> c.tf.matmul(c.feed("x", 64, 2100), c.var("w", 2100, 10))));
        cases.add(training("tanh(x[12,700] @ w[700,130])", c -> c.tf.tanh(c.tf.matmul(c.feed("x", 12, 700), c.var("w", 700, 130)))));
        cases.add(training("x[20,555] @ w[555,97] * x2[20,1]",
                c -> c.tf.mul(c.tf.matmul(c.feed("x", 20, 555), c.var("w", 555, 97)), c.feed("x2", 20, 1))));
        // an epilogue whose every op has a vector form, sqrt's included
        cases.add(training("sqrt(relu(x[12,800] @ w[800,120]) + 1)",
                c -> c.tf.sqrt(c.tf.add(c.tf.relu(c.tf.matmul(c.feed("x", 12, 800), c.var("w", 800, 120))), 1f))));
        cases.add(updateByVariable());
        return cases.stream();
    }

    /** {@code a -= 0.01 * (u @ v)} with v a variable: an update whose b is a variable. */
    static Differential.Case updateByVariable() {
        Tf tf = new Tf();
        Node u = tf.placeholder("u", Tf.shape(32, 1024));
        Node a = tf.variable("a", tf.randomNormal(Tf.shape(32, 128), 0f, 1f, 3L));
        Node v = tf.variable("v", tf.randomNormal(Tf.shape(1024, 128), 0f, 0.05f, 4L));
        tf.name("new_a", tf.assign(a, tf.sub(a, tf.mul(0.01f, tf.matmul(u, v)))));
        tf.name("total", tf.reduceSum(a));
        Graph g = tf.build();
        float[] data = Tensors.gaussian(32 * 1024, 5);
        return new Differential.Case("a -= 0.01 * (u[32,1024] @ v[1024,128])", g, List.of("total"), g.sideEffects(),
                Map.of("u", new Tensor(Shape.of(32, 1024), data)));
    }

    static Backend backend() {
        return Backend.vectorAvailable() ? Backend.VECTOR : Backend.SCALAR;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void agreesWithTheInterpreterOnOneAndTwoThreads(Differential.Case c) {
        String backend = backend() == Backend.VECTOR ? "vector" : "scalar";
        Differential.compare(c, 3, false, new Options().backend(backend).threads(1));
        Differential.compare(c, 3, false, new Options().backend(backend).threads(2));
        // the two thread counts agree bit for bit, run after run
        Session one = Differential.sessions(c, new Options().backend(backend).threads(1))[1];
        Session two = Differential.sessions(c, new Options().backend(backend).threads(2))[1];
        for (int run = 0; run < 3; run++) {
            List<Tensor> a = one.run(c.feeds());
            List<Tensor> b = two.run(c.feeds());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).data(), b.get(i).data(), c.name() + ", run " + run + ", fetch " + i);
            }
            for (String v : one.variableNames()) {
                assertArrayEquals(one.variable(v).data(), two.variable(v).data(), c.name() + ", run " + run + ", " + v);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theVectorBackendSumsTheProductInPieces(Differential.Case c) {
        Options o = new Options().backend(backend() == Backend.VECTOR ? "vector" : "scalar").threads(2);
        byte[] bytes = Compiler.compile(new Program(c.graph(), c.fetchNodes(), c.targets()), o).bytes();
        List<String> sums = new ArrayList<>();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                if (name.endsWith("$sum")) {
                    sums.add(name);
                }
                return null;
            }
        }, ClassReader.SKIP_CODE);
        assertEquals(backend() == Backend.VECTOR ? 1 : 0, sums.size(), c.name() + ": " + sums);
    }
}
