// Proves: the kernel's NetworkFiles and the command line agree on network files, both ways (what train writes the kernel reads bit for bit, what the kernel writes NetworkFile, analyze and compare read).
package io.reluquant.validation.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.NetworkFile;
import io.reluquant.io.npy.NdArray;
import io.reluquant.io.npy.Npy;
import io.reluquant.kernel.NetworkFiles;
import io.reluquant.kernel.Parameters;
import io.reluquant.kernel.Precision;
import io.reluquant.kernel.Predictor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkFilesInteropTest {
    @TempDir
    Path dir;

    private void writeData() throws Exception {
        double[] x = new double[24];
        double[] y = new double[12];
        for (int i = 0; i < 12; i++) {
            x[2 * i] = -1 + i / 6.0;
            x[2 * i + 1] = Math.sin(i);
            y[i] = Math.cos(2 * i) / 2;
        }
        Npy.writeNpy(dir.resolve("x.npy"), NdArray.ofDoubles(x, 12, 2));
        Npy.writeNpy(dir.resolve("y.npy"), NdArray.ofDoubles(y, 12));
    }

    /** A checkpoint of train (f32 and f64, with and without bias) reads into the kernel as NetworkFile reads it. */
    @Test
    void whatTrainWritesTheKernelReads() throws Exception {
        writeData();
        String[][] runs = {{"f32", "bias"}, {"f64", "no-bias"}};
        for (String[] run : runs) {
            Path out = dir.resolve("net-" + run[0] + "-" + run[1] + ".npz");
            String[] common = {"train", "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(),
                    "--width", "70", "--init", "balanced", "--init-scale", "0.1", "--seed", "3", "--lr", "0.05",
                    "--steps", "25", "--threads", "1", "--precision", run[0], "--out", out.toString()};
            String[] args = run[1].equals("bias") ? common : append(common, "--no-bias");
            Cli cli = Cli.run(args);
            assertEquals(0, cli.status, cli.err);
            NetworkFile.Network want = NetworkFile.readNetwork(out);
            NetworkFiles.Network got = NetworkFiles.readNetwork(out);
            assertEquals(want.bias(), got.bias(), run[1]);
            assertEquals(run[1].equals("bias"), got.bias());
            assertSameValues(want.parameters(), got.parameters(), String.join("/", run));
        }
    }

    /**
     * What the kernel writes (float32 and float64 storage, with and without bias) NetworkFile reads as
     * the same values and flag, and analyze and compare accept it; a network round-trips through both.
     */
    @Test
    void whatTheKernelWritesTheCommandLineReads() throws Exception {
        writeData();
        int m = 40;
        double[] a = new double[m];
        double[] w = new double[2 * m];
        double[] b = new double[m];
        for (int j = 0; j < m; j++) {
            a[j] = Math.sin(j + 0.5) / 3;
            w[2 * j] = Math.cos(j);
            w[2 * j + 1] = Math.sin(3 * j);
            b[j] = j % 3 == 0 ? 0 : 0.1 * Math.cos(j);
        }
        float[] af = new float[m];
        float[] wf = new float[2 * m];
        for (int i = 0; i < 2 * m; i++) {
            wf[i] = (float) w[i];
        }
        for (int j = 0; j < m; j++) {
            af[j] = (float) a[j];
        }
        Parameters p64 = Parameters.of(a, w, b, 2);
        Parameters p32 = Parameters.of(af, wf, new float[m], 2);
        Path f64 = dir.resolve("k64.npz");
        Path f32 = dir.resolve("k32.npz");
        NetworkFiles.write(f64, p64);
        NetworkFiles.write(f32, p32, false);
        NetworkFile.Network n64 = NetworkFile.readNetwork(f64);
        NetworkFile.Network n32 = NetworkFile.readNetwork(f32);
        assertTrue(n64.bias());
        assertEquals(false, n32.bias());
        assertSameValues(p64, n64.parameters(), "float64");
        assertSameValues(p32, n32.parameters(), "float32");
        for (Path f : new Path[] {f64, f32}) {
            Cli analyze = Cli.run("analyze", "--params", f.toString(), "--x", dir.resolve("x.npy").toString(),
                    "--y", dir.resolve("y.npy").toString());
            assertEquals(0, analyze.status, analyze.err);
        }
        // the kernel rewrites a train checkpoint as a bare network; compare finds them identical
        Path trained = dir.resolve("trained.npz");
        Cli train = Cli.run("train", "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(),
                "--width", "30", "--init", "balanced", "--init-scale", "0.1", "--seed", "5", "--lr", "0.05",
                "--steps", "10", "--threads", "1", "--out", trained.toString());
        assertEquals(0, train.status, train.err);
        Path rewritten = dir.resolve("rewritten.npz");
        NetworkFiles.write(rewritten, NetworkFiles.read(trained));
        assertSameValues(NetworkFile.read(trained), NetworkFile.read(rewritten), "rewritten");
        // and what each reader made of the checkpoint, written by the kernel, compare finds equal (status 1 otherwise)
        Path viaCli = dir.resolve("via-cli.npz");
        NetworkFiles.write(viaCli, NetworkFile.read(trained));
        Cli compare = Cli.run("compare", rewritten.toString(), viaCli.toString(), "--tolerance", "0");
        assertEquals(0, compare.status, compare.out + compare.err);
        assertTrue(compare.out.contains("bias"), compare.out);
        // a loaded model serves predictions: the same values from both readers' parameters
        Predictor fromKernel = Predictor.of(NetworkFiles.read(trained), Precision.FLOAT64);
        Predictor fromCli = Predictor.of(NetworkFile.read(trained), Precision.FLOAT64);
        double[] q = {0.25, -0.5, 1, 0.75};
        double[] y1 = new double[2];
        double[] y2 = new double[2];
        fromKernel.predict(q, y1);
        fromCli.predict(q, y2);
        assertArrayEquals(y2, y1, 0.0);
    }

    private static void assertSameValues(Parameters want, Parameters got, String what) {
        assertEquals(want.width(), got.width(), what);
        assertEquals(want.inputDim(), got.inputDim(), what);
        assertArrayEquals(want.outputWeights(), got.outputWeights(), 0.0, what + " a");
        assertArrayEquals(want.inputWeights(), got.inputWeights(), 0.0, what + " w");
        assertArrayEquals(want.biases(), got.biases(), 0.0, what + " b");
    }

    private static String[] append(String[] args, String extra) {
        String[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = extra;
        return out;
    }
}
