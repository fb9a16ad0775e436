package io.switchboard.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packages of {@code src/main} depend on each other one way only, and the shared layers on no feature. */
class PackageDependenciesTest {

    private static final Path MAIN = Path.of("src/main/java/io/switchboard");
    /** An import, or a qualified name in code, of another package of the service. */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.switchboard\\.([a-z]+)\\.");
    private static final Set<String> SHARED = Set.of("common", "db", "crypto", "twilio");

    @Test
    void noPackageDependsOnOneThatDependsOnItBack() {
        Map<String, Set<String>> graph = dependencies();
        assertThat(graph).containsKeys("call", "message", "outbound", "webhook", "provider", "number");
        var cycles = new ArrayList<String>();
        for (String start : graph.keySet()) {
            findCycle(graph, start, new ArrayList<>(List.of(start)), cycles);
        }
        assertThat(cycles).as("dependency cycles").isEmpty();
    }

    @Test
    void sharedLayersDependOnNoFeature() {
        dependencies().forEach((pkg, uses) -> {
            if (SHARED.contains(pkg)) {
                assertThat(SHARED).as("what %s depends on", pkg).containsAll(uses);
            }
        });
        assertThat(dependencies().get("common")).as("common depends on nothing").isEmpty();
    }

    @Test
    void theTwilioFacingSurfaceDependsOnNoFeatureThatProvidesItsHandlers() {
        assertThat(dependencies().get("webhook")).doesNotContain("call", "message", "routing", "agent", "number",
                "outbound");
        assertThat(dependencies().get("outbound")).doesNotContain("call", "message");
        assertThat(dependencies().get("reconcile")).doesNotContain("call", "message");
    }

    private static void findCycle(Map<String, Set<String>> graph, String start, List<String> path,
            List<String> cycles) {
        for (String next : graph.getOrDefault(path.get(path.size() - 1), Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
            } else if (!path.contains(next) && next.compareTo(start) > 0) {
                path.add(next);
                findCycle(graph, start, path, cycles);
                path.remove(path.size() - 1);
            }
        }
    }

    private static Map<String, Set<String>> dependencies() {
        var graph = new TreeMap<String, Set<String>>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
                String pkg = MAIN.relativize(file).getName(0).toString();
                Set<String> uses = graph.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(read(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        uses.add(m.group(1));
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
