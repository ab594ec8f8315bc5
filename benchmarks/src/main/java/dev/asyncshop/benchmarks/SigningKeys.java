package dev.asyncshop.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Ed25519 key pair per service, made for this run and written as PEM files, so that the saga
 * runs as it is deployed: every message signed by its sender and checked by its reader ({@code
 * messaging.signing.verify=enforce}).
 */
final class SigningKeys {

  private final Path directory;
  private final Map<String, Path> privateKeys = new LinkedHashMap<>();
  private final List<String> shared = new ArrayList<>();

  SigningKeys(Path directory, List<String> services) {
    this.directory = directory;
    shared.add("--messaging.signing.verify=enforce");
    try {
      Files.createDirectories(directory);
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      for (String service : services) {
        KeyPair pair = generator.generateKeyPair();
        privateKeys.put(
            service, write(service + ".pem", "PRIVATE KEY", pair.getPrivate().getEncoded()));
        Path publicKey = write(service + ".pub.pem", "PUBLIC KEY", pair.getPublic().getEncoded());
        String setting = "--messaging.signing.keys." + keyId(service);
        shared.add(setting + ".owner=" + service + "-service");
        shared.add(setting + ".public-key-file=" + publicKey.toAbsolutePath());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("No Ed25519 in this JVM", e);
    }
  }

  /** A service's arguments: its own key, and every service's public key with its owner. */
  List<String> arguments(String service) {
    List<String> arguments = new ArrayList<>(shared);
    arguments.add("--messaging.signing.key.id=" + keyId(service));
    arguments.add(
        "--messaging.signing.key.private-key-file=" + privateKeys.get(service).toAbsolutePath());
    return arguments;
  }

  private static String keyId(String service) {
    return service + "bench";
  }

  private Path write(String name, String label, byte[] der) throws IOException {
    return Files.writeString(
        directory.resolve(name),
        "-----BEGIN %s-----%n%s%n-----END %s-----%n"
            .formatted(label, Base64.getMimeEncoder().encodeToString(der), label));
  }
}
