package dev.asyncshop.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The checks of one rendered overlay. Each method adds what it finds wrong to {@link #problems()},
 * as {@code Kind/name: what}, so that one run shows every problem at once.
 */
final class ManifestChecks {

  static final String LIVENESS = "/actuator/health/liveness";
  static final String READINESS = "/actuator/health/readiness";

  /** How {@link #environmentValues} shows a value taken from a Secret: {@code secret:name/key}. */
  static final String SECRET = "secret:";

  /** API groups whose resources fabric8 has no model for, so they parse as generic resources. */
  private static final Set<String> CUSTOM_GROUPS =
      Set.of("keda.sh", "kafka.strimzi.io", "rabbitmq.com", "monitoring.coreos.com");

  /**
   * The only ports a service may reach: DNS, PostgreSQL, RabbitMQ (AMQP, AMQPS), Redis, the
   * authorization server, Kafka (plain, TLS), Zipkin.
   */
  private static final Set<Integer> EGRESS_PORTS =
      Set.of(53, 5432, 5671, 5672, 6379, 9000, 9092, 9093, 9411);

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** A pod template and where it came from. */
  record Workload(
      String kind,
      String name,
      LabelSelector selector,
      PodTemplateSpec template,
      List<PersistentVolumeClaim> claims) {
    String id() {
      return kind + "/" + name;
    }

    Map<String, String> podLabels() {
      return template.getMetadata() == null || template.getMetadata().getLabels() == null
          ? Map.of()
          : template.getMetadata().getLabels();
    }
  }

  private final List<HasMetadata> resources = new ArrayList<>();
  private final Map<String, ServiceConfig> services;
  private final ServiceConfig console;
  private final MessageContract contract;
  private final boolean secretsFromOutside;
  private final List<String> problems = new ArrayList<>();
  private final List<Workload> workloads = new ArrayList<>();

  /**
   * @param secretsFromOutside whether Secrets that the manifests name may come from the cluster
   *     rather than from the manifests (prod's secret store)
   */
  ManifestChecks(
      List<Map<String, Object>> documents,
      Map<String, ServiceConfig> services,
      MessageContract contract,
      boolean secretsFromOutside) {
    this(documents, services, Suite.console(), contract, secretsFromOutside);
  }

  /**
   * @param console the operators' console, whose Deployment is labelled {@code
   *     app.kubernetes.io/component: console}
   */
  ManifestChecks(
      List<Map<String, Object>> documents,
      Map<String, ServiceConfig> services,
      ServiceConfig console,
      MessageContract contract,
      boolean secretsFromOutside) {
    this.services = services;
    this.console = console;
    this.contract = contract;
    this.secretsFromOutside = secretsFromOutside;
    Yaml yaml = Suite.yaml();
    for (Map<String, Object> document : documents) {
      resources.add(SERIALIZATION.unmarshal(yaml.dump(document)));
    }
    for (Deployment d : all(Deployment.class)) {
      workloads.add(
          new Workload(
              "Deployment",
              d.getMetadata().getName(),
              d.getSpec().getSelector(),
              d.getSpec().getTemplate(),
              List.of()));
    }
    for (StatefulSet s : all(StatefulSet.class)) {
      workloads.add(
          new Workload(
              "StatefulSet",
              s.getMetadata().getName(),
              s.getSpec().getSelector(),
              s.getSpec().getTemplate(),
              s.getSpec().getVolumeClaimTemplates() == null
                  ? List.of()
                  : s.getSpec().getVolumeClaimTemplates()));
    }
  }

  List<HasMetadata> resources() {
    return resources;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /**
   * The suite's services: the Deployments labelled {@code app.kubernetes.io/component: service}.
   * Other Deployments (Zipkin) are tools, checked as any workload but not as a service.
   */
  List<Deployment> serviceDeployments() {
    return all(Deployment.class).stream().filter(ManifestChecks::isService).toList();
  }

  private static boolean isService(Deployment deployment) {
    return hasComponent(deployment, "service");
  }

  /**
   * The operators' console: the Deployments labelled {@code app.kubernetes.io/component: console}.
   * It serves pages, calls the services and watches the brokers read-only; it is checked as a
   * service wherever that applies to it.
   */
  List<Deployment> consoleDeployments() {
    return all(Deployment.class).stream().filter(d -> hasComponent(d, "console")).toList();
  }

  /** The console's own configuration (port, properties). */
  ServiceConfig console() {
    return console;
  }

  /** The configuration of a service or the console by its Deployment's name, if it is either. */
  Optional<ServiceConfig> served(String name) {
    return name.equals(console.name())
        ? Optional.of(console)
        : Optional.ofNullable(services.get(name));
  }

  private static boolean hasComponent(Deployment deployment, String component) {
    Map<String, String> labels = deployment.getMetadata().getLabels();
    return labels != null && component.equals(labels.get("app.kubernetes.io/component"));
  }

  List<GenericKubernetesResource> custom(String kind) {
    return all(GenericKubernetesResource.class).stream()
        .filter(r -> kind.equals(r.getKind()))
        .toList();
  }

  /** Runs every check; the result is empty when the overlay is sound. */
  List<String> problems() {
    problems.clear();
    resources.forEach(this::checkKnownFields);
    workloads.forEach(this::checkWorkload);
    serviceDeployments().forEach(this::checkServiceDeployment);
    all(Deployment.class).stream()
        .filter(d -> !isService(d) && services.containsKey(d.getMetadata().getName()))
        .forEach(
            d -> problem(d, "is a service but not labelled app.kubernetes.io/component: service"));
    for (Deployment deployment : consoleDeployments()) {
      if (!deployment.getMetadata().getName().equals(console.name())) {
        problem(deployment, "is labelled as the console, which is " + console.name());
      } else {
        checkServing(deployment, console);
      }
    }
    all(Deployment.class).stream()
        .filter(
            d -> !hasComponent(d, "console") && d.getMetadata().getName().equals(console.name()))
        .forEach(
            d ->
                problem(d, "is the console but not labelled app.kubernetes.io/component: console"));
    all(Service.class).forEach(this::checkService);
    all(PodDisruptionBudget.class).forEach(this::checkDisruptionBudget);
    all(HorizontalPodAutoscaler.class).forEach(this::checkAutoscaler);
    custom("ScaledObject").forEach(this::checkScaledObject);
    checkOneAutoscalerPerService();
    all(NetworkPolicy.class).forEach(this::checkNetworkPolicy);
    checkDatabaseAndBrokerAddresses();
    return List.copyOf(problems);
  }

  private void problem(HasMetadata resource, String what) {
    problems.add(resource.getKind() + "/" + resource.getMetadata().getName() + ": " + what);
  }

  private void problem(Workload workload, String what) {
    problems.add(workload.id() + ": " + what);
  }

  // ---- unknown fields

  private void checkKnownFields(HasMetadata resource) {
    if (resource instanceof GenericKubernetesResource generic) {
      String group =
          generic.getApiVersion().contains("/") ? generic.getApiVersion().split("/")[0] : "";
      if (!CUSTOM_GROUPS.contains(group)) {
        problem(
            resource,
            "apiVersion "
                + generic.getApiVersion()
                + " kind "
                + generic.getKind()
                + " is no Kubernetes type fabric8 knows (a typo?)");
      }
      unknownFields(resource.getMetadata(), "metadata", resource, 0);
      return;
    }
    unknownFields(resource, "", resource, 0);
  }

  /** Walks the typed object: a field fabric8 does not know ends in additionalProperties. */
  private void unknownFields(Object node, String path, HasMetadata resource, int depth) {
    if (node == null || depth > 40) {
      return;
    }
    if (node instanceof Collection<?> collection) {
      int i = 0;
      for (Object item : collection) {
        unknownFields(item, path + "[" + i++ + "]", resource, depth + 1);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, resource, depth + 1));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method method : node.getClass().getMethods()) {
      if (method.getParameterCount() != 0) {
        continue;
      }
      try {
        if (method.getName().equals("getAdditionalProperties")) {
          Map<?, ?> extra = (Map<?, ?>) method.invoke(node);
          if (extra != null && !extra.isEmpty()) {
            problem(
                resource,
                "unknown field(s) "
                    + new TreeSet<>(extra.keySet().stream().map(Object::toString).toList())
                    + " at "
                    + (path.isEmpty() ? "the top" : path.substring(1)));
          }
        } else {
          com.fasterxml.jackson.annotation.JsonProperty property =
              method.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
          if (property != null) {
            unknownFields(method.invoke(node), path + "." + property.value(), resource, depth + 1);
          }
        }
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException(method.toString(), e);
      }
    }
  }

  // ---- pods

  private void checkWorkload(Workload workload) {
    if (!matches(workload.selector(), workload.podLabels())) {
      problem(workload, "its selector does not match its own pod labels " + workload.podLabels());
    }
    PodSpec pod = workload.template().getSpec();
    Set<String> volumes = new HashSet<>();
    pod.getVolumes().stream().map(Volume::getName).forEach(volumes::add);
    workload.claims().stream().map(c -> c.getMetadata().getName()).forEach(volumes::add);
    for (Volume volume : pod.getVolumes()) {
      if (volume.getConfigMap() != null
          && named(ConfigMap.class, volume.getConfigMap().getName()).isEmpty()
          && !Boolean.TRUE.equals(volume.getConfigMap().getOptional())) {
        problem(
            workload,
            "volume "
                + volume.getName()
                + " mounts ConfigMap "
                + volume.getConfigMap().getName()
                + ", which no manifest defines");
      }
    }
    for (Container container : containers(pod)) {
      String where = "container " + container.getName() + ": ";
      checkRunsAsNonRoot(workload, pod.getSecurityContext(), container, where);
      checkResources(workload, container.getResources(), where);
      checkImage(workload, container.getImage(), where);
      for (VolumeMount mount : container.getVolumeMounts()) {
        if (!volumes.contains(mount.getName())) {
          problem(
              workload,
              where + "mounts volume " + mount.getName() + ", which the pod does not have");
        }
      }
      for (EnvFromSource source : container.getEnvFrom()) {
        if (source.getConfigMapRef() != null
            && named(ConfigMap.class, source.getConfigMapRef().getName()).isEmpty()) {
          problem(
              workload,
              where
                  + "reads ConfigMap "
                  + source.getConfigMapRef().getName()
                  + ", which no manifest defines");
        }
        if (source.getSecretRef() != null
            && !secretsFromOutside
            && named(Secret.class, source.getSecretRef().getName()).isEmpty()) {
          problem(
              workload,
              where
                  + "reads Secret "
                  + source.getSecretRef().getName()
                  + ", which no manifest defines");
        }
      }
    }
  }

  private static List<Container> containers(PodSpec pod) {
    return Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream()).toList();
  }

  private void checkRunsAsNonRoot(
      Workload workload, PodSecurityContext pod, Container container, String where) {
    SecurityContext own = container.getSecurityContext();
    Boolean nonRoot =
        firstNonNull(
            own == null ? null : own.getRunAsNonRoot(), pod == null ? null : pod.getRunAsNonRoot());
    Long user =
        firstNonNull(
            own == null ? null : own.getRunAsUser(), pod == null ? null : pod.getRunAsUser());
    if (!Boolean.TRUE.equals(nonRoot)) {
      problem(workload, where + "may run as root: runAsNonRoot is not true");
    }
    if (user == null || user == 0) {
      problem(workload, where + "may run as root: runAsUser is " + user);
    }
    if (own == null || !Boolean.TRUE.equals(own.getReadOnlyRootFilesystem())) {
      problem(
          workload, where + "its root filesystem is writable (readOnlyRootFilesystem is not true)");
    }
    if (own == null || !Boolean.FALSE.equals(own.getAllowPrivilegeEscalation())) {
      problem(workload, where + "allowPrivilegeEscalation is not false");
    }
    if (own == null
        || own.getCapabilities() == null
        || !own.getCapabilities().getDrop().contains("ALL")) {
      problem(workload, where + "does not drop ALL capabilities");
    }
  }

  private void checkResources(Workload workload, ResourceRequirements resources, String where) {
    Map<String, Quantity> requests =
        resources == null || resources.getRequests() == null ? Map.of() : resources.getRequests();
    Map<String, Quantity> limits =
        resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
    for (String resource : List.of("cpu", "memory")) {
      if (!requests.containsKey(resource)) {
        problem(workload, where + "no " + resource + " request");
      }
      if (!limits.containsKey(resource)) {
        problem(workload, where + "no " + resource + " limit");
      }
      if (requests.containsKey(resource)
          && limits.containsKey(resource)
          && Quantity.getAmountInBytes(requests.get(resource))
                  .compareTo(Quantity.getAmountInBytes(limits.get(resource)))
              > 0) {
        problem(workload, where + resource + " request above its limit");
      }
    }
  }

  private void checkImage(Workload workload, String image, String where) {
    String tag = imageTag(image);
    if (tag == null || tag.equals("latest")) {
      problem(workload, where + "image " + image + " has no pinned tag");
    }
  }

  /** The tag of an image reference, or null; a registry's port is no tag. */
  static String imageTag(String image) {
    if (image == null) {
      return null;
    }
    String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    String last = withoutDigest.substring(withoutDigest.lastIndexOf('/') + 1);
    return last.contains(":")
        ? last.substring(last.indexOf(':') + 1)
        : (image.contains("@") ? "digest" : null);
  }

  // ---- the services

  private void checkServiceDeployment(Deployment deployment) {
    String name = deployment.getMetadata().getName();
    ServiceConfig service = services.get(name);
    if (service == null) {
      problem(deployment, "is none of the services " + services.keySet());
      return;
    }
    checkServing(deployment, service);
  }

  /** Its port, its probes of the actuator groups, and a writable /tmp. */
  private void checkServing(Deployment deployment, ServiceConfig service) {
    String name = deployment.getMetadata().getName();
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    for (Container container : pod.getContainers()) {
      String where = "container " + container.getName() + ": ";
      if (container.getPorts().stream().noneMatch(p -> p.getContainerPort() == service.port())) {
        problem(
            deployment,
            where
                + "exposes no containerPort "
                + service.port()
                + " (server.port of "
                + name
                + ")");
      }
      checkProbe(
          deployment,
          container,
          "livenessProbe",
          container.getLivenessProbe(),
          LIVENESS,
          service,
          true);
      checkProbe(
          deployment,
          container,
          "readinessProbe",
          container.getReadinessProbe(),
          READINESS,
          service,
          true);
      checkProbe(
          deployment,
          container,
          "startupProbe",
          container.getStartupProbe(),
          LIVENESS,
          service,
          false);
      boolean tmp =
          container.getVolumeMounts().stream()
              .anyMatch(
                  m ->
                      m.getMountPath().equals("/tmp")
                          && pod.getVolumes().stream()
                              .anyMatch(
                                  v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null));
      if (!tmp) {
        problem(
            deployment,
            where + "no emptyDir on /tmp, which Tomcat and the JVM need with a read-only root");
      }
    }
  }

  private void checkProbe(
      Deployment deployment,
      Container container,
      String kind,
      Probe probe,
      String path,
      ServiceConfig service,
      boolean required) {
    String where = "container " + container.getName() + ": " + kind + " ";
    if (probe == null) {
      if (required) {
        problem(deployment, where + "is missing");
      }
      return;
    }
    if (probe.getHttpGet() == null) {
      problem(deployment, where + "is not an HTTP probe of " + path);
      return;
    }
    if (!path.equals(probe.getHttpGet().getPath())) {
      problem(deployment, where + "asks " + probe.getHttpGet().getPath() + ", not " + path);
    }
    Optional<Integer> port = resolve(probe.getHttpGet().getPort(), container.getPorts());
    if (port.isEmpty() || port.get() != service.port()) {
      problem(
          deployment,
          where
              + "asks port "
              + portText(probe.getHttpGet().getPort())
              + ", which is not server.port "
              + service.port());
    }
  }

  private static Optional<Integer> resolve(IntOrString port, List<ContainerPort> ports) {
    if (port == null) {
      return Optional.empty();
    }
    if (port.getIntVal() != null) {
      return Optional.of(port.getIntVal());
    }
    return ports.stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst();
  }

  private static String portText(IntOrString port) {
    return port == null
        ? "none"
        : port.getIntVal() != null ? port.getIntVal().toString() : port.getStrVal();
  }

  private void checkService(Service service) {
    if ("ExternalName".equals(service.getSpec().getType())) {
      return;
    }
    Map<String, String> selector = service.getSpec().getSelector();
    List<Workload> selected =
        selector == null || selector.isEmpty()
            ? List.of()
            : workloads.stream()
                .filter(w -> w.podLabels().entrySet().containsAll(selector.entrySet()))
                .toList();
    if (selected.isEmpty()) {
      problem(service, "its selector " + selector + " matches no pod template");
      return;
    }
    for (ServicePort port : service.getSpec().getPorts()) {
      IntOrString target =
          port.getTargetPort() == null ? new IntOrString(port.getPort()) : port.getTargetPort();
      for (Workload workload : selected) {
        List<ContainerPort> ports =
            workload.template().getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts().stream())
                .toList();
        Optional<Integer> resolved = resolve(target, ports);
        if (resolved.isEmpty()
            || ports.stream().noneMatch(p -> p.getContainerPort().equals(resolved.get()))) {
          problem(
              service,
              "port "
                  + port.getPort()
                  + " targets "
                  + portText(target)
                  + ", which "
                  + workload.id()
                  + " does not expose");
        }
      }
      ServiceConfig own = served(service.getMetadata().getName()).orElse(null);
      if (own != null && port.getPort() != own.port()) {
        problem(service, "port " + port.getPort() + " is not server.port " + own.port());
      }
    }
  }

  private void checkDisruptionBudget(PodDisruptionBudget budget) {
    if (workloads.stream().noneMatch(w -> matches(budget.getSpec().getSelector(), w.podLabels()))) {
      problem(budget, "its selector matches no pod template");
    }
  }

  private void checkAutoscaler(HorizontalPodAutoscaler autoscaler) {
    var target = autoscaler.getSpec().getScaleTargetRef();
    if (!"Deployment".equals(target.getKind())
        || named(Deployment.class, target.getName()).isEmpty()) {
      problem(
          autoscaler,
          "scales " + target.getKind() + "/" + target.getName() + ", which no manifest defines");
    }
  }

  @SuppressWarnings("unchecked")
  private void checkScaledObject(GenericKubernetesResource scaled) {
    Map<String, Object> spec = (Map<String, Object>) scaled.getAdditionalProperties().get("spec");
    Map<String, Object> target =
        spec == null
            ? Map.of()
            : (Map<String, Object>) spec.getOrDefault("scaleTargetRef", Map.of());
    String kind = (String) target.getOrDefault("kind", "Deployment");
    String name = (String) target.get("name");
    Optional<Deployment> deployment =
        "Deployment".equals(kind) ? named(Deployment.class, name) : Optional.empty();
    if (deployment.isEmpty()) {
      problem(scaled, "scales " + kind + "/" + name + ", which no manifest defines");
      return;
    }
    List<Map<String, Object>> triggers =
        spec == null
            ? List.of()
            : (List<Map<String, Object>>) spec.getOrDefault("triggers", List.of());
    Set<String> queues = new TreeSet<>();
    Set<String> topics = new TreeSet<>();
    for (Map<String, Object> trigger : triggers) {
      Map<String, Object> metadata =
          (Map<String, Object>) trigger.getOrDefault("metadata", Map.of());
      Map<String, Object> auth = (Map<String, Object>) trigger.get("authenticationRef");
      if (auth != null
          && custom(String.valueOf(auth.getOrDefault("kind", "TriggerAuthentication"))).stream()
              .noneMatch(a -> a.getMetadata().getName().equals(auth.get("name")))) {
        problem(
            scaled,
            "trigger "
                + trigger.get("type")
                + " authenticates with "
                + auth.get("name")
                + ", which no manifest defines");
      }
      metadata.forEach(
          (key, value) -> {
            if (key.endsWith("FromEnv")
                && !environment(deployment.get()).contains(String.valueOf(value))) {
              problem(
                  scaled,
                  "trigger "
                      + trigger.get("type")
                      + " reads "
                      + key
                      + " "
                      + value
                      + ", which the target's containers do not have");
            }
          });
      switch (String.valueOf(trigger.get("type"))) {
        case "rabbitmq" -> queues.add(String.valueOf(metadata.get("queueName")));
        case "kafka" -> {
          topics.add(String.valueOf(metadata.get("topic")));
          if (!Objects.equals(metadata.get("consumerGroup"), contract.groups().get(name))) {
            problem(
                scaled,
                "watches consumer group "
                    + metadata.get("consumerGroup")
                    + ", but "
                    + name
                    + " consumes in group "
                    + contract.groups().get(name));
          }
        }
        default -> {}
      }
    }
    Set<String> consumedQueues = contract.queues().getOrDefault(name, Set.of());
    Set<String> consumedTopics = contract.topics().getOrDefault(name, Set.of());
    if (!queues.equals(consumedQueues)) {
      problem(
          scaled,
          "watches queues "
              + queues
              + ", but "
              + name
              + " consumes "
              + consumedQueues
              + " (docs/asyncapi)");
    }
    if (!topics.equals(consumedTopics)) {
      problem(
          scaled,
          "watches topics "
              + topics
              + ", but "
              + name
              + " consumes "
              + consumedTopics
              + " (docs/asyncapi)");
    }
  }

  /** The variables a Deployment's containers get from env and envFrom ConfigMaps and Secrets. */
  private Set<String> environment(Deployment deployment) {
    Set<String> names = new HashSet<>();
    for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
      container.getEnv().stream().map(EnvVar::getName).forEach(names::add);
      for (EnvFromSource source : container.getEnvFrom()) {
        if (source.getConfigMapRef() != null) {
          named(ConfigMap.class, source.getConfigMapRef().getName())
              .ifPresent(c -> names.addAll(c.getData() == null ? Set.of() : c.getData().keySet()));
        }
        if (source.getSecretRef() != null) {
          named(Secret.class, source.getSecretRef().getName())
              .ifPresent(
                  s -> {
                    if (s.getStringData() != null) {
                      names.addAll(s.getStringData().keySet());
                    }
                    if (s.getData() != null) {
                      names.addAll(s.getData().keySet());
                    }
                  });
        }
      }
    }
    return names;
  }

  /**
   * The first container's environment as the kubelet builds it: the ConfigMaps of envFrom in order,
   * then env; a value from a Secret is {@code secret:name/key}. The keys of envFrom Secrets are
   * unknown here, so they are left out.
   */
  Map<String, String> environmentValues(Deployment deployment) {
    Map<String, String> env = new LinkedHashMap<>();
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    for (EnvFromSource source : container.getEnvFrom()) {
      if (source.getConfigMapRef() != null) {
        named(ConfigMap.class, source.getConfigMapRef().getName())
            .ifPresent(c -> env.putAll(c.getData() == null ? Map.of() : c.getData()));
      }
    }
    for (EnvVar variable : container.getEnv()) {
      var from = variable.getValueFrom();
      if (from != null && from.getSecretKeyRef() != null) {
        env.put(
            variable.getName(),
            SECRET + from.getSecretKeyRef().getName() + "/" + from.getSecretKeyRef().getKey());
      } else if (from != null && from.getConfigMapKeyRef() != null) {
        env.put(
            variable.getName(),
            named(ConfigMap.class, from.getConfigMapKeyRef().getName())
                .map(
                    c ->
                        c.getData() == null
                            ? null
                            : c.getData().get(from.getConfigMapKeyRef().getKey()))
                .orElse(null));
      } else {
        env.put(variable.getName(), variable.getValue());
      }
    }
    return env;
  }

  /** The ConfigMap of that name, if the manifests hold one. */
  Optional<ConfigMap> configMap(String name) {
    return named(ConfigMap.class, name);
  }

  private void checkOneAutoscalerPerService() {
    for (Deployment deployment : serviceDeployments()) {
      String name = deployment.getMetadata().getName();
      long hpas =
          all(HorizontalPodAutoscaler.class).stream()
              .filter(h -> name.equals(h.getSpec().getScaleTargetRef().getName()))
              .count();
      long scaled =
          custom("ScaledObject").stream().filter(s -> name.equals(scaleTarget(s))).count();
      if (hpas + scaled != 1) {
        problem(
            deployment,
            "has "
                + hpas
                + " HorizontalPodAutoscaler(s) and "
                + scaled
                + " ScaledObject(s); it needs exactly one autoscaler (KEDA makes its own HPA)");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static String scaleTarget(GenericKubernetesResource scaled) {
    Map<String, Object> spec =
        (Map<String, Object>) scaled.getAdditionalProperties().getOrDefault("spec", Map.of());
    return String.valueOf(
        ((Map<String, Object>) spec.getOrDefault("scaleTargetRef", Map.of())).get("name"));
  }

  private void checkNetworkPolicy(NetworkPolicy policy) {
    LabelSelector selector = policy.getSpec().getPodSelector();
    List<Workload> selected =
        workloads.stream().filter(w -> matches(selector, w.podLabels())).toList();
    if (selector == null
        || selector.getMatchLabels() == null
        || selector.getMatchLabels().isEmpty()
        || selected.isEmpty()) {
      problem(policy, "selects no pod template of the suite");
      return;
    }
    if (!policy.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))) {
      problem(policy, "does not restrict both ingress and egress");
    }
    for (Workload workload : selected) {
      ServiceConfig service = served(workload.name()).orElse(null);
      if (service == null) {
        continue;
      }
      boolean isConsole = service == console;
      // The console calls every service's /ops API: each service must admit it.
      if (!isConsole && !consoleDeployments().isEmpty() && !admitsConsole(policy)) {
        problem(
            policy,
            "does not admit "
                + console.name()
                + " to "
                + workload.name()
                + ", whose /ops API the console calls");
      }
      for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
        for (NetworkPolicyPort port : rule.getPorts()) {
          if (port.getPort() == null
              || port.getPort().getIntVal() == null
              || port.getPort().getIntVal() != service.port()) {
            problem(
                policy,
                "admits port "
                    + portText(port.getPort())
                    + " to "
                    + workload.name()
                    + ", which serves "
                    + service.port());
          }
        }
        if (rule.getPorts().isEmpty()) {
          problem(policy, "admits every port of " + workload.name());
        }
        boolean fromAnywhere = rule.getFrom().isEmpty();
        // Two entry points: order-service for customers, the console for operators' browsers.
        boolean entryPoint = isConsole || workload.name().equals("order-service");
        if (fromAnywhere != entryPoint) {
          problem(
              policy,
              fromAnywhere
                  ? "admits anyone to "
                      + workload.name()
                      + "; only order-service and "
                      + console.name()
                      + " are entry points"
                  : "does not admit everyone to " + workload.name() + ", an entry point");
        }
      }
      Set<Integer> ports = new TreeSet<>();
      for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
        if (rule.getPorts().isEmpty() || rule.getTo().isEmpty()) {
          problem(policy, "lets " + workload.name() + " reach every port or every address");
        }
        rule.getPorts().forEach(p -> ports.add(p.getPort() == null ? -1 : p.getPort().getIntVal()));
      }
      Set<Integer> allowed = new TreeSet<>(EGRESS_PORTS);
      if (isConsole) {
        // ...and the services' HTTP ports, where the console calls their /ops API.
        services.values().forEach(s -> allowed.add(s.port()));
      }
      if (!allowed.containsAll(ports) || !ports.contains(53)) {
        problem(
            policy,
            "lets "
                + workload.name()
                + " reach ports "
                + ports
                + "; the suite uses DNS and "
                + allowed);
      }
    }
  }

  /** Whether an ingress rule admits the console's pods, by a pod selector or from anywhere. */
  private boolean admitsConsole(NetworkPolicy policy) {
    List<Map<String, String>> consolePods =
        consoleDeployments().stream()
            .map(d -> d.getSpec().getTemplate().getMetadata().getLabels())
            .toList();
    for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
      if (rule.getFrom().isEmpty()) {
        return true;
      }
      boolean admitted =
          rule.getFrom().stream()
              .anyMatch(
                  peer ->
                      peer.getNamespaceSelector() == null
                          && peer.getIpBlock() == null
                          && consolePods.stream()
                              .anyMatch(labels -> matches(peer.getPodSelector(), labels)));
      if (admitted) {
        return true;
      }
    }
    return false;
  }

  /**
   * The database URL of every service and the broker addresses name a Service of the rendering, or
   * one that the RabbitMQ or Strimzi operator makes for a cluster of the rendering.
   */
  private void checkDatabaseAndBrokerAddresses() {
    Set<String> hosts = new HashSet<>();
    all(Service.class).forEach(s -> hosts.add(s.getMetadata().getName()));
    custom("RabbitmqCluster").forEach(r -> hosts.add(r.getMetadata().getName()));
    custom("Kafka").forEach(k -> hosts.add(k.getMetadata().getName() + "-kafka-bootstrap"));
    for (ConfigMap config : all(ConfigMap.class)) {
      Map<String, String> data = config.getData() == null ? Map.of() : config.getData();
      Map<String, String> addresses = new LinkedHashMap<>();
      for (String key :
          List.of(
              "RABBITMQ_HOST", "REDIS_HOST", "KAFKA_BOOTSTRAP_SERVERS", "SPRING_DATASOURCE_URL")) {
        if (data.containsKey(key)) {
          addresses.put(
              key,
              data.get(key).replaceFirst("^jdbc:postgresql://", "").replaceFirst("[:/].*$", ""));
        }
      }
      addresses.forEach(
          (key, host) -> {
            // A Service's fully qualified name <service>.<namespace>.svc names the same Service.
            String service =
                host.replaceFirst("^([^.]+)\\.[^.]+\\.svc(\\.cluster\\.local)?$", "$1");
            if (!hosts.contains(service) && !isOutsideTheCluster(host)) {
              problem(
                  config,
                  key
                      + " names host "
                      + host
                      + ", which no Service or operator-managed cluster provides");
            }
          });
    }
    for (GenericKubernetesResource pool : custom("KafkaNodePool")) {
      String cluster =
          pool.getMetadata().getLabels() == null
              ? null
              : pool.getMetadata().getLabels().get("strimzi.io/cluster");
      if (custom("Kafka").stream().noneMatch(k -> k.getMetadata().getName().equals(cluster))) {
        problem(pool, "belongs to Kafka cluster " + cluster + ", which no manifest defines");
      }
    }
  }

  /**
   * A fully qualified name that is no cluster Service's: a managed database or cache, named as its
   * certificate names it.
   */
  static boolean isOutsideTheCluster(String host) {
    return host.contains(".") && !host.contains(".svc") && !host.matches("[0-9.]+");
  }

  // ---- helpers

  private <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
    return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
  }

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> required =
        selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    if (required.isEmpty() && selector.getMatchExpressions().isEmpty()) {
      return false;
    }
    if (!labels.entrySet().containsAll(required.entrySet())) {
      return false;
    }
    for (LabelSelectorRequirement expression : selector.getMatchExpressions()) {
      String value = labels.get(expression.getKey());
      boolean ok =
          switch (expression.getOperator()) {
            case "In" -> expression.getValues().contains(value);
            case "NotIn" -> value == null || !expression.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @SafeVarargs
  private static <T> T firstNonNull(T... values) {
    return Stream.of(values).filter(Objects::nonNull).findFirst().orElse(null);
  }
}
