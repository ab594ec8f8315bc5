/**
 * The suite's OAuth 2 authorization server: who may log in, which clients exist, what tokens say.
 */
@NullMarked
package dev.asyncshop.authorization;

import org.jspecify.annotations.NullMarked;
