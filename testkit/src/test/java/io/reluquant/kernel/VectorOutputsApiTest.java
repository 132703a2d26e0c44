// Proves: the k-output API (datasets of k targets or class labels, parameters with a (m, k), forward into (q, k), gradient, minibatch, setParameters/applyUpdate, predictor, network files) behaves as documented, and bad input is refused naming the argument and value with nothing mutated.
package io.reluquant.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.testkit.Fixtures;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The public k-output API end to end, and its refusals. */
class VectorOutputsApiTest {
    @TempDir
    java.nio.file.Path dir;

    private static void rejects(Class<? extends Throwable> type, String mustMention, Executable call) {
        Throwable e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(mustMention),
                () -> "message '" + e.getMessage() + "' should mention '" + mustMention + "'");
    }

    @Test
    void datasetsOfTargetsAndClasses() {
        Dataset data = Dataset.of(new double[] {1, 2, 3}, new double[] {1, 2, 3, 4, 5, 6}, 1, 2);
        assertEquals(3, data.samples());
        assertEquals(2, data.outputs());
        assertEquals(4, data.y(1, 1));
        assertTrue(!data.hasLabels());
        rejects(IllegalStateException.class, "outputs = 2", () -> data.y(0));
        rejects(IllegalStateException.class, "ofClasses", data::labels);
        Dataset classes = Dataset.ofClasses(new float[] {1, 2, 3}, new int[] {2, 0, 1}, 1, 3);
        assertEquals(Precision.FLOAT32, classes.storage());
        assertArrayEquals(new int[] {2, 0, 1}, classes.labels());
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, classes.targets(), "targets are one-hot");
        Dataset sub = classes.subset(new int[] {2, 2, 0});
        assertArrayEquals(new int[] {1, 1, 2}, sub.labels());
        assertEquals(3, sub.outputs());

        rejects(IllegalArgumentException.class, "y has length 5, expected a positive multiple of outputs 2",
                () -> Dataset.of(new double[3], new double[5], 1, 2));
        rejects(IllegalArgumentException.class, "x has length 4, expected 3",
                () -> Dataset.of(new double[4], new double[6], 1, 2));
        rejects(IllegalArgumentException.class, "outputs must be positive, got 0",
                () -> Dataset.of(new double[3], new double[6], 1, 0));
        rejects(IllegalArgumentException.class, "labels[1] = 3 is outside [0, classes 3)",
                () -> Dataset.ofClasses(new double[3], new int[] {0, 3, 1}, 1, 3));
        rejects(IllegalArgumentException.class, "labels[0] = -1",
                () -> Dataset.ofClasses(new float[3], new int[] {-1, 0, 1}, 1, 3));
        rejects(IllegalArgumentException.class, "x[2] is not finite: NaN",
                () -> Dataset.ofClasses(new double[] {0, 0, Double.NaN}, new int[] {0, 1, 1}, 1, 3));
        rejects(NullPointerException.class, "labels must not be null", () -> Dataset.ofClasses(new double[3], null, 1, 3));
    }

    @Test
    void parametersAndInitializers() {
        Parameters p = Parameters.of(new double[] {1, 2, 3, 4, 5, 6}, new double[] {7, 8, 9}, new double[3], 1, 2);
        assertEquals(3, p.width());
        assertEquals(2, p.outputs());
        assertEquals(4, p.a(1, 1));
        rejects(IllegalStateException.class, "use a(j, c)", () -> p.a(0));
        rejects(IllegalArgumentException.class, "a has length 5, expected 6",
                () -> Parameters.of(new double[5], new double[3], new double[3], 1, 2));
        rejects(IllegalArgumentException.class, "a[4] is not finite: NaN",
                () -> Parameters.of(new float[] {0, 0, 0, 0, Float.NaN, 0}, new float[3], new float[3], 1, 2));
        // balanced with k outputs: |a_j| = |v_j|; k = 1 is the one-output initializer exactly
        Parameters init = Initializers.balanced(50, 3, 4, 1e-2, 7, true);
        for (int j = 0; j < 50; j++) {
            double a2 = 0;
            for (int c = 0; c < 4; c++) {
                a2 += init.a(j, c) * init.a(j, c);
            }
            double v2 = init.b(j) * init.b(j);
            for (int q = 0; q < 3; q++) {
                v2 += init.w(j, q) * init.w(j, q);
            }
            assertEquals(Math.sqrt(v2), Math.sqrt(a2), 1e-15 * Math.sqrt(v2), "|a_" + j + "| = |v_" + j + "|");
        }
        assertArrayEquals(Initializers.balanced(50, 3, 1e-2, 7, true).outputWeights(),
                Initializers.balanced(50, 3, 1, 1e-2, 7, true).outputWeights());
    }

    @Test
    void builderRefusesMismatchedOutputsAndLosses() {
        Dataset three = Fixtures.data(9, 2, 3, 1);
        Dataset labels = Fixtures.labelled(9, 2, 3, 1);
        rejects(IllegalArgumentException.class, "init has outputs 2 but data has outputs 3",
                () -> Trainer.builder(three, Fixtures.params(5, 2, 2, 1)));
        rejects(IllegalArgumentException.class, "loss LOGISTIC needs outputs = 1, got outputs = 3",
                () -> Trainer.builder(three, Fixtures.params(5, 2, 3, 1)).loss(Loss.LOGISTIC).build());
        rejects(IllegalArgumentException.class, "SOFTMAX_CROSS_ENTROPY needs a class dataset",
                () -> Trainer.builder(three, Fixtures.params(5, 2, 3, 1)).loss(Loss.SOFTMAX_CROSS_ENTROPY).build());
        rejects(IllegalArgumentException.class, "classes = 1",
                () -> Trainer.builder(Fixtures.labelled(9, 2, 1, 1), Fixtures.params(5, 2, 1, 1))
                        .loss(Loss.SOFTMAX_CROSS_ENTROPY).build());
        rejects(UnsupportedOperationException.class, "k >= 2 outputs", () -> Loss.SOFTMAX_CROSS_ENTROPY.value(0, 0));
        // the square loss trains on a class dataset: its one-hot targets
        try (Trainer t = Trainer.builder(labels, Fixtures.params(5, 2, 3, 1)).build()) {
            assertTrue(t.loss() > 0);
        }
    }

    @Test
    void callsWithOutputsAndTheirRefusals() {
        int m = 70;
        int d = 3;
        int k = 4;
        Dataset data = Fixtures.labelled(20, d, k, 3);
        Parameters init = Fixtures.params(m, d, k, 4);
        try (Trainer t = Trainer.builder(data, init).loss(Loss.SOFTMAX_CROSS_ENTROPY).threads(2).build()) {
            assertEquals(k, t.outputs());
            Parameters before = t.parameters();
            assertEquals(k, before.outputs());
            double[] x = Fixtures.data(5, d, 9).inputs();
            rejects(IllegalArgumentException.class, "out has length 7, expected a multiple of outputs 4",
                    () -> t.forward(x, new double[7]));
            rejects(IllegalArgumentException.class, "ga has length 70, expected 280",
                    () -> t.gradient(new double[m], new double[m * d], new double[m]));
            rejects(IllegalArgumentException.class, "a has length 70, expected 280",
                    () -> t.setParameters(new double[m], new double[m * d], new double[m]));
            double[] da = new double[m * k];
            da[17] = Double.POSITIVE_INFINITY;
            rejects(IllegalArgumentException.class, "da[17] = Infinity",
                    () -> t.applyUpdate(da, new double[m * d], new double[m]));
            rejects(IllegalArgumentException.class, "outputs 1 but the trainer has width 70, inputDim 3 and outputs 4",
                    () -> t.setParameters(Fixtures.params(m, d, 4)));
            assertArrayEquals(before.outputWeights(), t.parameters().outputWeights(), "refused calls change nothing");
            assertArrayEquals(before.inputWeights(), t.parameters().inputWeights());
            assertEquals(0, t.stepsTaken());

            // forward into (q, k), and the predictor gives the same bits
            double[] out = new double[5 * k];
            t.forward(x, out);
            double[] served = new double[5 * k];
            Predictor predictor = t.predictor();
            assertEquals(k, predictor.outputs());
            predictor.predict(x, served);
            assertArrayEquals(out, served, "predictor = forward, bit for bit");
            rejects(IllegalStateException.class, "outputs = 4", () -> predictor.predict(new double[d]));

            // setParameters then a step continues as a trainer built from those parameters
            t.steps(0.5, 3, 3, null);
            Parameters mid = t.parameters();
            t.setParameters(init);
            t.setParameters(mid);
            t.step(0.5);
            try (Trainer fresh = Trainer.builder(data, mid).loss(Loss.SOFTMAX_CROSS_ENTROPY).threads(3).build()) {
                fresh.step(0.5);
                assertArrayEquals(fresh.parameters().outputWeights(), t.parameters().outputWeights());
                assertArrayEquals(fresh.parameters().inputWeights(), t.parameters().inputWeights());
            }
            // applyUpdate: p + dp in float64, rounded once to float32
            Parameters now = t.parameters();
            double[] dA = new double[m * k];
            dA[5] = 0.25;
            t.applyUpdate(dA, new double[m * d], new double[m]);
            assertEquals((float) (now.a(1, 1) + 0.25), t.parameters().a(1, 1));
            assertEquals(now.a(1, 2), t.parameters().a(1, 2));
        }
    }

    @Test
    void minibatchStepIsTheFullStepOfTheBatch() {
        int m = 130;
        int d = 5;
        int k = 3;
        Dataset data = Fixtures.data(40, d, k, 11);
        Parameters init = Fixtures.params(m, d, k, 12);
        int[] batch = {3, 1, 4, 1, 5, 9, 2, 6, 35};
        for (Precision precision : Precision.values()) {
            try (Trainer t = Trainer.builder(data, init).precision(precision).threads(2).build();
                 Trainer onBatch = Trainer.builder(data.subset(batch), init).precision(precision).threads(1).build()) {
                double before = onBatch.loss();
                assertEquals(before, t.step(0.3, 0.1, batch), "the batch loss before the step");
                onBatch.step(0.3, 0.1);
                assertArrayEquals(onBatch.parameters().outputWeights(), t.parameters().outputWeights(), precision + " a");
                assertArrayEquals(onBatch.parameters().inputWeights(), t.parameters().inputWeights(), precision + " w");
                assertArrayEquals(onBatch.parameters().biases(), t.parameters().biases(), precision + " b");
                double[] ga = new double[m * k];
                double[] gw = new double[m * d];
                double[] gb = new double[m];
                double[] ha = new double[m * k];
                double[] hw = new double[m * d];
                double[] hb = new double[m];
                t.gradient(batch, ga, gw, gb);
                onBatch.gradient(ha, hw, hb);
                assertArrayEquals(ha, ga, precision + " batch gradient");
            }
        }
    }

    @Test
    void networkFilesCarryOutputs() throws Exception {
        Parameters p3 = Parameters.of(new float[] {1, 2, 3, 4, 5, 6}, new float[] {7, 8}, new float[] {0.5f, -1}, 1, 3);
        java.nio.file.Path file = dir.resolve("three.npz");
        NetworkFiles.write(file, p3);
        Parameters back = NetworkFiles.read(file);
        assertEquals(3, back.outputs());
        assertEquals(Precision.FLOAT32, back.storage());
        assertArrayEquals(p3.outputWeights(), back.outputWeights());
        assertArrayEquals(p3.inputWeights(), back.inputWeights());
        // a of shape (m, k) in the header
        String bytes = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(bytes.contains("'shape': (2, 3)"), "a stored as (m, k)");
        // one output: a of shape (m,) as before, read back as k = 1
        java.nio.file.Path one = dir.resolve("one.npz");
        NetworkFiles.write(one, Parameters.of(new double[] {1, 2}, new double[] {3, 4}, new double[2], 1));
        String oneBytes = new String(Files.readAllBytes(one), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(oneBytes.contains("'shape': (2,)"), "one output keeps a of shape (m,)");
        assertEquals(1, NetworkFiles.read(one).outputs());
    }
}
