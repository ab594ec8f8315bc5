package dev.asyncshop.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class AuditEntryTests {

  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void readsARecordAsTheServicesWriteIt() {
    AuditEntry entry =
        AuditEntry.of(
            json.readTree(
                """
                {"messageId":"m-1","type":"inventory.reserve.v1","kind":"COMMAND",
                 "transport":"rabbitmq","destination":"inventory.reserve","correlationId":"o-1",
                 "service":"inventory-service","outcome":"REPLAYED","attempt":0,"duration":0.004,
                 "time":"2026-12-03T10:00:00.123Z","detail":null,"encrypted":false,
                 "principal":"olivia","replayOf":"17"}
                """));

    assertThat(entry)
        .isEqualTo(
            new AuditEntry(
                Instant.parse("2026-12-03T10:00:00.123Z"),
                "inventory-service",
                "REPLAYED",
                "inventory.reserve.v1",
                "rabbitmq",
                "inventory.reserve",
                "m-1",
                0,
                null,
                "olivia",
                "17"));
  }

  @Test
  void readsATimeWrittenAsSecondsSinceTheEpoch() {
    AuditEntry entry =
        AuditEntry.of(
            json.readTree(
                "{\"service\":\"order-service\",\"outcome\":\"PUBLISHED\",\"time\":1764756000.5}"));

    assertThat(entry).isNotNull();
    assertThat(entry.time()).isEqualTo(Instant.parse("2025-12-03T10:00:00.500Z"));
  }

  @Test
  void aRecordWithoutTimeServiceOrOutcomeIsLeftOut() {
    assertThat(AuditEntry.of(json.readTree("{\"service\":\"s\",\"outcome\":\"HANDLED\"}")))
        .isNull();
    assertThat(AuditEntry.of(json.readTree("{\"time\":\"x\",\"service\":\"s\",\"outcome\":\"H\"}")))
        .isNull();
    assertThat(
            AuditEntry.of(json.readTree("{\"time\":\"2026-12-03T10:00:00Z\",\"outcome\":\"H\"}")))
        .isNull();
  }
}
