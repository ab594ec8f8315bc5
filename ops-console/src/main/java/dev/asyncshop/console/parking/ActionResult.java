package dev.asyncshop.console.parking;

import org.jspecify.annotations.Nullable;

/**
 * What a replay or purge did to one message.
 *
 * @param outcome for a replay, what became of it
 * @param refused the problem's name when it was not touched
 * @param detail more about the outcome or the refusal
 */
record ActionResult(
    String id, @Nullable String outcome, @Nullable String refused, @Nullable String detail) {}
