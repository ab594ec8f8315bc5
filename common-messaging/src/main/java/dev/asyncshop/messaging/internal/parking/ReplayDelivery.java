package dev.asyncshop.messaging.internal.parking;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.InboundDelivery;
import dev.asyncshop.messaging.spi.Replay;
import java.util.function.Consumer;

/**
 * A parked message handed to its consumer's pipeline again: its envelope carries its lineage, and a
 * failure parks it again, in its own row, instead of sending it to a broker's dead letters.
 */
final class ReplayDelivery implements InboundDelivery {

  private final Envelope envelope;
  private final byte[] payload;
  private final Replay replay;
  private final Consumer<DeadLetter> parkAgain;

  ReplayDelivery(Envelope envelope, byte[] payload, Replay replay, Consumer<DeadLetter> parkAgain) {
    this.envelope = envelope;
    this.payload = payload;
    this.replay = replay;
    this.parkAgain = parkAgain;
  }

  @Override
  public DecodedMessage decode() {
    return new DecodedMessage(envelope, payload);
  }

  @Override
  public void deadLetter(DeadLetter deadLetter) {
    parkAgain.accept(deadLetter);
  }

  @Override
  public Replay replay() {
    return replay;
  }
}
