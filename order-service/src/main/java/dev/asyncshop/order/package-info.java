/**
 * The order aggregate, its saga transitions and the messages they send, shared by placement, saga
 * and tracking.
 */
@NullMarked
package dev.asyncshop.order;

import org.jspecify.annotations.NullMarked;
