/** The overview: each service's health, parked messages and backlogs at a glance. */
@NullMarked
package dev.asyncshop.console.overview;

import org.jspecify.annotations.NullMarked;
