package dev.asyncshop.messaging.internal.asyncapi;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The JSON Schema (draft-07, as AsyncAPI 3.0 embeds it) of a message record, as Jackson writes and
 * reads it: every record component is a property, required unless it is marked {@code @Nullable} (a
 * primitive is always required). Nested records are inlined, so each message's schema stands on its
 * own and two services' schemas of one type can be compared member by member.
 */
final class JsonSchemas {

  private JsonSchemas() {}

  /**
   * @throws IllegalArgumentException for a component whose type has no JSON form here; message
   *     records hold records, collections, maps, enums and plain values only
   */
  static Map<String, Object> of(Class<?> record) {
    return schema(record, new ArrayDeque<>());
  }

  private static Map<String, Object> schema(Type type, Deque<Class<?>> enclosing) {
    if (type instanceof ParameterizedType parameterized
        && parameterized.getRawType() instanceof Class<?> raw) {
      Type[] arguments = parameterized.getActualTypeArguments();
      if (Map.class.isAssignableFrom(raw)) {
        return Map.of("type", "object", "additionalProperties", schema(arguments[1], enclosing));
      }
      if (Collection.class.isAssignableFrom(raw)) {
        return array(schema(arguments[0], enclosing), Set.class.isAssignableFrom(raw));
      }
      return schema(raw, enclosing);
    }
    if (type instanceof WildcardType wildcard) {
      return schema(wildcard.getUpperBounds()[0], enclosing);
    }
    if (type instanceof GenericArrayType array) {
      return array(schema(array.getGenericComponentType(), enclosing), false);
    }
    if (type instanceof Class<?> plain) {
      return plain(plain, enclosing);
    }
    throw new IllegalArgumentException("No JSON Schema for type " + type);
  }

  private static Map<String, Object> plain(Class<?> type, Deque<Class<?>> enclosing) {
    if (type == String.class || type == char.class || type == Character.class) {
      return Map.of("type", "string");
    }
    if (type == boolean.class || type == Boolean.class) {
      return Map.of("type", "boolean");
    }
    if (type == int.class || type == Integer.class || type == short.class || type == Short.class) {
      return Map.of("type", "integer", "format", "int32");
    }
    if (type == long.class || type == Long.class || type == BigInteger.class) {
      return Map.of("type", "integer", "format", "int64");
    }
    if (type == byte.class || type == Byte.class) {
      return Map.of("type", "integer");
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return Map.of("type", "number", "format", "double");
    }
    if (type == Float.class || type == BigDecimal.class) {
      return Map.of("type", "number");
    }
    if (type == UUID.class) {
      return Map.of("type", "string", "format", "uuid");
    }
    if (type == Instant.class
        || type == OffsetDateTime.class
        || type == ZonedDateTime.class
        || type == LocalDateTime.class) {
      return Map.of("type", "string", "format", "date-time");
    }
    if (type == LocalDate.class) {
      return Map.of("type", "string", "format", "date");
    }
    if (type == LocalTime.class) {
      return Map.of("type", "string", "format", "time");
    }
    if (type == Duration.class) {
      return Map.of("type", "string", "format", "duration");
    }
    if (type.isEnum()) {
      return Map.of(
          "type",
          "string",
          "enum",
          Arrays.stream(type.getEnumConstants()).map(e -> ((Enum<?>) e).name()).toList());
    }
    if (type.isArray()) {
      return array(schema(type.getComponentType(), enclosing), false);
    }
    if (type.isRecord()) {
      return record(type, enclosing);
    }
    throw new IllegalArgumentException(
        "No JSON Schema for "
            + type.getName()
            + (enclosing.isEmpty() ? "" : " in " + enclosing.peek().getName())
            + ": message records hold records, lists, sets, maps, enums, strings, numbers,"
            + " booleans, UUIDs and java.time values");
  }

  private static Map<String, Object> record(Class<?> record, Deque<Class<?>> enclosing) {
    if (enclosing.contains(record)) {
      // A record that contains itself: its inner occurrences are described as any object.
      return Map.of("type", "object");
    }
    enclosing.push(record);
    Map<String, Object> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (RecordComponent component : record.getRecordComponents()) {
      properties.put(component.getName(), schema(component.getGenericType(), enclosing));
      if (component.getType().isPrimitive() || !nullable(component)) {
        required.add(component.getName());
      }
    }
    enclosing.pop();
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    return schema;
  }

  private static Map<String, Object> array(Map<String, Object> items, boolean unique) {
    return unique
        ? Map.of("type", "array", "items", items, "uniqueItems", true)
        : Map.of("type", "array", "items", items);
  }

  /**
   * jspecify's {@code @Nullable} on the type, or any annotation named Nullable on the component.
   */
  private static boolean nullable(RecordComponent component) {
    AnnotatedType type = component.getAnnotatedType();
    return namedNullable(type) || namedNullable(component);
  }

  private static boolean namedNullable(AnnotatedElement element) {
    return Arrays.stream(element.getAnnotations())
        .anyMatch(a -> a.annotationType().getSimpleName().equals("Nullable"));
  }
}
