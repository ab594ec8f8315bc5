package dev.asyncshop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code deploy/kafka/setup.sh} with stand-ins for the Kafka tools that only record how they
 * were called: the script must set every user's password, create every topic and grant exactly the
 * lines of {@code acls.txt}. That the tools do what these calls ask is the broker's part, shown by
 * {@link KafkaAccessIntegrationTests}.
 */
class KafkaSetupScriptTests {

  private static final List<String> TOOLS =
      List.of("kafka-configs.sh", "kafka-topics.sh", "kafka-acls.sh");

  @Test
  void theSetupScriptMakesTheUsersTopicsAndAclsOfTheAclFile(@TempDir Path bin) throws IOException {
    Path calls = bin.resolve("calls");
    for (String tool : TOOLS) {
      Path stub = bin.resolve(tool);
      Files.writeString(stub, "#!/bin/sh\necho \"$(basename \"$0\") $*\" >> '" + calls + "'\n");
      stub.toFile().setExecutable(true);
    }
    List<String> command = new ArrayList<>(List.of("env", "KAFKA_BIN=" + bin));
    Suite.read(Suite.ROOT.resolve(".env.example"))
        .lines()
        .filter(line -> line.startsWith("KAFKA_"))
        .forEach(command::add);
    command.addAll(List.of("sh", Suite.ROOT.resolve("deploy/kafka/setup.sh").toString()));
    Suite.ProcessResult result = Suite.run(Suite.ROOT, Duration.ofSeconds(30), command);
    assertThat(result.exitCode()).as(result.stderr()).isZero();

    Map<String, Set<KafkaAccess.Grant>> expected = KafkaAccess.read();
    Map<String, Set<KafkaAccess.Grant>> granted = new TreeMap<>();
    Set<String> users = new TreeSet<>();
    Set<String> topics = new TreeSet<>();
    Set<String> compacted = new TreeSet<>();
    Map<String, Long> retention = new TreeMap<>();
    for (String call : Files.readAllLines(calls)) {
      List<String> words = Arrays.asList(call.split(" "));
      assertThat(words).contains("--command-config");
      switch (words.get(0)) {
        case "kafka-configs.sh" -> {
          String user = after(words, "--entity-name");
          users.add(user);
          assertThat(after(words, "--add-config"))
              .isEqualTo("SCRAM-SHA-512=[password=" + envExample(user) + "]");
        }
        case "kafka-topics.sh" -> {
          topics.add(after(words, "--topic"));
          if (call.contains("--config cleanup.policy=compact")) {
            compacted.add(after(words, "--topic"));
          }
          String topic = after(words, "--topic");
          for (int i = 0; i < words.size() - 1; i++) {
            if (words.get(i).equals("--config") && words.get(i + 1).startsWith("retention.ms=")) {
              retention.put(topic, Long.valueOf(words.get(i + 1).substring(13)));
            }
          }
        }
        case "kafka-acls.sh" -> {
          String user = after(words, "--allow-principal").substring("User:".length());
          String operation = after(words, "--operation");
          for (int i = 0; i < words.size() - 1; i++) {
            if (words.get(i).equals("--topic") || words.get(i).equals("--group")) {
              granted
                  .computeIfAbsent(user, u -> new TreeSet<>())
                  .add(
                      new KafkaAccess.Grant(
                          words.get(i).substring(2), words.get(i + 1), operation));
            }
          }
        }
        default -> throw new AssertionError("unexpected call " + call);
      }
    }
    assertThat(users).isEqualTo(expected.keySet());
    assertThat(granted).isEqualTo(expected);
    Set<String> named = new TreeSet<>();
    expected.values().stream()
        .flatMap(Set::stream)
        .filter(g -> g.type().equals("topic"))
        .forEach(g -> named.add(g.name()));
    assertThat(topics).isEqualTo(named);
    assertThat(compacted)
        .as("the topics whose AsyncAPI channels are compacted, and only those")
        .isEqualTo(MessageContract.read().compacted());
    Map<String, Long> routeRetention = new TreeMap<>();
    retention.forEach(
        (topic, millis) -> {
          if (topic.endsWith(".dlt")) {
            assertThat(millis)
                .as(topic + ": messaging.kafka.dead-letter-retention, 7 days")
                .isEqualTo(Duration.ofDays(7).toMillis());
          } else {
            routeRetention.put(topic, millis);
          }
        });
    assertThat(routeRetention)
        .as("retention.ms of the topics whose AsyncAPI channels set one, and only those")
        .isEqualTo(MessageContract.read().retention())
        .containsEntry("orders.events", -1L);
  }

  private static String after(List<String> words, String option) {
    int at = words.indexOf(option);
    assertThat(at).as(option + " in " + words).isNotNegative();
    return words.get(at + 1);
  }

  private static String envExample(String user) {
    String variable = "KAFKA_" + user.toUpperCase().replace('-', '_') + "_PASSWORD=";
    return Suite.read(Suite.ROOT.resolve(".env.example"))
        .lines()
        .filter(line -> line.startsWith(variable))
        .findFirst()
        .orElseThrow()
        .substring(variable.length());
  }
}
