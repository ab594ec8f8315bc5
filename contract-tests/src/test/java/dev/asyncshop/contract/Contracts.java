package dev.asyncshop.contract;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks every message that crosses services against each of its producers. */
final class Contracts {

  private Contracts() {}

  /**
   * @return each way a consumer needs more than, or other than, one of its producers sends, as
   *     {@code type: problem}; empty when every contract holds
   */
  static List<String> problems(Collection<ServiceDocument> documents) {
    Map<String, ServiceDocument> byService = new java.util.TreeMap<>();
    documents.forEach(d -> byService.put(d.service(), d));
    List<String> problems = new ArrayList<>();
    for (MessageFlow flow : MessageFlow.of(documents).values()) {
      for (String producer : flow.producers()) {
        for (String consumer : flow.consumers().keySet()) {
          if (consumer.equals(producer)) {
            continue;
          }
          Optional<Map<String, Object>> sent = byService.get(producer).schema(flow.type());
          Optional<Map<String, Object>> wanted = byService.get(consumer).schema(flow.type());
          if (sent.isEmpty() || wanted.isEmpty()) {
            problems.add(
                flow.type()
                    + ": "
                    + (sent.isEmpty() ? producer : consumer)
                    + " has no record for it; name one with @MessageType(\""
                    + flow.type()
                    + "\")");
            continue;
          }
          SchemaCompatibility.problems(consumer, wanted.get(), producer, sent.get())
              .forEach(problem -> problems.add(flow.type() + ": " + problem));
        }
      }
    }
    return problems;
  }
}
