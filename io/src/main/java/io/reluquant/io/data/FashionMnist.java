package io.reluquant.io.data;

import io.reluquant.kernel.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017): 28x28 grey-level images of ten kinds of clothing, 60000
 * for training and 10000 for testing, as the four standard IDX files (Debian package
 * dataset-fashion-mnist installs them, gzip-compressed, under {@link #DEFAULT_DIR}).
 *
 * <p>A two-class problem is cut from it: class A gets the target +1, class B -1; pixels are scaled
 * to [0, 1] (value / 255, rounded to float32 so that float32 and float64 training see the same
 * inputs, and so that the x.npy written as float32 holds exactly these numbers).
 */
public final class FashionMnist {
    /** Where the Debian package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Image side in pixels. */
    public static final int SIDE = 28;
    /** d = 784. */
    public static final int PIXELS = SIDE * SIDE;
    /** The ten class names, by label. */
    public static final List<String> CLASSES = List.of("t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt",
            "sneaker", "bag", "ankle-boot");

    private final Split train;
    private final Split test;

    /** One of the two standard splits: images (count, 784) as bytes, labels 0..9. */
    public record Split(byte[] images, byte[] labels) {
        /** @return the number of images */
        public int size() {
            return labels.length;
        }

        /** @return the label of image i */
        public int label(int i) {
            return labels[i];
        }

        /** @return pixel p of image i scaled to [0, 1] (rounded to float32) */
        public double pixel(int i, int p) {
            return (float) ((images[i * PIXELS + p] & 0xFF) / 255.0);
        }
    }

    private FashionMnist(Split train, Split test) {
        this.train = train;
        this.test = test;
    }

    /**
     * Reads the four files {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz] from {@code dir}.
     *
     * @throws NoSuchFileException naming the missing file and the package that provides it
     * @throws IdxFormatException if a file is not the IDX file it should be, or images and labels disagree
     */
    public static FashionMnist load(Path dir) throws IOException {
        return new FashionMnist(split(dir, "train"), split(dir, "t10k"));
    }

    private static Split split(Path dir, String prefix) throws IOException {
        Path images = find(dir, prefix + "-images-idx3-ubyte");
        Path labels = find(dir, prefix + "-labels-idx1-ubyte");
        Idx.Array im = Idx.read(images, 3);
        Idx.Array lb = Idx.read(labels, 1);
        int[] d = im.dims();
        if (d[1] != SIDE || d[2] != SIDE) {
            throw new IdxFormatException(images + ": images are " + d[1] + "x" + d[2] + ", expected " + SIDE + "x" + SIDE);
        }
        if (lb.dims()[0] != d[0]) {
            throw new IdxFormatException(labels + ": " + lb.dims()[0] + " labels for " + d[0] + " images in " + images);
        }
        byte[] l = lb.data();
        for (int i = 0; i < l.length; i++) {
            if ((l[i] & 0xFF) >= CLASSES.size()) {
                throw new IdxFormatException(labels + ": label " + (l[i] & 0xFF) + " at index " + i + " is not a class 0..9");
            }
        }
        return new Split(im.data(), l);
    }

    private static Path find(Path dir, String base) throws NoSuchFileException {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new NoSuchFileException(dir.resolve(base + ".gz") + " (nor " + base + "); install the Debian package dataset-fashion-mnist "
                + "or pass the folder holding the four IDX files");
    }

    /** @return the 60000-image training split */
    public Split train() {
        return train;
    }

    /** @return the 10000-image test split */
    public Split test() {
        return test;
    }

    /**
     * @param name a label 0..9 or a class name ("trouser", "t-shirt", "ankle-boot", case and '_' / ' ' ignored)
     * @return the label
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static int classOf(String name) {
        String s = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
        if (s.matches("\\d")) {
            return Integer.parseInt(s);
        }
        for (int c = 0; c < CLASSES.size(); c++) {
            String full = CLASSES.get(c);
            if (full.equals(s) || Arrays.asList(full.split("/")).contains(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown Fashion-MNIST class '" + name + "' (a label 0-9 or one of " + CLASSES + ")");
    }

    /**
     * A two-class problem: A (+1) against B (-1).
     *
     * @param train training set
     * @param test test set
     * @param classA the label with target +1
     * @param classB the label with target -1
     */
    public record Pair(Dataset train, Dataset test, int classA, int classB) {
        /** @return e.g. "trouser (+1) vs shirt (-1)" */
        public String label() {
            return CLASSES.get(classA) + " (+1) vs " + CLASSES.get(classB) + " (-1)";
        }
    }

    /**
     * Cuts a two-class problem: {@code trainSize} images drawn without replacement from the training
     * split, half from each class (A gets the extra one when odd), and {@code testSize} from the test
     * split the same way; shuffled with {@code seed}, so the same arguments give the same sets.
     *
     * @param testSize 0 for the whole test split of the two classes (2000 images)
     * @throws IllegalArgumentException naming the argument and value if the classes are equal or out of
     *         range, or a split has fewer images of a class than asked
     */
    public Pair pair(int classA, int classB, int trainSize, int testSize, long seed) {
        for (int c : new int[] {classA, classB}) {
            if (c < 0 || c >= CLASSES.size()) {
                throw new IllegalArgumentException("class must be a label 0..9, got " + c);
            }
        }
        if (classA == classB) {
            throw new IllegalArgumentException("the two classes must differ, got " + classA + " twice");
        }
        if (trainSize < 2) {
            throw new IllegalArgumentException("train size must be >= 2 (one image per class), got " + trainSize);
        }
        if (testSize < 0 || testSize == 1) {
            throw new IllegalArgumentException("test size must be 0 (all) or >= 2, got " + testSize);
        }
        Random rnd = new Random(seed);
        Dataset tr = draw(train, "train", classA, classB, trainSize, rnd);
        Dataset te = draw(test, "test", classA, classB, testSize, rnd);
        return new Pair(tr, te, classA, classB);
    }

    /**
     * Images with class labels (0..9), for multi-class training: x (n, 784) row-major, pixels / 255 rounded
     * to float32 as in {@link Split#pixel}.
     *
     * @param x the pixels
     * @param labels the class label of each image
     */
    public record Labelled(double[] x, int[] labels) {
        /** @return n */
        public int samples() {
            return labels.length;
        }
    }

    /**
     * The ten-class problem: training and test images with their labels 0..9.
     *
     * @param train training images
     * @param test test images
     */
    public record TenClasses(Labelled train, Labelled test) {}

    /**
     * Cuts the ten-class problem: {@code trainSize} images drawn without replacement from the training
     * split, an equal share of each class (the lowest labels get one more when 10 does not divide the
     * size), and {@code testSize} from the test split the same way; shuffled with {@code seed}, so the
     * same arguments give the same sets.
     *
     * @param testSize 0 for the whole test split (10000 images)
     * @throws IllegalArgumentException naming the argument and value when a size is below 10 (one image
     *         per class) or a split has fewer images of a class than asked
     */
    public TenClasses allClasses(int trainSize, int testSize, long seed) {
        if (trainSize < CLASSES.size()) {
            throw new IllegalArgumentException("train size must be >= " + CLASSES.size() + " (one image per class), got " + trainSize);
        }
        if (testSize < 0 || (testSize > 0 && testSize < CLASSES.size())) {
            throw new IllegalArgumentException("test size must be 0 (all) or >= " + CLASSES.size() + ", got " + testSize);
        }
        // every size is checked against both splits before anything is drawn
        int[][] trainBy = byClass(train, "train", trainSize);
        int[][] testBy = byClass(test, "test", testSize);
        Random rnd = new Random(seed);
        return new TenClasses(drawAll(train, trainBy, trainSize, rnd), drawAll(test, testBy, testSize, rnd));
    }

    // the indices of each class, checked against the share each class must give (0: all of them)
    private static int[][] byClass(Split s, String name, int size) {
        int k = CLASSES.size();
        int[][] of = new int[k][];
        for (int c = 0; c < k; c++) {
            of[c] = indices(s, c);
            int want = size == 0 ? of[c].length : size / k + (c < size % k ? 1 : 0);
            if (want > of[c].length) {
                throw new IllegalArgumentException(name + " size " + size + " needs " + want + " images of " + CLASSES.get(c) + ", the " + name
                        + " split has " + of[c].length);
            }
            if (size == 0 && of[c].length == 0) {
                throw new IllegalArgumentException("the " + name + " split has no image of " + CLASSES.get(c));
            }
        }
        return of;
    }

    private static Labelled drawAll(Split s, int[][] of, int size, Random rnd) {
        int k = CLASSES.size();
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            int want = size == 0 ? of[c].length : size / k + (c < size % k ? 1 : 0);
            for (int i : sample(of[c], want, rnd)) {
                chosen.add(i);
            }
        }
        java.util.Collections.shuffle(chosen, rnd);
        int n = chosen.size();
        double[] x = new double[n * PIXELS];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            int i = chosen.get(r);
            for (int p = 0; p < PIXELS; p++) {
                x[r * PIXELS + p] = s.pixel(i, p);
            }
            labels[r] = s.label(i);
        }
        return new Labelled(x, labels);
    }

    private static Dataset draw(Split s, String name, int a, int b, int size, Random rnd) {
        int[] ofA = indices(s, a);
        int[] ofB = indices(s, b);
        int wantA = size == 0 ? ofA.length : (size + 1) / 2;
        int wantB = size == 0 ? ofB.length : size / 2;
        if (wantA > ofA.length || wantB > ofB.length) {
            throw new IllegalArgumentException(name + " size " + size + " needs " + wantA + " + " + wantB + " images, the " + name + " split has "
                    + ofA.length + " of " + CLASSES.get(a) + " and " + ofB.length + " of " + CLASSES.get(b));
        }
        List<Integer> chosen = new ArrayList<>();
        for (int i : sample(ofA, wantA, rnd)) {
            chosen.add(i);
        }
        for (int i : sample(ofB, wantB, rnd)) {
            chosen.add(i);
        }
        java.util.Collections.shuffle(chosen, rnd);
        int n = chosen.size();
        double[] x = new double[n * PIXELS];
        double[] y = new double[n];
        for (int r = 0; r < n; r++) {
            int i = chosen.get(r);
            for (int p = 0; p < PIXELS; p++) {
                x[r * PIXELS + p] = s.pixel(i, p);
            }
            y[r] = s.label(i) == a ? 1 : -1;
        }
        return Dataset.of(x, y, PIXELS);
    }

    private static int[] indices(Split s, int label) {
        return java.util.stream.IntStream.range(0, s.size()).filter(i -> s.label(i) == label).toArray();
    }

    // partial Fisher-Yates: the first k of a seeded permutation
    private static int[] sample(int[] from, int k, Random rnd) {
        int[] p = from.clone();
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(p.length - i);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return Arrays.copyOf(p, k);
    }
}
