import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the float64 twin of every float32 template: for each {@code *F32*.java} under the source
 * folder, the same file with {@code F64} in its name, made by substituting words line by line. One
 * algorithm, one source: the float32 class is written by hand, its float64 twin cannot drift from it.
 *
 * <p>The substitutions, in this order on every line (each a whole-word or whole-name match where the
 * word could be part of another one):
 * <pre>
 *   F32 -> F64                 class names
 *   FloatVector -> DoubleVector, float -> double, Float -> Double, float32 -> float64, FLOAT32 -> FLOAT64
 *   IntVector -> LongVector, Integer -> Long, int.class -> long.class, reinterpretAsInts -> reinterpretAsLongs
 *                              the mask-bit path's bit manipulations: int lanes of float's width become
 *                              long lanes of double's width
 *   reinterpretAsFloats -> reinterpretAsDoubles, floatToRawIntBits -> doubleToRawLongBits
 * </pre>
 * Opting out, in a template: a word inside {@code {@literal ...}} (up to 100 characters after the
 * brace) stays as it is (valid Javadoc, read as plain text: "measured in {@literal float32}"), and a
 * line that ends with the comment {@code // as-is} stays as it is (for code and strings). Last, the
 * template's first line {@code // TEMPLATE: XF32.java ...} becomes the twin's
 * {@code // GENERATED from XF32.java ...} header.
 *
 * <p>Run by the kernel build (kernel/pom.xml) as a single-file program, like RegisterTiles beside it:
 * {@code java Float64Twins.java <source folder> <output folder>}. The build compares the output with
 * the committed twins and fails on a difference or on a twin without a template;
 * {@code -Dregenerate=true} writes them instead.
 */
public final class Float64Twins {
    private Float64Twins() {}

    /** Not after "{@literal " and up to 100 characters that are not a closing brace; not on a line ending "// as-is". */
    private static final String NOT_LITERAL = "(?<!\\{@literal [^}]{0,100})";
    private static final String NOT_AS_IS = "(?!.*// as-is$)";

    /** pattern, replacement; applied in this order */
    static final String[][] WORDS = {
        {"F32", "F64"},
        {"FloatVector", "DoubleVector"},
        {"\\bfloat\\b", "double"},
        {"\\bFloat\\b", "Double"},
        {"float32", "float64"},
        {"FLOAT32", "FLOAT64"},
        {"IntVector", "LongVector"},
        {"\\bInteger\\b", "Long"},
        {"\\bint\\.class\\b", "long.class"},
        {"reinterpretAsInts", "reinterpretAsLongs"},
        {"reinterpretAsFloats", "reinterpretAsDoubles"},
        {"floatToRawIntBits", "doubleToRawLongBits"},
    };

    private static final List<Pattern> PATTERNS = Stream.of(WORDS)
            .map(w -> Pattern.compile(NOT_LITERAL + w[0] + NOT_AS_IS)).collect(Collectors.toList());

    /** Applied last, after F32 -> F64, so that the header names the template by its own name. */
    private static final Pattern HEADER = Pattern.compile("^// TEMPLATE: (\\w+)F64(\\w*)\\.java.*$");
    private static final String GENERATED = "// GENERATED from $1F32$2.java by kernel/src/build/Float64Twins.java. DO NOT EDIT: edit the"
            + " template, then run mvn -o -pl kernel generate-sources -Dregenerate=true";

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: java Float64Twins.java <source folder> <output folder>, got "
                    + args.length + " arguments");
        }
        Path sources = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<Path> templates;
        try (Stream<Path> files = Files.walk(sources)) {
            templates = files.filter(f -> f.getFileName().toString().contains("F32") && f.toString().endsWith(".java"))
                    .sorted().collect(Collectors.toList());
        }
        if (templates.isEmpty()) {
            throw new IllegalStateException("no *F32*.java template under " + sources);
        }
        for (Path template : templates) {
            Path relative = sources.relativize(template);
            String name = relative.getFileName().toString();
            int at = name.lastIndexOf("F32");
            Path twin = out.resolve(relative).resolveSibling(name.substring(0, at) + "F64" + name.substring(at + 3));
            try {
                Files.createDirectories(twin.toAbsolutePath().getParent());
                Files.writeString(twin, twin(Files.readString(template, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the twin of " + template, e);
            }
        }
    }

    /** The float64 twin of a template's text, line by line (line ends kept as they are). */
    static String twin(String template) {
        StringBuilder s = new StringBuilder(template.length() + 256);
        Matcher end = Pattern.compile("\r\n|\n|\r").matcher(template);
        int from = 0;
        while (end.find()) {
            s.append(line(template.substring(from, end.start()))).append(end.group());
            from = end.end();
        }
        if (from < template.length()) {
            s.append(line(template.substring(from)));
        }
        return s.toString();
    }

    private static String line(String line) {
        String out = line;
        for (int i = 0; i < PATTERNS.size(); i++) {
            out = PATTERNS.get(i).matcher(out).replaceAll(WORDS[i][1]);
        }
        return HEADER.matcher(out).replaceAll(GENERATED);
    }
}
