package io.switchboard.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.smallrye.config.WithDefault;
import io.switchboard.shutdown.ShutdownConfig;
import io.switchboard.twilio.TwilioConfig;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks {@code deployment/} without a cluster: every manifest against the Kubernetes API's typed model (an unknown or
 * mistyped field fails, as the API server's schema validation would refuse it), then what ties the manifests to each
 * other and to the service's own configuration (selectors, named ports, the signed origin, the shutdown budget).
 */
class ManifestsTest {

    private static final Path DEPLOYMENT = Path.of("deployment");
    private static final Path BASE = DEPLOYMENT.resolve("base");
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    private static List<HasMetadata> resources;

    @BeforeAll
    static void readBase() throws IOException {
        resources = new ArrayList<>();
        for (String file : kustomizationResources(BASE)) {
            for (String document : DOCUMENT_SEPARATOR.split(Files.readString(BASE.resolve(file)))) {
                if (!document.isBlank()) {
                    resources.add(KUBERNETES.unmarshal(document, HasMetadata.class));
                }
            }
        }
    }

    @Test
    void everyManifestIsListedAndMatchesTheKubernetesSchema() throws IOException {
        try (Stream<Path> files = Files.list(BASE)) {
            Set<String> yaml = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .collect(Collectors.toSet());
            assertThat(kustomizationResources(BASE)).as("base/kustomization.yaml resources")
                    .containsExactlyInAnyOrderElementsOf(yaml);
        }
        // A labels transformer with includeSelectors (or commonLabels) would rewrite the NetworkPolicy's peer
        // selectors too, after these checks have read the files.
        JsonNode kustomization = YAML.readTree(BASE.resolve("kustomization.yaml").toFile());
        assertThat(kustomization.has("commonLabels")).as("commonLabels in base/kustomization.yaml").isFalse();
        assertThat(kustomization.path("labels").findValues("includeSelectors"))
                .as("labels with includeSelectors in base/kustomization.yaml").noneMatch(JsonNode::asBoolean);
        assertThat(resources).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("ConfigMap", "Deployment",
                "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Ingress", "Ingress", "NetworkPolicy");
        for (HasMetadata resource : resources) {
            String name = resource.getKind() + "/" + resource.getMetadata().getName();
            assertThat(resource).as(name + " is a kind the Kubernetes API knows")
                    .isNotInstanceOf(GenericKubernetesResource.class);
            List<String> unknown = new ArrayList<>();
            unknownFields(resource, "", unknown);
            assertThat(unknown).as("fields of " + name + " that its schema does not have").isEmpty();
            assertThat(resource.getMetadata().getLabels()).as(name + " labels")
                    .containsEntry("app.kubernetes.io/name", "switchboard");
        }
    }

    @Test
    void aMisspelledFieldIsCaught() {
        var deployment = KUBERNETES.unmarshal("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: x
                spec:
                  template:
                    spec:
                      terminationGracePeriodSecond: 45
                """, HasMetadata.class);
        List<String> unknown = new ArrayList<>();
        unknownFields(deployment, "", unknown);
        assertThat(unknown).containsExactly(".spec.template.spec.terminationGracePeriodSecond");
    }

    @Test
    void everySelectorPicksTheServicePodsAndOnlyThem() {
        Deployment deployment = one(Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(podLabels).as("Service selector").containsAllEntriesOf(one(Service.class).getSpec().getSelector());
        assertThat(podLabels).as("PodDisruptionBudget selector")
                .containsAllEntriesOf(one(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels());
        deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().forEach(c -> assertThat(podLabels)
                .as("topology spread over " + c.getTopologyKey()).containsAllEntriesOf(c.getLabelSelector()
                        .getMatchLabels()));

        NetworkPolicy policy = one(NetworkPolicy.class);
        assertThat(podLabels).as("NetworkPolicy podSelector")
                .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        // The peers are other applications' pods (the ingress controller, Prometheus, DNS): a selector that asks for
        // this service's own label selects nothing there, and the policy then blocks all of that traffic.
        Stream.concat(policy.getSpec().getIngress().stream().flatMap(r -> r.getFrom().stream()),
                policy.getSpec().getEgress().stream().flatMap(r -> r.getTo().stream()))
                .map(NetworkPolicyPeer::getPodSelector).filter(s -> s != null)
                .map(LabelSelector::getMatchLabels)
                .forEach(peer -> assertThat(peer).as("a peer's pod selector").doesNotContainEntry(
                        "app.kubernetes.io/name", "switchboard"));

        HorizontalPodAutoscaler autoscaler = one(HorizontalPodAutoscaler.class);
        assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
    }

    @Test
    void everyNamedPortIsAPortOfTheContainer() {
        Deployment deployment = one(Deployment.class);
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Set<String> ports = container.getPorts().stream().map(ContainerPort::getName).collect(Collectors.toSet());
        List<IntOrString> used = new ArrayList<>();
        Stream.of(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe())
                .map(Probe::getHttpGet).forEach(get -> used.add(get.getPort()));
        one(Service.class).getSpec().getPorts().forEach(p -> used.add(p.getTargetPort()));
        one(NetworkPolicy.class).getSpec().getIngress().forEach(r -> r.getPorts().forEach(p -> used.add(p.getPort())));
        assertThat(used).isNotEmpty().allSatisfy(port -> assertThat(port.getStrVal()).isIn(ports));

        Set<String> servicePorts = one(Service.class).getSpec().getPorts().stream()
                .map(p -> p.getName()).collect(Collectors.toSet());
        all(Ingress.class).flatMap(i -> i.getSpec().getRules().stream())
                .flatMap(r -> r.getHttp().getPaths().stream()).forEach(path -> {
                    assertThat(path.getBackend().getService().getName()).isEqualTo("switchboard");
                    assertThat(path.getBackend().getService().getPort().getName()).isIn(servicePorts);
                });
    }

    @Test
    void theIngressServesTheOriginTwilioSignsAndNothingUnderQ() throws IOException {
        var config = resources.stream().filter(r -> r.getKind().equals("ConfigMap")).findFirst().orElseThrow();
        var data = KUBERNETES.convertValue(config, io.fabric8.kubernetes.api.model.ConfigMap.class).getData();
        URI publicBase = URI.create(data.get("TWILIO_WEBHOOK_PUBLIC_BASE_URL"));
        assertThat(publicBase.getScheme()).isEqualTo("https");

        List<Ingress> ingresses = all(Ingress.class).toList();
        for (Ingress ingress : ingresses) {
            String name = ingress.getMetadata().getName();
            assertThat(ingress.getSpec().getRules()).extracting(r -> r.getHost()).as(name + " hosts")
                    .containsOnly(publicBase.getHost());
            assertThat(ingress.getSpec().getTls()).as(name + " terminates TLS for its host")
                    .anySatisfy(tls -> assertThat(tls.getHosts()).contains(publicBase.getHost()));
            // Twilio signs the path and query it calls; the service rebuilds them from the request.
            assertThat(ingress.getMetadata().getAnnotations()).as(name + " annotations")
                    .doesNotContainKeys("nginx.ingress.kubernetes.io/rewrite-target",
                            "nginx.ingress.kubernetes.io/app-root");
        }
        List<String> paths = ingresses.stream().flatMap(i -> i.getSpec().getRules().stream())
                .flatMap(r -> r.getHttp().getPaths().stream()).map(p -> p.getPath()).toList();
        assertThat(paths).containsExactlyInAnyOrder("/twilio", "/v1").noneMatch(p -> p.startsWith("/q"));

        Ingress twilio = ingresses.stream().filter(i -> i.getMetadata().getName().equals("switchboard-twilio"))
                .findFirst().orElseThrow();
        String bodySize = twilio.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-body-size");
        assertThat(bodySize).endsWith("k");
        assertThat(Long.parseLong(bodySize.replace("k", "")) * 1024)
                .as("the ingress's webhook body limit, within the service's own")
                .isLessThanOrEqualTo(Long.parseLong(defaultOf(TwilioConfig.Webhook.class, "maxBodyBytes")));
    }

    @Test
    void theGracePeriodCoversThePauseAndEveryShutdownStep() throws IOException {
        var pod = one(Deployment.class).getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        long pause = container.getLifecycle().getPreStop().getSleep().getSeconds();
        assertThat(pause).as("preStop pause while the endpoints drain").isGreaterThanOrEqualTo(5);
        assertThat(container.getEnv()).as("no shutdown delay on top of the preStop pause")
                .noneMatch(e -> e.getName().equals("QUARKUS_SHUTDOWN_DELAY"));

        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        Duration http = Duration.parse("PT" + properties.getProperty("quarkus.shutdown.timeout").toUpperCase());
        Duration outbound = Duration.parse("PT" + defaultOf(ShutdownConfig.class, "outboundTimeout").toUpperCase());
        Duration inbound = Duration.parse("PT" + defaultOf(ShutdownConfig.class, "inboundTimeout").toUpperCase());
        long needed = pause + http.plus(outbound).plus(inbound).toSeconds();
        assertThat(pod.getTerminationGracePeriodSeconds()).as("grace period against the pause and the shutdown steps")
                .isGreaterThan(needed);
    }

    @Test
    void theAutoscalerOwnsTheCountAndADrainCanAlwaysEvict() {
        var deployment = one(Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).as("replicas left to the autoscaler").isNull();
        var autoscaler = one(HorizontalPodAutoscaler.class);
        var budget = one(PodDisruptionBudget.class);
        assertThat(autoscaler.getSpec().getMinReplicas()).isGreaterThan(budget.getSpec().getMinAvailable().getIntVal());
        assertThat(autoscaler.getSpec().getMetrics()).anySatisfy(m -> assertThat(m.getResource().getName())
                .isEqualTo("cpu"));
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getRequests())
                .as("CPU utilisation is measured against the request").containsKey("cpu");
    }

    @Test
    void theProductionOverlayBuildsOnTheBaseAndNamesItsImage() throws IOException {
        Path overlay = DEPLOYMENT.resolve("overlays/production");
        JsonNode kustomization = YAML.readTree(overlay.resolve("kustomization.yaml").toFile());
        assertThat(kustomizationResources(overlay)).containsExactly("../../base");
        String image = one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        assertThat(kustomization.path("images").findValuesAsText("name")).contains(image.split(":")[0]);
        String secret = kustomization.path("secretGenerator").get(0).path("name").asText();
        assertThat(one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom())
                .extracting(from -> from.getSecretRef() == null ? null : from.getSecretRef().getName())
                .contains(secret);
        assertThat(Files.readString(Path.of(".gitignore"))).contains("deployment/overlays/production/secrets.env");
    }

    private static List<String> kustomizationResources(Path dir) throws IOException {
        JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        List<String> files = new ArrayList<>();
        kustomization.path("resources").forEach(n -> files.add(n.asText()));
        return files;
    }

    private static <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type).toList();
        assertThat(found).as(type.getSimpleName() + " manifests").hasSize(1);
        return found.get(0);
    }

    private static <T extends HasMetadata> Stream<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast);
    }

    /** The {@code @WithDefault} of a configuration method, as the running service reads it. */
    private static String defaultOf(Class<?> config, String method) {
        try {
            return config.getMethod(method).getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(config.getSimpleName() + "." + method + " is gone", e);
        }
    }

    /**
     * Collects the paths of fields the model did not know: its classes keep those in {@code additionalProperties}
     * rather than failing, so they are found by walking the object.
     */
    private static void unknownFields(Object node, String path, List<String> found) {
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknownFields(value, path + "." + key, found));
            return;
        }
        if (node == null || !node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        List<Method> getters = Arrays.stream(node.getClass().getMethods())
                .filter(m -> m.getParameterCount() == 0 && m.getName().startsWith("get")
                        && m.getDeclaringClass() != Object.class)
                .toList();
        for (Method getter : getters) {
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new AssertionError(getter.toString(), e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                ((Map<?, ?>) value).keySet().forEach(key -> found.add(path + "." + key));
            } else {
                String field = getter.getName().substring(3);
                unknownFields(value, path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1), found);
            }
        }
    }
}
