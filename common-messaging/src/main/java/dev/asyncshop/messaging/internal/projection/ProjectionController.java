package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.projection.ProjectionException;
import dev.asyncshop.messaging.projection.ProjectionStatus;
import dev.asyncshop.messaging.projection.Projections;
import dev.asyncshop.messaging.spi.PrincipalSource;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The projections over HTTP, at {@code /ops/projections}, for operators (each service's security
 * configuration gives {@code /ops/**} to the OPS role): their generations with how far each has
 * read, and a rebuild on demand. Refusals are RFC 9457 problem details whose {@code type} names the
 * {@link ProjectionException.Problem}.
 */
@RestController
@RequestMapping(path = "/ops/projections", produces = MediaType.APPLICATION_JSON_VALUE)
class ProjectionController {

  static final String PROBLEM_TYPE = "urn:asyncshop:problem:projections:";

  private final Projections projections;
  private final PrincipalSource principals;

  ProjectionController(Projections projections, PrincipalSource principals) {
    this.projections = projections;
    this.principals = principals;
  }

  @GetMapping
  List<ProjectionStatus> all() {
    return projections.all();
  }

  @GetMapping("/{name}")
  ProjectionStatus one(@PathVariable String name) {
    return projections.status(name);
  }

  /** 202: the new generation is being built; its progress is at the projection's address. */
  @PostMapping("/{name}/rebuild")
  ResponseEntity<ProjectionStatus> rebuild(@PathVariable String name) {
    String operator = principals.currentPrincipal();
    ProjectionStatus status = projections.rebuild(name, operator != null ? operator : "anonymous");
    return ResponseEntity.accepted()
        .location(URI.create("/ops/projections/" + status.name()))
        .body(status);
  }

  /** Gives up the rebuild under way; the active generation goes on as it was. */
  @DeleteMapping("/{name}/rebuild")
  ProjectionStatus cancel(@PathVariable String name) {
    String operator = principals.currentPrincipal();
    return projections.cancelRebuild(name, operator != null ? operator : "anonymous");
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> refused(ProjectionException e) {
    HttpStatus status = HttpStatus.valueOf(e.problem().status());
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
    problem.setType(URI.create(PROBLEM_TYPE + e.problem().name().toLowerCase(Locale.ROOT)));
    problem.setTitle(
        switch (e.problem()) {
          case UNKNOWN_PROJECTION -> "No such projection";
          case REBUILD_IN_PROGRESS -> "A rebuild is under way";
          case NO_REBUILD -> "No rebuild is under way";
        });
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
