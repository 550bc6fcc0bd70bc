package io.bulwark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Holds the package rules of docs/DESIGN.md: who may import whom inside io.bulwark, and no cycles. */
class ArchitectureTest {
    /** Package → the io.bulwark packages it may import (itself is always allowed). */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("core", Set.of()),
            Map.entry("config", Set.of("core")),
            Map.entry("metrics", Set.of("core")),
            Map.entry("upstream", Set.of("config", "core")),
            Map.entry("lb", Set.of("upstream", "config", "core")),
            Map.entry("health", Set.of("upstream", "config", "metrics", "core")),
            Map.entry("proxy", Set.of("lb", "upstream", "config", "metrics", "core")),
            Map.entry("failover", Set.of("config", "metrics", "core")),
            Map.entry("monitor", Set.of("config", "metrics", "core")),
            Map.entry("alert", Set.of("config", "metrics", "core")),
            Map.entry("admin", Set.of("config", "metrics", "core")),
            Map.entry("cluster", Set.of("config", "core")),
            Map.entry("app", Set.of("core", "config", "metrics", "upstream", "lb", "health", "proxy", "failover",
                    "monitor", "alert", "admin", "cluster")),
            Map.entry("cli", Set.of("app", "config")));

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?io\\.bulwark\\.([a-z]+)\\.", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\bio\\.bulwark\\.([a-z]+)\\.[A-Z]");
    private static Map<String, Set<String>> actual;

    @BeforeAll
    static void scan() throws IOException {
        actual = importsByPackage(Path.of("src/main/java/io/bulwark"));
    }

    static Map<String, Set<String>> importsByPackage(Path root) throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = root.relativize(f);
                if (rel.getNameCount() < 2) {
                    continue;
                }
                String pkg = rel.getName(0).toString();
                String src = Files.readString(f);
                Set<String> set = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                for (Pattern p : List.of(IMPORT, QUALIFIED)) {
                    Matcher m = p.matcher(src);
                    while (m.find()) {
                        if (!m.group(1).equals(pkg)) {
                            set.add(m.group(1));
                        }
                    }
                }
            }
        }
        return deps;
    }

    @Test
    void everyPackageIsKnownToTheRules() {
        assertThat(ALLOWED.keySet()).containsAll(actual.keySet());
    }

    @Test
    void packagesImportOnlyWhatTheDesignAllows() {
        List<String> violations = new ArrayList<>();
        actual.forEach((pkg, deps) -> {
            for (String d : deps) {
                if (!ALLOWED.getOrDefault(pkg, Set.of()).contains(d)) {
                    violations.add(pkg + " -> " + d);
                }
            }
        });
        assertThat(violations).as("imports the design does not allow").isEmpty();
    }

    @Test
    void nothingImportsTheAppOrCli() {
        actual.forEach((pkg, deps) -> {
            if (!pkg.equals("cli")) {
                assertThat(deps).as(pkg).doesNotContain("app", "cli");
            }
        });
    }

    @Test
    void packageGraphHasNoCycles() {
        List<String> cycle = findCycle(actual);
        assertThat(cycle).as("package cycle").isEmpty();
    }

    @Test
    void cycleFinderFindsACycle() {
        Map<String, Set<String>> g = new HashMap<>();
        g.put("a", Set.of("b"));
        g.put("b", Set.of("c"));
        g.put("c", Set.of("a"));
        assertThat(findCycle(g)).isNotEmpty();
        assertThat(findCycle(Map.of("a", Set.of("b"), "b", Set.of()))).isEmpty();
    }

    /** A cycle as a path of package names, or empty when the graph is acyclic (depth-first, three colours). */
    static List<String> findCycle(Map<String, Set<String>> graph) {
        Set<String> done = new HashSet<>();
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            if (visit(start, graph, done, path)) {
                return path;
            }
        }
        return List.of();
    }

    private static boolean visit(String node, Map<String, Set<String>> graph, Set<String> done, List<String> path) {
        if (path.contains(node)) {
            path.add(node);
            return true;
        }
        if (done.contains(node)) {
            return false;
        }
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (visit(next, graph, done, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        done.add(node);
        return false;
    }
}
