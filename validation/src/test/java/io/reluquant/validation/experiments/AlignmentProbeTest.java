package io.reluquant.validation.experiments;

import io.reluquant.validation.measures.Basins;
import org.junit.jupiter.api.Test;

class AlignmentProbeTest {
    @Test
    void probe() {
        long t0 = System.nanoTime();
        AttractorAlignment.Result r = AttractorAlignment.run(true, 2);
        for (AttractorAlignment.Measurement q : r.measurements()) {
            System.out.printf("%s m=%d lambda=%.0e step=%d drop=%.3e unassigned=%.3e%n", q.data(), q.width(), q.lambda(), q.step(), q.lossDrop(),
                    q.report().unassignedShare());
            for (Basins.Alignment a : q.report().perAttractor()) {
                System.out.printf("   sign %d theta %.3f G %.4f bnd %b: basinShare %.3e within %.5f median %.3e q99 %.3e spread %.3e n=%d%n", a.attractor().sign(),
                        (a.attractor().direction().length == 2 ? a.attractor().thetaDegrees() : 0), a.attractor().potential(), a.attractor().boundary(), a.basinShare(), a.within(),
                        a.medianAngle(), a.q99Angle(), a.spread(), a.neurons());
            }
        }
        for (AttractorAlignment.SpreadFit f : r.fits()) {
            System.out.printf("fit %s theta %.3f predicted %.4f measured %.4f%n", f.data(), (f.attractor().direction().length == 2 ? f.attractor().thetaDegrees() : f.attractor().potential()), f.predictedSlope(), f.measuredSlope());
        }
        r.verdicts().forEach(v -> System.out.println(v.pass() + " " + v.claim() + " | " + v.measured()));
        System.out.printf("%.1f s%n", (System.nanoTime() - t0) * 1e-9);
    }
}
