// GENERATED from VectorOptimizerF32.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the template, then run mvn -o -pl kernel generate-sources -Dregenerate=true
package io.reluquant.kernel.sweep;

import io.reluquant.kernel.vectorization.KernelProvider;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link OptimizerF64#move} on vectors: the one piece of optimizer code every vector kernel calls on a
 * run of parameters that sit next to each other in the padded layout (a vector or a panel of neurons),
 * the same formulas in the same order, so its bits are those of the scalar code. Apart from the scalar
 * code because the scalar kernels must load without the Vector API module.
 *
 * <p>Shaped as the kernels are for C2: a vector never flows out of a branch, a call or a loop
 * iteration (one loop per rule, the finiteness check summed as a scalar), and the method is over
 * C2's inlining size, so it is compiled on its own, small enough for every intrinsic (AllocationTest
 * checks it).
 */
public final class VectorOptimizerF64 {
    static final VectorSpecies<Double> SPECIES =
            VectorSpecies.of(double.class, VectorShape.forBitSize(KernelProvider.vectorBits()));
    static final int L = SPECIES.length();

    private VectorOptimizerF64() {}

    /**
     * Moves to[at + i] from from[at + i], i in [0, count) (a multiple of the vector length), with the
     * gradient coefficient[cAt + i] * g[gAt + i] * invN (coefficient null: g[gAt + i] * invN), reading
     * and writing the optimizer's state of group {@code group} at the parameter's index.
     *
     * @return 0 when every new parameter is finite, NaN otherwise
     */
    public static double move(OptimizerF64 o, int group, double[] from, double[] to, int at, double[] g, int gAt,
                             double[] coefficient, int cAt, int count) {
        if (o.frozen[group]) {
            System.arraycopy(from, at, to, at, count);
            return 0;
        }
        // Shaped for C2 by measurement (AllocationTest, OptimizerAllocationTest; JDK 17, early and C2-only
        // compilation). Both rules in one loop each in one method: in a JVM that ran momentum first, C2
        // compiled the AdamW loop boxing vectors (one per iteration, or every one C2-only). A rule in a method
        // under C2's inlining size was inlined into the mask-bit kernel and boxed there. So: momentum here,
        // one loop with a coefficient and one without (each run, (1 x g) x invN and g x invN are the same bits),
        // which keeps this method over the inlining size; AdamW in a method of its own, also over it.
        final double[] s1 = o.first[group];
        final double[] n1 = o.firstNext[group];
        final double scale = o.scale[group];
        final double negLr = o.negLr[group];
        final double invN = o.invN;
        final int step = stride;
        if (o.kind != OptimizerF64.MOMENTUM) {
            return adamW(o, group, from, to, at, g, gAt, coefficient != null ? coefficient : ONES,
                    coefficient != null ? cAt : 0, count);
        }
        final double mu = o.momentum;
        double check = 0;
        if (coefficient == null) {
            for (int i = 0; i < count; i += step) {
                DoubleVector grad = DoubleVector.fromArray(SPECIES, g, gAt + i).mul(invN);
                DoubleVector v = DoubleVector.fromArray(SPECIES, s1, at + i).mul(mu).add(grad);
                v.intoArray(n1, at + i);
                DoubleVector p = DoubleVector.fromArray(SPECIES, from, at + i).mul(scale).add(v.mul(negLr));
                p.intoArray(to, at + i);
                check += p.mul((double) 0).reduceLanes(VectorOperators.ADD);
            }
            return check;
        }
        for (int i = 0; i < count; i += step) {
            DoubleVector grad = DoubleVector.fromArray(SPECIES, coefficient, cAt + i)
                    .mul(DoubleVector.fromArray(SPECIES, g, gAt + i)).mul(invN);
            DoubleVector v = DoubleVector.fromArray(SPECIES, s1, at + i).mul(mu).add(grad);
            v.intoArray(n1, at + i);
            DoubleVector p = DoubleVector.fromArray(SPECIES, from, at + i).mul(scale).add(v.mul(negLr));
            p.intoArray(to, at + i);
            check += p.mul((double) 0).reduceLanes(VectorOperators.ADD);
        }
        return check;
    }

    /** AdamW's loops of {@link #move}: a compile unit of their own (over C2's inlining size) */
    private static double adamW(OptimizerF64 o, int group, double[] from, double[] to, int at, double[] g, int gAt,
                               double[] c, int cAt0, int count) {
        final double scale = o.scale[group];
        final double negLr = o.negLr[group];
        final double invN = o.invN;
        final double[] s1 = o.first[group];
        final double[] n1 = o.firstNext[group];
        final int step = stride;
        double check = 0;
        final double[] s2 = o.second[group];
        final double[] n2 = o.secondNext[group];
        final double b1 = o.b1, oneMinusB1 = o.oneMinusB1, b2 = o.b2, oneMinusB2 = o.oneMinusB2;
        final double bias1 = o.c1, bias2 = o.c2, eps = o.epsilon;
        for (int i = 0; i < count; i += step) {
            DoubleVector grad = DoubleVector.fromArray(SPECIES, c, cAt0 + i)
                    .mul(DoubleVector.fromArray(SPECIES, g, gAt + i)).mul(invN);
            DoubleVector m = DoubleVector.fromArray(SPECIES, s1, at + i).mul(b1).add(grad.mul(oneMinusB1));
            DoubleVector v = DoubleVector.fromArray(SPECIES, s2, at + i).mul(b2).add(grad.mul(grad).mul(oneMinusB2));
            m.intoArray(n1, at + i);
            v.intoArray(n2, at + i);
            DoubleVector u = m.div(bias1).div(v.div(bias2).lanewise(VectorOperators.SQRT).add(eps));
            u.mul(negLr).intoArray(to, at + i);
        }
        // to holds -lr u until the second pass reads it back: from and to are always the two parameter buffers.
        // the parameters in a second pass over the run (in L1): with them in the loop above C2 lost the
        // species of the last store in some JVMs (compiled after the momentum loop had run: it boxed one
        // vector per iteration, measured by AllocationTest); the same operations in the same order
        for (int i = 0; i < count; i += step) {
            DoubleVector p = DoubleVector.fromArray(SPECIES, from, at + i).mul(scale).add(DoubleVector.fromArray(SPECIES, to, at + i));
            p.intoArray(to, at + i);
            check += p.mul((double) 0).reduceLanes(VectorOperators.ADD);
        }
        return check;
    }

    /** coefficient 1 for runs of up to {@value #MAX_RUN} parameters (a panel, or a block of vectors) */
    private static final int MAX_RUN = 256;
    private static final double[] ONES = ones();

    private static double[] ones() {
        double[] one = new double[MAX_RUN];
        java.util.Arrays.fill(one, (double) 1);
        return one;
    }

    /**
     * Steps of the vector loops: always L. A field C2 cannot prove constant, so it does not unroll the
     * loops (as the kernels' sampleStride): fewer nodes in the compile unit for C2 to expand.
     */
    static int stride = L;
}
