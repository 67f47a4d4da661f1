package dev.kiln.spark;

import dev.kiln.io.Npy;
import dev.kiln.ir.DType;
import dev.kiln.ir.Tensor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference: {@code kiln train --minibatch B --shuffle --seed S} run in-process, its loss at every
 * step and its saved variables.
 */
record SingleMachine(float[] losses, Map<String, Tensor> variables) {
    static SingleMachine train(Path model, int steps, int batch, long seed, List<String> feeds, List<String> inits, Path dir,
            List<String> variables) throws Exception {
        List<String> args = new ArrayList<>(List.of("train", model.toString(), "--steps", "" + steps, "--print-every", "1",
                "--minibatch", "" + batch, "--shuffle", "--seed", "" + seed, "--save", dir.toString()));
        for (String f : feeds) {
            args.add("--feed");
            args.add(f);
        }
        for (String i : inits) {
            args.add("--init");
            args.add(i);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = dev.kiln.cli.Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        if (status != 0) {
            throw new AssertionError("kiln train failed: " + err);
        }
        String[] lines = out.toString().split("\n");
        float[] losses = new float[steps];
        for (int t = 0; t < steps; t++) {
            losses[t] = Float.parseFloat(lines[t].split(" ")[1]);
        }
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (String v : variables) {
            Path f = dir.resolve(v + ".npy");
            if (!Files.exists(f)) {
                throw new AssertionError("kiln train did not save " + f);
            }
            values.put(v, Npy.read(f, DType.FLOAT32));
        }
        return new SingleMachine(losses, values);
    }
}
