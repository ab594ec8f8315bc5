package dev.asyncshop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.asyncshop.testsupport.BrokerUsers;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.Endpoint;
import dev.asyncshop.testsupport.TestNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker users of {@code deploy/broker-users/permissions.conf}, made for this run by the local
 * run's own script, against the real brokers: what a service's routes need works, and what belongs
 * to another service is refused. The topology is declared as common-messaging declares it, by the
 * consuming service's own user; the saga of {@link OrderSagaSystemTests}, whose services run as
 * these users, proves that the library needs no more.
 */
class BrokerUsersIntegrationTests {

  static final String PREFIX = TestNames.unique("bu") + ".";

  static BrokerUsers users;

  @BeforeAll
  static void makeUsers() throws Exception {
    users = new BrokerUsers(PREFIX);
    try (Connection inventory = rabbit("inventory-service");
        Connection payment = rabbit("payment-service");
        Connection shipping = rabbit("shipping-service")) {
      declareConsumed(inventory.createChannel(), "inventory.reserve");
      declareConsumed(shipping.createChannel(), "shipping.quote");
      declareConsumed(payment.createChannel(), "payment.authorize");
    }
  }

  @AfterAll
  static void deleteUsers() throws Exception {
    try (Connection admin = adminRabbit();
        Channel channel = admin.createChannel()) {
      for (String queue :
          new String[] {"inventory.reserve", "shipping.quote", "payment.authorize"}) {
        for (String suffix : new String[] {"", ".dlq"}) {
          channel.queueDelete(PREFIX + queue + suffix);
        }
        for (String suffix : new String[] {".exchange", ".dlx"}) {
          channel.exchangeDelete(PREFIX + queue + suffix);
        }
      }
      channel.exchangeDelete(PREFIX + "order-service.replies");
    }
    users.close();
  }

  @Test
  void orderServiceSendsACommandThatOnlyInventoryServiceConsumes() throws Exception {
    try (Connection order = rabbit("order-service");
        Connection inventory = rabbit("inventory-service")) {
      publish(order, PREFIX + "inventory.reserve.exchange", PREFIX + "inventory.reserve", null);

      Channel consumer = inventory.createChannel();
      GetResponse taken = awaitMessage(consumer, PREFIX + "inventory.reserve");
      assertThat(new String(taken.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
  }

  @Test
  void aQueryIsAnsweredThroughTheAskersReplyExchange() throws Exception {
    String replies = PREFIX + "order-service.replies";
    String replyQueue = replies + "." + java.util.UUID.randomUUID();
    try (Connection order = rabbit("order-service");
        Connection shipping = rabbit("shipping-service")) {
      Channel asker = order.createChannel();
      asker.exchangeDeclare(replies, "direct", true);
      asker.queueDeclare(replyQueue, false, true, true, null);
      asker.queueBind(replyQueue, replies, replyQueue);
      publish(
          order,
          PREFIX + "shipping.quote.exchange",
          PREFIX + "shipping.quote",
          replies + "/" + replyQueue);

      GetResponse query = awaitMessage(shipping.createChannel(), PREFIX + "shipping.quote");
      String[] address = query.getProps().getReplyTo().split("/", 2);
      publish(shipping, address[0], address[1], null);

      assertThat(awaitMessage(asker, replyQueue)).isNotNull();
    }
  }

  @Test
  void aForeignServiceCannotPublishToInventoryReserve() {
    assertRefused(
        "payment-service",
        channel ->
            publishConfirmed(
                channel, PREFIX + "inventory.reserve.exchange", PREFIX + "inventory.reserve"),
        "exchange '" + PREFIX + "inventory.reserve.exchange'");
  }

  @Test
  void noServiceCanPublishThroughTheDefaultExchange() {
    for (String service : BrokerUsers.SERVICES) {
      assertRefused(
          service,
          channel -> publishConfirmed(channel, "", PREFIX + "inventory.reserve"),
          "exchange 'amq.default'");
    }
  }

  @Test
  void aForeignServiceCannotConsumeAnotherServicesQueue() {
    assertRefused(
        "payment-service",
        channel -> channel.basicGet(PREFIX + "inventory.reserve", false),
        "queue '" + PREFIX + "inventory.reserve'");
    assertRefused(
        "order-service",
        channel -> channel.basicGet(PREFIX + "payment.authorize", false),
        "queue '" + PREFIX + "payment.authorize'");
  }

  @Test
  void aForeignServiceCannotReachAnotherServicesDeadLetters() {
    assertRefused(
        "payment-service",
        channel ->
            publishConfirmed(
                channel, PREFIX + "inventory.reserve.dlx", PREFIX + "inventory.reserve.dlq"),
        "exchange '" + PREFIX + "inventory.reserve.dlx'");
    // Binding its own queue to another's dead-letter exchange would copy its dead letters.
    assertRefused(
        "payment-service",
        channel ->
            channel.queueBind(PREFIX + "payment.authorize", PREFIX + "inventory.reserve.dlx", "#"),
        "exchange '" + PREFIX + "inventory.reserve.dlx'");
  }

  @Test
  void aServiceCannotAnswerQueriesItDoesNotServe() {
    assertRefused(
        "payment-service",
        channel -> publishConfirmed(channel, PREFIX + "order-service.replies", "anything"),
        "exchange '" + PREFIX + "order-service.replies'");
  }

  @Test
  void aServiceCannotDeclareAnotherServicesQueue() {
    assertRefused(
        "order-service",
        channel -> channel.queueDeclare(PREFIX + "shipping.schedule", true, false, false, null),
        "queue '" + PREFIX + "shipping.schedule'");
  }

  @Test
  void orderServiceBroadcastsAndHearsOrderStatusOnRedis() throws IOException {
    try (Redis order = redis("order-service")) {
      assertThat(order.call("PUBLISH", PREFIX + "orders.status", "x")).startsWith(":");
      assertThat(order.call("XLEN", PREFIX + "orders.status.dlq")).isEqualTo(":0");
      assertThat(order.call("INFO", "server")).startsWith("$");
    }
  }

  @Test
  void aForeignServiceCannotSubscribeToAChannelItDoesNotOwn() throws IOException {
    try (Redis payment = redis("payment-service");
        Redis inventory = redis("inventory-service")) {
      assertThat(payment.call("SUBSCRIBE", PREFIX + "orders.status")).startsWith("-NOPERM");
      assertThat(inventory.call("PUBLISH", PREFIX + "orders.status", "forged"))
          .startsWith("-NOPERM");
      assertThat(inventory.call("PUBLISH", PREFIX + "inventory.stock", "x")).startsWith(":");
    }
    try (Redis order = redis("order-service")) {
      assertThat(order.call("SUBSCRIBE", PREFIX + "inventory.stock")).startsWith("-NOPERM");
    }
  }

  @Test
  void noServiceCanReadAnIdempotencyKeyOrAnotherServicesDeadLetters() throws IOException {
    try (Redis payment = redis("payment-service")) {
      assertThat(payment.call("GET", "idempotency:order-service:" + PREFIX)).startsWith("-NOPERM");
      assertThat(payment.call("XLEN", PREFIX + "orders.status.dlq")).startsWith("-NOPERM");
      assertThat(payment.call("KEYS", "*")).startsWith("-NOPERM");
    }
  }

  @Test
  void theOpsConsoleHearsOrderStatusAndDoesNothingElse() throws IOException {
    assertThat(users.springProperties("ops-console"))
        .containsEntry("spring.data.redis.username", users.user("ops-console"))
        .doesNotContainKey("spring.rabbitmq.username");
    try (Redis console = redis("ops-console")) {
      assertThat(console.call("PING")).isEqualTo("+PONG");
      assertThat(console.call("PUBLISH", PREFIX + "orders.status", "forged")).startsWith("-NOPERM");
      assertThat(console.call("XLEN", PREFIX + "orders.status.dlq")).startsWith("-NOPERM");
      assertThat(console.call("GET", "idempotency:order-service:" + PREFIX)).startsWith("-NOPERM");
      assertThat(console.call("SUBSCRIBE", PREFIX + "inventory.stock")).startsWith("-NOPERM");
      // Last: the helper reads only the first line of INFO's many.
      assertThat(console.call("INFO", "server")).startsWith("$");
    }
    // Subscribed, a connection answers nothing else: the one allowed channel on a fresh one.
    try (Redis console = redis("ops-console")) {
      assertThat(console.call("SUBSCRIBE", PREFIX + "orders.status")).isEqualTo("*3");
    }
    // The console has no RabbitMQ user: its rules name no RabbitMQ permission.
    assertThatThrownBy(() -> connect(users.user("ops-console"), "any").close())
        .hasStackTraceContaining("ACCESS_REFUSED");
  }

  private interface ChannelAction {
    void run(Channel channel) throws Exception;
  }

  private static void assertRefused(String service, ChannelAction action, String resource) {
    assertThatThrownBy(
            () -> {
              try (Connection connection = rabbit(service)) {
                action.run(connection.createChannel());
              }
            })
        .as("%s on %s", service, resource)
        .hasStackTraceContaining("ACCESS_REFUSED")
        .hasStackTraceContaining(resource);
  }

  private static void declareConsumed(Channel channel, String name) throws IOException {
    String queue = PREFIX + name;
    channel.exchangeDeclare(queue + ".dlx", "direct", true);
    channel.queueDeclare(queue + ".dlq", true, false, false, null);
    channel.queueBind(queue + ".dlq", queue + ".dlx", queue + ".dlq");
    channel.queueDeclare(
        queue,
        true,
        false,
        false,
        Map.of(
            "x-dead-letter-exchange", queue + ".dlx", "x-dead-letter-routing-key", queue + ".dlq"));
    channel.exchangeDeclare(queue + ".exchange", "direct", true);
    channel.queueBind(queue, queue + ".exchange", queue);
  }

  private static void publish(Connection connection, String exchange, String key, String replyTo)
      throws Exception {
    Channel channel = connection.createChannel();
    channel.confirmSelect();
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().replyTo(replyTo).build();
    channel.basicPublish(exchange, key, true, properties, "hello".getBytes(StandardCharsets.UTF_8));
    channel.waitForConfirmsOrDie(5_000);
  }

  private static void publishConfirmed(Channel channel, String exchange, String key)
      throws Exception {
    channel.confirmSelect();
    channel.basicPublish(exchange, key, true, null, "x".getBytes(StandardCharsets.UTF_8));
    channel.waitForConfirmsOrDie(5_000);
  }

  private static GetResponse awaitMessage(Channel channel, String queue) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      GetResponse response = channel.basicGet(queue, true);
      if (response != null) {
        return response;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("Nothing arrived on " + queue + " within 10 s");
  }

  private static Connection rabbit(String service) throws Exception {
    return connect(users.user(service), users.rabbitMqPassword(service));
  }

  private static Connection adminRabbit() throws Exception {
    Endpoint broker = Brokers.rabbitMq();
    return connect(broker.username(), broker.password());
  }

  private static Connection connect(String user, String password) throws Exception {
    Endpoint broker = Brokers.rabbitMq();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(broker.host());
    factory.setPort(broker.port());
    factory.setUsername(user);
    factory.setPassword(password);
    factory.setAutomaticRecoveryEnabled(false);
    return factory.newConnection();
  }

  private static Redis redis(String service) throws IOException {
    Redis redis = new Redis(Brokers.redis());
    assertThat(redis.call("AUTH", users.user(service), users.redisPassword(service)))
        .isEqualTo("+OK");
    return redis;
  }

  /** Just enough RESP to send a command and read the first line of its answer. */
  private static final class Redis implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final BufferedReader in;

    Redis(Endpoint endpoint) throws IOException {
      socket = new Socket(endpoint.host(), endpoint.port());
      socket.setSoTimeout(5_000);
      out = socket.getOutputStream();
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    String call(String... command) throws IOException {
      StringBuilder request = new StringBuilder("*" + command.length + "\r\n");
      for (String part : command) {
        request.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        request.append(part).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return in.readLine();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
