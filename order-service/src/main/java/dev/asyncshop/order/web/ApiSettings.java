package dev.asyncshop.order.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The HTTP API's limits.
 *
 * @param maxBodySize the largest request body read; a larger one is refused with 413
 */
@ConfigurationProperties("order.api")
record ApiSettings(@DefaultValue("16KB") DataSize maxBodySize) {}
