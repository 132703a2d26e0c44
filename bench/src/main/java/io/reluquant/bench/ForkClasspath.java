package io.reluquant.bench;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Rebuilds the class path the JMH forks get. JMH forks with {@code -cp ${java.class.path}}; under
 * {@code mvn exec:java} that is only Maven's launcher jar, the benchmark classes live in the plugin's
 * class loader, and every fork dies with "Could not find or load main class ... ForkedMain".
 */
final class ForkClasspath {
    private ForkClasspath() {}

    /** @return the file entries of every URLClassLoader from {@code loader} up to the root, nearest first */
    static String of(ClassLoader loader) {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader) {
                for (URL url : ((URLClassLoader) l).getURLs()) {
                    if ("file".equals(url.getProtocol())) {
                        try {
                            entries.add(Path.of(url.toURI()).toString());
                        } catch (URISyntaxException | IllegalArgumentException e) {
                            throw new IllegalStateException("class path entry " + url + " is not a file path", e);
                        }
                    }
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * Sets java.class.path from the class loader that loaded the bench when it holds the benchmark
     * classes (under exec:java); leaves it alone when the JVM was started with a real class path.
     *
     * @return the class path the forks will get
     */
    static String install(ClassLoader loader) {
        String rebuilt = of(loader);
        String current = System.getProperty("java.class.path", "");
        if (!rebuilt.isEmpty() && !current.contains("jmh-core")) {
            System.setProperty("java.class.path", rebuilt);
            return rebuilt;
        }
        return current;
    }
}
