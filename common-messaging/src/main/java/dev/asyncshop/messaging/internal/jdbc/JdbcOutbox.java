package dev.asyncshop.messaging.internal.jdbc;

import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Outbox;
import dev.asyncshop.messaging.internal.OutboundMessages;
import dev.asyncshop.messaging.internal.OutboxEncryption;
import dev.asyncshop.messaging.spi.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.Base64;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes each message, with its complete envelope, as a row of the outbox table in the caller's
 * transaction. The envelope is made now, so the message keeps the correlation and causation of the
 * handler or request that wrote it, however late the relay sends it. The row keeps the message's
 * partition key beside it, and the table numbers rows as they are written, so the relay sends the
 * messages of one key in the order they were written. After commit the relay is woken so the
 * message leaves at once rather than at the next poll.
 */
final class JdbcOutbox implements Outbox {

  private final JdbcTemplate jdbc;
  private final OutboundMessages messages;
  private final JsonMapper json;
  private final OutboxRelay relay;
  private final String insert;
  private final OutboxEncryption encryption;

  JdbcOutbox(
      JdbcTemplate jdbc,
      OutboundMessages messages,
      JsonMapper json,
      OutboxRelay relay,
      String table,
      OutboxEncryption encryption) {
    this.jdbc = jdbc;
    this.messages = messages;
    this.encryption = encryption;
    this.json = json;
    this.relay = relay;
    this.insert =
        "insert into "
            + OutboxRelay.checkedName(table)
            + " (id, message_type, partition_key, envelope, payload, created_at, next_attempt_at)"
            + " values (?, ?, ?, ?, ?, ?, ?)";
  }

  @Override
  public void publish(Object event, MessageOptions options) {
    write(event, options, MessageKind.EVENT);
  }

  @Override
  public void send(Object command, MessageOptions options) {
    write(command, options, MessageKind.COMMAND);
  }

  private void write(Object message, MessageOptions options, MessageKind kind) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException(
          "The outbox writes in the caller's transaction, and there is none: call it from a"
              + " @Transactional method or a message handler");
    }
    OutboundMessage outbound = encryption.encrypt(messages.prepare(message, options, kind));
    Timestamp now = Timestamp.from(outbound.envelope().time());
    jdbc.update(
        insert,
        outbound.envelope().id(),
        outbound.envelope().type(),
        outbound.envelope().partitionKey(),
        json.writeValueAsString(outbound.envelope()),
        OutboxRelay.isEncrypted(outbound.envelope())
            ? Base64.getEncoder().encodeToString(outbound.data())
            : new String(outbound.data(), StandardCharsets.UTF_8),
        now,
        now);
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            relay.wakeUp();
          }
        });
  }
}
