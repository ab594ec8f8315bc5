/**
 * Who may use the console: operators who logged in at the authorization server and whose access
 * token carries the OPS role; their token is what the console calls the services with.
 */
@NullMarked
package dev.asyncshop.console.security;

import org.jspecify.annotations.NullMarked;
