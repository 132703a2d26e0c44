package io.reluquant.validation.report;

import io.reluquant.io.plot.Csv;
import io.reluquant.validation.measures.Cluster;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Cluster directions of a network on images shown as images: the input-weight part of each direction
 * u (side x side pixels, the bias left out) on a diverging colour map, red for positive weights, blue
 * for negative, white for zero, each tile scaled to its own largest |weight|; under each tile the sign
 * of a and the cluster's share of the mass. Writes NAME.png and NAME.csv (one row per cluster: sign,
 * mass share, neurons, bias coordinate, then the pixels).
 */
final class ClusterImages {
    private static final int SCALE = 5;
    private static final int LABEL = 16;
    private static final int GAP = 6;

    private ClusterImages() {}

    /**
     * @param clusters by decreasing mass; the first {@code max} are drawn
     * @param totalMass the network's total mass (shares are of this)
     * @param side image side; the first side*side coordinates of a direction are the pixels
     */
    static void write(Path dir, String name, String title, List<Cluster> clusters, double totalMass, int side, int max) {
        int count = Math.min(max, clusters.size());
        int tile = side * SCALE;
        int cols = Math.max(1, Math.min(count, 8));
        int rows = Math.max(1, (count + cols - 1) / cols);
        int width = Math.max(cols * (tile + GAP) + GAP, 360);
        int height = 24 + rows * (tile + LABEL + GAP) + GAP;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(title, GAP, 16);
        StringBuilder csv = new StringBuilder("cluster,sign,mass_share,neurons,bias");
        for (int p = 0; p < side * side; p++) {
            csv.append(",p").append(p);
        }
        csv.append('\n');
        for (int c = 0; c < count; c++) {
            Cluster cl = clusters.get(c);
            double[] u = cl.direction();
            if (u.length < side * side) {
                throw new IllegalArgumentException("direction has " + u.length + " coordinates, fewer than " + side + "x" + side + " pixels");
            }
            double peak = 0;
            for (int p = 0; p < side * side; p++) {
                peak = Math.max(peak, Math.abs(u[p]));
            }
            int x0 = GAP + (c % cols) * (tile + GAP);
            int y0 = 24 + (c / cols) * (tile + LABEL + GAP);
            for (int r = 0; r < side; r++) {
                for (int q = 0; q < side; q++) {
                    double v = peak == 0 ? 0 : u[r * side + q] / peak;
                    g.setColor(diverging(v));
                    g.fillRect(x0 + q * SCALE, y0 + r * SCALE, SCALE, SCALE);
                }
            }
            double share = cl.mass() / totalMass;
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "a%s0  %.1f%%  (%d)", cl.sign() > 0 ? ">" : "<", 100 * share, cl.size()), x0,
                    y0 + tile + 13);
            csv.append(c).append(',').append(cl.sign()).append(',').append(Csv.num(share)).append(',').append(cl.size()).append(',')
                    .append(u.length > side * side ? Csv.num(u[side * side]) : "0");
            for (int p = 0; p < side * side; p++) {
                csv.append(',').append(Csv.num(u[p]));
            }
            csv.append('\n');
        }
        g.dispose();
        try {
            io.reluquant.io.AtomicFiles.write(dir.resolve(name + ".png"), out -> {
                if (!ImageIO.write(img, "png", out)) {
                    throw new IOException("no PNG writer in this JVM");
                }
            });
            io.reluquant.io.AtomicFiles.write(dir.resolve(name + ".csv"), csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return blue (v = -1) through white (0) to red (+1) */
    static Color diverging(double v) {
        double t = Math.max(-1, Math.min(1, v));
        int fade = (int) Math.round(255 * (1 - Math.abs(t)));
        return t >= 0 ? new Color(255, fade, fade) : new Color(fade, fade, 255);
    }
}
