package dev.asyncshop.messaging.internal.asyncapi;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a document with its keys sorted at every level, so the same service always gives the same
 * text and a rebuilt document differs from the committed one only when a message changed.
 */
enum DocumentFormat {
  JSON {
    @Override
    String write(Map<String, Object> document) {
      return JSON_MAPPER.writeValueAsString(sorted(document)) + "\n";
    }
  },
  YAML {
    @Override
    String write(Map<String, Object> document) {
      DumperOptions options = new DumperOptions();
      options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
      options.setIndent(2);
      options.setIndicatorIndent(2);
      options.setIndentWithIndicator(true);
      options.setWidth(120);
      return new Yaml(options).dump(sorted(document));
    }
  };

  private static final JsonMapper JSON_MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  abstract String write(Map<String, Object> document);

  private static Object sorted(Object node) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((key, value) -> sorted.put(String.valueOf(key), sorted(value)));
      return sorted;
    }
    if (node instanceof List<?> list) {
      return list.stream().map(DocumentFormat::sorted).toList();
    }
    return node;
  }
}
