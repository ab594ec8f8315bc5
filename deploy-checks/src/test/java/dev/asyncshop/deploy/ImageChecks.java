package dev.asyncshop.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the suite's own images resolve where an overlay runs. In production they come from the
 * platform's registry, named by its host, and by a digest or a release tag: a bare {@code
 * asyncshop/...} would be pulled from Docker Hub, and a snapshot tag names a different image after
 * every build.
 */
final class ImageChecks {

  private final ManifestChecks manifests;

  ImageChecks(ManifestChecks manifests) {
    this.manifests = manifests;
  }

  List<String> problems() {
    List<String> problems = new ArrayList<>();
    for (Deployment deployment : manifests.all(Deployment.class)) {
      for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
        String image = container.getImage();
        if (image == null || !image.matches("(.*/)?asyncshop/[^/]+")) {
          continue;
        }
        String where = "Deployment/" + deployment.getMetadata().getName() + ": image " + image;
        String first = image.substring(0, image.indexOf('/'));
        boolean registry = first.contains(".") || first.contains(":") || first.equals("localhost");
        if (!registry) {
          problems.add(where + " names no registry, so the nodes would pull it from Docker Hub");
        }
        String tag = ManifestChecks.imageTag(image);
        if (!image.contains("@sha256:")
            && (tag == null || tag.equals("latest") || tag.endsWith("-SNAPSHOT"))) {
          problems.add(where + " is neither pinned by digest nor by a release tag");
        }
      }
    }
    return problems;
  }
}
