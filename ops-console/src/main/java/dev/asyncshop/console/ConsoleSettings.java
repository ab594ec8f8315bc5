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
 * @param destinationPrefix put before every channel name, as the services' {@code
 *     messaging.destination-prefix}
 * @param liveOrders the orders page, fed by order-service's status broadcast
 * @param audit the audit timeline, read from the audit topic
 */
@ConfigurationProperties("console")
public record ConsoleSettings(
    @DefaultValue Map<String, URI> services,
    @DefaultValue Authorization authorization,
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("30s") Duration readTimeout,
    @DefaultValue("25") int pageSize,
    @DefaultValue("") String destinationPrefix,
    @DefaultValue LiveOrders liveOrders,
    @DefaultValue Audit audit) {

  /**
   * @param issuer the authorization server's issuer, as its tokens name it and as a browser reaches
   *     it
   * @param clientId the console's client id there
   * @param clientSecret the console's client secret there; without it nobody can log in
   * @param browserUri where a browser reaches the authorization server, when that is not the
   *     issuer: in Compose the console and the services reach it as {@code
   *     http://authorization-server:9000}, its issuer, while a browser on the host opens {@code
   *     http://127.0.0.1:9000}. The login form and the logout are sent there; the console itself
   *     still trades codes and reads keys at the issuer.
   */
  public record Authorization(
      @DefaultValue("http://127.0.0.1:9000") URI issuer,
      @DefaultValue("ops-console") String clientId,
      @Nullable String clientSecret,
      @Nullable URI browserUri) {

    /** Where the browser is sent to log in and out: {@link #browserUri}, else the issuer. */
    public String browserBase() {
      return withoutTrailingSlash(browserUri == null ? issuer : browserUri);
    }

    /** The issuer as tokens name it, and where the console reaches the server. */
    public String issuerBase() {
      return withoutTrailingSlash(issuer);
    }

    private static String withoutTrailingSlash(URI uri) {
      return uri.toString().replaceAll("/+$", "");
    }
  }

  /**
   * @param channel the Redis channel order-service broadcasts {@code order.status-changed.v1} on,
   *     without the prefix
   * @param recent how many of the latest changes a newly opened page shows before live ones arrive
   * @param streamTimeout how long one browser's stream stays open; the browser then opens another
   */
  public record LiveOrders(
      @DefaultValue("orders.status") String channel,
      @DefaultValue("50") int recent,
      @DefaultValue("30m") Duration streamTimeout) {}

  /**
   * @param topic the Kafka topic every service writes its audit records to, keyed by correlation id
   * @param window how far back a timeline looks
   * @param scanLimit the most records one timeline reads before it stops and says so
   * @param readTimeout the longest one timeline reads before it stops and says so
   * @param chainScanLimit the most records one verification of the audit chains reads
   * @param chainReadTimeout the longest one verification of the audit chains reads
   * @param chainSettle how old a record must be, and how long the chain must go on after it, before
   *     a hole in front of it, in a chain still open, counts as a removed record rather than one on
   *     its way or lost with a killed writer; above the audit producer's 30 s delivery timeout
   */
  public record Audit(
      @DefaultValue("audit.events") String topic,
      @DefaultValue("7d") Duration window,
      @DefaultValue("200000") int scanLimit,
      @DefaultValue("10s") Duration readTimeout,
      @DefaultValue("200000") int chainScanLimit,
      @DefaultValue("30s") Duration chainReadTimeout,
      @DefaultValue("2m") Duration chainSettle) {}
}
