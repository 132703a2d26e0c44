package io.reluquant.validation.cli;

import io.reluquant.io.AtomicFiles;
import io.reluquant.io.NetworkFile;
import io.reluquant.io.Outputs;
import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Parameters;
import io.reluquant.validation.measures.Cluster;
import io.reluquant.validation.measures.Neurons;
import io.reluquant.validation.measures.Quantization;
import io.reluquant.validation.measures.VectorQuantization;
import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.Attractors;
import io.reluquant.validation.theory.AugmentedInputs;
import io.reluquant.validation.theory.FinalFit;
import io.reluquant.validation.theory.VectorAttractor;
import io.reluquant.validation.theory.VectorAttractors;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code reluquant analyze --params P.npz --x X.npy --y Y.npy [--json OUT.json]}: the quantization
 * measures of docs/THEORY.md section 4 for any trained network (arrays a (m), w (m, d), b (m) in P.npz,
 * e.g. a {@code reluquant train} output or a network trained elsewhere): mass, clusters, N_eff, mass
 * near the attractors predicted at initialization (where they can be enumerated), kinks (d = 1),
 * cluster activation patterns J, self-consistency with the current residuals and max |f - P_J y|.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, resourceBundle = OptionTexts.BUNDLE,
        description = "Quantization measures of a trained network: clusters, N_eff, mass near predicted attractors, kinks, J, P_J y.")
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--params", required = true, paramLabel = "P.npz", description = "network: arrays a (m), w (m, d), b (m)")
    Path params;

    @Mixin
    DataOptions dataFiles;

    @Option(names = "--json", paramLabel = "OUT.json", description = "also write the measures as JSON")
    Path json;

    @Option(names = "--eps-deg", paramLabel = "DEG", description = "clustering angle in degrees (default: ${DEFAULT-VALUE})")
    double epsDeg = 1;

    @Option(names = "--no-bias", description = "the network has no biases (default: the 'bias' array of P.npz if present, else bias on)")
    boolean noBias;

    @Option(names = "--top", paramLabel = "K", description = "clusters listed (default: ${DEFAULT-VALUE})")
    int top = 10;

    @Option(names = "--classes", description = "Y holds integer class labels (a network trained with --loss softmax; default: "
            + "when the network has k > 1 outputs and Y is of shape (n,))")
    Boolean classes;

    @Override
    public Integer call() throws IOException {
        if (!(epsDeg > 0 && epsDeg < 180)) {
            throw new IllegalArgumentException("--eps-deg must be in (0, 180), got " + epsDeg);
        }
        if (top < 0) {
            throw new IllegalArgumentException("--top must be >= 0, got " + top);
        }
        if (json != null) {
            Path dir = json.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new UsageException("--json " + json + ": folder " + dir + " does not exist");
            }
            new Outputs().input("--params", params).input("--x", dataFiles.xFile).input("--y", dataFiles.yFile).output("--json", json).check();
        }
        NetworkFile.Network network = NetworkFile.readNetwork(params);
        Parameters net = network.parameters();
        if (net.outputs() > 1 || Boolean.TRUE.equals(classes)) {
            return vectorOutputs(net, network.bias());
        }
        Dataset data = dataFiles.load();
        int n = data.samples();
        int d = data.inputDim();
        int m = net.width();
        if (net.inputDim() != d) {
            throw new UsageException("--params " + params + " has d = " + net.inputDim() + " but X has d = " + d);
        }
        boolean bias = !noBias && network.bias();
        Neurons neurons = Neurons.of(net, bias);
        AugmentedInputs xt = AugmentedInputs.of(data, bias);
        List<Cluster> clusters = Quantization.clusters(neurons, Math.toRadians(epsDeg));
        double[] r = Quantization.residuals(neurons, xt, data.targets());
        double loss = 0;
        for (double ri : r) {
            loss += ri * ri / (2 * n);
        }
        double[] cos = Quantization.selfConsistency(clusters, xt, r);
        List<BitSet> patterns = Quantization.patterns(clusters, xt, 1e-3);
        double[] pj = FinalFit.project(xt, patterns, data.targets());
        double[] f = neurons.outputs(xt);
        double fit = 0;
        for (int i = 0; i < n; i++) {
            fit = Math.max(fit, Math.abs(f[i] - pj[i]));
        }
        List<Attractor> att = null;
        String attNote = null;
        try {
            att = Attractors.predict(xt, data.targets());
        } catch (IllegalArgumentException e) {
            attNote = e.getMessage();
        }
        double total = neurons.totalMass();
        PrintWriter out = spec.commandLine().getOut();
        StringBuilder js = new StringBuilder("{\n");
        out.printf(Locale.ROOT, "network: width %d, d %d, bias %s; data: n %d; loss %.6e%n", m, d, bias, n, loss);
        out.printf(Locale.ROOT, "total mass %.6e; %d clusters within %.3g deg; N_eff %.4f%n", total, clusters.size(), epsDeg,
                Quantization.effectiveCount(clusters));
        js.append(String.format(Locale.ROOT, "  \"width\": %d, \"input_dim\": %d, \"bias\": %s, \"samples\": %d, \"loss\": %s,%n", m, d, bias, n, num(loss)));
        js.append(String.format(Locale.ROOT, "  \"total_mass\": %s, \"eps_deg\": %s, \"clusters_count\": %d, \"n_eff\": %s,%n", num(total), num(epsDeg),
                clusters.size(), num(Quantization.effectiveCount(clusters))));
        if (att != null) {
            double w1 = Quantization.massWithin(neurons, att, Math.toRadians(1));
            double w5 = Quantization.massWithin(neurons, att, Math.toRadians(5));
            out.printf(Locale.ROOT, "attractors predicted at initialization: %d; mass within 1 deg %.6f, within 5 deg %.6f%n", att.size(), w1, w5);
            out.print(Attractors.describe(att));
            js.append(String.format(Locale.ROOT, "  \"mass_within_1deg\": %s, \"mass_within_5deg\": %s,%n  \"attractors\": [", num(w1), num(w5)));
            for (int k = 0; k < att.size(); k++) {
                Attractor a = att.get(k);
                js.append(k > 0 ? ", " : "").append(String.format(Locale.ROOT, "{\"sign\": %d, \"direction\": %s, \"potential\": %s, \"boundary\": %s}",
                        a.sign(), arr(a.direction()), num(a.potential()), a.boundary()));
            }
            js.append("],\n");
        } else {
            out.println("attractors: not enumerated (" + attNote + "); see self-consistency");
        }
        out.printf(Locale.ROOT, "J (patterns of clusters with >= 0.1%% of the mass): %s; max |f - P_J y| on the data %.3e%n", patterns, fit);
        js.append("  \"patterns\": [");
        for (int k = 0; k < patterns.size(); k++) {
            js.append(k > 0 ? ", " : "").append(patterns.get(k).stream().boxed().toList());
        }
        js.append(String.format(Locale.ROOT, "], \"fit_error\": %s,%n  \"clusters\": [", num(fit)));
        out.printf(Locale.ROOT, "%-4s %-10s %-8s %-9s %-40s %s%n", "sign", "share", "neurons", "self-cos", "direction", d == 1 && bias ? "kink / pattern" : "pattern");
        for (int k = 0; k < Math.min(top, clusters.size()); k++) {
            Cluster c = clusters.get(k);
            double[] u = c.direction();
            String kink = d == 1 && bias && u[0] != 0 ? String.format(Locale.ROOT, "%.5f ", -u[1] / u[0]) : "";
            out.printf(Locale.ROOT, "%+4d %-10.6f %-8d %-9.6f %-40s %s%s%n", c.sign(), c.mass() / total, c.size(), cos[k], arr(u), kink, xt.activation(u));
            js.append(k > 0 ? ",\n    " : "\n    ").append(String.format(Locale.ROOT,
                    "{\"sign\": %d, \"mass\": %s, \"share\": %s, \"neurons\": %d, \"self_consistency\": %s, \"direction\": %s, \"pattern\": %s%s}",
                    c.sign(), num(c.mass()), num(c.mass() / total), c.size(), num(cos[k]), arr(u), xt.activation(u).stream().boxed().toList(),
                    kink.isEmpty() ? "" : ", \"kink\": " + kink.strip()));
        }
        js.append("\n  ]\n}\n");
        if (json != null) {
            AtomicFiles.write(json, js.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.println("json: " + json);
        }
        return 0;
    }

    /**
     * The measures of a network of k outputs (docs/THEORY.md section 10): clusters of directions with
     * their mean output direction, N_eff, mass near the attractors of |g| predicted at initialization,
     * self-consistency of u and of a with the top singular pair of the cluster's sector matrix.
     */
    private int vectorOutputs(Parameters net, boolean fileBias) throws IOException {
        boolean labels = classes != null ? classes : io.reluquant.io.npy.Npy.readNpy(dataFiles.yFile).ndim() == 1;
        Dataset data = dataFiles.load(labels);
        int n = data.samples();
        int d = data.inputDim();
        int k = net.outputs();
        if (net.inputDim() != d) {
            throw new UsageException("--params " + params + " has d = " + net.inputDim() + " but X has d = " + d);
        }
        if (data.outputs() != k) {
            throw new UsageException("--params " + params + " has k = " + k + " outputs but Y " + dataFiles.yFile
                    + (labels ? " has " + data.outputs() + " classes" : " has " + data.outputs() + " targets per sample"));
        }
        boolean bias = !noBias && fileBias;
        AugmentedInputs xt = AugmentedInputs.of(data, bias);
        List<VectorQuantization.OutputCluster> clusters = VectorQuantization.clusters(net, bias, Math.toRadians(epsDeg));
        List<Cluster> plain = clusters.stream().map(VectorQuantization.OutputCluster::cluster).toList();
        double[] f = VectorQuantization.outputs(net, xt);
        double loss = VectorQuantization.loss(f, data);
        double[] r = VectorQuantization.residuals(f, data);
        double[][] cos = VectorQuantization.selfConsistency(clusters, xt, r, k);
        double total = plain.stream().mapToDouble(Cluster::mass).sum();
        PrintWriter out = spec.commandLine().getOut();
        StringBuilder js = new StringBuilder("{\n");
        out.printf(Locale.ROOT, "network: width %d, d %d, k %d outputs, bias %s; data: n %d%s; loss %.6e%n", net.width(), d, k, bias, n,
                labels ? ", class labels (softmax cross-entropy)" : ", k targets (square loss)", loss);
        out.printf(Locale.ROOT, "total mass %.6e; %d clusters within %.3g deg; N_eff %.4f%n", total, clusters.size(), epsDeg,
                Quantization.effectiveCount(plain));
        js.append(String.format(Locale.ROOT, "  \"width\": %d, \"input_dim\": %d, \"outputs\": %d, \"class_labels\": %s, \"bias\": %s,"
                + " \"samples\": %d, \"loss\": %s,%n", net.width(), d, k, labels, bias, n, num(loss)));
        js.append(String.format(Locale.ROOT, "  \"total_mass\": %s, \"eps_deg\": %s, \"clusters_count\": %d, \"n_eff\": %s,%n", num(total),
                num(epsDeg), clusters.size(), num(Quantization.effectiveCount(plain))));
        if (xt.dim() <= 3) {
            // exact enumeration (circle, plane arrangement); beyond, the oracle's random-start ascent costs
            // starts x steps x n (d + 1) and is the experiments' business, not a quick analysis's
            List<VectorAttractor> att = VectorAttractors.predict(xt, VectorQuantization.initialWeights(data));
            double w1 = VectorQuantization.massWithin(net, bias, att, Math.toRadians(1));
            double w5 = VectorQuantization.massWithin(net, bias, att, Math.toRadians(5));
            out.printf(Locale.ROOT, "attractors of |g| predicted at initialization: %d; mass within 1 deg %.6f, within 5 deg %.6f%n",
                    att.size(), w1, w5);
            out.print(VectorAttractors.describe(att));
            js.append(String.format(Locale.ROOT, "  \"mass_within_1deg\": %s, \"mass_within_5deg\": %s,%n  \"attractors\": [", num(w1),
                    num(w5)));
            for (int q = 0; q < att.size(); q++) {
                VectorAttractor a = att.get(q);
                js.append(q > 0 ? ", " : "").append(String.format(Locale.ROOT,
                        "{\"direction\": %s, \"output\": %s, \"rate\": %s, \"boundary\": %s}", arr(a.direction()), arr(a.output()),
                        num(a.rate()), a.boundary()));
            }
            js.append("],\n");
        } else {
            out.println("attractors: not enumerated at d + 1 = " + xt.dim() + " > 3 (exact only on the circle and the plane"
                    + " arrangement); see self-consistency");
        }
        js.append("  \"clusters\": [");
        out.printf(Locale.ROOT, "%-10s %-8s %-9s %-9s %-40s %-40s %s%n", "share", "neurons", "cos(u,q)", "cos(a,g)", "direction u",
                "output direction", "pattern");
        for (int q = 0; q < Math.min(top, clusters.size()); q++) {
            Cluster c = plain.get(q);
            double[] u = c.direction();
            double[] o = clusters.get(q).output();
            out.printf(Locale.ROOT, "%-10.6f %-8d %-9.6f %-9.6f %-40s %-40s %s%n", c.mass() / total, c.size(), cos[q][0], cos[q][1],
                    arr(u), arr(o), xt.activation(u));
            js.append(q > 0 ? ",\n    " : "\n    ").append(String.format(Locale.ROOT,
                    "{\"mass\": %s, \"share\": %s, \"neurons\": %d, \"self_consistency_u\": %s, \"self_consistency_a\": %s,"
                            + " \"direction\": %s, \"output\": %s, \"pattern\": %s}",
                    num(c.mass()), num(c.mass() / total), c.size(), num(cos[q][0]), num(cos[q][1]), arr(u), arr(o),
                    xt.activation(u).stream().boxed().toList()));
        }
        js.append("\n  ]\n}\n");
        if (json != null) {
            AtomicFiles.write(json, js.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.println("json: " + json);
        }
        return 0;
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.10g", v) : "null";
    }

    private static String arr(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.6f", v[i]));
        }
        return sb.append(']').toString();
    }
}
