package dev.kiln.bench.tf;

/**
 * TensorFlow Java's twin of {@code ./kiln train examples/two_layer.kiln} with the reference feeds and
 * initial weights, as a process of its own: reads the same {@code .npy} files, builds the canonical graph
 * with a one-thread session, trains {@code STEPS} steps (argument; 500 by default) and prints
 * {@code t loss} every 100 steps, as {@code kiln train} does. {@code benchmarks/whole-process} times both.
 */
public final class TrainTf {
    private TrainTf() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        try (TfModel m = new TfModel("two_layer", 64, "1")) {
            for (int t = 0; t < steps; t++) {
                float loss = m.step();
                if (t % 100 == 99) {
                    System.out.println(t + " " + loss);
                }
            }
        }
    }
}
