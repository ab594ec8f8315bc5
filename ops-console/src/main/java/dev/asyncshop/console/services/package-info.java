/**
 * The services as the console reaches them: one HTTP client each, carrying the operator's access
 * token, and their refusals turned into words.
 */
@NullMarked
package dev.asyncshop.console.services;

import org.jspecify.annotations.NullMarked;
