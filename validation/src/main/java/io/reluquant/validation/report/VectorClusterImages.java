package io.reluquant.validation.report;

import io.reluquant.io.data.FashionMnist;
import io.reluquant.io.plot.Csv;
import io.reluquant.validation.experiments.VectorRealProbe;
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
 * The heavy clusters of a ten-class network as 28 x 28 images: each tile is the cluster's direction (the pixel part of
 * u = (w, b)) on a blue-white-red scale scaled to the tile's own largest |weight|, 8 px a pixel (224 px a tile), with the
 * class its mean output vector votes for, its share of the mass and its self-consistency written under it, and a colour
 * scale at the bottom. Writes NAME.png and NAME.csv (one row per cluster: share, neurons, vote, cosines, the 10 output
 * coordinates, the bias coordinate, then the pixels).
 */
final class VectorClusterImages {
    private static final int SCALE = 8;
    private static final int LABEL = 52;
    private static final int GAP = 12;
    private static final int COLS = 4;

    private VectorClusterImages() {}

    static void write(Path dir, String name, String title, List<VectorRealProbe.HeavyCluster> clusters) {
        int side = FashionMnist.SIDE;
        int tile = side * SCALE;
        int count = clusters.size();
        int cols = Math.max(1, Math.min(count, COLS));
        int rows = Math.max(1, (count + cols - 1) / cols);
        int width = Math.max(cols * (tile + GAP) + GAP, 720);
        int top = 34;
        int bar = 60;
        int height = top + rows * (tile + LABEL + GAP) + bar;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, GAP, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        StringBuilder csv = new StringBuilder("cluster,mass_share,neurons,votes,cos_u_q,cos_a_g");
        for (int o = 0; o < FashionMnist.CLASSES.size(); o++) {
            csv.append(",a").append(o);
        }
        csv.append(",bias");
        for (int p = 0; p < side * side; p++) {
            csv.append(",p").append(p);
        }
        csv.append('\n');
        for (int c = 0; c < count; c++) {
            VectorRealProbe.HeavyCluster cl = clusters.get(c);
            double[] u = cl.direction();
            double peak = 0;
            for (int p = 0; p < side * side; p++) {
                peak = Math.max(peak, Math.abs(u[p]));
            }
            int x0 = GAP + (c % cols) * (tile + GAP);
            int y0 = top + (c / cols) * (tile + LABEL + GAP);
            for (int r = 0; r < side; r++) {
                for (int q = 0; q < side; q++) {
                    g.setColor(ClusterImages.diverging(peak == 0 ? 0 : u[r * side + q] / peak));
                    g.fillRect(x0 + q * SCALE, y0 + r * SCALE, SCALE, SCALE);
                }
            }
            g.setColor(Color.GRAY);
            g.drawRect(x0, y0, tile, tile);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "votes: %s", FashionMnist.CLASSES.get(cl.votes())), x0, y0 + tile + 16);
            g.drawString(String.format(Locale.ROOT, "%.1f%% of mass, %d neurons", 100 * cl.share(), cl.neurons()), x0, y0 + tile + 32);
            g.drawString(String.format(Locale.ROOT, "|cos(u,q)| %.3f  cos(a,g) %.3f", cl.directionCos(), cl.outputCos()), x0, y0 + tile + 48);
            csv.append(c).append(',').append(Csv.num(cl.share())).append(',').append(cl.neurons()).append(',').append(cl.votes()).append(',')
                    .append(Csv.num(cl.directionCos())).append(',').append(Csv.num(cl.outputCos()));
            for (double a : cl.output()) {
                csv.append(',').append(Csv.num(a));
            }
            csv.append(',').append(Csv.num(u[side * side]));
            for (int p = 0; p < side * side; p++) {
                csv.append(',').append(Csv.num(u[p]));
            }
            csv.append('\n');
        }
        // the colour scale: each tile is scaled to its own largest |weight|
        int bx = GAP;
        int by = height - bar + 10;
        int bw = Math.min(400, width - 2 * GAP);
        for (int x = 0; x < bw; x++) {
            g.setColor(ClusterImages.diverging(2.0 * x / (bw - 1) - 1));
            g.fillRect(bx + x, by, 1, 16);
        }
        g.setColor(Color.BLACK);
        g.drawRect(bx, by, bw, 16);
        g.drawString("-max", bx, by + 32);
        g.drawString("0", bx + bw / 2 - 3, by + 32);
        g.drawString("+max", bx + bw - 30, by + 32);
        g.drawString("weight / (largest abs weight of the tile)", bx + bw + 12, by + 13);
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
}
