package dev.asyncshop.messaging.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestNotice;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.TestNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An instance started while Redis is away, against the Redis on 127.0.0.1: it starts, and it
 * subscribes to its channels once Redis answers. Redis is "away" behind a port nothing listens on
 * yet; "back" once a relay to the real Redis listens there.
 */
class RedisSubscriberIntegrationTests {

  @Test
  void anInstanceStartedWhileRedisIsAwaySubscribesOnceRedisAnswers() throws IOException {
    TestApp.Destinations to = TestApp.Destinations.unique();
    String service = TestNames.unique("redis-late-service");
    int port = closedPort();
    Map<String, Object> away = TestApp.baseProperties(service, to);
    away.put("spring.data.redis.port", String.valueOf(port));
    // Nothing is published to the audit topic, so no producer is involved in this test.
    away.put("messaging.audit.kafka", "false");

    Instant starting = Instant.now();
    try (TestApp late = TestApp.start(away);
        TestApp sender = TestApp.startSender(TestApp.baseProperties(service, to))) {
      assertThat(Duration.between(starting, Instant.now())).isLessThan(Duration.ofSeconds(60));
      RedisSubscriber subscriber = late.bean(RedisSubscriber.class);
      assertThat(subscriber.subscribed()).isFalse();

      try (Relay relay = Relay.start(port, Brokers.redis().host(), Brokers.redis().port())) {
        await().atMost(Duration.ofSeconds(30)).until(subscriber::subscribed);

        String text = "late-notice-" + UUID.randomUUID();
        sender.gateway().broadcast(new TestNotice(text));
        await().atMost(Duration.ofSeconds(10)).until(() -> late.probe().handled(text).size() == 1);
        // Before the relay goes, so that it stops with Redis still there.
        late.close();
      }
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Passes every connection made to a port on to Redis, byte for byte, both ways. */
  private static final class Relay implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private Relay(ServerSocket server) {
      this.server = server;
    }

    static Relay start(int port, String host, int targetPort) throws IOException {
      ServerSocket server = new ServerSocket(port);
      Relay relay = new Relay(server);
      Thread acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket client = server.accept();
                    Socket redis = new Socket(host, targetPort);
                    relay.sockets.add(client);
                    relay.sockets.add(redis);
                    pipe(client, redis);
                    pipe(redis, client);
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "redis-relay-accept");
      acceptor.setDaemon(true);
      acceptor.start();
      return relay;
    }

    private static void pipe(Socket from, Socket to) {
      Thread copier =
          new Thread(
              () -> {
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  in.transferTo(out);
                } catch (IOException closed) {
                  // One side went away; closing both ends the other direction too.
                } finally {
                  closeQuietly(from);
                  closeQuietly(to);
                }
              },
              "redis-relay-copy");
      copier.setDaemon(true);
      copier.start();
    }

    private static void closeQuietly(Socket socket) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Already closed.
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      sockets.forEach(Relay::closeQuietly);
    }
  }
}
