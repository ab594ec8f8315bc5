package dev.asyncshop.console.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.console.ConsoleSettings;
import dev.asyncshop.console.services.Services;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.oauth2.client.registration.ClientRegistration;

/**
 * Where the console sends a browser and where it goes itself: the same server, named by two
 * addresses where the browser and the console see it from different networks (Compose).
 */
class ClientRegistrationTests {

  @Test
  void withoutABrowserAddressEverythingIsAtTheIssuer() {
    ClientRegistration.ProviderDetails provider =
        registration(Map.of("console.authorization.issuer", "http://127.0.0.1:9000/"));

    assertThat(provider.getIssuerUri()).isEqualTo("http://127.0.0.1:9000");
    assertThat(provider.getAuthorizationUri()).isEqualTo("http://127.0.0.1:9000/oauth2/authorize");
    assertThat(provider.getTokenUri()).isEqualTo("http://127.0.0.1:9000/oauth2/token");
    assertThat(provider.getJwkSetUri()).isEqualTo("http://127.0.0.1:9000/oauth2/jwks");
    assertThat(provider.getConfigurationMetadata())
        .containsEntry("end_session_endpoint", "http://127.0.0.1:9000/connect/logout");
  }

  @Test
  void theBrowserLogsInAndOutAtItsAddressAndTheConsoleTalksToTheIssuer() {
    ClientRegistration.ProviderDetails provider =
        registration(
            Map.of(
                "console.authorization.issuer", "http://authorization-server:9000",
                "console.authorization.browser-uri", "http://127.0.0.1:9000/"));

    assertThat(provider.getAuthorizationUri()).isEqualTo("http://127.0.0.1:9000/oauth2/authorize");
    assertThat(provider.getConfigurationMetadata())
        .containsEntry("end_session_endpoint", "http://127.0.0.1:9000/connect/logout");
    // Tokens name the issuer the services check; codes and keys are fetched over the back channel.
    assertThat(provider.getIssuerUri()).isEqualTo("http://authorization-server:9000");
    assertThat(provider.getTokenUri()).isEqualTo("http://authorization-server:9000/oauth2/token");
    assertThat(provider.getJwkSetUri()).isEqualTo("http://authorization-server:9000/oauth2/jwks");
  }

  private static ClientRegistration.ProviderDetails registration(Map<String, String> properties) {
    Map<String, String> all = new java.util.HashMap<>(properties);
    all.put("console.authorization.client-secret", "console-secret");
    ConsoleSettings settings =
        new Binder(new MapConfigurationPropertySource(all))
            .bindOrCreate("console", ConsoleSettings.class);
    return new SecurityConfiguration()
        .clientRegistrations(settings)
        .findByRegistrationId(Services.REGISTRATION)
        .getProviderDetails();
  }
}
