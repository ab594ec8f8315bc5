package dev.asyncshop.contract;

import static dev.asyncshop.contract.ServiceDocument.asMap;
import static dev.asyncshop.contract.ServiceDocument.list;
import static dev.asyncshop.contract.ServiceDocument.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether what a consumer's record needs is what a producer's record sends, member by member, in
 * the JSON Schemas the services' documents hold. Jackson ignores members a consumer does not know,
 * so a producer may always send more; it must never send less than the consumer requires, nor a
 * value of another type.
 *
 * <ul>
 *   <li>A member the consumer requires must be one the producer requires (always sends).
 *   <li>Types must agree; an integer may be read where a number is expected, not the other way.
 *   <li>A consumer's enum must cover every value of the producer's enum, and accepts no free text.
 *   <li>String formats (uuid, date, date-time) must agree where both sides name one; a plain string
 *       from the producer may carry any of them.
 * </ul>
 */
final class SchemaCompatibility {

  private final String consumer;
  private final String producer;
  private final List<String> problems = new ArrayList<>();

  private SchemaCompatibility(String consumer, String producer) {
    this.consumer = consumer;
    this.producer = producer;
  }

  /**
   * @return each way the consumer's schema asks for more than, or other than, the producer's sends
   */
  static List<String> problems(
      String consumer,
      Map<String, Object> consumerSchema,
      String producer,
      Map<String, Object> producerSchema) {
    SchemaCompatibility check = new SchemaCompatibility(consumer, producer);
    check.compare("", consumerSchema, producerSchema);
    return check.problems;
  }

  private void compare(String path, Map<String, Object> wanted, Map<String, Object> sent) {
    Object wantedType = wanted.get("type");
    Object sentType = sent.get("type");
    if (wantedType == null) {
      return;
    }
    if (!wantedType.equals(sentType)) {
      if (!("number".equals(wantedType) && "integer".equals(sentType))) {
        problem(
            "reads "
                + name(path)
                + " as "
                + wantedType
                + ", but "
                + producer
                + " sends "
                + sentType);
      }
      return;
    }
    switch (String.valueOf(wantedType)) {
      case "string" -> compareStrings(path, wanted, sent);
      case "array" -> compare(path + "[]", map(wanted, "items"), map(sent, "items"));
      case "object" -> compareObjects(path, wanted, sent);
      default -> {}
    }
  }

  private void compareStrings(String path, Map<String, Object> wanted, Map<String, Object> sent) {
    List<Object> accepted = list(wanted, "enum");
    if (!accepted.isEmpty()) {
      List<Object> offered = list(sent, "enum");
      if (offered.isEmpty()) {
        problem(
            "reads "
                + name(path)
                + " as one of "
                + accepted
                + ", but "
                + producer
                + " sends any string");
      } else {
        Set<Object> unknown = new TreeSet<>(offered);
        accepted.forEach(unknown::remove);
        if (!unknown.isEmpty()) {
          problem(
              "reads "
                  + name(path)
                  + " as one of "
                  + accepted
                  + ", but "
                  + producer
                  + " may also send "
                  + unknown);
        }
      }
    }
    Object wantedFormat = wanted.get("format");
    Object sentFormat = sent.get("format");
    if (wantedFormat != null && sentFormat != null && !wantedFormat.equals(sentFormat)) {
      problem(
          "reads "
              + name(path)
              + " as "
              + wantedFormat
              + ", but "
              + producer
              + " sends "
              + sentFormat);
    }
  }

  private void compareObjects(String path, Map<String, Object> wanted, Map<String, Object> sent) {
    Map<String, Object> wantedMembers = map(wanted, "properties");
    Map<String, Object> sentMembers = map(sent, "properties");
    List<Object> sentRequired = list(sent, "required");
    for (Object name : list(wanted, "required")) {
      String member = path.isEmpty() ? name.toString() : path + "." + name;
      if (!sentMembers.containsKey(name.toString())) {
        problem("needs " + name(member) + ", which " + producer + " does not send");
      } else if (!sentRequired.contains(name)) {
        problem("needs " + name(member) + ", which " + producer + " may leave out");
      }
    }
    wantedMembers.forEach(
        (name, schema) -> {
          Object counterpart = sentMembers.get(name);
          if (counterpart != null) {
            compare(path.isEmpty() ? name : path + "." + name, asMap(schema), asMap(counterpart));
          }
        });
    Object wantedValues = wanted.get("additionalProperties");
    if (wantedValues instanceof Map<?, ?> values) {
      Object sentValues = sent.get("additionalProperties");
      if (sentValues instanceof Map<?, ?>) {
        compare(path + "{}", asMap(values), asMap(sentValues));
      } else {
        sentMembers.forEach(
            (name, schema) -> compare(path + "." + name, asMap(values), asMap(schema)));
      }
    }
  }

  private void problem(String what) {
    problems.add(consumer + " " + what);
  }

  private static String name(String path) {
    return path.isEmpty() ? "the payload" : "'" + path + "'";
  }
}
