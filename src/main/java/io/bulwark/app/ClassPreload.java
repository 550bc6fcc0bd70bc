package io.bulwark.app;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads every class of the gateway at start, before any is needed. A class first needed on an error path
 * (a refused upstream, a malformed request) is otherwise read from disk at that moment; when the process is
 * out of file descriptors that read fails, and the JVM then remembers the failure: that code path stays
 * broken after the descriptors come back. Loaded classes need no file.
 */
final class ClassPreload {
    private static final Logger log = LoggerFactory.getLogger(ClassPreload.class);

    private ClassPreload() {}

    /** Loads (without initialising) the classes next to this one; returns their names. Never throws. */
    static List<String> run() {
        long t0 = System.nanoTime();
        List<String> names = new ArrayList<>();
        try {
            Path where = Path.of(ClassPreload.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            names = Files.isDirectory(where) ? fromDirectory(where) : fromJar(where);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            log.debug("class preload skipped: {}", e.toString());
            return names;
        }
        ClassLoader loader = ClassPreload.class.getClassLoader();
        List<String> loaded = new ArrayList<>(names.size());
        for (String name : names) {
            try {
                Class.forName(name, false, loader);
                loaded.add(name);
            } catch (ClassNotFoundException | LinkageError e) {
                log.debug("class preload: {}: {}", name, e.toString());
            }
        }
        log.debug("preloaded {} classes in {} ms", loaded.size(), (System.nanoTime() - t0) / 1_000_000);
        return loaded;
    }

    private static List<String> fromDirectory(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("io/bulwark"))) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> className(root.relativize(p).toString().replace('\\', '/')))
                    .toList();
        }
    }

    private static List<String> fromJar(Path jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                String entry = e.nextElement().getName();
                if (entry.startsWith("io/bulwark/") && entry.endsWith(".class")) {
                    names.add(className(entry));
                }
            }
        }
        return names;
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
