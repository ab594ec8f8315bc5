/**
 * The order aggregate, its saga transitions and the messages they send, and the order as clients
 * see it: what placement, saga and tracking share.
 */
@NullMarked
package dev.asyncshop.order;

import org.jspecify.annotations.NullMarked;
