package dev.asyncshop.messaging.audit;

/**
 * Records a chain's writer chained, could not send, and said so in a {@code CHAIN_GAP} record.
 *
 * @param from the first lost sequence
 * @param to the last lost sequence
 * @param declaredAt the sequence of the record that declares them
 * @param reason why they were lost, as the writer said
 */
public record DeclaredGap(long from, long to, long declaredAt, String reason) {}
