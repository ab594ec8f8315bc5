package dev.asyncshop.benchmarks;

/**
 * Where a handler reports: the recorder of the phase being measured. One slot per consumer (raw or
 * library, per transport), so one side never counts the other's messages.
 */
final class Slot {

  private volatile Recorder recorder = new Recorder(-1, 1);

  void use(Recorder recorder) {
    this.recorder = recorder;
  }

  void handled(int phase, long sentNanos) {
    recorder.handled(phase, sentNanos);
  }
}
