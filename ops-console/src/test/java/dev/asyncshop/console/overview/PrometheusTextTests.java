package dev.asyncshop.console.overview;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTests {

  @Test
  void samplesAreSummedOverTheirLabelsLeavingOutWhatCouldNotBeMeasured() {
    PrometheusText text =
        PrometheusText.parse(
            """
            # HELP messaging_queue_depth Messages ready in the queue
            # TYPE messaging_queue_depth gauge
            messaging_queue_depth{queue="a"} 3.0
            messaging_queue_depth{queue="b {odd} \\"quoted\\" 9"} 2.0
            messaging_queue_depth{queue="c"} NaN
            messaging_outbox_backlog 4.0 1733220000000
            messaging_consumer_lag{topic="t"} NaN
            """);

    assertThat(text.sum("messaging_queue_depth")).hasValue(5.0);
    assertThat(text.sum("messaging_outbox_backlog")).hasValue(4.0);
    assertThat(text.sum("messaging_consumer_lag")).isEmpty();
    assertThat(text.sum("messaging_parking_lot_size")).isEmpty();
  }
}
