// Proves: the ten-class Fashion-MNIST probe at CI size runs on the kernel with the softmax cross-entropy, reads the end of alignment before the end, finds its heaviest cluster self-consistent there, reads test accuracies beside a linear softmax classifier, reads the PyTorch-default contrast at the small-init end loss, and writes its cluster images and tables (fails, never skips, when the files are absent).
package io.reluquant.validation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reluquant.io.data.FashionMnist;
import io.reluquant.validation.experiments.Claims;
import io.reluquant.validation.experiments.VectorRealProbe;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VectorRealProbe} at its CI size (n = 200, m = 200, 150 steps) through {@link VectorSection#probe}: three readings,
 * the first at L0 - L &gt;= 1e-4 L0, the second later at a lower loss, the third the contrast at that loss; at the first the heaviest cluster is self-consistent
 * (abs(cos(u, q)) and cos(a, g(u)) >= Claims.MIN_COSINE = 0.99, section 10: during alignment a cluster sits at a fixed point of the drive); the
 * images are large enough to read (tiles of 224 px) and each has its CSV.
 */
@Tag("claims")
class VectorRealProbeTest {
    @Test
    void probeAtCiSize(@TempDir Path out) throws Exception {
        assertTrue(Files.isReadable(FashionMnist.DEFAULT_DIR.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST files missing in " + FashionMnist.DEFAULT_DIR);
        StringBuilder body = new StringBuilder();
        VectorRealProbe.Result r = VectorSection.probe(VectorRealProbe.Size.quick(2), FashionMnist.DEFAULT_DIR, out, body);
        assertNotNull(r, body.toString());
        System.out.println(body);
        assertEquals(3, r.readings().size());
        VectorRealProbe.Reading aligned = r.readings().get(0);
        VectorRealProbe.Reading end = r.readings().get(1);
        VectorRealProbe.Reading contrast = r.readings().get(2);
        assertEquals(VectorRealProbe.CONTRAST, contrast.moment());
        // equal loss: the contrast stops at the first step at or below the small-init end loss (it starts far above it)
        assertTrue(contrast.reached() && contrast.loss() <= end.loss() && contrast.l0() > end.loss(), contrast + " / " + end);
        assertEquals("end of alignment", aligned.moment());
        assertTrue((aligned.l0() - aligned.loss()) / aligned.l0() >= VectorRealProbe.LOSS_DROP);
        assertTrue(aligned.step() < end.step() && end.loss() < aligned.loss(), aligned + " / " + end);
        VectorRealProbe.HeavyCluster top = aligned.drawn().get(0);
        assertTrue(top.directionCos() >= Claims.MIN_COSINE && top.outputCos() >= Claims.MIN_COSINE,
                "heaviest cluster at alignment: " + top.directionCos() + ", " + top.outputCos());
        for (String name : new String[] {"vector-fashion-m200-alignment", "vector-fashion-m200-end", "vector-fashion-m200-contrast"}) {
            BufferedImage img = ImageIO.read(out.resolve(name + ".png").toFile());
            assertTrue(img.getWidth() >= 720 && img.getHeight() >= 224, name + ": " + img.getWidth() + " x " + img.getHeight());
            assertTrue(Files.size(out.resolve(name + ".csv")) > 0, name);
        }
        assertTrue(body.toString().contains("| 200 | end of alignment |"), body.toString());
        // accuracies on the whole test split: at alignment one cluster votes one class, so about chance (at CI size the
        // end, 26 steps later, is still there); the linear softmax baseline on the same 200 images far above it
        assertEquals(VectorRealProbe.TEST_IMAGES, r.testImages());
        assertTrue(aligned.testAccuracy() < 0.3 && end.testAccuracy() >= 0 && end.testAccuracy() <= 1,
                aligned.testAccuracy() + " / " + end.testAccuracy());
        assertTrue(r.linearAccuracy() > 0.5, "linear softmax classifier: " + r.linearAccuracy());
    }
}
