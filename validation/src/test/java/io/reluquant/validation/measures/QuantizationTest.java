// Proves: the measures of docs/THEORY.md section 4 (mass, clusters, N_eff, mass near attractors, kinks, patterns, self-consistency) on hand-made networks, and bad input refused.
package io.reluquant.validation.measures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.reluquant.kernel.Dataset;
import io.reluquant.kernel.Parameters;
import io.reluquant.validation.theory.Attractor;
import io.reluquant.validation.theory.AugmentedInputs;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuantizationTest {
    /** Four neurons in the (w, b) plane: two at 0 deg (a > 0), one at 0.5 deg (a > 0), one at 0 deg with a < 0. */
    private static Neurons fourNeurons() {
        double t = Math.toRadians(0.5);
        double[] a = {1, 2, 1, -4};
        double[] w = {1, 1, Math.cos(t), 1};
        double[] b = {0, 0, Math.sin(t), 0};
        return Neurons.of(Parameters.of(a, w, b, 1), true);
    }

    @Test
    void massClustersAndEffectiveCount() {
        Neurons net = fourNeurons();
        assertEquals(8, net.totalMass(), 1e-15);
        List<Cluster> clusters = Quantization.clusters(net, Math.toRadians(1));
        // signs never share a cluster: {1, 2, 3} (mass 4, a > 0) and {4} (mass 4, a < 0)
        assertEquals(2, clusters.size());
        assertEquals(4, clusters.get(0).mass(), 1e-15);
        assertEquals(4, clusters.get(1).mass(), 1e-15);
        assertEquals(2, Quantization.effectiveCount(clusters), 1e-12, "two equal clusters");
        // with eps below 0.5 deg the third neuron is its own cluster: shares 3/8, 1/8, 4/8
        List<Cluster> fine = Quantization.clusters(net, Math.toRadians(0.25));
        assertEquals(3, fine.size());
        double h = -(3.0 / 8 * Math.log(3.0 / 8) + 1.0 / 8 * Math.log(1.0 / 8) + 0.5 * Math.log(0.5));
        assertEquals(Math.exp(h), Quantization.effectiveCount(fine), 1e-12);
    }

    @Test
    void massWithinPredictedAttractorsOfTheSameSign() {
        Neurons net = fourNeurons();
        Attractor plusAtZero = new Attractor(1, new double[] {1, 0}, new BitSet(), 1, false);
        // neurons 0, 1 at 0 deg (mass 3) within 0.25 deg, neuron 2 at 0.5 deg not; neuron 3 has the wrong sign
        assertEquals(3.0 / 8, Quantization.massWithin(net, List.of(plusAtZero), Math.toRadians(0.25)), 1e-15);
        assertEquals(4.0 / 8, Quantization.massWithin(net, List.of(plusAtZero), Math.toRadians(1)), 1e-15);
    }

    @Test
    void kinksPatternsAndSelfConsistency() {
        // one neuron relu(x - 0.5) with a = 1: kink at 0.5, mass sqrt(1.25)
        Neurons net = Neurons.of(Parameters.of(new double[] {1}, new double[] {1}, new double[] {-0.5}, 1), true);
        double[][] kinks = Quantization.kinks(net);
        assertEquals(0.5, kinks[0][0], 1e-15);
        assertEquals(Math.sqrt(1.25), kinks[0][1], 1e-15);
        Dataset data = Dataset.of(new double[] {0, 1, 2}, new double[] {0, 1, 2}, 1);
        AugmentedInputs xt = AugmentedInputs.of(data, true);
        List<Cluster> clusters = Quantization.clusters(net, Math.toRadians(1));
        BitSet expected = new BitSet();
        expected.set(1, 3);
        assertEquals(List.of(expected), Quantization.patterns(clusters, xt, 0));
        // f = (0, 0.5, 1.5), r = (0, -0.5, -0.5): D = 0.5 (1, 1) + 0.5 (2, 1) = (1.5, 1) vs u = (1, -0.5)/|.|
        double[] r = Quantization.residuals(net, xt, data.targets());
        assertEquals(-0.5, r[1], 1e-15);
        double cos = (1.5 - 0.5) / (Math.hypot(1.5, 1) * Math.hypot(1, 0.5));
        assertEquals(cos, Quantization.selfConsistency(clusters, xt, r)[0], 1e-12);
    }

    @Test
    void rejectsBadInput() {
        Neurons net = fourNeurons();
        assertThrows(IllegalArgumentException.class, () -> Quantization.clusters(net, 0));
        assertThrows(IllegalArgumentException.class, () -> Quantization.clusters(net, Double.NaN));
        Neurons noBias = Neurons.of(Parameters.of(new double[] {1}, new double[] {1, 2}, new double[] {0}, 2), false);
        assertThrows(IllegalArgumentException.class, () -> Quantization.kinks(noBias));
        assertThrows(IllegalArgumentException.class,
                () -> Neurons.of(Parameters.of(new double[] {1}, new double[] {1}, new double[] {0.5}, 1), false));
    }
}
