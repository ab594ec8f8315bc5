package dev.asyncshop.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** Whichever way they came (containers or local), the brokers answer where {@link Brokers} says. */
class BrokersIntegrationTests {

  @Test
  void rabbitMqRedisAndPostgresAnswerAtTheirEndpoints() throws Exception {
    for (Endpoint endpoint :
        new Endpoint[] {Brokers.rabbitMq(), Brokers.redis(), Brokers.postgres()}) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 2_000);
        assertThat(socket.isConnected()).as("%s", endpoint).isTrue();
      }
    }
  }

  @Test
  void kafkaAnswersAtItsBootstrapServers() throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Brokers.kafka()))) {
      assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).isNotEmpty();
    }
  }

  @Test
  void springPropertiesNameEveryBroker() {
    assertThat(Brokers.springProperties())
        .containsKeys(
            "spring.rabbitmq.host",
            "spring.rabbitmq.port",
            "spring.data.redis.host",
            "spring.data.redis.port",
            "spring.kafka.bootstrap-servers")
        .containsEntry("spring.kafka.bootstrap-servers", Brokers.kafka());
  }

  @Test
  void everyTestDatabaseIsNewAndEmpty() throws Exception {
    String first = TestDatabases.create("brokers");
    String second = TestDatabases.create("brokers");

    assertThat(first).isNotEqualTo(second);
    String name = first.substring(first.lastIndexOf('/') + 1);
    try (Connection connection = TestDatabases.connect(name);
        Statement statement = connection.createStatement();
        ResultSet tables =
            statement.executeQuery(
                "select count(*) from information_schema.tables where table_schema = 'public'")) {
      assertThat(tables.next()).isTrue();
      assertThat(tables.getInt(1)).isZero();
    }
  }
}
