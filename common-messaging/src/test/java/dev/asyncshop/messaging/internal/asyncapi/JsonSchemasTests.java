package dev.asyncshop.messaging.internal.asyncapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class JsonSchemasTests {

  enum Colour {
    RED,
    GREEN
  }

  record Inner(String name, @Nullable Integer count) {}

  record Everything(
      String text,
      UUID id,
      BigDecimal amount,
      int small,
      long large,
      double ratio,
      boolean flag,
      Instant at,
      LocalDate day,
      Colour colour,
      Inner inner,
      List<Inner> inners,
      Set<String> tags,
      Map<String, Integer> counts,
      @Nullable String optional) {}

  record Unsupported(Object anything) {}

  @Test
  void describesEachKindOfComponentAsJacksonWritesIt() {
    Map<String, Object> schema = JsonSchemas.of(Everything.class);
    Map<String, Object> properties = map(schema.get("properties"));

    assertThat(schema).containsEntry("type", "object");
    assertThat(properties.get("text")).isEqualTo(Map.of("type", "string"));
    assertThat(properties.get("id")).isEqualTo(Map.of("type", "string", "format", "uuid"));
    assertThat(properties.get("amount")).isEqualTo(Map.of("type", "number"));
    assertThat(properties.get("small")).isEqualTo(Map.of("type", "integer", "format", "int32"));
    assertThat(properties.get("large")).isEqualTo(Map.of("type", "integer", "format", "int64"));
    assertThat(properties.get("ratio")).isEqualTo(Map.of("type", "number", "format", "double"));
    assertThat(properties.get("flag")).isEqualTo(Map.of("type", "boolean"));
    assertThat(properties.get("at")).isEqualTo(Map.of("type", "string", "format", "date-time"));
    assertThat(properties.get("day")).isEqualTo(Map.of("type", "string", "format", "date"));
    assertThat(properties.get("colour"))
        .isEqualTo(Map.of("type", "string", "enum", List.of("RED", "GREEN")));
    assertThat(map(properties.get("inner"))).containsEntry("type", "object");
    assertThat(map(properties.get("inners")))
        .containsEntry("type", "array")
        .containsEntry("items", properties.get("inner"));
    assertThat(properties.get("tags"))
        .isEqualTo(Map.of("type", "array", "items", Map.of("type", "string"), "uniqueItems", true));
    assertThat(properties.get("counts"))
        .isEqualTo(
            Map.of(
                "type",
                "object",
                "additionalProperties",
                Map.of("type", "integer", "format", "int32")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyComponentIsRequiredUnlessItIsNullable() {
    Map<String, Object> schema = JsonSchemas.of(Everything.class);

    assertThat((List<Object>) schema.get("required"))
        .hasSize(14)
        .contains("text", "small", "inner")
        .doesNotContain("optional");
    assertThat(map(map(schema.get("properties")).get("inner")))
        .containsEntry("required", List.of("name"));
  }

  @Test
  void aComponentWithoutAJsonFormIsRefusedByName() {
    assertThatThrownBy(() -> JsonSchemas.of(Unsupported.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object")
        .hasMessageContaining("Unsupported");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }
}
