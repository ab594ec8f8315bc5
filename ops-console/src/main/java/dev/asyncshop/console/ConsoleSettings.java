package dev.asyncshop.console;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the console talks to.
 *
 * @param services each service's base URL by its short name ({@code order}, {@code inventory},
 *     ...), in the order the pages list them
 * @param authorization the authorization server operators log in at
 * @param connectTimeout how long to wait for a service to accept a connection
 * @param readTimeout how long to wait for a service's answer; a replay runs the message's handler
 *     before it answers
 * @param pageSize how many parked messages a page of the list shows
 */
@ConfigurationProperties("console")
public record ConsoleSettings(
    @DefaultValue Map<String, URI> services,
    @DefaultValue Authorization authorization,
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("30s") Duration readTimeout,
    @DefaultValue("25") int pageSize) {

  /**
   * @param issuer the authorization server's issuer, as its tokens name it and as a browser reaches
   *     it
   * @param clientId the console's client id there
   * @param clientSecret the console's client secret there; without it nobody can log in
   */
  public record Authorization(
      @DefaultValue("http://127.0.0.1:9000") URI issuer,
      @DefaultValue("ops-console") String clientId,
      @Nullable String clientSecret) {}
}
