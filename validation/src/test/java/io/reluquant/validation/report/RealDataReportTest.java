// Proves: claims at CI size: the real-data probe on the real Fashion-MNIST files (fails, never skips, when they are absent).
package io.reluquant.validation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.data.FashionMnist;
import io.reluquant.validation.experiments.Claims;
import io.reluquant.validation.experiments.RealDataProbe;
import io.reluquant.validation.experiments.RealDataSeeds;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-data probe at CI size on the real Fashion-MNIST files (Debian package
 * dataset-fashion-mnist, which .ci/run installs): it fails, never skips, when they are absent.
 */
@Tag("claims")
class RealDataReportTest {
    @TempDir
    Path out;

    @Test
    void quantizationOnFashionMnistAtCiSize() throws IOException {
        Path images = FashionMnist.DEFAULT_DIR.resolve("train-images-idx3-ubyte.gz");
        assertTrue(Files.isRegularFile(images), images + " is absent: install the Debian package dataset-fashion-mnist "
                + "(apt-get install dataset-fashion-mnist); this test needs the real data");
        long t0 = System.nanoTime();
        RealDataReport.Section s = RealDataReport.run(RealDataReport.Sizes.quick(2), FashionMnist.DEFAULT_DIR, out, System.out);
        System.out.printf("real-data probe (CI size, 2 threads): %.1f s%n", (System.nanoTime() - t0) / 1e9);
        List<Claims.Verdict> claims = s.claims();
        for (Claims.Verdict c : claims) {
            System.out.printf("%s %s: predicted %s; measured %s%n", c.pass() ? "PASS" : "FAIL", c.claim(), c.prediction(), c.measured());
        }
        // self-consistency, N_eff at alignment and at the end, and the two contrasts
        assertEquals(5, claims.size(), claims.toString());
        for (Claims.Verdict c : claims) {
            assertTrue(c.pass(), c.claim() + ": predicted " + c.prediction() + ", measured " + c.measured());
        }
        assertTrue(s.markdown().contains("| balanced small | 600 |"), s.markdown());
        for (String png : new String[] {"realdata_t-shirt-top_vs_trouser_clusters_small_m600.png",
            "realdata_t-shirt-top_vs_trouser_clusters_standard_m600.png"}) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertTrue(img != null && img.getWidth() >= 140 && img.getHeight() >= 140, png);
        }
        assertTrue(Files.readString(out.resolve("realdata_t-shirt-top_vs_trouser.csv")).lines().count() == 7,
                "header + 2 widths + 2 contrasts + the N_eff control at 2 widths");
        assertTrue(s.markdown().contains("| balanced lambda=1e-1, f0 = 0 (control) | 600 |"), s.markdown());
    }

    /** The probe over seeds at CI size (2 seeds, n = 200, widths 200 and 600): each seed its own draw, every row held in both. */
    @Test
    void probeOverSeedsAtCiSize() throws IOException {
        FashionMnist fm = FashionMnist.load(FashionMnist.DEFAULT_DIR);
        RealDataProbe.Settings base = RealDataReport.Sizes.settings(RealDataProbe.Objective.SQUARE, new int[] {200, 600}, 500, 0, 600, 2);
        RealDataSeeds.Result r = RealDataSeeds.run(fm, 0, 1, 200, 400, base, 2, line -> { });
        assertEquals(2, r.bySeed().size());
        assertTrue(r.bySeed().get(0).targetLoss() != r.bySeed().get(1).targetLoss(), "two seeds, two draws: the same L*");
        List<Claims.Verdict> v = RealDataSeeds.judge(r, "t: ");
        for (Claims.Verdict c : v) {
            System.out.println((c.pass() ? "PASS " : "FAIL ") + c.claim() + ": " + c.measured());
            assertTrue(c.pass(), c.claim() + ": " + c.measured());
        }
    }

    @Test
    void missingDataIsAFailingClaimNotASkip() {
        RealDataReport.Section s = RealDataReport.run(RealDataReport.Sizes.quick(2), out.resolve("nowhere"), out, System.out);
        assertEquals(1, s.claims().size());
        assertTrue(!s.claims().get(0).pass() && s.claims().get(0).measured().contains("dataset-fashion-mnist"), s.claims().toString());
    }
}
