package io.switchboard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The {@code dev} Maven profile ({@code ./mvnw quarkus:dev -Pdev}) copies {@code src/dev/resources} into the same
 * directory as {@code src/main/resources}. A file both trees hold (the {@code ConfigSourceFactory} services file) must
 * end up as dev's, or dev mode loses the embedded PostgreSQL and stops at start for want of a datasource URL.
 */
class DevProfileTest {

    private static final Path MAIN = Path.of("src/main/resources");
    private static final Path DEV = Path.of("src/dev/resources");

    @Test
    void aResourceOfBothTreesIsDevsAndListsEverythingMainsDoes() throws IOException {
        List<Path> shared = shared();
        assertThat(shared).as("resources in both trees").isNotEmpty();
        for (Path relative : shared) {
            assertThat(Files.readAllLines(DEV.resolve(relative))).as("dev's %s", relative)
                    .containsAll(Files.readAllLines(MAIN.resolve(relative)).stream()
                            .filter(line -> !line.isBlank()).toList());
        }
        assertThat(devProfileOverwritesResources())
                .as("the dev profile's resources plugin overwrites, so that dev's copy of a shared file wins")
                .isTrue();
    }

    private static List<Path> shared() throws IOException {
        try (Stream<Path> files = Files.walk(DEV)) {
            return files.filter(Files::isRegularFile).map(DEV::relativize)
                    .filter(relative -> Files.exists(MAIN.resolve(relative))).toList();
        }
    }

    private static boolean devProfileOverwritesResources() {
        try {
            var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
            var profiles = pom.getElementsByTagName("profile");
            for (int i = 0; i < profiles.getLength(); i++) {
                var profile = (Element) profiles.item(i);
                if (!"dev".equals(child(profile, "id"))) {
                    continue;
                }
                var plugins = profile.getElementsByTagName("plugin");
                for (int j = 0; j < plugins.getLength(); j++) {
                    var plugin = (Element) plugins.item(j);
                    if ("maven-resources-plugin".equals(child(plugin, "artifactId"))) {
                        var overwrite = plugin.getElementsByTagName("overwrite");
                        return overwrite.getLength() == 1 && "true".equals(overwrite.item(0).getTextContent().strip());
                    }
                }
            }
            return false;
        } catch (Exception e) {
            throw new IllegalStateException("could not read pom.xml", e);
        }
    }

    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }
}
